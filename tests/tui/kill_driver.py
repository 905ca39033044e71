"""Drives the app headless for the SIGKILL test: decides calls one by one and prints each
decision once the screen shows it, then idles until killed.

Usage: ``python -m tests.tui.kill_driver WORKSPACE COUNT``.
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

from textual.pilot import Pilot

from tui.app import CuratorApp
from tui.screens.calls_screen import CallsScreen


async def decide_calls(pilot: Pilot, count: int) -> None:
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    screen = pilot.app.screen
    assert isinstance(screen, CallsScreen)
    for index in range(count):
        call_id = screen.calls_list.current_call_id
        trace = screen.current_trace_id()
        if index % 3 == 2:
            await pilot.press("r", "enter")
        else:
            await pilot.press("a")
        await pilot.pause()
        row = screen.calls_list.row(call_id)  # re-fetched for the repaint: what is shown
        assert row is not None and row.decision is not None
        print(f"SHOWN {trace} {row.decision}", flush=True)
    print("DONE", flush=True)
    await asyncio.sleep(3600)  # stay alive: the test kills us


def main() -> None:
    workspace, count = Path(sys.argv[1]), int(sys.argv[2])
    app = CuratorApp(workspace)
    app.run(headless=True, size=(120, 40), auto_pilot=lambda pilot: decide_calls(pilot, count))


if __name__ == "__main__":
    main()
