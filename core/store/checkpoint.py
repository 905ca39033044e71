"""Folding the write-ahead log back into the database on a thread of its own during a check.

A first check writes the whole index through SQLite's WAL. Checkpointing it (copying those pages
into the database file) costs ~0.35 s per GiB of traces; left to SQLite's auto-checkpoint it runs
inside the load's COMMIT, on the critical path, while the workers are done and a core idles.
:func:`deferred_checkpoints` turns the auto-checkpoint off for the check and lets the caller start
a PASSIVE checkpoint on a separate connection as soon as the load is committed, so it runs beside
the evaluation; on exit it waits for it, folds in what the evaluation wrote, and restores the
setting. A checkpoint only moves committed pages between SQLite's own files, so a failure here
loses nothing: SQLite checkpoints again later.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager


class Checkpointer:
    """Starts one PASSIVE checkpoint of a database on a background thread."""

    def __init__(self, path: str) -> None:
        self.path = path
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        """Begin checkpointing what has been committed so far (once; later calls do nothing)."""
        if self._thread is None and self.path:
            self._thread = threading.Thread(target=self._run, name="wal-checkpoint", daemon=True)
            self._thread.start()

    def join(self) -> None:
        if self._thread is not None:
            self._thread.join()

    def _run(self) -> None:
        try:
            conn = sqlite3.connect(self.path, timeout=0, isolation_level=None)
        except sqlite3.Error:
            return
        try:
            # PASSIVE never waits for readers or the writer; it copies what it can.
            conn.execute("PRAGMA wal_checkpoint(PASSIVE)")
        except sqlite3.Error:
            pass
        finally:
            conn.close()


@contextmanager
def deferred_checkpoints(conn: sqlite3.Connection) -> Iterator[Checkpointer]:
    """No auto-checkpoint on ``conn`` inside the block; the caller may start a background one."""
    path = _wal_path(conn)
    checkpointer = Checkpointer(path)
    if not path:
        yield checkpointer
        return
    saved = int(conn.execute("PRAGMA wal_autocheckpoint").fetchone()[0])
    conn.execute("PRAGMA wal_autocheckpoint = 0")
    try:
        yield checkpointer
    finally:
        checkpointer.join()
        conn.execute(f"PRAGMA wal_autocheckpoint = {saved}")
        if not conn.in_transaction:
            try:
                conn.execute("PRAGMA wal_checkpoint(PASSIVE)")
            except sqlite3.Error:
                pass


def _wal_path(conn: sqlite3.Connection) -> str:
    """The main database file when it is in WAL mode, else "" (in memory, read-only, …)."""
    path = conn.execute("PRAGMA database_list").fetchone()[2]
    if not path:
        return ""
    mode = conn.execute("PRAGMA journal_mode").fetchone()[0]
    return path if str(mode).lower() == "wal" else ""
