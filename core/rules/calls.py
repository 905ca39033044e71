"""The call-level content rules: one entry point, :func:`check_call`, for one trace line.

It runs every call rule of docs/RULES.md except ``dup.exact``, which needs the whole corpus:
format.messages, band.context_chars, the generic output rules and the rules of the call's task.
This is the hot path of indexing, so it works on the parsed line as plain dicts, skips rules
that are off, and only does the expensive work (grounding) for tasks that need it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from core.config import CuratorConfig
from core.models import Finding
from core.rules.chat_format import check_chat_format
from core.rules.enrichment import check_enrichment
from core.rules.extraction import check_extraction
from core.rules.findings import FindingList
from core.rules.messages import context_chars as count_context_chars
from core.rules.output import OutputJson, check_output
from core.rules.planning import check_planning
from core.rules.settings import CallRuleSettings, call_rule_settings

TaskRules = Callable[[OutputJson, Any, CallRuleSettings, FindingList], None]

TASK_RULES: dict[str, TaskRules] = {
    "planning": check_planning,
    "extraction": check_extraction,
    "enrichment": check_enrichment,
}


def check_call(
    record: dict[str, Any], task: str, config: CuratorConfig, *, context_chars: int | None = None
) -> list[Finding]:
    """Apply the call-level rules to one parsed trace line.

    Args:
        record: The parsed line: ``messages`` and optionally ``tools`` and ``metadata``. Any
            JSON value is accepted; a line that is not a chat example gets format.messages.
        task: ``planning``, ``extraction`` or ``enrichment`` add that task's rules; any other
            task (``unknown``) gets only the generic rules.
        config: Severities (rules set to ``off`` are skipped), bands and task settings.
        context_chars: ``context_chars(messages)`` when the caller has it already.

    Returns:
        The findings in the order the rules ran (format, context band, output, task);
        empty when the call passes every enabled rule.
    """
    settings = call_rule_settings(config)
    findings = FindingList(settings.severities)
    messages = record.get("messages") if isinstance(record, dict) else None
    check_chat_format(messages, findings)
    if "band.context_chars" in findings.enabled:
        chars = count_context_chars(messages) if context_chars is None else context_chars
        if chars > settings.max_context_chars:
            findings.add(
                "band.context_chars", f"context {chars:,} chars > {settings.max_context_chars:,}"
            )
    output = check_output(messages, findings)
    task_rules = TASK_RULES.get(task)
    if output is not None and task_rules is not None:
        task_rules(output, messages, settings, findings)
    return findings.findings
