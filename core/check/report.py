"""The check report of ``--json``: pydantic shapes, every call and run, and the summary.

The summary and the malformed lines are :mod:`core.check.summary`'s plain rows (what the human
output prints); only ``--json`` imports this module and builds these models.
"""

from __future__ import annotations

import sqlite3

import orjson
from pydantic import BaseModel

from core.check.summary import CheckSummary, MalformedLine, build_summary, malformed_lines
from core.models import BandResult, Finding, Verdict


class CallVerdict(BaseModel):
    file: str
    line: int
    trace_id: str
    task: str
    kind: str
    run_id: str
    verdict: Verdict
    findings: list[Finding]


class RunVerdict(BaseModel):
    run_id: str
    verdict: Verdict
    calls: int
    findings: list[Finding]
    bands: list[BandResult]


class CheckReport(BaseModel):
    summary: CheckSummary  # the plain rows of core.check.summary, dumped as they are
    calls: list[CallVerdict]
    runs: list[RunVerdict]
    errors: list[MalformedLine]


def build_report(conn: sqlite3.Connection, workspace: str) -> CheckReport:
    """The whole report, every call and run included."""
    calls = [
        CallVerdict(
            file=relpath,
            line=line,
            trace_id=trace_id,
            task=task,
            kind=kind,
            run_id=run_id,
            verdict=verdict,
            findings=orjson.loads(findings),
        )
        for relpath, line, trace_id, task, kind, run_id, verdict, findings in conn.execute(
            "SELECT f.relpath, c.line, c.trace_id, c.task, c.kind, c.run_id, c.verdict, c.findings"
            " FROM calls c JOIN files f ON f.id = c.file_id ORDER BY f.path, c.line"
        )
    ]
    runs = [
        RunVerdict(
            run_id=run_id,
            verdict=verdict,
            calls=count,
            findings=orjson.loads(findings),
            bands=orjson.loads(bands),
        )
        for run_id, verdict, count, findings, bands in conn.execute(
            "SELECT run_id, verdict, calls, findings, bands FROM runs ORDER BY run_id"
        )
    ]
    summary = build_summary(conn, workspace)
    return CheckReport(
        summary=summary,
        calls=calls,
        runs=runs,
        errors=malformed_lines(conn),
    )
