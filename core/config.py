"""``curator.toml`` as a whole: the checking settings plus providers, eval and models; loading.

The sections that decide verdicts (bands, rules, tasks, runs) live in :mod:`core.check_settings`,
which the rules and the check import; this module composes them with the provider, eval and
model settings and reads the file, so the dependency runs one way (config -> rules, never back).
Every key has a default; an unknown key or a bad value raises :class:`ConfigError` with one line
naming the file and the dotted key. A task's ``schema`` given as a path is read here, relative
to the config file, so the model (and the config fingerprint) holds the schema itself.
"""

from __future__ import annotations

import math
import tomllib
from pathlib import Path
from typing import Any

import orjson
from pydantic import Field, ValidationError

from core.check_settings import Bands, CheckSettings, RunSettings
from core.eval.settings import EvalSettings, ModelProfile
from core.providers.settings import ProviderSettings
from core.rules.schemas import schema_problem

__all__ = ["Bands", "CheckSettings", "ConfigError", "CuratorConfig", "RunSettings", "load_config"]

DEFAULT_CONFIG_NAME = "curator.toml"
MAX_DEPTH = 64  # deep enough for a JSON Schema inline, far from tomllib's recursion limit
INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1


class ConfigError(Exception):
    """A config file that cannot be used; the message names the file and key."""


class CuratorConfig(CheckSettings):
    """The whole config file: the checking settings, then providers, eval and model profiles."""

    providers: ProviderSettings = ProviderSettings()
    eval: EvalSettings = EvalSettings()
    models: dict[str, ModelProfile] = Field(default_factory=dict)


def load_config(path: Path | None, *, cwd: Path | None = None) -> tuple[CuratorConfig, Path | None]:
    """Read config from ``path``, else ``./curator.toml`` when present, else defaults.

    Returns the config and the file it came from (None for defaults).
    """
    if path is None:
        candidate = (cwd or Path.cwd()) / DEFAULT_CONFIG_NAME
        if not candidate.is_file():
            return CuratorConfig(), None
        path = candidate
    raw = _read_toml(path)
    problem = _unusable_value(raw)
    if problem:
        raise ConfigError(f"{path}: {problem}")
    _read_task_schemas(raw, path)
    try:
        config = CuratorConfig.model_validate(raw)
    except ValidationError as exc:
        raise ConfigError(f"{path}: {_first_problem(exc)}") from None
    for name, task in config.tasks.all_tasks().items():
        problem = None if task.json_schema is None else schema_problem(task.json_schema)
        if problem:
            raise ConfigError(f"{path}: tasks.{name}.schema: not a valid JSON Schema: {problem}")
    return config, path


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
