"""Full-text search over message content: a contentless FTS5 index built lazily from the corpus.

The text itself stays in the corpus files; the index only holds tokens. It is built in the
background, file by file and in short transactions (so decisions written meanwhile never wait
long), and resumes where it stopped. Until every file is indexed, search also falls back to the
stored one-line previews of the calls not yet indexed.
"""

from __future__ import annotations

import sqlite3
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from core.corpus.lines import iter_lines, open_binary
from core.corpus.records import MalformedLine, parse_line
from core.progress import Progress, check_cancel, no_progress
from core.store.db import transaction

BATCH_DOCS = 500
BATCH_CHARS = 4_000_000
REBUILD_MIN_ORPHANS = 5_000
_BASE_KEY = "docs_base"  # search_docs' sequence value at the last rebuild


@dataclass(frozen=True, slots=True)
class SearchStatus:
    """How far the search index is: calls indexed out of calls in the corpus."""

    indexed: int
    total: int

    @property
    def ready(self) -> bool:
        return self.indexed >= self.total


def search_status(conn: sqlite3.Connection) -> SearchStatus:
    """Calls with searchable text, and calls in the corpus."""
    indexed = conn.execute("SELECT COUNT(*) FROM search_docs").fetchone()[0]
    total = conn.execute("SELECT COUNT(*) FROM calls").fetchone()[0]
    return SearchStatus(indexed, total)


def ensure_search_index(
    conn: sqlite3.Connection,
    progress: Progress = no_progress,
    cancel: threading.Event | None = None,
) -> SearchStatus:
    """Index the message text of every call not yet searchable; resumable and incremental.

    Files whose bytes changed since ``curator check`` indexed them are skipped (their offsets
    would be wrong); the next check re-indexes them and the next call here picks them up.
    """
    _sweep_orphans(conn)
    pending = conn.execute(
        "SELECT f.id, f.path, f.relpath, f.size, f.mtime_ns, COALESCE(s.next_line, 0)"
        " FROM files f LEFT JOIN search_files s ON s.file_id = f.id"
        " WHERE f.kind = 'calls' AND COALESCE(s.complete, 0) = 0 ORDER BY f.path"
    ).fetchall()
    status = search_status(conn)
    done = status.indexed
    for file_id, path, relpath, size, mtime_ns, next_line in pending:
        check_cancel(cancel)
        if not _unchanged(Path(path), size, mtime_ns):
            continue
        done = _index_file(
            conn,
            file_id,
            Path(path),
            next_line,
            done,
            status.total,
            cancel,
            lambda d, t, _r=relpath: progress(d, t, _r),
        )
    return search_status(conn)


def _index_file(
    conn: sqlite3.Connection,
    file_id: int,
    path: Path,
    next_line: int,
    done: int,
    total: int,
    cancel: threading.Event | None,
    progress: Progress,
) -> int:
    call_at_line = dict(
        conn.execute(
            "SELECT c.line, c.id FROM calls c WHERE c.file_id = ? AND c.line >= ?"
            " AND NOT EXISTS (SELECT 1 FROM search_docs d WHERE d.call_id = c.id)",
            (file_id, next_line),
        ).fetchall()
    )
    batch: list[tuple[int, str, str]] = []
    batch_chars = 0
    last_line = next_line
    try:
        with open_binary(path) as handle:
            for line, _offset, content in iter_lines(handle):
                if line < next_line or line not in call_at_line:
                    continue
                input_text, output_text = _texts(content)
                batch.append((call_at_line[line], input_text, output_text))
                batch_chars += len(input_text) + len(output_text)
                last_line = line
                if len(batch) >= BATCH_DOCS or batch_chars >= BATCH_CHARS:
                    check_cancel(cancel)
                    _write(conn, file_id, batch, last_line + 1, complete=False)
                    done += len(batch)
                    progress(done, total)
                    batch, batch_chars = [], 0
    except (OSError, EOFError):
        return done  # unreadable now; retried next time
    _write(conn, file_id, batch, last_line + 1, complete=True)
    done += len(batch)
    progress(done, total)
    return done


def _write(
    conn: sqlite3.Connection,
    file_id: int,
    batch: list[tuple[int, str, str]],
    next_line: int,
    *,
    complete: bool,
) -> None:
    with transaction(conn):
        for call_id, input_text, output_text in batch:
            doc_id = conn.execute(
                "INSERT INTO search_docs (call_id) VALUES (?)", (call_id,)
            ).lastrowid
            conn.execute(
                "INSERT INTO call_text (rowid, input, output) VALUES (?, ?, ?)",
                (doc_id, input_text, output_text),
            )
        conn.execute(
            "INSERT OR REPLACE INTO search_files (file_id, next_line, complete) VALUES (?,?,?)",
            (file_id, next_line, int(complete)),
        )


def _texts(content: bytes) -> tuple[str, str]:
    """(input, output) text of one call line: every non-system message, and the last one."""
    try:
        record = parse_line(content)
    except MalformedLine:
        return "", ""
    messages = record.get("messages")
    if not isinstance(messages, list) or not messages:
        return "", ""
    parts = [
        _content_text(m) for m in messages[:-1] if isinstance(m, dict) and m.get("role") != "system"
    ]
    last = messages[-1]
    return "\n".join(p for p in parts if p), _content_text(last) if isinstance(last, dict) else ""


def _content_text(message: dict[str, Any]) -> str:
    content = message.get("content")
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return "\n".join(str(part.get("text", "")) for part in content if isinstance(part, dict))
    return ""


def _unchanged(path: Path, size: int, mtime_ns: int) -> bool:
    try:
        stat = path.stat()
    except OSError:
        return False
    return stat.st_size == size and stat.st_mtime_ns == mtime_ns


def _sweep_orphans(conn: sqlite3.Connection) -> None:
    """Rebuild from scratch once text rows of re-indexed calls outnumber the live ones.

    A contentless FTS table cannot delete a row without its original text, which may be gone
    from a changed file; orphans never match (no ``search_docs`` row) but take space.
    """
    sequence = conn.execute("SELECT seq FROM sqlite_sequence WHERE name = 'search_docs'").fetchone()
    written = 0 if sequence is None else sequence[0]
    row = conn.execute("SELECT value FROM search_meta WHERE key = ?", (_BASE_KEY,)).fetchone()
    base = 0 if row is None else row[0]
    live = conn.execute("SELECT COUNT(*) FROM search_docs").fetchone()[0]
    orphans = written - base - live
    if orphans < max(REBUILD_MIN_ORPHANS, live):
        return
    with transaction(conn):
        conn.execute("INSERT INTO call_text (call_text) VALUES ('delete-all')")
        conn.execute("DELETE FROM search_docs")
        conn.execute("DELETE FROM search_files")
        conn.execute(
            "INSERT OR REPLACE INTO search_meta (key, value) VALUES (?, ?)", (_BASE_KEY, written)
        )


def fts_query(text: str) -> str:
    """A safe FTS5 query for what a user typed: every term must appear; the last may be a prefix.

    Double-quoted phrases are kept together; FTS5 operators are not interpreted, so typing
    ``a-b`` or ``OR`` never raises a syntax error.
    """
    terms: list[str] = []
    for index, chunk in enumerate(text.split('"')):
        if index % 2:  # inside quotes: one phrase
            if chunk.strip():
                terms.append(_quote(chunk))
        else:
            terms.extend(_quote(word) for word in chunk.split())
    if terms and not text.rstrip().endswith('"'):
        terms[-1] += "*"
    return " ".join(terms)


def _quote(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'
