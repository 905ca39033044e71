"""Noticing that another process changed the workspace: a re-check, or decisions from a script.

SQLite's ``PRAGMA data_version`` changes on a connection whenever *another* connection commits,
at the cost of reading one page header; the app polls it on a timer. When it moved, the index
generation (what the index knows of each file: size, mtime, config; the highest call id) tells
a re-index, which replaces call ids, from other writes (decisions, the search index), which
leave them alone. Row ids alone would not do: re-reading the last file reuses its ids.
"""

from __future__ import annotations

import sqlite3
from typing import Literal

Change = Literal["index", "data"]

_GENERATION = """SELECT COUNT(*), MAX(id), TOTAL(size), TOTAL(mtime_ns), MIN(config_fingerprint),
    MAX(config_fingerprint), (SELECT MAX(id) FROM calls) FROM files"""


def index_generation(conn: sqlite3.Connection) -> tuple[int | None, ...]:
    """What changes when the corpus is re-indexed: the files' sizes, times and config."""
    return tuple(conn.execute(_GENERATION).fetchone())


def call_id_of_trace(conn: sqlite3.Connection, trace_id: str | None) -> int | None:
    """The (first) call with this trace id in the current index."""
    if trace_id is None:
        return None
    row = conn.execute(
        "SELECT id FROM calls WHERE trace_id = ? ORDER BY id LIMIT 1", (trace_id,)
    ).fetchone()
    return None if row is None else int(row[0])


class StoreWatch:
    """Polled from the UI thread with its own connection: what changed since the last poll."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self._version = self._data_version()
        self._generation = index_generation(conn)

    def poll(self) -> Change | None:
        """``"index"`` after a re-index elsewhere, ``"data"`` after other writes, else None."""
        version = self._data_version()
        if version == self._version:
            return None
        self._version = version
        generation = index_generation(self.conn)
        if generation == self._generation:
            return "data"
        self._generation = generation
        return "index"

    def _data_version(self) -> int:
        return int(self.conn.execute("PRAGMA data_version").fetchone()[0])
