"""Opening the workspace database: location, WAL mode, schema migrations.

One connection per thread; every write is a short transaction committed before the caller
returns, so a decision the user saw recorded survives ``kill -9``.

Several processes may share a workspace (a check running, a reviewer deciding in the app, an
export). A write that finds the lock taken waits, bounded by ``CURATOR_BUSY_TIMEOUT`` seconds
(default 30): after a second it tells :data:`busy_notice` what it waits for (the CLI prints
it), and when the time is up it raises :class:`WorkspaceBusy`, one line naming the holder.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from core.store.activity import busy_holder, workspace_of
from core.store.health import damage_message, is_damage, missing_tables, read_only_uri
from core.store.migrations import MIGRATIONS

DEFAULT_WORKSPACE = ".curator"
DB_NAME = "curator.db"
PAGE_SIZE = 16384
BUSY_TIMEOUT_ENV = "CURATOR_BUSY_TIMEOUT"
DEFAULT_BUSY_TIMEOUT_S = 30.0
NOTICE_AFTER_MS = 1000  # a wait this long is worth a line saying what it waits for

#: Called with one line when a write starts waiting for another process; None: wait silently.
busy_notice: Callable[[str], None] | None = None


class StoreError(Exception):
    """The workspace cannot be opened or is from a newer version of the tool."""


class WorkspaceBusy(StoreError):
    """Another process held the workspace's write lock for longer than the bounded wait."""


def busy_timeout_s() -> float:
    """The bounded wait for the write lock: ``$CURATOR_BUSY_TIMEOUT`` seconds, else 30."""
    raw = os.environ.get(BUSY_TIMEOUT_ENV, "").strip()
    if not raw:
        return DEFAULT_BUSY_TIMEOUT_S
    try:
        value = float(raw)
    except ValueError:
        value = -1.0
    if not 0 <= value <= 86400:
        raise StoreError(f"{BUSY_TIMEOUT_ENV}={raw!r}: not a number of seconds from 0 to 86400")
    return value


def is_busy(exc: BaseException) -> bool:
    """True for SQLite's "database is locked" / "database is busy" errors."""
    if not isinstance(exc, sqlite3.OperationalError):
        return False
    code = getattr(exc, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)
    return "locked" in str(exc) or "busy" in str(exc)


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
    """Open (creating and migrating when needed) the workspace database.

    A workspace on a read-only disk or folder is opened read-only: reading commands work, and
    the first write raises ``sqlite3.OperationalError`` ("readonly database"), which the CLI
    reports as one line (:func:`core.store.health.read_only_message`).
    """
    if _read_only(workspace):
        return _connect_read_only(workspace)
    timeout = busy_timeout_s()
    try:
        workspace.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(db_path(workspace), timeout=timeout, isolation_level=None)
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
        conn.execute(f"PRAGMA busy_timeout={int(timeout * 1000)}")
        migrate(conn)
        missing = missing_tables(conn)
    except StoreError:
        conn.close()
        raise
    except sqlite3.DatabaseError as exc:
        conn.close()
        if is_busy(exc):
            raise WorkspaceBusy(_busy_message(workspace, timeout)) from None
        if is_damage(exc):
            raise StoreError(damage_message(db_path(workspace), str(exc))) from None
        raise StoreError(
            f"{db_path(workspace)}: not a usable workspace database ({exc}); "
            "move it aside or choose another --workspace"
        ) from None
    if missing:
        conn.close()
        detail = f"table {missing[0]} is missing" + (
            f" (and {len(missing) - 1} more)" if len(missing) > 1 else ""
        )
        raise StoreError(damage_message(db_path(workspace), detail))
    return conn


def _read_only(workspace: Path) -> bool:
    """An existing database we may not write: a read-only mount, or no write permission."""
    database = db_path(workspace)
    return database.is_file() and not (
        os.access(workspace, os.W_OK) and os.access(database, os.W_OK)
    )


def _connect_read_only(workspace: Path) -> sqlite3.Connection:
    database = db_path(workspace)
    uri = read_only_uri(database)
    try:
        conn = sqlite3.connect(uri, uri=True, timeout=30.0, isolation_level=None)
        conn.row_factory = sqlite3.Row
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        missing = missing_tables(conn)
    except sqlite3.Error as exc:
        raise StoreError(
            f"{database}: the workspace is read-only and cannot be read as it is ({exc});"
            " open it once where it is writable"
        ) from None
    latest = MIGRATIONS[-1][0]
    if version != latest or missing:
        conn.close()
        raise StoreError(
            f"{database}: the workspace is read-only and its schema (version {version}) is not"
            f" this curator's ({latest}); open it once where it is writable to upgrade it"
        )
    return conn


def migrate(conn: sqlite3.Connection) -> int:
    """Apply every migration newer than the database's ``user_version``; return the version."""
    current = conn.execute("PRAGMA user_version").fetchone()[0]
    latest = MIGRATIONS[-1][0] if MIGRATIONS else 0
    if current > latest:
        raise StoreError(
            f"workspace schema version {current} is newer than this curator ({latest}); upgrade"
        )
    runs_columns = _columns(conn, "runs") if current >= 1 else {"first_rule"}
    if runs_columns and "first_rule" not in runs_columns:  # no columns: a missing table
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


def begin_immediate(conn: sqlite3.Connection) -> None:
    """Take the write lock, waiting (bounded) for another process that holds it.

    Raises:
        WorkspaceBusy: the lock was still held when ``CURATOR_BUSY_TIMEOUT`` ran out.
    """
    timeout = busy_timeout_s()
    conn.execute(f"PRAGMA busy_timeout={min(NOTICE_AFTER_MS, int(timeout * 1000))}")
    try:
        conn.execute("BEGIN IMMEDIATE")
        return
    except sqlite3.OperationalError as exc:
        if not is_busy(exc):
            raise
    finally:
        conn.execute(f"PRAGMA busy_timeout={int(timeout * 1000)}")
    workspace = workspace_of(conn)
    if busy_notice is not None and timeout * 1000 > NOTICE_AFTER_MS:
        busy_notice(f"waiting for the workspace: {busy_holder(workspace)} (up to {timeout:g} s)")
    conn.execute(f"PRAGMA busy_timeout={max(0, int(timeout * 1000) - NOTICE_AFTER_MS)}")
    try:
        conn.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as exc:
        if is_busy(exc):
            raise WorkspaceBusy(_busy_message(workspace, timeout)) from None
        raise
    finally:
        conn.execute(f"PRAGMA busy_timeout={int(timeout * 1000)}")


def _busy_message(workspace: Path | None, timeout: float) -> str:
    where = f"{workspace}: " if workspace else ""
    return (
        f"{where}workspace busy: {busy_holder(workspace)}; gave up after {timeout:g} s"
        f" (try again when it ends, or raise {BUSY_TIMEOUT_ENV})"
    )


@contextmanager
def transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """A short write transaction: BEGIN IMMEDIATE, COMMIT on success, ROLLBACK on error."""
    begin_immediate(conn)
    try:
        yield conn
    except BaseException:
        if conn.in_transaction:  # SQLite already rolled back after a full disk or an I/O error
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
