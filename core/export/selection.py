"""Which calls an export takes: rejected never, accepted always, undecided only when passing.

A call's effective decision is its own, else its run's (``iter_call_reviews``). With
``include="auto"`` an undecided call is taken when its verdict is ``pass``; ``unknown`` (a bare
line, a run without a summary) is not a pass. A call failing *only* ``dup.exact`` counts as
passing here, because the export drops exact duplicates itself and reports how many.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass

import orjson

from core.check.evaluate import DUP_RULE
from core.export.model import DecisionCounts, Include
from core.models import Severity, Verdict
from core.review.listing import iter_call_reviews

_LOCATION_CHUNK = 500


@dataclass(frozen=True, slots=True)
class SelectedCall:
    """A call the export takes, with what is needed to read it back."""

    call_id: int
    trace_id: str
    run_id: str
    task: str
    source: str  # "relpath:line"
    path: str
    offset: int
    length: int
    repair: str | None


def select_calls(
    conn: sqlite3.Connection, include: Include
) -> tuple[list[SelectedCall], DecisionCounts]:
    """The calls to export, in corpus order (files by path, then line), and the counts."""
    counts = DecisionCounts()
    duplicate_only = _passing_but_for_duplication(conn) if include == "auto" else set()
    chosen: list[tuple[int, str, str, str, str, str | None]] = []
    for review in iter_call_reviews(conn):
        counts.calls += 1
        if review.decision == "reject":
            counts.rejected += 1
            continue
        if review.decision == "accept":
            counts.accepted += 1
            counts.accepted_failing += review.verdict == Verdict.FAIL
            counts.accepted_unknown += review.verdict == Verdict.UNKNOWN
            counts.repaired += review.repair is not None
        elif include == "auto" and (
            review.verdict == Verdict.PASS or review.call_id in duplicate_only
        ):
            counts.auto_included += 1
        else:
            counts.undecided_left_out += 1
            continue
        repair = review.repair if review.decision == "accept" else None
        source = f"{review.file}:{review.line}"
        chosen.append((review.call_id, review.trace_id, review.run_id, review.task, source, repair))
    counts.selected = len(chosen)
    counts.malformed_lines = conn.execute("SELECT COUNT(*) FROM load_errors").fetchone()[0]
    locations = dict(_locations(conn, [row[0] for row in chosen]))
    selected = [
        SelectedCall(call_id, trace, run, task, source, *locations[call_id], repair)
        for call_id, trace, run, task, source, repair in chosen
    ]
    return selected, counts


def _passing_but_for_duplication(conn: sqlite3.Connection) -> set[int]:
    """Ids of calls whose only error finding is ``dup.exact`` in a passing run."""
    passing: set[int] = set()
    for call_id, stored, run_verdict in conn.execute(
        "SELECT c.id, c.findings, r.verdict FROM calls c JOIN runs r ON r.run_id = c.run_id"
        " WHERE c.verdict = ? AND c.dup_of IS NOT NULL",
        (Verdict.FAIL.value,),
    ):
        errors = {f["rule"] for f in orjson.loads(stored) if f["severity"] == Severity.ERROR}
        if errors == {DUP_RULE} and run_verdict == Verdict.PASS:
            passing.add(call_id)
    return passing


def _locations(
    conn: sqlite3.Connection, call_ids: list[int]
) -> Iterator[tuple[int, tuple[str, int, int]]]:
    for start in range(0, len(call_ids), _LOCATION_CHUNK):
        chunk = call_ids[start : start + _LOCATION_CHUNK]
        marks = ",".join("?" * len(chunk))
        for call_id, path, offset, length in conn.execute(
            "SELECT c.id, f.path, c.offset, c.length FROM calls c JOIN files f ON f.id = c.file_id"
            f" WHERE c.id IN ({marks})",
            chunk,
        ):
            yield call_id, (path, offset, length)


def store_mark(conn: sqlite3.Connection) -> tuple[int, ...]:
    """A cheap fingerprint of the index and the decisions: it changes when either does."""
    calls = conn.execute("SELECT COUNT(*), COALESCE(MAX(id), 0) FROM calls").fetchone()
    events = conn.execute("SELECT COALESCE(MAX(id), 0) FROM review_events").fetchone()
    return (calls[0], calls[1], events[0])
