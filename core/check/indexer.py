"""Indexing corpus files into the store; unchanged files are not read again.

A file is keyed by path, size, mtime, the config fingerprint (call findings depend on the
config) and :data:`INDEX_FORMAT`. A changed file's rows are replaced in one transaction, which
also marks the verdicts stale, so a crash never leaves half a file indexed nor a stale verdict
trusted.
"""

from __future__ import annotations

import sqlite3
import threading
import zlib
from dataclasses import dataclass

import orjson

from core.check.call_rows import RUN_ID, Chunk, ChunkRows
from core.check.chunks import file_chunks
from core.check.parallel import RowMaker
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

_COLUMNS = """file_id, line, offset, length, trace_id, task, run_id, bare, seq, round, entity_id,
    model, timestamp, new_entities, queries, context_chars, preview, metadata, call_findings,
    call_verdict, call_first_rule, findings, verdict, first_rule"""
# Until the corpus is evaluated a call carries only its own findings and verdict (?18-?20 twice).
_VALUES = "?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,?17,?18,?19,?20,?18,?19,?20"
_CALL_RULES_OF_FILE = """INSERT INTO call_rules (call_id, rule, severity, source)
    SELECT DISTINCT c.id, f.value ->> 'rule', f.value ->> 'severity', 'call'
    FROM calls c, json_each(c.call_findings) f WHERE c.file_id = ? AND c.call_findings != '[]'"""
_INSERT_ERRORS = "INSERT INTO load_errors (file_id, line, message) VALUES (?,?,?)"

Stale = tuple[SourceFile, int, int]  # (file, size, mtime_ns)


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
    key = f"{config.fingerprint()}/{INDEX_FORMAT}"
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

    stale: list[Stale] = []
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
            and row["config_fingerprint"] == key
        ):
            continue
        stale.append((source, stat.st_size, stat.st_mtime_ns))

    total = sum(size for _, size, _ in stale)
    done = 0
    for entry in (s for s in stale if s[0].kind == "runs"):  # small: read here, first
        check_cancel(cancel)
        with transaction(conn):
            file_id = _replace_file(conn, entry, key)
            _read_summaries(conn, file_id, entry[0])
        done += entry[1]
        progress(done, total, entry[0].relpath)
    calls = [s for s in stale if s[0].kind == "calls"]
    with RowMaker(config, sum(size for _, size, _ in calls)) as row_maker:
        writer = _CallsWriter(conn, calls, key)
        try:
            chunks = (c for s, size, _ in calls for c in file_chunks(s, size))
            for chunk, result in row_maker.map(chunks):
                check_cancel(cancel)
                writer.add(chunk, result)
                progress(done + writer.done_bytes, total, chunk.relpath)
            writer.finish()
        except BaseException:
            writer.abort()
            raise
    return IndexStats(len(sources), len(stale), total, len(dropped))


class _CallsWriter:
    """Writes the chunks of calls files in order, one transaction per file."""

    def __init__(self, conn: sqlite3.Connection, files: list[Stale], key: str) -> None:
        self.conn, self.key = conn, key
        self.files = iter(files)
        self.path: str | None = None
        self.file_id = 0
        self.relpath = ""
        self.size = 0
        self.next_line = 1
        self.calls = 0
        self.errors: list[tuple[int, int, str]] = []
        self.unreadable = False
        self.finished_bytes = 0
        self.done_bytes = 0

    def add(self, chunk: Chunk, result: ChunkRows) -> None:
        if chunk.path != self.path:
            self._finish_file()
            self._start_file()
        base = self.next_line - 1
        self.next_line += result.lines
        self.done_bytes = self.finished_bytes + min(chunk.end, self.size)
        rows = result.rows
        for index in result.bare:
            row = rows[index]
            run_id = f"{self.relpath}#{row[0] + base}"
            rows[index] = (*row[:RUN_ID], run_id, *row[RUN_ID + 1 :])
        if rows:
            # Integers of our own, not user data: the statement carries the file and the line
            # offset so the workers' rows go to SQLite without being copied here.
            sql = f"INSERT INTO calls ({_COLUMNS}) VALUES ({self.file_id}, ?1+{base}, {_VALUES})"
            self.conn.executemany(sql, rows)
            self.calls += len(rows)
        for line, message in result.errors:
            if line == 0:  # a read error: later chunks of the file would only repeat it
                if self.unreadable:
                    continue
                self.unreadable = True
            self.errors.append((self.file_id, line and line + base, message))

    def finish(self) -> None:
        self._finish_file()

    def abort(self) -> None:
        if self.path is not None:
            self.path = None
            self.conn.execute("ROLLBACK")

    def _start_file(self) -> None:
        entry = next(self.files)
        self.path, self.relpath, self.size = str(entry[0].path), entry[0].relpath, entry[1]
        self.next_line, self.calls, self.errors, self.unreadable = 1, 0, [], False
        self.conn.execute("BEGIN IMMEDIATE")
        self.file_id = _replace_file(self.conn, entry, self.key)

    def _finish_file(self) -> None:
        if self.path is None:
            return
        conn = self.conn
        conn.execute(_CALL_RULES_OF_FILE, (self.file_id,))
        conn.executemany(_INSERT_ERRORS, self.errors)
        conn.execute(
            "UPDATE files SET calls = ?, errors = ? WHERE id = ?",
            (self.calls, len(self.errors), self.file_id),
        )
        conn.execute("COMMIT")
        self.path = None
        self.finished_bytes += self.size
        self.done_bytes = self.finished_bytes


def _replace_file(conn: sqlite3.Connection, entry: Stale, key: str) -> int:
    """Drop a file's old rows and add its new ``files`` row, inside the caller's transaction."""
    source, size, mtime_ns = entry
    _invalidate_verdicts(conn)
    conn.execute("DELETE FROM files WHERE path = ?", (str(source.path),))
    cursor = conn.execute(
        "INSERT INTO files (path, root, relpath, kind, size, mtime_ns, config_fingerprint)"
        " VALUES (?,?,?,?,?,?,?)",
        (str(source.path), str(source.root), source.relpath, source.kind, size, mtime_ns, key),
    )
    assert cursor.lastrowid is not None
    return cursor.lastrowid


def _read_summaries(conn: sqlite3.Connection, file_id: int, source: SourceFile) -> None:
    rows: list[tuple[int, int, str, str]] = []
    errors: list[tuple[int, int, str]] = []
    try:
        handle = open_binary(source.path)
    except OSError as exc:
        errors.append((file_id, 0, f"cannot read: {exc.strerror or exc}"))
    else:
        with handle:
            try:
                for line, _offset, content in iter_lines(handle):
                    try:
                        summary = parse_summary(content)
                    except MalformedLine as problem:
                        errors.append((file_id, line, str(problem)))
                        continue
                    encoded = orjson.dumps(summary).decode()
                    rows.append((file_id, line, str(summary["run_id"]), encoded))
            except (OSError, EOFError, zlib.error) as exc:
                errors.append((file_id, 0, f"cannot read to the end: {exc}"))
    conn.executemany(
        "INSERT INTO run_summaries (file_id, line, run_id, summary) VALUES (?,?,?,?)", rows
    )
    conn.executemany(_INSERT_ERRORS, errors)
    conn.execute(
        "UPDATE files SET calls = ?, errors = ? WHERE id = ?", (len(rows), len(errors), file_id)
    )


def _invalidate_verdicts(conn: sqlite3.Connection) -> None:
    """Mark verdicts stale in the same transaction as an index change, so a crash between
    indexing and evaluation still leads the next check to evaluate."""
    conn.execute("DELETE FROM check_state WHERE key = ?", (EVALUATED_WITH,))
