"""Exports recorded in the workspace store, so uploads, jobs and evals can link to them.

Later rows refer to an export by its manifest hash (``exports.manifest_hash``); the same data
exported twice has the same hash and two rows (when and where differ).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson

from core.store.db import transaction


@dataclass(frozen=True, slots=True)
class ExportRecord:
    """One row of ``exports``."""

    id: int
    out_dir: str
    manifest_hash: str
    created_at: str
    seed: int
    selection: str
    provider: str
    config_fingerprint: str
    examples: int
    counts: dict[str, Any]


def record_export(conn: sqlite3.Connection, out_dir: Path, manifest: dict[str, Any]) -> int:
    """Insert an export and its files in one transaction; return the export's id."""
    counts = {
        "tasks": manifest["tasks"],
        "decisions": manifest["decisions"],
        "duplicates": manifest["duplicates"],
    }
    with transaction(conn):
        export_id = conn.execute(
            "INSERT INTO exports (out_dir, manifest_hash, created_at, seed, selection, provider,"
            " config_fingerprint, examples, counts) VALUES (?,?,?,?,?,?,?,?,?)",
            (
                str(out_dir),
                manifest["hash"],
                datetime.now(UTC).isoformat(timespec="milliseconds"),
                manifest["seed"],
                manifest["selection"],
                manifest["provider"],
                manifest["config_fingerprint"],
                manifest["totals"]["examples"],
                orjson.dumps(counts).decode(),
            ),
        ).lastrowid
        conn.executemany(
            "INSERT INTO export_files (export_id, path, task, split, examples, bytes, sha256,"
            " est_tokens, ids_file) VALUES (?,?,?,?,?,?,?,?,?)",
            [
                (
                    export_id,
                    f["path"],
                    f["task"],
                    f["split"],
                    f["examples"],
                    f["bytes"],
                    f["sha256"],
                    f["est_tokens"],
                    f["ids_file"],
                )
                for f in manifest["files"]
            ],
        )
    assert export_id is not None
    return export_id


def list_exports(conn: sqlite3.Connection) -> list[ExportRecord]:
    """Every recorded export, newest first."""
    return [_record(row) for row in conn.execute(f"{_SELECT} ORDER BY id DESC")]


def find_exports(conn: sqlite3.Connection, manifest_hash: str) -> list[ExportRecord]:
    """The exports with this manifest hash (or a unique prefix of it), newest first."""
    rows = conn.execute(
        f"{_SELECT} WHERE manifest_hash >= ? AND manifest_hash < ? ORDER BY id DESC",
        (manifest_hash, manifest_hash + "g"),
    )
    return [_record(row) for row in rows]


_SELECT = (
    "SELECT id, out_dir, manifest_hash, created_at, seed, selection, provider,"
    " config_fingerprint, examples, counts FROM exports"
)


def _record(row: sqlite3.Row | tuple[Any, ...]) -> ExportRecord:
    values = list(row)
    values[-1] = orjson.loads(values[-1])
    return ExportRecord(*values)
