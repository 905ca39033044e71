"""Append-only decisions: state, undo/redo as new rows, durability across connections."""

from __future__ import annotations

from pathlib import Path

from core.review.decisions import (
    Target,
    decide,
    redo,
    set_note,
    set_repair,
    set_tags,
    state_of,
    undo,
)
from core.store.db import connect

A, B, RUN = Target("call", "aaaa"), Target("call", "bbbb"), Target("run", "r-1")


def test_decide_then_state(conn) -> None:
    result = decide(conn, [A, B], "reject", "output.fenced")
    assert (result.summary, result.targets) == ("reject 2 calls", 2)
    assert state_of(conn, A).decision == "reject"
    assert state_of(conn, B).reason == "output.fenced"
    assert state_of(conn, RUN).decision is None


def test_undo_and_redo_walk_history_and_append_rows(conn) -> None:
    decide(conn, [A], "accept")
    decide(conn, [A], "reject")
    assert undo(conn).summary == "undo reject 1 call"
    assert state_of(conn, A).decision == "accept"
    assert undo(conn).summary == "undo accept 1 call"
    assert state_of(conn, A).decision is None
    assert undo(conn) is None
    assert redo(conn).summary == "redo accept 1 call"
    assert state_of(conn, A).decision == "accept"
    ops = conn.execute("SELECT kind FROM review_ops ORDER BY id").fetchall()
    assert [k for (k,) in ops] == ["decide", "decide", "undo", "undo", "redo"]


def test_new_action_clears_redo(conn) -> None:
    decide(conn, [A], "accept")
    undo(conn)
    decide(conn, [B], "reject")
    assert redo(conn) is None


def test_bulk_undo_restores_each_previous_value(conn) -> None:
    decide(conn, [A], "reject", "bad")
    decide(conn, [A, B], "accept")
    undo(conn)
    assert (state_of(conn, A).decision, state_of(conn, A).reason) == ("reject", "bad")
    assert state_of(conn, B).decision is None


def test_notes_tags_repairs(conn) -> None:
    set_note(conn, A, "  check the phone  ")
    set_tags(conn, [A], ["phone", "phone", " gold "])
    set_repair(conn, A, '{"fixed": true}')
    state = state_of(conn, A)
    assert (state.note, state.tags, state.repair) == (
        "check the phone",
        ["gold", "phone"],
        '{"fixed": true}',
    )
    set_note(conn, A, "")
    assert state_of(conn, A).note is None
    undo(conn)
    assert state_of(conn, A).note == "check the phone"


def test_decisions_are_committed_before_returning(workspace: Path) -> None:
    writer = connect(workspace)
    decide(writer, [A], "accept")
    reader = connect(workspace)  # a second connection sees it at once: it was committed
    assert state_of(reader, A).decision == "accept"
    writer.close()
    reader.close()
