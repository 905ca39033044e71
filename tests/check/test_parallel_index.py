"""Indexing in worker processes gives exactly the rows indexing in process gives."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.check import parallel
from core.check.run import run_check
from core.config import CuratorConfig
from core.store.db import connect

SAMPLES = Path(__file__).resolve().parents[2] / "sample_traces"
COLUMNS = "f.relpath, c.line, c.trace_id, c.task, c.run_id, c.verdict, c.findings, c.preview"


def snapshot(workspace: Path) -> tuple[list[tuple], list[tuple]]:
    conn = connect(workspace)
    calls = conn.execute(
        f"SELECT {COLUMNS} FROM calls c JOIN files f ON f.id = c.file_id ORDER BY f.path, c.line"
    ).fetchall()
    errors = conn.execute("SELECT line, message FROM load_errors ORDER BY file_id, line").fetchall()
    conn.close()
    return [tuple(r) for r in calls], [tuple(r) for r in errors]


def test_worker_processes_match_in_process(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = CuratorConfig()
    run_check(connect(tmp_path / "serial"), [SAMPLES], config)
    monkeypatch.setattr(parallel, "PARALLEL_MIN_BYTES", 0)
    monkeypatch.setattr(parallel, "BATCH_LINES", 7)  # many batches: order must be kept
    started = []
    real_pool = parallel.ProcessPoolExecutor
    monkeypatch.setattr(
        parallel, "ProcessPoolExecutor", lambda **kw: started.append(kw) or real_pool(**kw)
    )
    run_check(connect(tmp_path / "pool"), [SAMPLES], config)
    assert started, "the pool was not used"
    assert snapshot(tmp_path / "pool") == snapshot(tmp_path / "serial")
    assert len(snapshot(tmp_path / "pool")[0]) == 266
