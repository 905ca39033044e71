"""Bulk decisions: over the filter or the selection, only after a confirmation with the count."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Label

from core.review.query import CallFilter, fetch_rows, select_call_ids
from tests.tui.conftest import screen_of, settle
from tui.app import CuratorApp
from tui.modals.bulk_confirm import BulkConfirm
from tui.screens.main_screen import MainScreen


def _decisions(app: CuratorApp) -> dict[str, int]:
    conn = app.session.conn
    counts: dict[str, int] = {}
    for row in fetch_rows(conn, select_call_ids(conn, CallFilter())):
        counts[str(row.decision)] = counts.get(str(row.decision), 0) + 1
    return counts


async def test_bulk_reject_everything_in_the_filter(app: CuratorApp) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = screen_of(pilot)
        assert isinstance(screen, MainScreen)
        conn = app.session.conn
        failing = conn.execute("SELECT COUNT(*) FROM calls WHERE verdict = 'fail'").fetchone()[0]
        total = conn.execute("SELECT COUNT(*) FROM calls").fetchone()[0]
        assert 0 < failing < total
        screen.apply(CallFilter(verdicts=frozenset({"fail"})))
        await settle(pilot)
        await pilot.press("B")
        modal = pilot.app.screen
        assert isinstance(modal, BulkConfirm) and modal.count == failing
        assert f"Decide {failing} calls?" in str(modal.query_one("#count", Label).render())
        assert "verdict=fail" in modal.scope
        await pilot.press("r")
        await settle(pilot)
        assert _decisions(app) == {"reject": failing, "None": total - failing}
        assert screen.query_one("ReviewHeader").tally.overall.rejected == failing


async def test_bulk_accept_the_selection_then_undo(app: CuratorApp) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = screen_of(pilot)
        await pilot.press("space", "space", "j", "space")  # select rows 0, 1 and 3
        assert len(screen.calls_list.selected) == 3
        await pilot.press("B")
        assert pilot.app.screen.count == 3
        await pilot.press("a")
        await settle(pilot)
        assert _decisions(app) == {"accept": 3, "None": 18}
        assert not screen.calls_list.selected  # a bulk action clears the selection
        await pilot.press("u")
        await settle(pilot)
        assert _decisions(app) == {"None": 21}


async def test_cancelled_bulk_changes_nothing(app: CuratorApp, workspace: Path) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("B", "escape")
        await settle(pilot)
        assert _decisions(app) == {"None": 21}
        await pilot.press("B")
        await pilot.click("#cancel")
        await settle(pilot)
        assert _decisions(app) == {"None": 21}
