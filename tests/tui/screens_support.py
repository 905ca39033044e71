"""Helpers for the Datasets and Jobs screen tests: the fake provider server in the environment,
fast provider settings, waiting on conditions, and a written export to start from."""

from __future__ import annotations

import io
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from rich.console import Console
from textual.pilot import Pilot
from textual.widgets import Static
from textual.worker import WorkerCancelled

from core.config import CuratorConfig
from core.export import list_exports
from core.providers.settings import ProviderSettings
from core.store.db import connect
from tests.providers.conftest import ACCOUNT, KEYS
from tests.providers.fake_server import FakeProviderServer
from tui.app import CuratorApp
from tui.screens.datasets_screen import DatasetsScreen
from tui.screens.jobs_screen import JobsScreen
from tui.widgets.export_form import ExportForm
from tui.widgets.export_preview import ExportPreview

#: Real retry and poll policy, delays scaled down a thousandfold: retries in milliseconds, a
#: poll every 30 ms (every 5 ms would keep the GIL from the app's event loop).
FAST_PROVIDERS = ProviderSettings(
    delay_scale=0.001,
    poll_interval_seconds=30,
    ready_timeout_seconds=5,
    connect_timeout_seconds=2,
    read_timeout_seconds=5,
    upload_timeout_seconds=5,
)


def use_fake_server(monkeypatch: pytest.MonkeyPatch, server: FakeProviderServer) -> None:
    """Point every provider client at ``server`` with the test keys, as a user's shell would."""
    for name in ("FIREWORKS", "TOGETHER", "OPENAI"):
        for suffix in ("API_KEY", "BASE_URL", "ACCOUNT_ID"):
            monkeypatch.delenv(f"{name}_{suffix}", raising=False)
    for key, value in server.env(KEYS, ACCOUNT).items():
        monkeypatch.setenv(key, value)


def fast_app(workspace: Path) -> CuratorApp:
    return CuratorApp(workspace, CuratorConfig(providers=FAST_PROVIDERS))


async def settle_screens(pilot: Pilot) -> None:
    """Like ``settle``, but never waits for the Jobs screen's pollers (they run while shown)."""
    await pilot.pause()
    while True:
        waiting = [
            w for w in pilot.app.workers if w.is_running and not (w.group or "").startswith("poll-")
        ]
        if not waiting:
            break
        for worker in waiting:
            try:
                await worker.wait()
            except WorkerCancelled:
                pass
        await pilot.pause()


async def wait_for(pilot: Pilot, condition: Callable[[], object], timeout: float = 10) -> None:
    """Let the app run until ``condition()`` holds (debounce timers, pollers)."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out waiting for the app"
        await pilot.pause(0.02)
    await settle_screens(pilot)


async def open_datasets(pilot: Pilot) -> DatasetsScreen:
    await settle_screens(pilot)
    await pilot.press("2")
    await settle_screens(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, DatasetsScreen)
    return screen


async def open_jobs(pilot: Pilot) -> JobsScreen:
    await settle_screens(pilot)
    await pilot.press("3")
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, JobsScreen)
    return screen


async def set_option(pilot: Pilot, screen: DatasetsScreen, field: str, value: object) -> None:
    """Change one export option as the user would, then wait for the new preview."""
    screen.query_one(ExportForm).query_one(f"#{field}").value = value  # type: ignore[attr-defined]
    preview = screen.query_one(ExportPreview)
    await pilot.pause()
    choice = screen.choice
    assert choice is not None, f"{field}={value!r} was refused"
    await wait_for(
        pilot,
        lambda: (
            preview.plan is not None
            and screen.previewed == choice
            and preview.plan.options == choice.options
        ),
    )


async def write_export(pilot: Pilot, screen: DatasetsScreen) -> None:
    """Write with Together's checks (the small corpus is too small for Fireworks' minimum)."""
    await set_option(pilot, screen, "provider", "together")
    await pilot.press("w", "y")
    await settle_screens(pilot)


def recorded_exports(workspace: Path) -> list:
    conn = connect(workspace)
    try:
        return list_exports(conn)
    finally:
        conn.close()


def shown_text(widget: Static) -> str:
    """The plain text a Static shows (its content rendered by rich, 200 columns wide)."""
    console = Console(width=200, file=io.StringIO(), record=True, color_system=None)
    console.print(widget.content)
    return console.export_text()
