"""The call-level content rules: one entry point, :func:`check_call`, for one trace line.

It runs every call rule of docs/RULES.md except the corpus-level ``dup.*``: format.messages and
the chat-format extras (weights, content parts), band.context_chars, the tool rules over every
tool call of the line, then the output rules of the call's output kind (the JSON rules, the
story task's rules and a declared task's schema only on ``json`` calls) and the size rules.
This is the hot path of indexing, so it works on the parsed line as plain dicts, skips rules
that are off, and only does the expensive work (grounding, schemas) for calls that need it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from core.check_settings import CheckSettings
from core.models import Finding
from core.rules.chat_format import check_chat_format
from core.rules.chat_parts import check_chat_parts
from core.rules.declared import check_declared
from core.rules.enrichment import check_enrichment
from core.rules.extraction import check_extraction
from core.rules.findings import FindingList
from core.rules.kinds import OutputKind, infer_kind
from core.rules.messages import context_chars as count_context_chars
from core.rules.messages import output_text
from core.rules.output import OutputJson, check_output
from core.rules.planning import check_planning
from core.rules.settings import CallRuleSettings, call_rule_settings
from core.rules.text_output import check_output_size, check_plain_output
from core.rules.tools import check_tools

TaskRules = Callable[[OutputJson, Any, CallRuleSettings, FindingList], None]

TASK_RULES: dict[str, TaskRules] = {
    "planning": check_planning,
    "extraction": check_extraction,
    "enrichment": check_enrichment,
}


def call_kind(record: Any, task: str, config: CheckSettings) -> OutputKind:
    """The output kind of one parsed line: the task's declared kind, else inferred."""
    messages = record.get("messages") if isinstance(record, dict) else None
    return infer_kind(messages, task, call_rule_settings(config).kinds.get(task))


def check_call(
    record: dict[str, Any],
    task: str,
    config: CheckSettings,
    *,
    context_chars: int | None = None,
    kind: OutputKind | None = None,
) -> list[Finding]:
    """:func:`check_call_kind`'s findings alone."""
    return check_call_kind(record, task, config, context_chars=context_chars, kind=kind)[1]


def check_call_kind(
    record: dict[str, Any],
    task: str,
    config: CheckSettings,
    *,
    context_chars: int | None = None,
    kind: OutputKind | None = None,
) -> tuple[OutputKind, list[Finding]]:
    """Apply the call-level rules to one parsed trace line; return its kind and findings.

    Args:
        record: The parsed line: ``messages`` and optionally ``tools`` and ``metadata``. Any
            JSON value is accepted; a line that is not a chat example gets format.messages.
        task: ``planning``, ``extraction`` or ``enrichment`` add that task's rules; a task
            declared in config adds its schema, grounded and known fields; any other task
            (``unknown``) gets only the generic rules.
        config: Severities (rules set to ``off`` are skipped), bands and task settings.
        context_chars: ``context_chars(messages)`` when the caller has it already.
        kind: :func:`call_kind` of the line when the caller has it already.

    Returns:
        The output kind, and the findings in the order the rules ran (format, context band,
        tools, output, task, size); empty when the call passes every enabled rule.
    """
    settings = call_rule_settings(config)
    findings = FindingList(settings.severities)
    messages = record.get("messages") if isinstance(record, dict) else None
    extras = check_chat_format(messages, findings)
    if extras:
        check_chat_parts(messages, findings)
    if "band.context_chars" in findings.enabled:
        chars = count_context_chars(messages) if context_chars is None else context_chars
        if chars > settings.max_context_chars:
            findings.add(
                "band.context_chars", f"context {chars:,} chars > {settings.max_context_chars:,}"
            )
    if extras:
        check_tools(record, messages, findings)
    if kind is None:
        kind = infer_kind(messages, task, settings.kinds.get(task))
    if kind is OutputKind.JSON:
        output = check_output(messages, findings)
        if output is not None:
            task_rules = TASK_RULES.get(task)
            if task_rules is not None:
                task_rules(output, messages, settings, findings)
            spec = settings.specs.get(task)
            if spec is not None:
                check_declared(output, messages, spec, findings)
        text = output.text if output is not None and output.strict else output_text(messages)
    else:
        text = output_text(messages)
        check_plain_output(messages, text, kind, findings)
    check_output_size(text, settings.max_output_chars, findings)
    return kind, findings.findings
