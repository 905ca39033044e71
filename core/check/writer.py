"""Writing calls files into the index, chunk by chunk, in the order they were read.

Each file's rows replace its old ones in one transaction, which also marks the verdicts stale.
A first index (no calls yet) is one transaction instead: the secondary indexes of ``calls`` and
of the trajectory tables are dropped, the corpus is loaded and they are built again in one
sorted pass each, so random index pages are never written and rewritten per file.
A crash or a cancel rolls it all back.
"""

from __future__ import annotations

import sqlite3

from core.check.chunks import RUN_ID, Chunk, ChunkRows
from core.corpus.discover import SourceFile
from core.store.db import begin_immediate

EVALUATED_WITH = "evaluated_with"  # check_state key: config fingerprint of the last evaluation

Stale = tuple[SourceFile, int, int]  # (file, size, mtime_ns)

_COLUMNS = """file_id, line, offset, length, trace_id, task, run_id, bare, seq, round, entity_id,
    model, timestamp, new_entities, queries, context_chars, preview, metadata, call_findings,
    call_verdict, call_first_rule, findings, verdict, first_rule, kind"""
# Until the corpus is evaluated a call carries only its own findings and verdict (?18-?20 twice).
_VALUES = "?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,?17,?18,?19,?20,?18,?19,?20,?21"
# A file's calls are the rows added since it started: a rowid range, with or without indexes.
_CALL_RULES_OF_FILE = """INSERT INTO call_rules (call_id, rule, severity, source)
    SELECT DISTINCT c.id, f.value ->> 'rule', f.value ->> 'severity', 'call'
    FROM calls c, json_each(c.call_findings) f WHERE c.id > ? AND c.call_findings != '[]'"""
INSERT_ERRORS = "INSERT INTO load_errors (file_id, line, message) VALUES (?,?,?)"


class CallsWriter:
    """Writes the chunks of calls files in order; :meth:`finish` or :meth:`abort` at the end."""

    def __init__(self, conn: sqlite3.Connection, files: list[Stale], key: str) -> None:
        self.conn, self.key = conn, key
        self.files = iter(files)
        self.bulk = bool(files) and conn.execute("SELECT 1 FROM calls LIMIT 1").fetchone() is None
        self.indexes: list[str] = []
        self.path: str | None = None
        self.file_id = self.before = 0
        self.relpath = ""
        self.size = self.next_line = self.calls = 0
        self.errors: list[tuple[int, int, str]] = []
        self.unreadable = False
        self.finished_bytes = self.done_bytes = 0
        if self.bulk:
            begin_immediate(conn)
            found = conn.execute(
                "SELECT name, sql FROM sqlite_master"
                " WHERE type = 'index'"
                " AND tbl_name IN ('calls', 'call_prefixes', 'call_chain_ids', 'call_chain_steps')"
                " AND sql IS NOT NULL"
            ).fetchall()
            for name, _sql in found:
                conn.execute(f'DROP INDEX "{name}"')
            self.indexes = [sql for _name, sql in found]

    def add(self, chunk: Chunk, result: ChunkRows) -> None:
        """Write one chunk's rows; the first chunk of the next file finishes the current one."""
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
        if result.prefixes:
            self.conn.executemany(
                f"INSERT INTO call_prefixes (file_id, line, prefix_id)"
                f" VALUES ({self.file_id}, ?1+{base}, ?2)",
                result.prefixes,
            )
        if result.chains:
            self.conn.executemany(
                f"INSERT INTO call_chain_ids (file_id, line, chain_id)"
                f" VALUES ({self.file_id}, ?1+{base}, ?2)",
                result.chains,
            )
            self.conn.executemany(
                f"INSERT INTO call_chain_steps (file_id, line, prefix_id)"
                f" VALUES ({self.file_id}, ?1+{base}, ?2)",
                result.chain_steps,
            )
        for line, message in result.errors:
            if line == 0:  # a read error: later chunks of the file would only repeat it
                if self.unreadable:
                    continue
                self.unreadable = True
            self.errors.append((self.file_id, line and line + base, message))

    def finish(self) -> None:
        self._finish_file()
        if self.bulk:
            for sql in self.indexes:
                self.conn.execute(sql)
            self.conn.execute("COMMIT")
            self.bulk = False

    def abort(self) -> None:
        if self.bulk or self.path is not None:
            self.path, self.bulk = None, False
            if self.conn.in_transaction:  # SQLite already rolled back after a full disk
                self.conn.execute("ROLLBACK")

    def _start_file(self) -> None:
        entry = next(self.files)
        self.path, self.relpath, self.size = str(entry[0].path), entry[0].relpath, entry[1]
        self.next_line, self.calls, self.unreadable = 1, 0, False
        if not self.bulk:
            begin_immediate(self.conn)
        self.file_id = replace_file(self.conn, entry, self.key)
        # an imported source's records that were not imported, at their source positions
        self.errors = [(self.file_id, line, why) for line, why in entry[0].import_problems]
        self.before = self.conn.execute("SELECT COALESCE(MAX(id), 0) FROM calls").fetchone()[0]

    def _finish_file(self) -> None:
        if self.path is None:
            return
        conn = self.conn
        conn.execute(_CALL_RULES_OF_FILE, (self.before,))
        conn.executemany(INSERT_ERRORS, self.errors)
        conn.execute(
            "UPDATE files SET calls = ?, errors = ? WHERE id = ?",
            (self.calls, len(self.errors), self.file_id),
        )
        if not self.bulk:
            conn.execute("COMMIT")
        self.path = None
        self.finished_bytes += self.size
        self.done_bytes = self.finished_bytes


def replace_file(conn: sqlite3.Connection, entry: Stale, key: str) -> int:
    """Drop a file's old rows and add its new ``files`` row, inside the caller's transaction."""
    source, size, mtime_ns = entry
    invalidate_verdicts(conn)
    conn.execute("DELETE FROM files WHERE path = ?", (str(source.path),))
    cursor = conn.execute(
        "INSERT INTO files (path, root, relpath, kind, size, mtime_ns, config_fingerprint)"
        " VALUES (?,?,?,?,?,?,?)",
        (str(source.path), str(source.root), source.relpath, source.kind, size, mtime_ns, key),
    )
    assert cursor.lastrowid is not None
    return cursor.lastrowid


def invalidate_verdicts(conn: sqlite3.Connection) -> None:
    """Mark verdicts stale in the same transaction as an index change, so a crash between
    indexing and evaluation still leads the next check to evaluate."""
    conn.execute("DELETE FROM check_state WHERE key = ?", (EVALUATED_WITH,))
