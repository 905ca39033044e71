"""A stand-in for the content rules, so review tests see realistic findings.

The real rules (another branch) keep the same ``check_call(record, task, config)`` signature;
tests patch this in so their findings, and the snapshots showing them, do not move when the
real rules land.
"""

from __future__ import annotations

from typing import Any

import pytest

from core.config import CuratorConfig
from core.jsontext import has_fence, has_think_block, parse_lenient, parse_strict
from core.models import Finding, Severity
from core.rules.messages import context_chars, output_text


def _finding(rule: str, message: str) -> Finding:
    return Finding(rule=rule, severity=Severity.ERROR, message=message)


def check_call(record: dict[str, Any], task: str, config: CuratorConfig) -> list[Finding]:
    messages = record.get("messages") or []
    output = output_text(messages) or ""
    findings: list[Finding] = []
    if not output.strip():
        return [_finding("output.empty", "assistant output is empty")]
    if not parse_strict(output).ok:
        findings.append(_finding("output.invalid_json", "output is not valid JSON"))
    if has_fence(output):
        findings.append(_finding("output.fenced", "JSON wrapped in a ```json fence"))
    if has_think_block(output):
        findings.append(_finding("output.reasoning", "a <think> block precedes the JSON"))
    value = parse_lenient(output)
    if task == "extraction" and value.ok and isinstance(value.value, list):
        source = " ".join(
            m.get("content") or "" for m in messages if m.get("role") in ("user", "tool")
        ).casefold()
        for entity in value.value:
            for field, item in (entity or {}).items():
                if isinstance(item, str) and item.casefold() not in source:
                    findings.append(
                        _finding("extraction.ungrounded", f'{field}: "{item}" not in the input')
                    )
    chars = context_chars(messages)
    if chars > config.bands.max_context_chars:
        findings.append(
            _finding("band.context_chars", f"{chars} chars > {config.bands.max_context_chars}")
        )
    return findings


def install(monkeypatch: pytest.MonkeyPatch) -> None:
    """Use these rules wherever the indexer and the review core call ``check_call``."""
    import core.check.indexer
    import core.rules.calls

    monkeypatch.setattr(core.rules.calls, "check_call", check_call)
    monkeypatch.setattr(core.check.indexer, "check_call", check_call)
