"""Keys are discoverable: ``?`` lists every key, the palette holds every action, and keys that
do not apply are greyed out."""

from __future__ import annotations

from textual.app import SystemCommand

from tests.tui.conftest import screen_of, settle
from tui.app import CuratorApp
from tui.keys import key_commands
from tui.modals.keys_help import KeysHelp


async def test_help_lists_every_key(app: CuratorApp) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        help_screen = pilot.app.screen
        assert isinstance(help_screen, KeysHelp)
        titles = {c.title for c in help_screen.commands}
        for title in (
            "review: Accept call",
            "review: Reject call…",
            "review: Undo last change",
            "review: Redo",
            "review: Accept the whole run",
            "review: Note on call…",
            "review: Tag call…",
            "review: Decide every call in the selection or filter…",
            "repair: Edit the output…",
            "repair: Auto-repair a fence or reasoning…",
            "filter: Search message text",
            "filter: Sort by a column…",
            "view: Open the run of the call",
            "app: Show every key",
        ):
            assert title in titles
        keys = {c.title: c.keys for c in help_screen.commands}
        assert keys["review: Accept call"] == "a"
        assert set(keys["view: Open the run of the call"].split()) == {"g", "⏎"}
        assert keys["app: Show every key"] == "?"
        await pilot.press("escape")
        assert not isinstance(pilot.app.screen, KeysHelp)


async def test_palette_commands_and_greyed_out_keys(app: CuratorApp) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = screen_of(pilot)
        commands = list(pilot.app.get_system_commands(screen))
        titles = {c.title for c in commands if isinstance(c, SystemCommand)}
        assert "review: Accept call" in titles
        assert "review: Undo last change" not in titles  # nothing to undo yet
        disabled = {c.title for c in key_commands(screen) if not c.enabled}
        assert {"review: Undo last change", "review: Redo"} <= disabled
        accept = next(c for c in commands if c.title == "review: Accept call")
        await accept.callback()
        await settle(pilot)
        assert screen.calls_list.row(screen.calls_list.call_ids[0]).decision == "accept"
        titles = {c.title for c in pilot.app.get_system_commands(screen)}
        assert "review: Undo last change" in titles


async def test_palette_opens_and_runs_a_command(app: CuratorApp) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await pilot.press(*"accept call")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        screen = screen_of(pilot)
        assert screen.calls_list.row(screen.calls_list.call_ids[0]).decision == "accept"
