"""A check leaves its writes folded into the database file, on a thread of their own, and puts
SQLite's auto-checkpoint setting back."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

from core.check.run import run_check
from core.config import CuratorConfig
from core.store.checkpoint import Checkpointer, deferred_checkpoints
from core.store.db import db_path
from tests.factories import call, write_jsonl


def _calls_in_main_file(workspace: Path, tmp_path: Path) -> int:
    """Calls readable from the database file alone, as if the WAL were lost."""
    copy = tmp_path / "copy.db"
    shutil.copyfile(db_path(workspace), copy)
    alone = sqlite3.connect(copy)
    try:
        return alone.execute("SELECT COUNT(*) FROM calls").fetchone()[0]
    finally:
        alone.close()


def test_a_check_leaves_its_index_in_the_database_file(conn, workspace, tmp_path: Path) -> None:
    rows = [call(run_id=f"r{i}", round=1, new_entities=1, queries=1) for i in range(40)]
    corpus = write_jsonl(tmp_path / "corpus" / "extraction.jsonl", rows)
    before = conn.execute("PRAGMA wal_autocheckpoint").fetchone()[0]
    run_check(conn, [corpus], CuratorConfig())
    # A small load stays far below SQLite's 1000-page auto-checkpoint: only the check's own
    # checkpoint puts it into the database file.
    assert _calls_in_main_file(workspace, tmp_path) == 40
    assert conn.execute("PRAGMA wal_autocheckpoint").fetchone()[0] == before


def test_the_background_checkpoint_copies_committed_pages(conn, workspace, tmp_path) -> None:
    conn.execute("CREATE TABLE scratch (x)")
    with deferred_checkpoints(conn) as checkpoints:
        assert conn.execute("PRAGMA wal_autocheckpoint").fetchone()[0] == 0
        conn.executemany("INSERT INTO scratch VALUES (?)", [(i,) for i in range(5000)])
        checkpoints.start()
        checkpoints.join()
        copy = tmp_path / "mid.db"
        shutil.copyfile(db_path(workspace), copy)
        mid = sqlite3.connect(copy)
        assert mid.execute("SELECT COUNT(*) FROM scratch").fetchone()[0] == 5000
        mid.close()


def test_no_checkpoint_for_a_database_in_memory() -> None:
    memory = sqlite3.connect(":memory:", isolation_level=None)
    with deferred_checkpoints(memory) as checkpoints:
        checkpoints.start()
    assert checkpoints.path == ""
    assert Checkpointer("").path == ""
