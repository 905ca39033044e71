"""Facets, search and sort: the list, its navigation and the facet counts follow the filter."""

from __future__ import annotations

from textual.widgets import Input

from core.review.query import CallFilter, CallSort
from tests.tui.conftest import screen_of, settle
from tui.app import CuratorApp
from tui.modals.sort_picker import SortPicker
from tui.screens.main_screen import MainScreen
from tui.widgets.facet_panel import FacetPanel


def _main(pilot) -> MainScreen:  # noqa: ANN001
    screen = screen_of(pilot)
    assert isinstance(screen, MainScreen)
    return screen


async def test_facet_toggle_filters_and_counts(app: CuratorApp) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = _main(pilot)
        panel = screen.query_one(FacetPanel)
        panel.focus()
        panel.highlighted = panel.get_option_index("task\textraction")
        await pilot.press("enter")
        await settle(pilot)
        assert screen.call_filter.tasks == {"extraction"}
        assert len(screen.calls_list.call_ids) == 8
        rows = [screen.calls_list.row(i) for i in screen.calls_list.call_ids]
        assert {r.task for r in rows if r} == {"extraction"}
        assert panel.highlighted == panel.get_option_index("task\textraction")
        verdict = panel.get_option("verdict\tfail")
        assert verdict.prompt.plain.split()[-1] == "4"  # extraction calls that fail
        await pilot.press("space")  # toggles the same value off again
        await settle(pilot)
        assert screen.call_filter.is_empty and len(screen.calls_list.call_ids) == 21


async def test_navigation_respects_the_filter(app: CuratorApp) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = _main(pilot)
        screen.apply(CallFilter(rules=frozenset({"run.status"})))
        await settle(pilot)
        seen = []
        for _ in range(len(screen.calls_list.call_ids)):
            seen.append(screen.detail.run_id)
            await pilot.press("j")
            await settle(pilot)
        assert seen == ["r-0003"] * 5
        assert screen.calls_list.cursor == 4  # the last row, no further


async def test_search_filters_by_message_text(app: CuratorApp) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = _main(pilot)
        assert screen.search is not None and screen.search.ready
        await pilot.press("slash")
        search = screen.query_one("#search", Input)
        assert search.has_focus
        await pilot.press(*"flor", "enter")
        await settle(pilot)
        assert screen.call_filter.text == "flor"
        assert [screen.calls_list.row(i).run_id for i in screen.calls_list.call_ids] == [
            "planning.jsonl#5"
        ]
        assert screen.calls_list.has_focus
        await pilot.press("slash", "escape")
        await settle(pilot)
        assert screen.call_filter.text == "" and len(screen.calls_list.call_ids) == 21


async def test_sort_picker_reverse_and_header_click(app: CuratorApp) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = _main(pilot)
        await pilot.press("s")
        picker = pilot.app.screen
        assert isinstance(picker, SortPicker)
        options = picker.query_one("OptionList")
        options.highlighted = options.get_option_index("chars")
        await pilot.press("enter")
        await settle(pilot)
        assert screen.sort == CallSort("chars", True)
        chars = [screen.calls_list.row(i).context_chars for i in screen.calls_list.call_ids[:5]]
        assert chars == sorted(chars, reverse=True)
        await pilot.press("S")
        await settle(pilot)
        assert screen.sort == CallSort("chars", False)
        await pilot.click("#calls", offset=(16, 0))  # the "task" header
        await settle(pilot)
        assert screen.sort.column == "task"


async def test_clear_filter(app: CuratorApp) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = _main(pilot)
        assert screen.check_action("clear_filter", ()) is None
        screen.apply(CallFilter(tasks=frozenset({"planning"}), text="bakery"))
        await settle(pilot)
        assert len(screen.calls_list.call_ids) == 4
        await pilot.press("c")
        await settle(pilot)
        assert screen.call_filter.is_empty and len(screen.calls_list.call_ids) == 21
