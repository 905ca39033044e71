"""The call rules' view of a config, resolved once: enabled severities and per-task settings.

``check_call`` runs once per trace line, so it must not walk the pydantic config on every call;
:func:`call_rule_settings` turns a config into plain frozensets and ints and caches the result.
"""

from __future__ import annotations

from dataclasses import dataclass

from core.check_settings import CheckSettings
from core.models import Severity
from core.rules.kinds import STORY_TASKS, OutputKind
from core.rules.registry import RULES
from core.rules.schemas import CompiledSchema, compile_schema


@dataclass(frozen=True, slots=True)
class TaskSpec:
    """A task's declared output checks: its schema, grounded pointers and known fields.

    ``known_fields`` is empty for the story's tasks, whose own rules read theirs.
    """

    schema: CompiledSchema | None
    grounded: tuple[tuple[str, ...], ...]
    known_fields: frozenset[str]


def parse_pointer(pointer: str) -> tuple[str, ...]:
    """A JSON pointer's reference tokens (RFC 6901 escapes undone); ``""`` is the whole value."""
    if not pointer:
        return ()
    return tuple(token.replace("~1", "/").replace("~0", "~") for token in pointer[1:].split("/"))


@dataclass(frozen=True, slots=True)
class CallRuleSettings:
    """Everything the call rules read from config, as plain values.

    ``severities`` holds only the rules that are not ``off``: a rule absent from it is skipped.
    """

    severities: dict[str, Severity]
    max_context_chars: int
    required_fields: tuple[str, ...]
    allowed_tools: frozenset[str]
    max_target_count: int
    extraction_fields: frozenset[str]
    enrichment_fields: frozenset[str]
    max_output_chars: int
    kinds: dict[str, OutputKind]
    specs: dict[str, TaskSpec]

    @classmethod
    def from_config(cls, config: CheckSettings) -> CallRuleSettings:
        """Resolve every call rule's severity and the per-task settings of ``config``."""
        severities = {
            spec.id: config.severity(spec.id)
            for spec in RULES
            if spec.level == "call" and config.severity(spec.id) is not Severity.OFF
        }
        tasks = config.tasks
        return cls(
            severities=severities,
            max_context_chars=config.bands.max_context_chars,
            required_fields=tuple(tasks.planning.required_fields),
            allowed_tools=frozenset(tasks.planning.allowed_tools),
            max_target_count=tasks.planning.max_target_count,
            extraction_fields=frozenset(tasks.extraction.known_fields),
            enrichment_fields=frozenset(tasks.enrichment.known_fields),
            max_output_chars=config.bands.max_output_chars,
            kinds={
                name: task.kind for name, task in tasks.all_tasks().items() if task.kind is not None
            },
            specs=_task_specs(config),
        )


def _task_specs(config: CheckSettings) -> dict[str, TaskSpec]:
    specs: dict[str, TaskSpec] = {}
    for name, task in config.tasks.all_tasks().items():
        known = frozenset() if name in STORY_TASKS else frozenset(task.known_fields)
        if task.json_schema is None and not task.grounded and not known:
            continue
        specs[name] = TaskSpec(
            schema=None if task.json_schema is None else compile_schema(task.json_schema),
            grounded=tuple(parse_pointer(pointer) for pointer in task.grounded),
            known_fields=known,
        )
    return specs


_last: tuple[CheckSettings, CallRuleSettings] | None = None


def call_rule_settings(config: CheckSettings) -> CallRuleSettings:
    """The settings of ``config``, cached for the last config object seen.

    A check run uses one config for every line, so a single slot keyed by identity is enough;
    configs are frozen, so identity implies equal settings.
    """
    global _last
    last = _last
    if last is not None and last[0] is config:
        return last[1]
    settings = CallRuleSettings.from_config(config)
    _last = (config, settings)  # one tuple store: safe to share between threads
    return settings
