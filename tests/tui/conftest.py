"""Fixtures for app tests: indexed workspaces (small corpus, sample_traces/), a settle helper."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.worker import WorkerCancelled

from core.check.run import run_check
from core.config import CuratorConfig
from core.review.decisions import Target, state_of
from core.store.db import connect
from tests.eval.conftest import heldout_dir, kinds_dir, kinds_server, server  # noqa: F401
from tests.review.conftest import conn, corpus, workspace  # noqa: F401 - shared fixtures
from tui.app import CuratorApp
from tui.screens.calls_screen import CallsScreen

SAMPLE_TRACES = Path(__file__).resolve().parents[2] / "sample_traces"


@pytest.fixture
def app(workspace: Path) -> CuratorApp:  # noqa: F811
    return CuratorApp(workspace, CuratorConfig())


@pytest.fixture
def sample_workspace(tmp_path: Path) -> Path:
    """A workspace indexing the bundled sample corpus, as the README's first command does."""
    folder = tmp_path / "sample_ws"
    store = connect(folder)
    run_check(store, [SAMPLE_TRACES], CuratorConfig())
    store.close()
    return folder


async def settle(pilot: Pilot) -> None:
    """Let messages flow and every worker finish, including workers those messages start.

    A worker cancelled by a newer one of its group (fast cursor moves) is not an error.
    """
    await pilot.pause()
    while any(worker.is_running for worker in pilot.app.workers):
        for worker in list(pilot.app.workers):
            try:
                await worker.wait()
            except WorkerCancelled:
                pass
        await pilot.pause()


def screen_of(pilot: Pilot) -> CallsScreen:
    screen = pilot.app.screen
    assert isinstance(screen, CallsScreen), screen
    return screen


def current_trace(pilot: Pilot) -> str:
    screen = screen_of(pilot)
    trace = screen.current_trace_id()
    assert trace is not None
    return trace


def decision_in_store(folder: Path, trace_id: str) -> tuple[str | None, str | None]:
    """(decision, reason) as a fresh connection reads them: what survives the app."""
    fresh = connect(folder)
    try:
        state = state_of(fresh, Target("call", trace_id))
    finally:
        fresh.close()
    return state.decision, state.reason


async def move_to(pilot: Pilot, where: str) -> None:
    """Put the cursor on the first listed call matching a SQL condition on ``c``."""
    screen = screen_of(pilot)
    rows = screen.session.conn.execute(f"SELECT c.id FROM calls c WHERE {where}")
    wanted = {row[0] for row in rows}
    ids = list(screen.calls_list.call_ids)
    index = next(i for i, call_id in enumerate(ids) if call_id in wanted)
    screen.calls_list.cursor = index
    await settle(pilot)
