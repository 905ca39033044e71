"""Decisions as an append-only log: accept, reject, notes, tags, repairs, undo and redo.

Every user action is one *op* (a row in ``review_ops``) holding one event per changed field
(``review_events``, with the value before and after). Undo and redo are ops too, so history is
never rewritten. ``review_state`` is the current value of each field, kept in the same
transaction as the events so reads are fast and a kill at any point loses nothing committed.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal

import orjson

from core.store.db import reviewer_name, transaction

TargetKind = Literal["call", "run"]
Decision = Literal["accept", "reject"]
DECISION, NOTE, TAGS, REPAIR = "decision", "note", "tags", "repair"


@dataclass(frozen=True, slots=True)
class Target:
    """What a decision is about: a call (by trace id) or a whole run (by run id)."""

    kind: TargetKind
    id: str


@dataclass(slots=True)
class TargetState:
    """The current review state of one target."""

    decision: Decision | None = None
    reason: str | None = None
    note: str | None = None
    tags: list[str] = field(default_factory=list)
    repair: str | None = None


@dataclass(frozen=True, slots=True)
class OpResult:
    """An op that was recorded: its id, a human summary and how many targets it touched."""

    op_id: int
    summary: str
    targets: int


Change = tuple[Target, str, Any]  # (target, field, new value or None to clear)


def decide(
    conn: sqlite3.Connection,
    targets: Sequence[Target],
    decision: Decision | None,
    reason: str | None = None,
) -> OpResult:
    """Accept, reject (with an optional reason) or clear the decision of every target."""
    value = None if decision is None else {"decision": decision, "reason": reason or None}
    verb = decision or "clear"
    return record(
        conn, "decide", f"{verb} {_count(targets)}", [(t, DECISION, value) for t in targets]
    )


def set_note(conn: sqlite3.Connection, target: Target, note: str | None) -> OpResult:
    """Attach, replace or (with an empty note) remove a note."""
    text = (note or "").strip() or None
    return record(conn, "note", "note" if text else "remove note", [(target, NOTE, text)])


def set_tags(conn: sqlite3.Connection, targets: Sequence[Target], tags: Sequence[str]) -> OpResult:
    """Replace the tags of every target (an empty list removes them)."""
    clean = sorted({t.strip() for t in tags if t.strip()}) or None
    summary = f"tag {_count(targets)}" if clean else f"untag {_count(targets)}"
    return record(conn, "tags", summary, [(t, TAGS, clean) for t in targets])


def set_repair(conn: sqlite3.Connection, target: Target, corrected: str | None) -> OpResult:
    """Save a corrected assistant output beside the original (None removes the repair)."""
    summary = "repair output" if corrected is not None else "remove repair"
    return record(conn, "repair", summary, [(target, REPAIR, corrected)])


def record(
    conn: sqlite3.Connection,
    kind: str,
    summary: str,
    changes: Sequence[Change],
    target_op: int | None = None,
) -> OpResult:
    """Write one op and its events, and update the current state, in one transaction."""
    now = datetime.now(UTC).isoformat(timespec="milliseconds")
    with transaction(conn):
        op_id = conn.execute(
            "INSERT INTO review_ops (kind, target_op, summary, reviewer, at) VALUES (?,?,?,?,?)",
            (kind, target_op, summary, reviewer_name(), now),
        ).lastrowid
        for target, name, value in changes:
            encoded = None if value is None else orjson.dumps(value).decode()
            row = conn.execute(
                "SELECT value FROM review_state WHERE target_kind=? AND target=? AND field=?",
                (target.kind, target.id, name),
            ).fetchone()
            previous = None if row is None else row[0]
            event_id = conn.execute(
                "INSERT INTO review_events (op_id, target_kind, target, field, value, previous)"
                " VALUES (?,?,?,?,?,?)",
                (op_id, target.kind, target.id, name, encoded, previous),
            ).lastrowid
            if encoded is None:
                conn.execute(
                    "DELETE FROM review_state WHERE target_kind=? AND target=? AND field=?",
                    (target.kind, target.id, name),
                )
            else:
                conn.execute(
                    "INSERT OR REPLACE INTO review_state VALUES (?,?,?,?,?)",
                    (target.kind, target.id, name, encoded, event_id),
                )
    assert op_id is not None
    return OpResult(op_id, summary, len({target for target, _, _ in changes}))


def undo(conn: sqlite3.Connection) -> OpResult | None:
    """Undo the latest op not yet undone; None when there is nothing to undo."""
    undoable, _ = _stacks(conn)
    if not undoable:
        return None
    op_id, summary = undoable[-1]
    changes = [
        (Target(kind, target), name, _decode(previous))
        for kind, target, name, _value, previous in _events(conn, op_id, reverse=True)
    ]
    return record(conn, "undo", f"undo {summary}", changes, target_op=op_id)


def redo(conn: sqlite3.Connection) -> OpResult | None:
    """Redo the latest undone op, if nothing new was done since; None otherwise."""
    _, redoable = _stacks(conn)
    if not redoable:
        return None
    op_id, summary = redoable[-1]
    changes = [
        (Target(kind, target), name, _decode(value))
        for kind, target, name, value, _previous in _events(conn, op_id, reverse=False)
    ]
    return record(conn, "redo", f"redo {summary}", changes, target_op=op_id)


def state_of(conn: sqlite3.Connection, target: Target) -> TargetState:
    """The current decision, reason, note, tags and repair of one target."""
    state = TargetState()
    for name, value in conn.execute(
        "SELECT field, value FROM review_state WHERE target_kind=? AND target=?",
        (target.kind, target.id),
    ):
        decoded = orjson.loads(value)
        if name == DECISION:
            state.decision, state.reason = decoded["decision"], decoded.get("reason")
        elif name == NOTE:
            state.note = decoded
        elif name == TAGS:
            state.tags = list(decoded)
        elif name == REPAIR:
            state.repair = decoded
    return state


def _stacks(conn: sqlite3.Connection) -> tuple[list[tuple[int, str]], list[tuple[int, str]]]:
    """Replay op history into (undoable, redoable) stacks; a new op clears redo."""
    summaries: dict[int, str] = {}
    undoable: list[int] = []
    redoable: list[int] = []
    for op_id, kind, target_op, summary in conn.execute(
        "SELECT id, kind, target_op, summary FROM review_ops ORDER BY id"
    ):
        summaries[op_id] = summary
        if kind == "undo":
            undoable.remove(target_op)
            redoable.append(target_op)
        elif kind == "redo":
            redoable.remove(target_op)
            undoable.append(target_op)
        else:
            undoable.append(op_id)
            redoable.clear()
    return [(i, summaries[i]) for i in undoable], [(i, summaries[i]) for i in redoable]


def _events(conn: sqlite3.Connection, op_id: int, *, reverse: bool) -> list[tuple[Any, ...]]:
    order = "DESC" if reverse else "ASC"
    return conn.execute(
        "SELECT target_kind, target, field, value, previous FROM review_events"
        f" WHERE op_id = ? ORDER BY id {order}",
        (op_id,),
    ).fetchall()


def _decode(value: str | None) -> Any:
    return None if value is None else orjson.loads(value)


def _count(targets: Sequence[Target]) -> str:
    kinds = {t.kind for t in targets}
    noun = "run" if kinds == {"run"} else "call"
    return f"{len(targets)} {noun}{'' if len(targets) == 1 else 's'}"


@dataclass(frozen=True, slots=True)
class History:
    """What undo and redo would do next (their op summaries), None when nothing."""

    undo: str | None
    redo: str | None


def history(conn: sqlite3.Connection) -> History:
    """The next undo and redo, for enabling those keys and naming what they will do."""
    undoable, redoable = _stacks(conn)
    return History(undoable[-1][1] if undoable else None, redoable[-1][1] if redoable else None)
