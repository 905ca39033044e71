"""The check report: pydantic shapes for ``--json`` and the queries that fill them."""

from __future__ import annotations

import sqlite3

import orjson
from pydantic import BaseModel

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


class LoadError(BaseModel):
    file: str
    line: int
    message: str

    def __str__(self) -> str:
        # line 0: a record of another file of a joined import, which the message names
        return f"{self.file}:{self.line}: {self.message}" if self.line else self.message


class CheckSummary(BaseModel):
    files: int
    calls: int
    runs: int
    malformed_lines: int
    calls_by_task: dict[str, dict[str, int]]
    runs_by_verdict: dict[str, int]
    failing_rules: dict[str, int]
    workspace: str


class CheckReport(BaseModel):
    summary: CheckSummary
    calls: list[CallVerdict]
    runs: list[RunVerdict]
    errors: list[LoadError]


def build_summary(conn: sqlite3.Connection, workspace: str) -> CheckSummary:
    """Counts by task × verdict, runs by verdict and failing rules, straight from the index."""
    by_task: dict[str, dict[str, int]] = {}
    for task, verdict, count in conn.execute(
        "SELECT task, verdict, COUNT(*) FROM calls GROUP BY task, verdict ORDER BY task"
    ):
        by_task.setdefault(task, {v.value: 0 for v in Verdict})[verdict] = count
    runs_by_verdict = {v.value: 0 for v in Verdict}
    for verdict, count in conn.execute("SELECT verdict, COUNT(*) FROM runs GROUP BY verdict"):
        runs_by_verdict[verdict] = count
    failing = dict(
        conn.execute(
            "SELECT rule, COUNT(*) AS calls FROM call_rules WHERE severity = 'error'"
            " GROUP BY rule ORDER BY calls DESC, rule"
        ).fetchall()
    )
    return CheckSummary(
        files=conn.execute("SELECT COUNT(*) FROM files").fetchone()[0],
        calls=sum(sum(counts.values()) for counts in by_task.values()),
        runs=sum(runs_by_verdict.values()),
        malformed_lines=conn.execute("SELECT COUNT(*) FROM load_errors").fetchone()[0],
        calls_by_task=by_task,
        runs_by_verdict=runs_by_verdict,
        failing_rules=failing,
        workspace=workspace,
    )


def load_errors(conn: sqlite3.Connection) -> list[LoadError]:
    """Every malformed line, in file then line order."""
    return [
        LoadError(file=relpath, line=line, message=message)
        for relpath, line, message in conn.execute(
            "SELECT f.relpath, e.line, e.message FROM load_errors e JOIN files f"
            " ON f.id = e.file_id ORDER BY f.path, e.line"
        )
    ]


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
    return CheckReport(
        summary=build_summary(conn, workspace), calls=calls, runs=runs, errors=load_errors(conn)
    )
