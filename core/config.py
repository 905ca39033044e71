"""``curator.toml`` as a whole: the checking settings plus providers, eval and models.

The sections that decide verdicts (bands, rules, tasks, runs) live in :mod:`core.check_settings`,
which the rules and the check import; this module composes them with the provider, eval and
model settings, so the dependency runs one way (config -> rules, never back). Every key has a
default; reading the file and its one-line errors (:class:`ConfigError`, naming the file and the
dotted key) are :mod:`core.config_file`'s.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import Field

from core.check_settings import Bands, CheckSettings, RunSettings
from core.config_file import (
    DEFAULT_CONFIG_NAME,
    ConfigError,
    find_config,
    read_raw_config,
    validate_config,
)
from core.eval.settings import EvalSettings, ModelProfile
from core.providers.settings import ProviderSettings

__all__ = [
    "DEFAULT_CONFIG_NAME",
    "Bands",
    "CheckSettings",
    "ConfigError",
    "CuratorConfig",
    "RunSettings",
    "load_config",
]


class CuratorConfig(CheckSettings):
    """The whole config file: the checking settings, then providers, eval and model profiles."""

    providers: ProviderSettings = ProviderSettings()
    eval: EvalSettings = EvalSettings()
    models: dict[str, ModelProfile] = Field(default_factory=dict)


def load_config(path: Path | None, *, cwd: Path | None = None) -> tuple[CuratorConfig, Path | None]:
    """Read config from ``path``, else ``./curator.toml`` when present, else defaults.

    Returns the config and the file it came from (None for defaults).
    """
    found = find_config(path, cwd=cwd)
    if found is None:
        return CuratorConfig(), None
    return validate_config(CuratorConfig, read_raw_config(found), found), found
