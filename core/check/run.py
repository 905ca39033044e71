"""``run_check``: discover, index, evaluate — the one entry point both faces call."""

from __future__ import annotations

import sqlite3
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from core.check.indexer import EVALUATED_WITH, IndexStats, index_sources
from core.corpus.discover import SourceFile, discover
from core.progress import Progress, no_progress
from core.store.activity import check_marker
from core.store.db import transaction

if TYPE_CHECKING:  # the settings' pydantic models are built by whoever reads them
    from core.check_defaults import DefaultCheckSettings
    from core.check_settings import CheckSettings

    Settings = CheckSettings | DefaultCheckSettings

CHECK_CACHE_KIB = 64 << 10  # SQLite page cache during a check (memory, on top of the parent's)


@dataclass(frozen=True, slots=True)
class CheckOutcome:
    """What a check did: files indexed and the problems with PATH arguments."""

    stats: IndexStats
    path_problems: list[str]
    detected: list[str] = field(default_factory=list)  # a line per source imported on the fly


def run_check(
    conn: sqlite3.Connection,
    paths: list[Path],
    config: Settings,
    *,
    progress: Progress = no_progress,
    cancel: threading.Event | None = None,
) -> CheckOutcome:
    """Index ``paths`` into the store and bring every verdict up to date.

    The corpus becomes exactly these paths: files no longer named are dropped from the index
    (decisions, keyed by trace id, are kept).
    """
    sources, problems = discover(paths)
    detected: list[str] = []
    if sources:
        from core.importers.cache import resolve_sources  # detection reads a head per file

        indexed = {
            path: (size, mtime_ns)
            for path, size, mtime_ns in conn.execute("SELECT path, size, mtime_ns FROM files")
        }
        resolved = resolve_sources(
            sources, workspace_of(conn), indexed=indexed, progress=progress, cancel=cancel
        )
        sources, detected = resolved.sources, resolved.detected
        problems += resolved.problems
    if not sources:  # nothing to check: keep the corpus the workspace already knows
        return CheckOutcome(IndexStats(0, 0, 0, 0), problems, detected)
    # Processes that find the workspace locked meanwhile say which check they wait for.
    with check_marker(workspace_of(conn)):
        return _check(conn, paths, sources, problems, detected, config, progress, cancel)


def _check(
    conn: sqlite3.Connection,
    paths: list[Path],
    sources: list[SourceFile],
    problems: list[str],
    detected: list[str],
    config: Settings,
    progress: Progress,
    cancel: threading.Event | None,
) -> CheckOutcome:
    roots = [(i, str(p.resolve())) for i, p in enumerate(paths) if p.exists()]
    known = conn.execute("SELECT position, path FROM corpus_roots ORDER BY position").fetchall()
    if [tuple(row) for row in known] != roots:  # unchanged: no write (a read-only workspace)
        with transaction(conn):
            conn.execute("DELETE FROM corpus_roots")
            conn.executemany("INSERT INTO corpus_roots (position, path) VALUES (?, ?)", roots)
    cache_size = conn.execute("PRAGMA cache_size").fetchone()[0]
    # Loading and evaluating a corpus touches most pages of the index several times; with
    # SQLite's default 2 MiB cache they are written and read back again and again.
    conn.execute(f"PRAGMA cache_size = -{CHECK_CACHE_KIB}")
    try:
        stats = index_sources(conn, sources, config, progress=progress, cancel=cancel)
        fingerprint = config.fingerprint()
        if _state(conn, EVALUATED_WITH) != fingerprint:
            from core.check.evaluate import evaluate_corpus  # not needed when nothing changed

            evaluate_corpus(conn, config)
            with transaction(conn):
                conn.execute(
                    "INSERT OR REPLACE INTO check_state (key, value) VALUES (?, ?)",
                    (EVALUATED_WITH, fingerprint),
                )
    finally:
        conn.execute(f"PRAGMA cache_size = {int(cache_size)}")
    return CheckOutcome(stats, problems, detected)


def workspace_of(conn: sqlite3.Connection) -> Path:
    """The workspace folder of a store connection (where its database file lives)."""
    row = conn.execute("PRAGMA database_list").fetchone()
    return Path(row[2]).parent


def corpus_roots(conn: sqlite3.Connection) -> list[Path]:
    """The PATH arguments of the last check, so later commands can reuse the corpus."""
    return [Path(p) for (p,) in conn.execute("SELECT path FROM corpus_roots ORDER BY position")]


def _state(conn: sqlite3.Connection, key: str) -> str | None:
    row = conn.execute("SELECT value FROM check_state WHERE key = ?", (key,)).fetchone()
    return None if row is None else row[0]
