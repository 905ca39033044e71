"""A check killed or cancelled at any point never leaves a state the next check trusts: the next
check ends with exactly what a check on a fresh workspace gives."""

from __future__ import annotations

import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from core.check import writer
from core.check.run import run_check
from core.config import CuratorConfig
from core.progress import Cancelled
from core.store.db import connect

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "sample_traces"
CALL_INDEXES = {"calls_by_file", "calls_by_run", "calls_by_trace", "calls_by_task", "calls_by_dup"}

# Runs a check in a child process that dies (os._exit, no cleanup) at a chosen point.
KILLED_CHECK = """
import os, sys
from pathlib import Path
from core.check import chunks, evaluate, run, writer
from core.config import CuratorConfig
from core.store.db import connect

point, workspace, corpus = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
chunks.CHUNK_BYTES = 4096
seen = []
real_add = writer.CallsWriter.add

def add(self, chunk, result):
    real_add(self, chunk, result)
    seen.append(chunk)
    if point == "mid-load" and len(seen) == 20:
        os._exit(9)

def evaluate_then_die(conn, config):
    os._exit(9)

writer.CallsWriter.add = add
if point == "before-evaluation":
    evaluate.evaluate_corpus = evaluate_then_die
run.run_check(connect(workspace), [corpus], CuratorConfig())
"""


def snapshot(workspace: Path) -> dict[str, list[tuple]]:
    conn = connect(workspace)
    tables = {
        "calls": "SELECT f.relpath, c.line, c.trace_id, c.run_id, c.verdict, c.findings, c.dup_of"
        " IS NOT NULL FROM calls c JOIN files f ON f.id = c.file_id ORDER BY f.path, c.line",
        "runs": "SELECT run_id, verdict, first_rule, bands, findings, calls FROM runs ORDER BY 1",
        "rules": "SELECT f.relpath, c.line, r.rule, r.severity, r.source FROM call_rules r"
        " JOIN calls c ON c.id = r.call_id JOIN files f ON f.id = c.file_id ORDER BY 1, 2, 3",
        "errors": "SELECT f.relpath, e.line, e.message FROM load_errors e"
        " JOIN files f ON f.id = e.file_id ORDER BY 1, 2",
    }
    found = {name: [tuple(r) for r in conn.execute(sql)] for name, sql in tables.items()}
    conn.close()
    return found


def indexes(workspace: Path) -> set[str]:
    conn = connect(workspace)
    names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
    conn.close()
    return names


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    shutil.copytree(SAMPLES, folder)
    return folder


@pytest.fixture
def expected(corpus: Path, tmp_path: Path) -> dict[str, list[tuple]]:
    run_check(connect(tmp_path / "fresh"), [corpus], CuratorConfig())
    return snapshot(tmp_path / "fresh")


def kill_check(point: str, workspace: Path, corpus: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-c", KILLED_CHECK, point, str(workspace), str(corpus)],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 9, done.stderr


def test_a_first_check_killed_mid_load_leaves_an_empty_index(corpus, tmp_path, expected):
    workspace = tmp_path / "ws"
    kill_check("mid-load", workspace, corpus)
    assert snapshot(workspace)["calls"] == []  # one transaction: nothing of it was kept
    assert indexes(workspace) >= CALL_INDEXES
    run_check(connect(workspace), [corpus], CuratorConfig())
    assert snapshot(workspace) == expected


def test_a_check_killed_before_evaluating_is_evaluated_next_time(corpus, tmp_path, expected):
    workspace = tmp_path / "ws"
    kill_check("before-evaluation", workspace, corpus)
    assert snapshot(workspace)["calls"]  # indexed, verdicts not yet final
    outcome = run_check(connect(workspace), [corpus], CuratorConfig())
    assert outcome.stats.files_read == 0
    assert snapshot(workspace) == expected


def test_a_re_check_killed_mid_file_re_reads_that_file(corpus, tmp_path, expected):
    workspace = tmp_path / "ws"
    changed = corpus / "enrichment.jsonl"
    original = changed.read_bytes()
    changed.write_bytes(original.replace(b"\n", b"\n\n", 3))  # other line numbers
    run_check(connect(workspace), [corpus], CuratorConfig())
    changed.write_bytes(original)
    kill_check("mid-load", workspace, corpus)  # an incremental check: one file, per file
    outcome = run_check(connect(workspace), [corpus], CuratorConfig())
    assert outcome.stats.files_read == 1
    assert snapshot(workspace) == expected


def test_a_cancelled_first_check_rolls_back_and_keeps_the_indexes(
    corpus, tmp_path, expected, monkeypatch: pytest.MonkeyPatch
) -> None:
    workspace = tmp_path / "ws"
    cancel = threading.Event()
    real_add = writer.CallsWriter.add

    def add_then_cancel(self, chunk, result):
        real_add(self, chunk, result)
        cancel.set()

    monkeypatch.setattr(writer.CallsWriter, "add", add_then_cancel)
    with pytest.raises(Cancelled):
        run_check(connect(workspace), [corpus], CuratorConfig(), cancel=cancel)
    monkeypatch.undo()
    assert snapshot(workspace)["calls"] == []
    assert indexes(workspace) >= CALL_INDEXES
    run_check(connect(workspace), [corpus], CuratorConfig())
    assert snapshot(workspace) == expected
