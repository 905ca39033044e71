"""Killing the app (SIGKILL) right after a burst of decisions loses none that it showed."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from core.review.decisions import Target, state_of
from core.store.db import connect

ROOT = Path(__file__).resolve().parents[2]
BURST = 12


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
def test_sigkill_after_a_burst_of_decisions(workspace: Path) -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.tui.kill_driver", str(workspace), str(BURST)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    shown: list[tuple[str, str]] = []
    try:
        assert process.stdout is not None
        for line in process.stdout:
            if line.startswith("SHOWN "):
                _, trace, decision = line.split()
                shown.append((trace, decision))
            if line.startswith("DONE") or len(shown) == BURST:
                break
        process.send_signal(signal.SIGKILL)  # at once: no chance to flush anything
    finally:
        process.kill()
        process.wait(timeout=10)
    stderr = process.stderr.read() if process.stderr else ""
    assert len(shown) == BURST, stderr
    assert process.returncode == -signal.SIGKILL
    conn = connect(workspace)
    try:
        for trace, decision in shown:
            assert state_of(conn, Target("call", trace)).decision == decision, trace
    finally:
        conn.close()
