"""The one base of every config model: strict types, finite numbers, checked URLs.

``curator.toml`` sections (bands, rules, tasks, providers, eval, models) all derive from
:class:`StrictSettings`: unknown keys are errors, ``"3"`` or ``true`` is not an integer, and
``inf``/``nan`` are refused. Configs are validated in JSON mode (see ``core.config``), where
strict mode still takes arrays for tuples, strings for enums and integers for floats.
"""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlsplit

from pydantic import AfterValidator, BaseModel, ConfigDict


class StrictSettings(BaseModel):
    """Frozen, extra keys forbidden, strict types, no infinities."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True, allow_inf_nan=False)


def check_base_url(url: str) -> str:
    """``url`` when it is an http(s) URL with a host and a valid port, else ValueError."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port  # raises for a port past 65535 or not a number
    except ValueError as exc:
        raise ValueError(f"not a usable URL: {exc}") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError("not a usable URL: give http(s)://host[:port]/path")
    if port == 0:
        raise ValueError("not a usable URL: port 0")
    return url


BaseUrl = Annotated[str, AfterValidator(check_base_url)]
