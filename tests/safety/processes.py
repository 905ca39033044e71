"""Helpers for running curator commands against one workspace at once, in subprocesses."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from tests.factories import call, write_jsonl

ROOT = Path(__file__).resolve().parents[2]
LONG_CALLS = 6_000  # a file whose check lasts ~1 s, longer on a loaded machine


def long_file(path: Path, calls: int = LONG_CALLS) -> Path:
    """One extraction file big enough that a check holds the write lock for a while."""
    return write_jsonl(path, [distinct_call(10**6 + i, f"long-{i // 5}") for i in range(calls)])


def distinct_call(index: int, run_id: str) -> dict[str, Any]:
    """An extraction call of its own (its trace id differs from every other index's)."""
    record = call(run_id=run_id, round=index % 5 + 1, new_entities=1)
    record["messages"][0]["content"] += f" (call {index})"
    return record


def curator(*argv: str, env: dict[str, str] | None = None) -> subprocess.Popen[str]:
    """Start ``python -m core.cli ARGV`` from the worktree root."""
    return subprocess.Popen(
        [sys.executable, "-m", "core.cli", *argv],
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def paused_check(corpus: Path, workspace: Path, gate: Path) -> subprocess.Popen[str]:
    """A check that holds the write lock mid-load until ``gate`` exists (returns then)."""
    held = gate.with_name(gate.name + ".held")
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.safety.paused_check", str(corpus), str(workspace),
         str(held), str(gate)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while not held.exists():
        assert process.poll() is None, process.communicate()[1]
        assert time.monotonic() < deadline, "the check never took the write lock"
        time.sleep(0.01)
    return process


def wait_for_line(process: subprocess.Popen[str], text: str) -> str:
    """Read ``process``'s stderr until a line containing ``text``; return that line."""
    assert process.stderr is not None
    for line in process.stderr:
        if text in line:
            return line
    raise AssertionError(f"{text!r} never printed")


def finish(process: subprocess.Popen[str], timeout: float = 120) -> tuple[int, str, str]:
    out, err = process.communicate(timeout=timeout)
    return process.returncode, out, err


def wait_for_write_lock(workspace: Path, process: subprocess.Popen[str], limit: float = 60) -> None:
    """Return once another process holds the workspace's write lock (the check's load)."""
    deadline = time.monotonic() + limit
    held_since: float | None = None
    while time.monotonic() < deadline:
        assert process.poll() is None, "the check ended before it took the lock"
        if _locked(workspace / "curator.db"):
            held_since = held_since or time.monotonic()
            if time.monotonic() - held_since > 0.15:  # the long load, not a short transaction
                return
        else:
            held_since = None
        time.sleep(0.01)
    raise AssertionError("the check never held the write lock")


def _locked(database: Path) -> bool:
    if not database.exists():
        return False
    probe = sqlite3.connect(database, timeout=0, isolation_level=None)
    try:
        probe.execute("BEGIN IMMEDIATE")
        probe.execute("ROLLBACK")
    except sqlite3.OperationalError:
        return True
    finally:
        probe.close()
    return False
