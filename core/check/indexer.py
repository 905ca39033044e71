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
from typing import TYPE_CHECKING

import orjson

from core.check.chunks import file_chunks
from core.check.writer import (
    EVALUATED_WITH,
    INSERT_ERRORS,
    CallsWriter,
    Stale,
    invalidate_verdicts,
    replace_file,
)
from core.corpus.discover import SourceFile
from core.corpus.lines import iter_lines, open_binary
from core.corpus.records import MalformedLine, parse_summary
from core.progress import Progress, check_cancel, no_progress
from core.store.db import transaction

if TYPE_CHECKING:  # an unchanged corpus needs only the settings' fingerprint, not their models
    from core.check_settings import CheckSettings

__all__ = ["EVALUATED_WITH", "IndexStats", "index_sources"]

# Bumped when what the indexer stores for the same bytes changes (e.g. the trace id scheme), so
# files indexed by an older curator are read again instead of trusted.
# 3: the output kind; 4: the run key chain and trajectory steps (call_prefixes); 5: steps and
# chain ids without weights (call_chain_ids)
INDEX_FORMAT = 5


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
    config: CheckSettings,
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
            invalidate_verdicts(conn)

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
            file_id = replace_file(conn, entry, key)
            _read_summaries(conn, file_id, entry[0])
        done += entry[1]
        progress(done, total, entry[0].relpath)
    calls = [s for s in stale if s[0].kind == "calls"]
    if not calls:
        return IndexStats(len(sources), len(stale), total, len(dropped))
    # Here, not at the top: the call rules and the worker pool are for reading, and a check
    # of an unchanged corpus (mostly start-up) reads nothing.
    from core.check.parallel import RowMaker

    with RowMaker(config, sum(size for _, size, _ in calls)) as row_maker:
        writer = CallsWriter(conn, calls, key)
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
    conn.executemany(INSERT_ERRORS, errors)
    conn.execute(
        "UPDATE files SET calls = ?, errors = ? WHERE id = ?", (len(rows), len(errors), file_id)
    )
