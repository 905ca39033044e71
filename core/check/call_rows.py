"""Turning a chunk of a corpus file into index rows: read, parse, identify, run the call rules.

Pure and picklable, so the indexer can run it in worker processes on large corpora: a worker
reads its own chunk of a plain file (only gzip streams are read by the parent). Line numbers
are relative to the chunk, whose first line number only the parent knows once the earlier
chunks are counted; it adds it when inserting.
"""

from __future__ import annotations

import os
from typing import Any

import orjson

from core.check.chunks import RUN_ID, CallRow, Chunk, ChunkRows
from core.check_settings import CheckSettings
from core.corpus.lines import BlockLines
from core.corpus.records import (
    Chain,
    MalformedLine,
    call_facts,
    parse_line,
    preview,
    tool_calls_text,
)
from core.corpus.tasks import task_matcher
from core.models import Finding, Severity
from core.rules.calls import check_call_kind
from core.rules.messages import context_chars, output_text

METADATA_RULE = "format.metadata"


def chunk_rows(chunk: Chunk, config: CheckSettings) -> ChunkRows:
    """Read one chunk and make its rows."""
    if chunk.error is not None:
        return ChunkRows([], [(0, chunk.error)], [], 0)
    data = chunk.data
    if data is None:
        try:
            data = _read(chunk.path, chunk.start, chunk.end)
        except OSError as exc:
            reason = "cannot read" if chunk.start == 0 else "cannot read to the end"
            return ChunkRows([], [(0, f"{reason}: {exc.strerror or exc}")], [], 0)
    rows: list[CallRow] = []
    errors: list[tuple[int, str]] = []
    bare: list[int] = []
    prefixes: list[tuple[int, str]] = []
    chains: list[tuple[int, str]] = []
    chain_steps: list[tuple[int, str]] = []
    lines = BlockLines(data, chunk.start)
    for line, offset, content in lines:
        try:
            call = parse_line(content)
        except MalformedLine as problem:
            errors.append((line, str(problem)))
            continue
        row, steps, chain = call_row(
            call, line, offset, len(content), chunk.file_name, chunk.relpath, config
        )
        if row[RUN_ID] is None:
            bare.append(len(rows))
        rows.append(row)
        for step in steps:
            prefixes.append((line, step))
        if chain is not None:
            chains.append((line, chain.id))
            for step in chain.steps:
                chain_steps.append((line, step))
    return ChunkRows(rows, errors, bare, lines.count, prefixes, chains, chain_steps)


def call_row(
    call: dict[str, Any],
    line: int,
    offset: int,
    length: int,
    file_name: str,
    relpath: str,
    config: CheckSettings,
) -> tuple[CallRow, list[str], Chain | None]:
    """One parsed call's row, the ids of its earlier steps (a trajectory's lines), and its
    chain when it has weights (:func:`core.corpus.records.trace_ids`).

    A bare call's run id is left None for the caller to fill.
    """
    facts = call_facts(
        call, file_name, relpath, line, task_matcher(config), run_key_path=config.runs.key_path
    )
    messages = call["messages"]
    chars = context_chars(messages)
    kind, findings = check_call_kind(call, facts.task, config, context_chars=chars)
    if facts.out_of_range:  # a SQLite INTEGER holds 64 bits; nearly no line gets here
        severity = config.severity(METADATA_RULE)
        if severity is not Severity.OFF:
            findings += [
                Finding(rule=METADATA_RULE, severity=severity, message=note)
                for note in facts.out_of_range
            ]
    row = (
        line,
        offset,
        length,
        facts.trace_id,
        facts.task,
        None if facts.bare else facts.run_id,
        facts.bare,
        facts.seq,
        facts.round,
        facts.entity_id,
        facts.model,
        facts.timestamp,
        facts.new_entities,
        facts.queries,
        chars,
        preview(output_text(messages) or tool_calls_text(messages)),
        orjson.dumps(facts.metadata).decode(),
        *_findings_columns(findings),
        kind.value,
    )
    return row, facts.prefix_ids, facts.chain


def _findings_columns(findings: list[Finding]) -> tuple[str, str, str | None]:
    """(findings JSON, call-level verdict, first failing rule) of the call's own rules."""
    if not findings:
        return "[]", "pass", None
    failing = [f.rule for f in findings if f.severity is Severity.ERROR]
    encoded = orjson.dumps(
        [{"rule": f.rule, "severity": f.severity.value, "message": f.message} for f in findings]
    ).decode()
    return encoded, "fail" if failing else "pass", failing[0] if failing else None


def _read(path: str, start: int, end: int) -> bytes:
    fd = os.open(path, os.O_RDONLY)
    try:
        parts = []
        while start < end and (part := os.pread(fd, end - start, start)):
            parts.append(part)
            start += len(part)
        return parts[0] if len(parts) == 1 else b"".join(parts)
    finally:
        os.close(fd)
