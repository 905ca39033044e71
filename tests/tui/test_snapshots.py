"""Snapshots of the main screen (80×24, 120×40, 200×60), the run view and the repair diff.

They show the bundled sample_traces/ corpus, as a new user sees it; nothing time- or
path-dependent is on screen, so they are stable;
update them with ``pytest --snapshot-update`` after an intended change, and look at them.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot

from core.config import CuratorConfig
from tests.tui.conftest import move_to, settle
from tui.app import CuratorApp

# Planted in sample_traces/ (see its README): extraction.jsonl:11 invents a phone number,
# extraction.jsonl:12 wraps its JSON in a markdown fence.
EXTRACTION = "c.file_id = (SELECT id FROM files WHERE relpath = 'extraction.jsonl')"
UNGROUNDED = f"{EXTRACTION} AND c.line = 11"
FENCED = f"{EXTRACTION} AND c.line = 12"


@pytest.mark.parametrize("size", [(80, 24), (120, 40), (200, 60)])
def test_main_screen(snap_compare, sample_workspace: Path, size: tuple[int, int]) -> None:  # noqa: ANN001
    async def highlight_ungrounded(pilot: Pilot) -> None:
        await settle(pilot)
        await move_to(pilot, UNGROUNDED)
        await pilot.press("a", "k")
        await settle(pilot)

    app = CuratorApp(sample_workspace, CuratorConfig())
    assert snap_compare(app, terminal_size=size, run_before=highlight_ungrounded)


def test_run_view(snap_compare, sample_workspace: Path) -> None:  # noqa: ANN001
    async def open_run(pilot: Pilot) -> None:
        await settle(pilot)
        await move_to(pilot, UNGROUNDED)
        await pilot.press("g")
        await settle(pilot)

    app = CuratorApp(sample_workspace, CuratorConfig())
    assert snap_compare(app, terminal_size=(120, 40), run_before=open_run)


def test_repair_diff(snap_compare, sample_workspace: Path) -> None:  # noqa: ANN001
    async def show_diff(pilot: Pilot) -> None:
        await settle(pilot)
        await move_to(pilot, FENCED)
        await pilot.press("F")
        await settle(pilot)

    app = CuratorApp(sample_workspace, CuratorConfig())
    assert snap_compare(app, terminal_size=(120, 40), run_before=show_diff)
