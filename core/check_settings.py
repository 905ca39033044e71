"""The checking part of ``curator.toml``: bands, rule severities, tasks and runs, validated.

These are the settings that decide verdicts (what :meth:`CheckSettings.fingerprint` covers).
The rules and the check import only this module, which imports nothing above the rules layer;
:mod:`core.config` composes it with the provider, eval and model settings and loads the file.
"""

from __future__ import annotations

import hashlib
from typing import Annotated

import orjson
from pydantic import AfterValidator, Field

from core.models import Severity
from core.rules.registry import RULES_BY_ID
from core.settings_base import StrictSettings
from core.task_config import TaskSettings


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


class CheckSettings(_Strict):
    """The sections of the config file that the checker reads."""

    bands: Bands = Bands()
    rules: dict[RuleId, Severity] = Field(default_factory=dict)
    tasks: TaskSettings = TaskSettings()
    runs: RunSettings = RunSettings()

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
