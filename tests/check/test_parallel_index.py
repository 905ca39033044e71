"""Indexing in worker processes, over many small chunks, gives exactly the rows indexing each
file in one piece in process gives."""

from __future__ import annotations

import shutil
import sys
import threading
from pathlib import Path

import pytest

from core.check import chunks, parallel
from core.check.run import run_check
from core.config import CuratorConfig
from core.store.db import connect

SAMPLES = Path(__file__).resolve().parents[2] / "sample_traces"
COLUMNS = (
    "f.relpath, c.line, c.offset, c.length, c.trace_id, c.task, c.run_id, c.verdict, c.findings,"
    " c.preview, c.context_chars, c.metadata"
)


def snapshot(workspace: Path) -> tuple[list[tuple], list[tuple]]:
    conn = connect(workspace)
    calls = conn.execute(
        f"SELECT {COLUMNS} FROM calls c JOIN files f ON f.id = c.file_id ORDER BY f.path, c.line"
    ).fetchall()
    errors = conn.execute(
        "SELECT f.relpath, e.line, e.message FROM load_errors e JOIN files f ON f.id = e.file_id"
        " ORDER BY f.path, e.line"
    ).fetchall()
    conn.close()
    return [tuple(r) for r in calls], [tuple(r) for r in errors]


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """The sample corpus plus bare lines (a BOM, CRLF endings, blank lines) past many chunks."""
    folder = tmp_path / "corpus"
    shutil.copytree(SAMPLES, folder)
    story = (SAMPLES / "story" / "planning.jsonl").read_bytes().rstrip(b"\n") + b"\n\n"
    bare = b"\xef\xbb\xbf" + (story * 4).replace(b"\n", b"\r\n")
    (folder / "bare-crlf.jsonl").write_bytes(bare)
    return folder


@pytest.mark.parametrize("start_method", ["fork", "spawn"])
def test_worker_processes_over_small_chunks_match_in_process(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, start_method: str
) -> None:
    config = CuratorConfig()
    run_check(connect(tmp_path / "serial"), [corpus], config)
    monkeypatch.setattr(parallel, "PARALLEL_MIN_BYTES", 0)
    monkeypatch.setattr(parallel, "start_method", lambda: start_method)
    # Smaller than most lines: chunks of one line, and cuts right after a newline.
    monkeypatch.setattr(chunks, "CHUNK_BYTES", 700)
    started = []
    real_pool = parallel.ProcessPoolExecutor
    monkeypatch.setattr(
        parallel, "ProcessPoolExecutor", lambda **kw: started.append(kw) or real_pool(**kw)
    )
    run_check(connect(tmp_path / "pool"), [corpus], config)
    assert started, "the pool was not used"
    assert started[0]["mp_context"].get_start_method() == start_method
    calls, errors = snapshot(tmp_path / "pool")
    assert (calls, errors) == snapshot(tmp_path / "serial")
    assert len(calls) == 266 + 12
    bare = [c for c in calls if c[0] == "bare-crlf.jsonl"]
    assert [c[1] for c in bare] == [1, 2, 3, 5, 6, 7, 9, 10, 11, 13, 14, 15]
    assert all(c[6] == f"bare-crlf.jsonl#{c[1]}" for c in bare)


def test_workers_are_forked_only_from_a_single_threaded_process(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(threading, "active_count", lambda: 1)
    assert parallel.start_method() == ("fork" if sys.platform == "linux" else "spawn")
    monkeypatch.setattr(threading, "active_count", lambda: 2)  # e.g. the review app's worker
    assert parallel.start_method() == "spawn"
