"""Migrations split into statements the way SQLite reads them, not on every ``;``."""

from __future__ import annotations

import sqlite3

from core.store.db import _statements

SCRIPT = """
CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT DEFAULT 'a; b');  -- a ; in a comment
CREATE TABLE log (note INTEGER, at TEXT);
CREATE TRIGGER logged AFTER INSERT ON notes BEGIN
    INSERT INTO log (note, at) VALUES (new.id, 'x;y');
END;
INSERT INTO notes (id) VALUES (1);
"""


def test_a_semicolon_in_a_string_comment_or_trigger_does_not_split() -> None:
    statements = list(_statements(SCRIPT))
    assert len(statements) == 4
    conn = sqlite3.connect(":memory:")
    for statement in statements:
        conn.execute(statement)
    assert conn.execute("SELECT body FROM notes").fetchone() == ("a; b",)
    assert conn.execute("SELECT note, at FROM log").fetchall() == [(1, "x;y")]


def test_whitespace_only_tail_yields_nothing() -> None:
    assert list(_statements("SELECT 1;\n\n  \n")) == ["SELECT 1;\n"]
