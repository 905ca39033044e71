"""Indexing corpus files into the store; unchanged files are not read again.

A file is keyed by path, size, mtime, the config fingerprint (call findings depend on the
config) and :data:`INDEX_FORMAT`. A changed file's rows are replaced in one transaction, so a
crash never leaves half a file indexed.
"""

from __future__ import annotations

import sqlite3
import threading
import zlib
from dataclasses import dataclass

import orjson

from core.check.parallel import RowMaker, batches
from core.config import CuratorConfig
from core.corpus.discover import SourceFile
from core.corpus.lines import iter_lines, open_binary
from core.corpus.records import MalformedLine, parse_summary
from core.progress import Progress, check_cancel, no_progress
from core.store.db import transaction

EVALUATED_WITH = "evaluated_with"  # check_state key: config fingerprint of the last evaluation
# Bumped when what the indexer stores for the same bytes changes (e.g. the trace id scheme), so
# files indexed by an older curator are read again instead of trusted.
INDEX_FORMAT = 2

_INSERT_CALL = """INSERT INTO calls (file_id, line, offset, length, trace_id, task, run_id, bare,
    seq, round, entity_id, model, timestamp, new_entities, queries, context_chars, preview,
    metadata, call_findings, call_verdict, call_first_rule, findings, verdict, first_rule)
    VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"""
# Until the corpus is evaluated a call carries only its own findings and verdict.
_CALL_RULES_OF_FILE = """INSERT INTO call_rules (call_id, rule, severity, source)
    SELECT DISTINCT c.id, f.value ->> 'rule', f.value ->> 'severity', 'call'
    FROM calls c, json_each(c.call_findings) f WHERE c.file_id = ?"""


@dataclass(frozen=True, slots=True)
class IndexStats:
    """What an indexing pass did."""

    files_total: int
    files_read: int
    bytes_read: int
    files_dropped: int


def index_sources(
    conn: sqlite3.Connection,
    sources: list[SourceFile],
    config: CuratorConfig,
    *,
    progress: Progress = no_progress,
    cancel: threading.Event | None = None,
) -> IndexStats:
    """Bring the store's index in line with ``sources``: add, re-read or drop files."""
    fingerprint = f"{config.fingerprint()}/{INDEX_FORMAT}"
    known = {
        row["path"]: row
        for row in conn.execute("SELECT id, path, size, mtime_ns, config_fingerprint FROM files")
    }
    wanted = {str(source.path) for source in sources}
    dropped = [row["id"] for path, row in known.items() if path not in wanted]
    if dropped:
        with transaction(conn):
            conn.executemany("DELETE FROM files WHERE id = ?", [(i,) for i in dropped])
            _invalidate_verdicts(conn)

    stale: list[tuple[SourceFile, int, int]] = []
    for source in sources:
        try:
            stat = source.path.stat()
        except OSError:
            continue
        row = known.get(str(source.path))
        if (
            row is not None
            and row["size"] == stat.st_size
            and row["mtime_ns"] == stat.st_mtime_ns
            and row["config_fingerprint"] == fingerprint
        ):
            continue
        stale.append((source, stat.st_size, stat.st_mtime_ns))

    total_bytes = sum(size for _, size, _ in stale)
    done_bytes = 0
    with RowMaker(config, total_bytes) as row_maker:
        for source, size, mtime_ns in stale:
            check_cancel(cancel)
            _index_file(conn, source, size, mtime_ns, fingerprint, row_maker, cancel)
            done_bytes += size
            progress(done_bytes, total_bytes, source.relpath)
    return IndexStats(len(sources), len(stale), total_bytes, len(dropped))


def _index_file(
    conn: sqlite3.Connection,
    source: SourceFile,
    size: int,
    mtime_ns: int,
    fingerprint: str,
    row_maker: RowMaker,
    cancel: threading.Event | None,
) -> None:
    with transaction(conn):
        _invalidate_verdicts(conn)
        conn.execute("DELETE FROM files WHERE path = ?", (str(source.path),))
        file_id = conn.execute(
            "INSERT INTO files (path, root, relpath, kind, size, mtime_ns, config_fingerprint)"
            " VALUES (?,?,?,?,?,?,?)",
            (
                str(source.path),
                str(source.root),
                source.relpath,
                source.kind,
                size,
                mtime_ns,
                fingerprint,
            ),
        ).lastrowid
        reader = _read_summaries if source.kind == "runs" else _read_calls
        calls, errors = reader(conn, file_id, source, row_maker, cancel)
        conn.execute(
            "UPDATE files SET calls = ?, errors = ? WHERE id = ?", (calls, errors, file_id)
        )


def _read_calls(
    conn: sqlite3.Connection,
    file_id: int,
    source: SourceFile,
    row_maker: RowMaker,
    cancel: threading.Event | None,
) -> tuple[int, int]:
    errors: list[tuple[int, int, str]] = []
    count = 0
    with _open_or_error(source, errors, file_id) as handle:
        work = ((batch, source.path.name, source.relpath) for batch in batches(iter_lines(handle)))
        for rows, malformed in row_maker.map(work if handle else ()):
            check_cancel(cancel)
            conn.executemany(_INSERT_CALL, [(file_id, *row, *row[-3:]) for row in rows])
            errors.extend((file_id, line, message) for line, message in malformed)
            count += len(rows)
    conn.execute(_CALL_RULES_OF_FILE, (file_id,))
    conn.executemany("INSERT INTO load_errors (file_id, line, message) VALUES (?,?,?)", errors)
    return count, len(errors)


def _read_summaries(
    conn: sqlite3.Connection,
    file_id: int,
    source: SourceFile,
    row_maker: RowMaker,
    cancel: threading.Event | None,
) -> tuple[int, int]:
    rows: list[tuple[int, int, str, str]] = []
    errors: list[tuple[int, int, str]] = []
    with _open_or_error(source, errors, file_id) as handle:
        for line, _offset, content in iter_lines(handle) if handle else ():
            try:
                summary = parse_summary(content)
            except MalformedLine as problem:
                errors.append((file_id, line, str(problem)))
                continue
            rows.append((file_id, line, str(summary["run_id"]), orjson.dumps(summary).decode()))
    conn.executemany(
        "INSERT INTO run_summaries (file_id, line, run_id, summary) VALUES (?,?,?,?)", rows
    )
    conn.executemany("INSERT INTO load_errors (file_id, line, message) VALUES (?,?,?)", errors)
    return len(rows), len(errors)


def _invalidate_verdicts(conn: sqlite3.Connection) -> None:
    """Mark verdicts stale in the same transaction as an index change, so a crash between
    indexing and evaluation still leads the next check to evaluate."""
    conn.execute("DELETE FROM check_state WHERE key = ?", (EVALUATED_WITH,))


class _open_or_error:
    """Open a corpus file; on failure record a line-0 error and yield None instead of raising.

    Read errors mid-file (a truncated gzip, a vanished file) are recorded the same way.
    """

    def __init__(self, source: SourceFile, errors: list[tuple[int, int, str]], file_id: int):
        self.source, self.errors, self.file_id = source, errors, file_id
        self.handle = None

    def __enter__(self):
        try:
            self.handle = open_binary(self.source.path)
        except OSError as exc:
            self.errors.append((self.file_id, 0, f"cannot read: {exc.strerror or exc}"))
        return self.handle

    def __exit__(self, exc_type, exc, tb) -> bool:
        if self.handle is not None:
            self.handle.close()
        if exc_type is not None and issubclass(exc_type, OSError | EOFError | zlib.error):
            self.errors.append((self.file_id, 0, f"cannot read to the end: {exc}"))
            return True
        return False
