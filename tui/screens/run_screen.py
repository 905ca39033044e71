"""The run view: a run's summary, each band as a gauge, and its calls in the agent's order."""

from __future__ import annotations

from array import array
from collections.abc import Sequence

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Grid, Horizontal
from textual.widgets import Static

from core.review.query import CallRow, fetch_rows
from core.review.runs import RunView, load_run
from core.textsafe import safe_line
from tui.keys import verb
from tui.screens.calls_screen import CallsScreen
from tui.session import ReviewSession
from tui.widgets.band_gauge import BandGauge
from tui.widgets.call_detail_view import CallDetailView
from tui.widgets.calls_list import CallsList
from tui.widgets.review_header import ReviewHeader
from tui.widgets.steady_footer import SteadyFooter

SUMMARY_KEYS = ("status", "stop_reason", "target_count", "entity_count", "coverage", "prompt")


class RunScreen(CallsScreen):
    """One run; the decision keys work here too, ``A``/``R`` decide the whole run."""

    TITLE = "run"
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-medium"), (200, "-wide")]

    BINDINGS = [verb("escape,backspace", "back", "Back", "view: Back to all calls")]

    def __init__(self, session: ReviewSession, run_id: str, call_id: int | None = None) -> None:
        super().__init__(session)
        self.run_id = run_id
        self.start_call_id = call_id
        self.run: RunView | None = None

    def compose(self) -> ComposeResult:
        self.run = load_run(self.session.conn, self.run_id)
        yield ReviewHeader(f"Trace Curator · run {self.run_id}")
        yield Static(id="run-summary")
        with Grid(id="bands"):
            for band in self.run.bands if self.run else ():
                yield BandGauge(band)
        with Horizontal(id="run-panes"):
            yield CallsList(self._fetch_rows, id="run-calls", empty_text="This run has no calls.")
            yield CallDetailView(id="run-detail")
        yield SteadyFooter()

    def _fetch_rows(self, call_ids: Sequence[int]) -> list[CallRow]:
        return fetch_rows(self.session.conn, call_ids)

    def on_mount(self) -> None:
        calls = self.run.call_ids if self.run else array("q")
        self.calls_list.set_sort("seq", False)
        self.calls_list.show_calls(calls, keep_call_id=self.start_call_id)
        self.calls_list.focus()
        self._show_summary()

    def review_changed(self, *, advance: bool = False) -> None:
        super().review_changed(advance=advance)
        self.run = load_run(self.session.conn, self.run_id)
        self._show_summary()

    def reselect(self, keep_call_id: int | None) -> None:
        self.run = load_run(self.session.conn, self.run_id)
        self.calls_list.show_calls(self.run.call_ids if self.run else array("q"), keep_call_id)
        self._show_summary()

    def bulk_scope(self) -> tuple[list[int] | array[int], str]:
        selected = self.calls_list.selected_in_order()
        if selected:
            return selected, f"{len(selected):,} selected calls of run {self.run_id}"
        return self.calls_list.call_ids, f"every call of run {self.run_id}"

    def action_back(self) -> None:
        if self.maximized is not None:
            self.minimize()
        else:
            self.dismiss()

    def _show_summary(self) -> None:
        self.query_one("#run-summary", Static).update(summary_text(self.run, self.run_id))


def summary_text(run: RunView | None, run_id: str) -> Text:
    """Run id, verdict, review decision, then the summary's figures on one line."""
    if run is None:
        return Text(f"run {safe_line(run_id)} is not in the index", style="bold red")
    style = {"fail": "bold red", "pass": "bold green"}.get(run.verdict, "bold yellow")
    text = Text.assemble((f" {run.verdict.upper()} ", f"reverse {style}"), "  ")
    text.append(safe_line(run.run_id), style="bold cyan")
    text.append(f"  {len(run.call_ids)} calls")
    if run.state.decision:
        mark = "✓ run accepted" if run.state.decision == "accept" else "✗ run rejected"
        text.append(
            f"  {mark}", style="bold green" if run.state.decision == "accept" else "bold red"
        )
        if run.state.reason:
            text.append(f" ({safe_line(run.state.reason)})", style="italic")
    text.append("\n")
    if run.summary is None:
        text.append("no runs.jsonl summary: figures derived from call metadata", style="dim")
        return text
    for key in SUMMARY_KEYS:
        if key in run.summary:
            text.append(f"{key}: ", style="dim")
            text.append(f"{safe_line(run.summary[key])}  ")
    text.rstrip()
    return text
