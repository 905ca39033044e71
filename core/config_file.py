"""Reading ``curator.toml``: finding it, parsing it, validating it into a settings model.

Both :func:`core.config.load_config` (the whole file) and :func:`load_check_settings` (what
``curator check`` needs) read the file here, so every command reports a bad file the same way:
one :class:`ConfigError` line naming the file and the dotted key. A task's ``schema`` given as a
path is read here, relative to the config file, so the model (and the config fingerprint) holds
the schema itself.

Without a file, ``curator check`` gets the built-in defaults unbuilt
(:class:`~core.check_defaults.DefaultCheckSettings`): nothing here imports pydantic or a
settings module until a file is read; the provider, eval and model sections (and their modules)
only when the file has them.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import orjson

from core.check_defaults import DefaultCheckSettings

if TYPE_CHECKING:
    from pydantic import ValidationError

    from core.check_settings import CheckSettings

DEFAULT_CONFIG_NAME = "curator.toml"
MAX_DEPTH = 64  # deep enough for a JSON Schema inline, far from tomllib's recursion limit
INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1
# The sections of curator.toml beyond the checking ones (core.config.CuratorConfig's own fields)
OTHER_SECTIONS = frozenset(("providers", "eval", "models"))

Settings = TypeVar("Settings", bound="CheckSettings")


class ConfigError(Exception):
    """A config file that cannot be used; the message names the file and key."""


def find_config(path: Path | None, *, cwd: Path | None = None) -> Path | None:
    """``path``, else ``./curator.toml`` when present, else None (built-in defaults)."""
    if path is not None:
        return path
    candidate = (cwd or Path.cwd()) / DEFAULT_CONFIG_NAME
    return candidate if candidate.is_file() else None


def load_check_settings(
    path: Path | None, *, cwd: Path | None = None
) -> tuple[CheckSettings | DefaultCheckSettings, Path | None]:
    """The checking settings of the config file (see :func:`core.config.load_config`).

    The whole file is validated as before: a file with provider, eval or model sections is
    read as the whole config (which holds the checking settings too), so a bad key anywhere is
    the same one-line error; a file without them is checked without importing their modules.
    """
    found = find_config(path, cwd=cwd)
    if found is None:
        return DefaultCheckSettings(), None
    raw = read_raw_config(found)
    if OTHER_SECTIONS.isdisjoint(raw):
        from core.check_settings import CheckSettings

        return validate_config(CheckSettings, raw, found), found
    from core.config import CuratorConfig

    return validate_config(CuratorConfig, raw, found), found


def read_raw_config(path: Path) -> dict[str, Any]:
    """The file's TOML as a dict, task schema files read in; ConfigError when unusable."""
    raw = _read_toml(path)
    problem = _unusable_value(raw)
    if problem:
        raise ConfigError(f"{path}: {problem}")
    _read_task_schemas(raw, path)
    return raw


def validate_config(model: type[Settings], raw: dict[str, Any], path: Path) -> Settings:
    """``raw`` validated as ``model``, task schemas compiled; ConfigError naming the key."""
    from pydantic import ValidationError

    try:
        config = model.model_validate(raw)
    except ValidationError as exc:
        raise ConfigError(f"{path}: {_first_problem(exc)}") from None
    for name, task in config.tasks.all_tasks().items():
        if task.json_schema is None:
            continue
        from core.rules.schemas import schema_problem  # jsonschema_rs: only for a schema

        problem = schema_problem(task.json_schema)
        if problem:
            raise ConfigError(f"{path}: tasks.{name}.schema: not a valid JSON Schema: {problem}")
    return config


def _read_task_schemas(raw: dict[str, Any], path: Path) -> None:
    """Replace each ``tasks.<name>.schema`` given as a path by the JSON it holds."""
    tasks = raw.get("tasks")
    if not isinstance(tasks, dict):
        return
    for name, task in tasks.items():
        schema = task.get("schema") if isinstance(task, dict) else None
        if not isinstance(schema, str):
            continue
        where = f"{path}: tasks.{name}.schema"
        schema_path = (path.parent / schema).resolve()
        try:
            task["schema"] = orjson.loads(schema_path.read_bytes())
        except FileNotFoundError:
            raise ConfigError(f"{where}: file not found: {schema_path}") from None
        except OSError as exc:
            raise ConfigError(f"{where}: cannot read {schema_path}: {exc.strerror}") from None
        except orjson.JSONDecodeError as exc:
            raise ConfigError(f"{where}: {schema_path} is not valid JSON: {exc}") from None


def _read_toml(path: Path) -> dict[str, Any]:
    import tomllib

    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise ConfigError(f"{path}: config file not found") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror}") from None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ConfigError(f"{path}: the file is UTF-16; save it as UTF-8")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ConfigError(f"{path}:{line}: not valid UTF-8; save the file as UTF-8") from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    except RecursionError:
        raise ConfigError(f"{path}: not valid TOML: arrays or tables nested too deeply") from None


def _unusable_value(raw: dict[str, Any]) -> str | None:
    """The first value no setting can take: too deep, an integer past 64 bits, inf or nan."""
    pending: list[tuple[str, Any, int]] = [(key, value, 1) for key, value in raw.items()]
    while pending:
        key, value, depth = pending.pop()
        if depth > MAX_DEPTH:
            return f"{key}: nested more than {MAX_DEPTH} levels deep"
        if isinstance(value, dict):
            pending.extend((f"{key}.{k}", v, depth + 1) for k, v in value.items())
        elif isinstance(value, list):
            pending.extend((key, item, depth + 1) for item in value)
        elif (
            isinstance(value, int)
            and not isinstance(value, bool)
            and not (INT64_MIN <= value <= INT64_MAX)
        ):
            return f"{key}: integer out of range (past 64 bits)"
        elif isinstance(value, float) and not math.isfinite(value):
            return f"{key}: Input should be a finite number (got {value!r})"
    return None


def _first_problem(exc: ValidationError) -> str:
    error = exc.errors()[0]
    key = ".".join(str(part) for part in error["loc"] if part != "[key]")
    if error["type"] == "extra_forbidden":
        return f"{key}: unknown key"
    message = error["msg"].removeprefix("Value error, ")
    got = error.get("input")
    return f"{key}: {message}" + (
        f" (got {got!r})"
        if not isinstance(got, dict | str) or error["type"] != "value_error"
        else ""
    )
