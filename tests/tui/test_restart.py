"""Decisions, notes and repairs survive closing and reopening the app."""

from __future__ import annotations

from pathlib import Path

from core.config import CuratorConfig
from tests.tui.conftest import move_to, screen_of, settle
from tui.app import CuratorApp


async def test_everything_shown_is_there_after_a_restart(workspace: Path) -> None:
    async with CuratorApp(workspace, CuratorConfig()).run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("a", "a", "r", "enter")
        await settle(pilot)
        await move_to(pilot, "c.run_id = 'r-0002' AND c.task = 'extraction' AND c.seq = 2")
        await pilot.press("F", "enter")
        await settle(pilot)
        before = [screen_of(pilot).calls_list.row(i) for i in screen_of(pilot).calls_list.call_ids]
    async with CuratorApp(workspace, CuratorConfig()).run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = screen_of(pilot)
        after = [screen.calls_list.row(i) for i in screen.calls_list.call_ids]
        assert [(r.decision, r.repaired) for r in after] == [
            (r.decision, r.repaired) for r in before
        ]
        assert [r.decision for r in after[:3]] == ["accept", "accept", "reject"]
        assert sum(r.repaired for r in after) == 1
        assert screen.query_one("ReviewHeader").tally.overall.reviewed == 3
        assert screen.history.undo is not None  # undo still reaches the last session's ops
