"""Turning a batch of raw lines into index rows: parse, identify, run the call rules.

Pure and picklable, so the indexer can run it in worker processes on large corpora.
"""

from __future__ import annotations

from typing import Any

import orjson

from core.config import CuratorConfig
from core.corpus.records import MalformedLine, call_facts, parse_line, preview
from core.models import Finding, Severity, Verdict
from core.rules.calls import check_call
from core.rules.messages import context_chars, output_text

RawLine = tuple[int, int, bytes]  # (1-based line, byte offset, content)
CallRow = tuple[Any, ...]  # the calls table's columns after file_id, in _INSERT_CALL order


def call_rows(
    lines: list[RawLine], file_name: str, relpath: str, config: CuratorConfig
) -> tuple[list[CallRow], list[tuple[int, str]]]:
    """Index rows for the lines that are calls, and (line, reason) for the malformed ones."""
    rows: list[CallRow] = []
    errors: list[tuple[int, str]] = []
    for line, offset, content in lines:
        try:
            call = parse_line(content)
        except MalformedLine as problem:
            errors.append((line, str(problem)))
            continue
        facts = call_facts(call, file_name, relpath, line)
        messages = call["messages"]
        findings = check_call(call, facts.task, config)
        rows.append(
            (
                line,
                offset,
                len(content),
                facts.trace_id,
                facts.task,
                facts.run_id,
                facts.bare,
                facts.seq,
                facts.round,
                facts.entity_id,
                facts.model,
                facts.timestamp,
                facts.new_entities,
                facts.queries,
                context_chars(messages),
                preview(output_text(messages)),
                orjson.dumps(facts.metadata).decode(),
                *_call_findings_columns(findings),
            )
        )
    return rows, errors


def _call_findings_columns(findings: list[Finding]) -> tuple[str, str, str | None]:
    """(findings JSON, call-level verdict, first failing rule) of the call's own rules."""
    failing = [f.rule for f in findings if f.severity is Severity.ERROR]
    encoded = orjson.dumps([f.model_dump(mode="json") for f in findings]).decode()
    verdict = Verdict.FAIL if failing else Verdict.PASS
    return encoded, verdict.value, failing[0] if failing else None
