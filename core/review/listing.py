"""Reading decisions back joined with the index: a call's own decision, else its run's."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass

import orjson

# A call's review state: its own decision, its run's, and its note, tags and repair. The calls
# list (core/review/query.py) joins the same way; one definition keeps the effective decision
# ("the call's own, else its run's") the same everywhere.
REVIEW_STATE_JOINS = """
LEFT JOIN review_state own
       ON own.target_kind = 'call' AND own.target = c.trace_id AND own.field = 'decision'
LEFT JOIN review_state run
       ON run.target_kind = 'run' AND run.target = c.run_id AND run.field = 'decision'
LEFT JOIN review_state note
       ON note.target_kind = 'call' AND note.target = c.trace_id AND note.field = 'note'
LEFT JOIN review_state tags
       ON tags.target_kind = 'call' AND tags.target = c.trace_id AND tags.field = 'tags'
LEFT JOIN review_state repair
       ON repair.target_kind = 'call' AND repair.target = c.trace_id AND repair.field = 'repair'
"""

_CALL_REVIEW_SQL = (
    """
SELECT c.id, c.trace_id, c.run_id, f.relpath, c.line, c.task, c.verdict,
       own.value, run.value, note.value, tags.value, repair.value
FROM calls c
JOIN files f ON f.id = c.file_id
"""
    + REVIEW_STATE_JOINS
)


@dataclass(frozen=True, slots=True)
class CallReview:
    """One indexed call with its effective review state."""

    call_id: int
    trace_id: str
    run_id: str
    file: str
    line: int
    task: str
    verdict: str
    decision: str | None  # "accept", "reject" or None (undecided)
    decided_on: str | None  # "call" or "run": where the effective decision was made
    reason: str | None
    note: str | None
    tags: tuple[str, ...]
    repair: str | None


def iter_call_reviews(
    conn: sqlite3.Connection, where: str = "", params: tuple[object, ...] = ()
) -> Iterator[CallReview]:
    """Every indexed call (optionally filtered by a SQL ``where`` on ``c``/``f``) with its
    effective decision, in file then line order."""
    sql = _CALL_REVIEW_SQL + (f" WHERE {where}" if where else "") + " ORDER BY f.path, c.line"
    for row in conn.execute(sql, params):
        (call_id, trace, run, relpath, line, task, verdict, own, run_level, note, tags, repair) = (
            row
        )
        chosen, source = (own, "call") if own is not None else (run_level, "run")
        decided = orjson.loads(chosen) if chosen is not None else None
        yield CallReview(
            call_id=call_id,
            trace_id=trace,
            run_id=run,
            file=relpath,
            line=line,
            task=task,
            verdict=verdict,
            decision=decided["decision"] if decided else None,
            decided_on=source if decided else None,
            reason=decided.get("reason") if decided else None,
            note=orjson.loads(note) if note else None,
            tags=tuple(orjson.loads(tags)) if tags else (),
            repair=orjson.loads(repair) if repair else None,
        )


def resolve_trace_ids(conn: sqlite3.Connection, given: list[str]) -> tuple[list[str], list[str]]:
    """Full trace ids for ids or unique prefixes (6+ chars); and the problems with the rest."""
    resolved: list[str] = []
    problems: list[str] = []
    for prefix in given:
        if len(prefix) < 6:
            problems.append(f"{prefix}: give at least 6 characters of a trace id")
            continue
        matches = [
            row[0]
            for row in conn.execute(
                "SELECT DISTINCT trace_id FROM calls WHERE trace_id >= ? AND trace_id < ? LIMIT 2",
                (prefix, prefix + "\uffff"),
            )
        ]
        if not matches:
            problems.append(f"{prefix}: no call with this trace id in the workspace")
        elif len(matches) > 1:
            problems.append(f"{prefix}: matches more than one trace id; give more characters")
        else:
            resolved.append(matches[0])
    return resolved, problems
