"""The built-in checking settings, built only when something reads more than their fingerprint.

``curator check`` with no config file, on a corpus it has already checked, needs nothing of the
settings but their fingerprint (unchanged files and verdicts are keyed by it). Building
:class:`~core.check_settings.CheckSettings` costs pydantic's import and first model, about 0.1 s
of CPU and half of such a check; :class:`DefaultCheckSettings` knows the fingerprint and builds
the settings on first use of anything else.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from core.check_settings import CheckSettings

# CheckSettings().fingerprint(); tests/test_check_defaults.py fails when the defaults change it
DEFAULT_FINGERPRINT = "1a016e75a626e28d"


class DefaultCheckSettings:
    """Stands in for ``CheckSettings()``: the same fingerprint, settings and methods.

    Every attribute but :meth:`fingerprint` is read from the real settings, built once, and
    kept on this object, so later reads (per line, in the rules) cost a plain lookup.
    """

    def fingerprint(self) -> str:
        return DEFAULT_FINGERPRINT

    def settings(self) -> CheckSettings:
        """The real default settings (built on the first call)."""
        built = self.__dict__.get("_settings")
        if built is None:
            from core.check_settings import CheckSettings

            built = self.__dict__["_settings"] = CheckSettings()
        return built

    def __getattr__(self, name: str) -> Any:  # only for names not yet on this object
        if name.startswith("__"):  # copy/pickle probes: not a setting
            raise AttributeError(name)
        value = getattr(self.settings(), name)
        self.__dict__[name] = value
        return value
