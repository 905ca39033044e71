"""The app notices a re-check from another process, and decisions made elsewhere."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from core.check.run import run_check
from core.config import CuratorConfig
from core.review.decisions import Target, state_of
from core.store.db import connect
from tests.tui.conftest import screen_of, settle
from tui.app import CuratorApp

ROOT = Path(__file__).resolve().parents[2]


def _curator(*argv: str | Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "core.cli", *map(str, argv)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr


async def test_a_recheck_elsewhere_reloads_the_list_keeping_the_cursor(tmp_path: Path) -> None:
    corpus, workspace = tmp_path / "corpus", tmp_path / "ws"
    shutil.copytree(ROOT / "sample_traces", corpus)
    store = connect(workspace)
    run_check(store, [corpus], CuratorConfig())
    store.close()
    looser = tmp_path / "looser.toml"  # another config: every file is indexed again
    looser.write_text("[bands]\nmax_discovery_rounds = 4\n")
    async with CuratorApp(workspace, CuratorConfig()).run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("j", "j", "j")
        await settle(pilot)
        screen = screen_of(pilot)
        trace = screen.current_trace_id()
        old_ids = list(screen.calls_list.call_ids)
        assert trace is not None

        _curator("check", corpus, "--workspace", workspace, "--config", looser)
        await pilot.pause(1.5)  # the store is polled every second
        await settle(pilot)
        assert list(screen.calls_list.call_ids) != old_ids, "the list shows the new index"
        assert screen.current_trace_id() == trace, "the cursor stayed on the same trace"
        assert screen.detail is not None and screen.detail.trace_id == trace

        await pilot.press("a")
        await settle(pilot)
        state = state_of(screen.session.conn, Target("call", trace))
        assert state.decision == "accept"

        next_trace = screen.current_trace_id()
        assert next_trace is not None and next_trace != trace
        _curator("decide", next_trace, "--reject", "--workspace", workspace)
        await pilot.pause(1.5)
        await settle(pilot)
        row = screen.calls_list.row(screen.calls_list.current_call_id or -1)
        assert row is not None and row.decision == "reject", "outside decisions are shown"
