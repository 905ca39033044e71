"""The run view's data and the header's review tally."""

from __future__ import annotations

import sqlite3

from core.review.decisions import Target, decide, history, redo, undo
from core.review.runs import load_run
from core.review.tally import review_tally


def test_run_view_has_bands_summary_and_calls_in_order(conn: sqlite3.Connection) -> None:
    run = load_run(conn, "r-0003")
    assert run is not None and run.verdict == "fail"
    bands = {b.rule: b for b in run.bands}
    assert bands["run.status"].status == "fail" and bands["run.status"].direction == "equals"
    coverage = bands["band.coverage"]
    assert coverage.direction == "min" and coverage.fill == 0.3 / 0.65
    assert bands["band.discovery_rounds"].label == "discovery rounds"
    assert run.summary["stop_reason"] == "budget exhausted"
    seqs = [conn.execute("SELECT seq FROM calls WHERE id = ?", (i,)).fetchone()[0]
            for i in run.call_ids]  # fmt: skip
    assert seqs == [1, 2, 3, 4, 5]
    assert load_run(conn, "nope") is None


def test_unknown_bands_of_a_bare_call(conn: sqlite3.Connection) -> None:
    run = load_run(conn, "planning.jsonl#5")
    assert run.verdict == "unknown" and {b.status for b in run.bands} == {"unknown"}
    assert all(b.fill is None for b in run.bands)


def test_tally_counts_effective_decisions(conn: sqlite3.Connection) -> None:
    assert review_tally(conn).overall.reviewed == 0
    decide(conn, [Target("run", "r-0001")], "accept")
    trace = conn.execute("SELECT trace_id FROM calls WHERE task = 'planning' AND run_id = 'r-0002'")
    decide(conn, [Target("call", trace.fetchone()[0])], "reject")
    tally = review_tally(conn)
    assert (tally.overall.total, tally.overall.accepted, tally.overall.rejected) == (21, 5, 1)
    assert tally.by_task["planning"].reviewed == 2 and tally.by_task["planning"].total == 5


def test_history_names_next_undo_and_redo(conn: sqlite3.Connection) -> None:
    assert history(conn).undo is None
    decide(conn, [Target("run", "r-0001")], "accept")
    assert history(conn).undo == "accept 1 run" and history(conn).redo is None
    undo(conn)
    assert history(conn).redo == "accept 1 run"
    redo(conn)
    assert history(conn).undo == "redo accept 1 run" or history(conn).undo == "accept 1 run"
