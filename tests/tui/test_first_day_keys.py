"""Keys as a new user presses them: zoom never types into the search, the Evals form lets go
of the screen keys, and the sort dialog moves with j/k."""

from __future__ import annotations

from textual.widgets import Input

from tests.tui.conftest import screen_of, settle
from tui.app import CuratorApp


async def test_zoom_twice_keeps_keys_out_of_the_search(app: CuratorApp) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = screen_of(pilot)
        await pilot.press("z")
        assert screen.maximized is screen.detail_view
        await pilot.press("z", "j")
        await settle(pilot)
        assert screen.maximized is None
        assert screen.query_one("#search", Input).value == ""
        assert screen.focused is screen.calls_list and screen.calls_list.cursor == 1


async def test_evals_screen_keys_leave_it_and_escape_leaves_the_form(app: CuratorApp) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("4")
        await settle(pilot)
        assert not isinstance(pilot.app.screen.focused, Input)
        await pilot.press("1")
        assert pilot.app.current_mode == "review"
        await pilot.press("4", "n")
        await settle(pilot)
        field = pilot.app.screen.focused
        assert isinstance(field, Input) and field.id == "candidate"
        await pilot.press("g", "o", "l", "d", "1")  # typed: a field takes every key
        assert field.value == "gold1" and pilot.app.current_mode == "evals"
        await pilot.press("escape", "1")
        assert pilot.app.current_mode == "review"


async def test_sort_dialog_moves_with_j_and_k(app: CuratorApp) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = screen_of(pilot)
        await pilot.press("s", "k", "k", "j", "enter")  # corpus (now) → preview → rule → preview
        await settle(pilot)
        assert screen.sort.column == "preview"


async def test_a_new_sort_or_search_starts_at_the_top(app: CuratorApp) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = screen_of(pilot)
        await pilot.press("j", "j")
        assert screen.calls_list.cursor == 2
        await pilot.press("S")
        await settle(pilot)
        assert screen.calls_list.cursor == 0
        await pilot.press("j", "slash", "x", "enter", "c")
        await settle(pilot)
        assert screen.calls_list.cursor == 0


async def test_external_editor_key_without_editor_says_what_to_set(
    app: CuratorApp, monkeypatch
) -> None:
    monkeypatch.delenv("EDITOR", raising=False)
    monkeypatch.delenv("VISUAL", raising=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("E")
        await settle(pilot)
        messages = [n.message for n in pilot.app._notifications]
        assert any("$EDITOR is not set" in m for m in messages)


def test_a_band_gauge_never_states_a_false_comparison() -> None:
    from core.review.runs import BandView
    from tui.widgets.band_gauge import band_text

    def shown(value: float, status: str, direction: str) -> str:
        band = BandView("band.attempts_per_entity", value, 2, status, "derived", direction)
        return band_text(band, 80).plain

    assert "✗" in shown(3, "fail", "max") and "3 > 2" in shown(3, "fail", "max")
    assert "2 ≤ 2" in shown(2, "pass", "max")
    assert "1 < 2" in shown(1, "fail", "min") and "3 ≥ 2" in shown(3, "pass", "min")


async def test_bulk_accept_says_how_many_calls_fail_a_rule(app: CuratorApp) -> None:
    from tui.modals.bulk_confirm import BulkConfirm

    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        total = len(screen_of(pilot).calls_list.call_ids)
        await pilot.press("B")
        await settle(pilot)
        confirm = pilot.app.screen
        assert isinstance(confirm, BulkConfirm)
        assert 0 < confirm.failing < total
        warning = confirm.query_one("#failing").render()
        assert f"{confirm.failing:,} fail a rule" in str(warning)


async def test_help_lists_every_key_and_scrolls_with_j(app: CuratorApp, monkeypatch) -> None:
    from textual.containers import VerticalScroll

    from tui.modals.keys_help import KeysHelp

    monkeypatch.delenv("EDITOR", raising=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        help_screen = pilot.app.screen
        assert isinstance(help_screen, KeysHelp)
        keys = {c.title: c.keys for c in help_screen.commands}
        assert keys["app: Quit"] == "q"
        assert keys["view: Show all content (no cut)"] == "m"  # the detail pane's, list focused
        assert keys["repair: Edit the output in $EDITOR"] == "E"
        assert "esc" in keys["review: Clear selection"]
        view = help_screen.query_one(VerticalScroll)
        await pilot.press("j", "j")
        assert view.scroll_y == 2


async def test_a_repaired_call_says_at_the_top_whether_the_repair_passes(app: CuratorApp) -> None:
    from tests.tui.conftest import move_to
    from tests.tui.test_repairs import FENCED

    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await move_to(pilot, FENCED)
        screen = screen_of(pilot)
        await pilot.press("F", "enter")
        await settle(pilot)
        lines = screen.detail_view.plain_lines()
        status = next(i for i, line in enumerate(lines) if line.startswith("repaired: "))
        assert lines[status] == "repaired: ✓ the repair passes the content rules"
        first_message = next(i for i, line in enumerate(lines) if line.startswith("system"))
        assert status < first_message  # beside the original's findings, not below the messages


async def test_the_palette_offers_other_screens_actions_and_goes_there(app: CuratorApp) -> None:
    from textual.app import SystemCommand

    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        commands = {
            c.title: c
            for c in pilot.app.get_system_commands(pilot.app.screen)
            if isinstance(c, SystemCommand)
        }
        assert "export: Write the dataset…" in commands  # a Datasets key, offered on Review
        new_eval = commands["eval: New eval (the form)"]
        assert new_eval.help.startswith("on 4 Evals")
        await new_eval.callback()
        await settle(pilot)
        assert pilot.app.current_mode == "evals"
        focused = pilot.app.screen.focused
        assert isinstance(focused, Input) and focused.id == "candidate"
