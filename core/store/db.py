"""Opening the workspace database: location, WAL mode, schema migrations.

One connection per thread; every write is a short transaction committed before the caller
returns, so a decision the user saw recorded survives ``kill -9``.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from core.store.migrations import MIGRATIONS

DEFAULT_WORKSPACE = ".curator"
DB_NAME = "curator.db"
PAGE_SIZE = 16384


class StoreError(Exception):
    """The workspace cannot be opened or is from a newer version of the tool."""


def workspace_dir(explicit: Path | None = None) -> Path:
    """The workspace folder: ``--workspace`` when given, else the nearest existing one.

    As git finds ``.git``, the nearest ``.curator/`` holding a database in the current folder
    or a parent wins; with none, ``.curator/`` in the current folder (created on first write).
    """
    if explicit is not None:
        return explicit.resolve()
    here = Path.cwd().resolve()
    for folder in (here, *here.parents):
        if db_path(folder / DEFAULT_WORKSPACE).is_file():
            return folder / DEFAULT_WORKSPACE
    return here / DEFAULT_WORKSPACE


def db_path(workspace: Path) -> Path:
    """The database file inside a workspace folder."""
    return workspace / DB_NAME


def connect(workspace: Path) -> sqlite3.Connection:
    """Open (creating and migrating when needed) the workspace database."""
    try:
        workspace.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(db_path(workspace), timeout=30.0, isolation_level=None)
    except (OSError, sqlite3.Error) as exc:
        raise StoreError(f"{workspace}: cannot open workspace: {exc}") from None
    conn.row_factory = sqlite3.Row
    try:
        # Only a new database takes it: the index's rows are ~0.7 KiB, and a check writes the
        # whole index through the WAL; 16 KiB pages make that a quarter of the system calls.
        conn.execute(f"PRAGMA page_size = {PAGE_SIZE}")
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
        conn.execute("PRAGMA foreign_keys=ON")
        conn.execute("PRAGMA busy_timeout=30000")
        migrate(conn)
    except StoreError:
        conn.close()
        raise
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise StoreError(
            f"{db_path(workspace)}: not a usable workspace database ({exc}); "
            "move it aside or choose another --workspace"
        ) from None
    return conn


def migrate(conn: sqlite3.Connection) -> int:
    """Apply every migration newer than the database's ``user_version``; return the version."""
    current = conn.execute("PRAGMA user_version").fetchone()[0]
    latest = MIGRATIONS[-1][0] if MIGRATIONS else 0
    if current > latest:
        raise StoreError(
            f"workspace schema version {current} is newer than this curator ({latest}); upgrade"
        )
    if current >= 1 and "first_rule" not in _columns(conn, "runs"):
        raise StoreError(
            "workspace from a pre-release curator (its corpus index has an older layout);"
            " move it aside or choose another --workspace: check rebuilds the index"
        )
    for version, script in MIGRATIONS:
        if version <= current:
            continue
        with transaction(conn):
            for statement in _statements(script):
                conn.execute(statement)
            conn.execute(f"PRAGMA user_version={int(version)}")
    return max(current, latest)


@contextmanager
def transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """A short write transaction: BEGIN IMMEDIATE, COMMIT on success, ROLLBACK on error."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def _columns(conn: sqlite3.Connection, table: str) -> set[str]:
    return {row[1] for row in conn.execute(f"PRAGMA table_info({table})")}


def _statements(script: str) -> Iterator[str]:
    """The script's statements, whole: a ``;`` inside a string, a comment or a trigger body
    does not end one (``sqlite3.complete_statement`` knows SQLite's own rules)."""
    pending = ""
    for line in script.splitlines(keepends=True):
        pending += line
        if sqlite3.complete_statement(pending):
            yield pending
            pending = ""
    if pending.strip():
        yield pending  # no closing ';': SQLite reports what is wrong with it


def reviewer_name() -> str:
    """Who is deciding: ``$USER`` (or ``$USERNAME``), else ``unknown``."""
    return os.environ.get("USER") or os.environ.get("USERNAME") or "unknown"
