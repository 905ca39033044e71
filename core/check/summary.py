"""The check summary: counts by task and verdict, runs, failing rules, malformed lines.

Plain rows straight from the index, for ``curator check``'s human output; the ``--json``
report (:mod:`core.check.report`) wraps the same rows in its pydantic shapes.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from core.models import Verdict


@dataclass(frozen=True, slots=True)
class CheckSummary:
    """What a check found, in counts."""

    files: int
    calls: int
    runs: int
    malformed_lines: int
    calls_by_task: dict[str, dict[str, int]]
    runs_by_verdict: dict[str, int]
    failing_rules: dict[str, int]
    workspace: str


@dataclass(frozen=True, slots=True)
class MalformedLine:
    """One line of the corpus that could not be read as a call."""

    file: str
    line: int
    message: str

    def __str__(self) -> str:
        # line 0: a record of another file of a joined import, which the message names
        return f"{self.file}:{self.line}: {self.message}" if self.line else self.message


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


def malformed_lines(conn: sqlite3.Connection) -> list[MalformedLine]:
    """Every malformed line, in file then line order."""
    return [
        MalformedLine(file=relpath, line=line, message=message)
        for relpath, line, message in conn.execute(
            "SELECT f.relpath, e.line, e.message FROM load_errors e JOIN files f"
            " ON f.id = e.file_id ORDER BY f.path, e.line"
        )
    ]
