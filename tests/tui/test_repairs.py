"""Repairs: the editor saves a corrected target beside the original; auto-repair shows a diff."""

from __future__ import annotations

from textual.widgets import Static, TextArea

from core.review.decisions import Target, state_of
from tests.tui.conftest import current_trace, move_to, screen_of, settle
from tui.app import CuratorApp
from tui.modals.repair_diff import RepairDiff
from tui.modals.repair_editor import RepairEditor

FENCED = "c.run_id = 'r-0002' AND c.task = 'extraction' AND c.seq = 2"


async def test_auto_repair_shows_a_diff_then_saves(app: CuratorApp) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await move_to(pilot, FENCED)
        screen = screen_of(pilot)
        trace = current_trace(pilot)
        assert screen.check_action("auto_repair", ()) is True
        await pilot.press("F")
        modal = pilot.app.screen
        assert isinstance(modal, RepairDiff)
        diff = str(modal.query_one("#diff", Static).render())
        assert "\n-```json\n [{" in diff and diff.endswith("\n-```")
        await pilot.press("enter")
        await settle(pilot)
        repair = state_of(screen.session.conn, Target("call", trace)).repair
        assert repair is not None and repair.startswith("[{") and "```" not in repair
        assert screen.detail.repair_findings == ()  # the rules pass on the repair
        lines = "\n".join(screen.detail_view.plain_lines())
        assert "repaired output" in lines and "repair passes the rules" in lines
        row = screen.calls_list.row(screen.calls_list.current_call_id)
        assert row is not None and row.repaired


async def test_auto_repair_cancel_and_not_applicable(app: CuratorApp) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = screen_of(pilot)
        assert screen.check_action("auto_repair", ()) is None  # first call is clean JSON
        await move_to(pilot, FENCED)
        trace = current_trace(pilot)
        await pilot.press("F", "escape")
        await settle(pilot)
        assert state_of(screen.session.conn, Target("call", trace)).repair is None


async def test_editor_saves_a_repair_and_restoring_the_original_removes_it(
    app: CuratorApp,
) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await move_to(pilot, "c.run_id = 'r-0003' AND c.task = 'extraction' AND c.seq = 2")
        screen = screen_of(pilot)
        trace = current_trace(pilot)
        original = screen.detail.parsed.output
        await pilot.press("e")
        editor = pilot.app.screen
        assert isinstance(editor, RepairEditor)
        area = editor.query_one(TextArea)
        assert area.text == original
        area.text = '[{"name": "Casa Azul", "phone": null}]'
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert state_of(screen.session.conn, Target("call", trace)).repair == area.text
        assert screen.detail.own.repair == area.text
        await pilot.press("e")
        pilot.app.screen.query_one(TextArea).text = original
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert state_of(screen.session.conn, Target("call", trace)).repair is None


async def test_editor_cancel_keeps_everything(app: CuratorApp) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = screen_of(pilot)
        trace = current_trace(pilot)
        await pilot.press("e")
        pilot.app.screen.query_one(TextArea).text = "{}"
        await pilot.press("escape")
        await settle(pilot)
        assert state_of(screen.session.conn, Target("call", trace)).repair is None
