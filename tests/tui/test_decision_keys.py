"""Every decision key on the main screen: written to the store before the screen shows it."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input

from core.review.decisions import Target, state_of
from tests.tui.conftest import current_trace, decision_in_store, move_to, screen_of, settle
from tui.app import CuratorApp
from tui.modals.reject_reason import RejectReason
from tui.modals.text_prompt import TextPrompt


async def test_navigation_keys(app: CuratorApp) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        calls = screen_of(pilot).calls_list
        assert calls.cursor == 0 and len(calls.call_ids) == 21
        await pilot.press("j", "j", "down")
        assert calls.cursor == 3
        await pilot.press("k", "up")
        assert calls.cursor == 1
        await pilot.press("G")
        assert calls.cursor == 20
        await pilot.press("home")
        assert calls.cursor == 0
        await pilot.press("end", "pageup")
        assert calls.cursor < 20
        await settle(pilot)
        assert screen_of(pilot).detail.call_id == calls.current_call_id


async def test_accept_records_then_advances(app: CuratorApp, workspace: Path) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = screen_of(pilot)
        trace = current_trace(pilot)
        await pilot.press("a")
        assert decision_in_store(workspace, trace) == ("accept", None)
        assert screen.calls_list.cursor == 1
        await settle(pilot)
        first = screen.calls_list.row(screen.calls_list.call_ids[0])
        assert first is not None and first.decision == "accept"
        assert screen.query_one("ReviewHeader").tally.overall.accepted == 1


async def test_reject_picks_a_failing_rule(app: CuratorApp, workspace: Path) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await move_to(pilot, "c.run_id = 'r-0003' AND c.task = 'extraction' AND c.seq = 2")
        trace = current_trace(pilot)
        await pilot.press("r")
        assert isinstance(pilot.app.screen, RejectReason)
        assert pilot.app.screen.failing_rules[0] == "extraction.ungrounded"
        await pilot.press("enter")
        await settle(pilot)
        assert decision_in_store(workspace, trace) == ("reject", "extraction.ungrounded")


async def test_reject_with_typed_reason_or_cancel(app: CuratorApp, workspace: Path) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        trace = current_trace(pilot)
        await pilot.press("r", "escape")
        await settle(pilot)
        assert decision_in_store(workspace, trace) == (None, None)
        await pilot.press("r", "tab", *"vague", "enter")
        await settle(pilot)
        assert decision_in_store(workspace, trace) == ("reject", "vague")


async def test_undo_and_redo(app: CuratorApp, workspace: Path) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = screen_of(pilot)
        assert screen.check_action("undo", ()) is None  # greyed out: nothing to undo
        trace = current_trace(pilot)
        await pilot.press("a")
        await settle(pilot)
        await pilot.press("u")
        await settle(pilot)
        assert decision_in_store(workspace, trace) == (None, None)
        assert screen.check_action("redo", ()) is True
        await pilot.press("U")
        await settle(pilot)
        assert decision_in_store(workspace, trace) == ("accept", None)
        assert screen.check_action("redo", ()) is None


async def test_note_and_tags(app: CuratorApp, workspace: Path) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = screen_of(pilot)
        trace = current_trace(pilot)
        await pilot.press("n")
        assert isinstance(pilot.app.screen, TextPrompt)
        pilot.app.screen.query_one(Input).value = "check phone"
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("t")
        pilot.app.screen.query_one(Input).value = "phone, review-later"
        await pilot.press("enter")
        await settle(pilot)
        state = state_of(screen.session.conn, Target("call", trace))
        assert state.note == "check phone" and state.tags == ["phone", "review-later"]
        assert screen.detail.own.note == "check phone"
        await pilot.press("n", "ctrl+u", "enter")  # an empty note removes it
        await settle(pilot)
        assert state_of(screen.session.conn, Target("call", trace)).note is None


async def test_accept_and_reject_the_whole_run(app: CuratorApp, workspace: Path) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await move_to(pilot, "c.run_id = 'r-0003'")
        screen = screen_of(pilot)
        await pilot.press("R", "enter")
        await settle(pilot)
        run = state_of(screen.session.conn, Target("run", "r-0003"))
        assert run.decision == "reject" and run.reason == "run.status"
        await pilot.press("A")
        await settle(pilot)
        assert state_of(screen.session.conn, Target("run", "r-0003")).decision == "accept"
        assert screen.detail.decided_on == "run"
