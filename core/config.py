"""``curator.toml``: bands, rule severities and tasks (:mod:`core.task_config`), validated.

Every key has a default; an unknown key or a bad value raises :class:`ConfigError` with one line
naming the file and the dotted key. A task's ``schema`` given as a path is read here, relative
to the config file, so the model (and the config fingerprint) holds the schema itself.
"""

from __future__ import annotations

import hashlib
import math
import tomllib
from pathlib import Path
from typing import Annotated, Any

import orjson
from pydantic import AfterValidator, Field, ValidationError

from core.eval.settings import EvalSettings, ModelProfile
from core.models import Severity
from core.providers.settings import ProviderSettings
from core.rules.registry import RULES_BY_ID
from core.rules.schemas import schema_problem
from core.settings_base import StrictSettings
from core.task_config import TaskSettings

DEFAULT_CONFIG_NAME = "curator.toml"
MAX_DEPTH = 64  # deep enough for a JSON Schema inline, far from tomllib's recursion limit
INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1


class ConfigError(Exception):
    """A config file that cannot be used; the message names the file and key."""


class _Strict(StrictSettings):
    """The config base (strict types, no extra keys); kept as a short local name."""


class Bands(_Strict):
    """Limit bands; defaults are the agent's own constants."""

    max_enrichment_iterations: int = Field(3, ge=0)
    max_discovery_rounds: int = Field(3, ge=0)
    circuit_breaker_rounds: int = Field(2, ge=1)
    max_enrichment_batch_size: int = Field(15, ge=1)
    coverage_threshold: float = Field(0.65, ge=0.0, le=1.0)
    max_enrichment_attempts_per_entity: int = Field(2, ge=1)
    max_additional_queries: int = Field(20, ge=0)
    max_context_chars: int = Field(60_000, ge=1)
    max_output_chars: int = Field(20_000, ge=1, description="output.length (off by default)")


def _dotted_path(path: str) -> str:
    parts = path.split(".")
    if path and not all(part.strip() and part == part.strip() for part in parts):
        raise ValueError("a dotted path of keys, like metadata.thread")
    return path


class RunSettings(_Strict):
    """How calls are grouped into runs: ``key`` names a dotted path (``metadata.thread``)
    tried before the built-in chain (``metadata.run_id``, ``session_id``, …)."""

    key: Annotated[str, AfterValidator(_dotted_path)] = ""

    @property
    def key_path(self) -> tuple[str, ...]:
        return tuple(self.key.split(".")) if self.key else ()


def _known_rule_id(rule_id: str) -> str:
    if rule_id not in RULES_BY_ID:
        raise ValueError("unknown rule id; see docs/RULES.md for the ids")
    return rule_id


RuleId = Annotated[str, AfterValidator(_known_rule_id)]


class CuratorConfig(_Strict):
    """The whole config file."""

    bands: Bands = Bands()
    rules: dict[RuleId, Severity] = Field(default_factory=dict)
    tasks: TaskSettings = TaskSettings()
    runs: RunSettings = RunSettings()
    providers: ProviderSettings = ProviderSettings()
    eval: EvalSettings = EvalSettings()
    models: dict[str, ModelProfile] = Field(default_factory=dict)

    def severity(self, rule_id: str) -> Severity:
        """The configured severity of a rule, else its default."""
        return self.rules.get(rule_id, RULES_BY_ID[rule_id].default)

    def fingerprint(self) -> str:
        """A short stable hash of the settings that decide verdicts (bands, rules, tasks, runs).

        The index and export manifests key on it; provider or eval settings don't change a
        verdict, so they are left out.
        """
        checking = self.model_dump(mode="json", include={"bands", "rules", "tasks"})
        if self.runs != RunSettings():  # only when set, so default fingerprints stay as they were
            checking["runs"] = self.runs.model_dump(mode="json")
        canonical = orjson.dumps(checking, option=orjson.OPT_SORT_KEYS)
        return hashlib.sha256(canonical).hexdigest()[:16]


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
