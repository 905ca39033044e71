"""The run view: bands as gauges, the run's calls in order, run decisions, back to the list."""

from __future__ import annotations

from core.review.decisions import Target, state_of
from tests.tui.conftest import move_to, screen_of, settle
from tui.app import CuratorApp
from tui.screens.main_screen import MainScreen
from tui.screens.run_screen import RunScreen
from tui.widgets.band_gauge import BandGauge, band_text


async def test_g_opens_the_run_with_its_bands_and_calls(app: CuratorApp) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await move_to(pilot, "c.run_id = 'r-0003' AND c.seq = 4")
        start = screen_of(pilot).calls_list.current_call_id
        await pilot.press("g")
        await settle(pilot)
        run = pilot.app.screen
        assert isinstance(run, RunScreen) and run.run_id == "r-0003"
        gauges = {g.band.rule: g.band for g in run.query(BandGauge)}
        assert gauges["run.status"].status == "fail" and gauges["band.coverage"].status == "fail"
        assert "0.3 < 0.65" in band_text(gauges["band.coverage"], 80).plain
        seqs = [run.calls_list.row(i).seq for i in run.calls_list.call_ids]
        assert seqs == [1, 2, 3, 4, 5]
        assert run.calls_list.current_call_id == start  # the call we came from
        summary = str(run.query_one("#run-summary").render())
        assert "aborted" in summary and "budget exhausted" in summary


async def test_unknown_bands_say_so(app: CuratorApp) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await move_to(pilot, "c.run_id = 'planning.jsonl#5'")
        await pilot.press("enter")
        await settle(pilot)
        texts = [band_text(g.band, 80).plain for g in pilot.app.screen.query(BandGauge)]
        assert texts and all("unknown" in t for t in texts)


async def test_decisions_in_the_run_view_show_back_in_the_list(app: CuratorApp) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await move_to(pilot, "c.run_id = 'r-0001'")
        await pilot.press("g")
        await settle(pilot)
        run = screen_of(pilot)
        await pilot.press("A")
        await settle(pilot)
        assert state_of(run.session.conn, Target("run", "r-0001")).decision == "accept"
        assert "run accepted" in str(run.query_one("#run-summary").render())
        await pilot.press("home", "j", "r", "enter")  # the second call rejected on its own
        await settle(pilot)
        rows = [run.calls_list.row(i) for i in run.calls_list.call_ids]
        assert [(r.decision, r.decided_on) for r in rows[:2]] == [
            ("accept", "run"),
            ("reject", "call"),
        ]
        await pilot.press("escape")
        await settle(pilot)
        main = pilot.app.screen
        assert isinstance(main, MainScreen)
        assert main.query_one("ReviewHeader").tally.overall.reviewed == 5
        row = main.calls_list.row(main.calls_list.current_call_id)
        assert row.run_id == "r-0001" and row.decision is not None
