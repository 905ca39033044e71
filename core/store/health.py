"""A damaged workspace: telling the user in one line, checking it, and rebuilding it.

The index (files, calls, runs, findings, search) is derived from the corpus and can always be
rebuilt by the next ``curator check``. The decision journal (``review_*``) and the records of
exports, uploads, jobs and evals are not: they are the precious part. :func:`repair_workspace`
copies every row of those tables that still reads into a fresh database, keeps the damaged file
aside, and leaves the index empty for the next check to fill.
"""

from __future__ import annotations

import os
import re
import sqlite3
import time
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from urllib.parse import quote

from core.store.migrations import MIGRATIONS

JOURNAL_TABLES = ("review_ops", "review_events", "review_state")
#: Tables repair carries over, parents before children (foreign keys).
KEPT_TABLES = (
    *JOURNAL_TABLES,
    "corpus_roots",
    "exports",
    "export_files",
    "provider_uploads",
    "provider_jobs",
    "provider_deployments",
    "eval_responses",
    "eval_runs",
    "eval_examples",
    "eval_items",
)
DAMAGE_MARKERS = (
    "malformed",
    "no such table",
    "no such column",
    "disk i/o error",
    "database corrupt",
)
_CREATE_TABLE = re.compile(r"CREATE TABLE (\w+)")
MAX_SKIPS = 64  # damaged stretches a table scan jumps over before giving up on the table


@lru_cache(maxsize=1)
def expected_schema() -> dict[str, frozenset[str]]:
    """Every table of the current schema and its columns (from a migrated in-memory db)."""
    conn = sqlite3.connect(":memory:")
    for _version, script in MIGRATIONS:
        conn.executescript(script)
    schema = {name: _columns(conn, name) for name in _tables(conn)}
    conn.close()
    return schema


@lru_cache(maxsize=1)
def expected_tables() -> frozenset[str]:
    """The current schema's table names, read off the migrations (no database needed)."""
    return frozenset(
        name for _version, script in MIGRATIONS for name in _CREATE_TABLE.findall(script)
    )


def missing_tables(conn: sqlite3.Connection) -> list[str]:
    """Tables of the current schema the database lacks: one quick query, for every open."""
    return sorted(expected_tables() - _tables(conn))


def schema_problems(conn: sqlite3.Connection) -> list[str]:
    """Tables or columns of the current schema that the database lacks."""
    present = _tables(conn)
    problems = []
    for table, columns in expected_schema().items():
        if table not in present:
            problems.append(f"table {table} is missing")
        elif missing := sorted(columns - _columns(conn, table)):
            problems.append(f"table {table} lacks {', '.join(missing)}")
    return problems


def is_damage(exc: BaseException) -> bool:
    """True for the SQLite errors a damaged file or schema raises (not "locked" or "busy")."""
    return isinstance(exc, sqlite3.DatabaseError) and any(
        marker in str(exc).lower() for marker in DAMAGE_MARKERS
    )


def is_read_only_write(exc: BaseException) -> bool:
    """True for a write refused because the workspace was opened read-only."""
    return isinstance(exc, sqlite3.OperationalError) and "readonly database" in str(exc)


def read_only_message(database: Path, command: str) -> str:
    """One line: which command needed to write, and what works read-only."""
    return (
        f"{database}: the workspace is read-only; `curator {command}` needs to write to it"
        " (here: decisions, workspace check and a check of an unchanged corpus work)"
    )


@dataclass
class Health:
    """What ``curator workspace check`` found."""

    database: Path
    problems: list[str] = field(default_factory=list)
    decisions: int | None = None  # journal events that read, None when the journal does not

    @property
    def ok(self) -> bool:
        return not self.problems


def check_workspace(database: Path) -> Health:
    """SQLite's integrity check plus the schema check, and whether the journal reads."""
    health = Health(database)
    try:
        conn = _open_read_only(database)
    except sqlite3.Error as exc:
        health.problems.append(f"cannot open: {exc}")
        return health
    try:
        rows = conn.execute("PRAGMA integrity_check(20)").fetchall()
        health.problems += [row[0] for row in rows if row[0] != "ok"]
        health.problems += schema_problems(conn)
    except sqlite3.DatabaseError as exc:
        health.problems.append(str(exc))
    health.decisions = _journal_size(conn)
    conn.close()
    return health


def damage_message(database: Path, detail: str) -> str:
    """One line: damaged, what still reads, how to rebuild keeping the journal."""
    try:
        conn = _open_read_only(database)
        decisions = _journal_size(conn)
        conn.close()
    except sqlite3.Error:
        decisions = None
    journal = (
        f"the decision journal still reads ({decisions} events)"
        if decisions is not None
        else "the decision journal does not read in full either (repair keeps what does)"
    )
    return (
        f"{database}: the workspace is damaged ({detail}); {journal}; run `curator workspace"
        " repair` to rebuild it keeping the journal, then `curator check PATH` to re-index"
    )


@dataclass
class Repair:
    """What ``curator workspace repair`` carried over and where the damaged file went."""

    copied: dict[str, int]
    unreadable: dict[str, str]
    aside: Path


def repair_workspace(database: Path) -> Repair:
    """Rebuild ``database``: kept tables' readable rows into a fresh file; the old one aside.

    Raises:
        sqlite3.Error: the fresh database cannot be written (a full or read-only disk); the
            damaged file is then left exactly where it was.
    """
    fresh = database.with_name(f"{database.name}.repair-{os.getpid()}")
    fresh.unlink(missing_ok=True)
    new = sqlite3.connect(fresh, isolation_level=None)
    copied: dict[str, int] = {}
    unreadable: dict[str, str] = {}
    try:
        for _version, script in MIGRATIONS:
            new.executescript(script)
        new.execute(f"PRAGMA user_version={MIGRATIONS[-1][0]}")
        try:
            old = _open_read_only(database)
        except sqlite3.Error as exc:
            old = None
            unreadable["*"] = str(exc)
        new.execute("BEGIN")
        for table in KEPT_TABLES if old is not None else ():
            copied[table], problem = _copy_table(old, new, table)
            if problem:
                unreadable[table] = problem
        new.execute("COMMIT")
        if old is not None:
            old.close()
        new.execute("PRAGMA journal_mode=WAL")
    except BaseException:
        new.close()
        fresh.unlink(missing_ok=True)
        raise
    new.close()
    aside = database.with_name(f"{database.name}.damaged-{time.strftime('%Y%m%d-%H%M%S')}")
    for suffix in ("", "-wal", "-shm"):
        old_file = Path(f"{database}{suffix}")
        if old_file.exists():
            os.replace(old_file, Path(f"{aside}{suffix}"))
    os.replace(fresh, database)
    return Repair(copied, unreadable, aside)


def _copy_table(
    old: sqlite3.Connection, new: sqlite3.Connection, table: str
) -> tuple[int, str | None]:
    """Copy the rows of ``table`` that read, in rowid order, jumping over damaged stretches."""
    columns = sorted(expected_schema()[table] & _columns(old, table))
    if table not in _tables(old) or not columns:
        return 0, "missing in the damaged file"
    names = ", ".join(f'"{c}"' for c in columns)
    insert = f'INSERT OR IGNORE INTO "{table}" ({names}) VALUES ({", ".join("?" * len(columns))})'
    if not _has_rowid(old, table):  # review_state: all or nothing
        try:
            rows = old.execute(f'SELECT {names} FROM "{table}"').fetchall()
        except sqlite3.DatabaseError as exc:
            return 0, str(exc)
        new.executemany(insert, rows)
        return len(rows), None
    count, after, skips, problem = 0, -(2**63), 0, None
    while skips <= MAX_SKIPS:
        try:
            cursor = old.execute(
                f'SELECT rowid, {names} FROM "{table}" WHERE rowid > ? ORDER BY rowid', (after,)
            )
            for row in cursor:
                new.execute(insert, tuple(row)[1:])
                after, count = row[0], count + 1
            return count, problem
        except sqlite3.DatabaseError as exc:
            problem = f"some rows did not read ({exc})"
            skips += 1
            after += 2 ** min(skips, 40)  # jump further each time past the damaged pages
    return count, problem


def read_only_uri(database: Path) -> str:
    """A ``mode=ro`` URI of the database, immutable where SQLite could not read it otherwise.

    Without write access SQLite cannot create the WAL index (``-shm``); a database whose WAL
    is empty (closed cleanly) is then read as immutable, which is exact when nothing can write.
    """
    uri = f"file:{quote(str(database))}?mode=ro"
    wal, shm = Path(f"{database}-wal"), Path(f"{database}-shm")
    writable = os.access(database.parent, os.W_OK)
    if not writable and not shm.exists() and (not wal.exists() or wal.stat().st_size == 0):
        uri += "&immutable=1"
    return uri


def _open_read_only(database: Path) -> sqlite3.Connection:
    if not database.exists():
        raise sqlite3.OperationalError("no database file")
    conn = sqlite3.connect(read_only_uri(database), uri=True, isolation_level=None)
    conn.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()
    return conn


def _journal_size(conn: sqlite3.Connection) -> int | None:
    try:
        return conn.execute("SELECT COUNT(*) FROM review_events").fetchone()[0]
    except sqlite3.DatabaseError:
        return None


def _tables(conn: sqlite3.Connection) -> set[str]:
    rows = conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()
    return {row[0] for row in rows if not row[0].startswith("sqlite_")}


def _columns(conn: sqlite3.Connection, table: str) -> frozenset[str]:
    return frozenset(row[1] for row in conn.execute(f'PRAGMA table_info("{table}")'))


def _has_rowid(conn: sqlite3.Connection, table: str) -> bool:
    try:
        conn.execute(f'SELECT rowid FROM "{table}" LIMIT 0')
    except sqlite3.OperationalError:
        return False
    return True
