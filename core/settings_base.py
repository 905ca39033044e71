"""The one base of every config model: strict scalars, finite numbers, checked URLs.

``curator.toml`` sections (bands, rules, tasks, providers, eval, models) all derive from
:class:`StrictSettings`: unknown keys are errors, ``"3"`` or ``true`` is not an integer (nor
``"yes"`` a boolean), and ``inf``/``nan`` are refused. An integer still fills a float setting,
as TOML writes ``1`` for ``1.0``. Containers and enums keep pydantic's usual parsing (arrays
for tuples, strings for enums), so settings stored as JSON validate again unchanged.
"""

from __future__ import annotations

import types
from typing import Annotated, Any, Union, get_args, get_origin
from urllib.parse import urlsplit

from pydantic import AfterValidator, BaseModel, ConfigDict, ValidationInfo, field_validator
from pydantic_core import PydanticCustomError

_SCALAR_NAMES = {bool: ("bool_type", "a valid boolean"), int: ("int_type", "a valid integer")}


class StrictSettings(BaseModel):
    """Frozen, extra keys forbidden, scalars taken only as their own type, no infinities."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)

    @field_validator("*", mode="before")
    @classmethod
    def _scalars_as_written(cls, value: Any, info: ValidationInfo) -> Any:
        field_name = info.field_name or ""
        wanted = _scalar_types(cls.model_fields[field_name].annotation)
        if not wanted or value is None or _fits(value, wanted):
            return value
        kind = bool if wanted == {bool} else int if float not in wanted else float
        error_type, text = _SCALAR_NAMES.get(kind, ("float_type", "a valid number"))
        raise PydanticCustomError(error_type, f"Input should be {text}")


def _scalar_types(annotation: Any) -> set[type]:
    """{bool, int, float} members of a scalar annotation (``int``, ``float | None``), else {}."""
    if get_origin(annotation) is Annotated:
        return _scalar_types(get_args(annotation)[0])
    if get_origin(annotation) in (Union, types.UnionType):
        members = [a for a in get_args(annotation) if a is not type(None)]
        found = [_scalar_types(member) for member in members]
        return set().union(*found) if all(found) else set()
    return {annotation} if annotation in (bool, int, float) else set()


def _fits(value: Any, wanted: set[type]) -> bool:
    if isinstance(value, bool):
        return bool in wanted
    if isinstance(value, int):
        return bool(wanted & {int, float})
    return isinstance(value, float) and float in wanted


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
