"""What the main screen and the run view share: a calls list, a detail pane loaded in an
exclusive worker, the review header, and every decision key.

A decision is written through ``core.review.decisions`` on the UI thread's connection, and only
then does the screen change: what the user sees as done is already committed. Changes made by
other processes reach the screen through :class:`~tui.screens.store_sync.StoreSync`.
"""

from __future__ import annotations

import time
from array import array

from textual import on, work
from textual.css.query import NoMatches
from textual.message import Message
from textual.screen import Screen
from textual.worker import get_current_worker

from core.review.decisions import History, Target, decide, history, redo, undo
from core.review.detail import CallDetail
from core.review.query import trace_ids_of
from core.review.tally import ReviewTally, review_tally
from core.review.verdict_counts import verdict_counts
from tui.keys import verb
from tui.modals.bulk_confirm import BulkChoice, BulkConfirm
from tui.modals.reject_reason import RejectReason
from tui.screens.quick_resume import QuickResume
from tui.screens.repair_actions import REPAIR_BINDINGS, RepairActions
from tui.screens.store_sync import StoreSync
from tui.session import ReviewSession
from tui.widgets.call_detail_view import CallDetailView
from tui.widgets.calls_list import CallsList
from tui.widgets.review_header import ReviewHeader

NEEDS_CALL = {
    "accept_call",
    "reject_call",
    "accept_run",
    "reject_run",
    "note",
    "tags",
    "open_run",
    "zoom_detail",
}


class CallsScreen(QuickResume, RepairActions, StoreSync, Screen[None]):
    """Base of the screens that list calls; subclasses compose the widgets and say what a bulk
    action covers (:meth:`bulk_scope`)."""

    BINDINGS = [
        verb("a", "accept_call", "Accept", "review: Accept call"),
        verb("r", "reject_call", "Reject", "review: Reject call…"),
        verb("u", "undo", "Undo", "review: Undo last change"),
        verb("U", "redo", "Redo", "review: Redo", show=False),
        verb("A", "accept_run", "Accept run", "review: Accept the whole run", show=False),
        verb("R", "reject_run", "Reject run", "review: Reject the whole run…", show=False),
        *REPAIR_BINDINGS,
        verb("B", "bulk", "Bulk", "review: Decide every call in the selection or filter…"),
        verb("z", "zoom_detail", "Zoom", "view: Zoom the detail pane in or out", show=False),
        verb("J", "scroll_detail(3)", "Detail ↓", "view: Scroll the detail down", show=False),
        verb("K", "scroll_detail(-3)", "Detail ↑", "view: Scroll the detail up", show=False),
    ]

    class DetailLoaded(Message):
        def __init__(self, call_id: int, detail: CallDetail | None, started: float) -> None:
            super().__init__()
            self.call_id, self.detail, self.started = call_id, detail, started

    class TallyCounted(Message):
        def __init__(self, tally: ReviewTally) -> None:
            super().__init__()
            self.tally = tally

    class BulkDecided(Message):
        def __init__(self, summary: str, error: str | None = None) -> None:
            super().__init__()
            self.summary, self.error = summary, error

    def __init__(self, session: ReviewSession, *, name: str | None = None) -> None:
        super().__init__(name=name)
        self.session = session
        self.detail: CallDetail | None = None
        self.history = History(None, None)
        self.last_detail_ms: float | None = None  # for the benchmark
        self._binding_state: tuple[bool | None, ...] = ()
        self._calls_list: CallsList | None = None
        self._detail_view: CallDetailView | None = None

    @property
    def calls_list(self) -> CallsList:
        if self._calls_list is None:
            self._calls_list = self.query_one(CallsList)
        return self._calls_list

    @property
    def detail_view(self) -> CallDetailView:
        if self._detail_view is None:
            self._detail_view = self.query_one(CallDetailView)
        return self._detail_view

    def on_mount(self) -> None:
        self.history = history(self.session.conn)
        self.count_tally()
        self.watch_store()

    # --- detail ---------------------------------------------------------------------------

    @on(CallsList.Highlighted)
    def _call_highlighted(self, event: CallsList.Highlighted) -> None:
        if event.call_id is None:
            self.detail = None
            self.detail_view.show_message("No calls match.")
        else:
            self.load_detail(event.call_id, time.perf_counter())
        self.sync_bindings()

    @work(thread=True, exclusive=True, group="detail", exit_on_error=False)
    def load_detail(self, call_id: int, started: float) -> None:
        worker = get_current_worker()
        conn = self.session.connect()
        try:
            detail = self.session.details.load(conn, call_id)
        finally:
            conn.close()
        if not worker.is_cancelled:
            self.post_message(self.DetailLoaded(call_id, detail, started))

    @on(DetailLoaded)
    def _detail_loaded(self, message: DetailLoaded) -> None:
        if message.call_id != self.calls_list.current_call_id:
            return  # the cursor moved on
        same_call = self.detail is not None and self.detail.call_id == message.call_id
        self.detail = message.detail
        self.detail_view.show(message.detail, keep_scroll=same_call)
        self.last_detail_ms = (time.perf_counter() - message.started) * 1000
        self.sync_bindings()

    def reload_detail(self) -> None:
        call_id = self.calls_list.current_call_id
        if call_id is not None:
            self.load_detail(call_id, time.perf_counter())

    # --- tally ----------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="tally", exit_on_error=False)
    def count_tally(self) -> None:
        conn = self.session.connect()
        try:
            tally = review_tally(conn)
        finally:
            conn.close()
        self.post_message(self.TallyCounted(tally))

    @on(TallyCounted)
    def _tally_counted(self, message: TallyCounted) -> None:
        self.query_one(ReviewHeader).show(message.tally)

    # --- decisions ------------------------------------------------------------------------

    def current_trace_id(self) -> str | None:
        call_id = self.calls_list.current_call_id
        if call_id is None:
            return None
        found = trace_ids_of(self.session.conn, [call_id])
        return found[0] if found else None

    def current_run_id(self) -> str | None:
        call_id = self.calls_list.current_call_id
        if call_id is None:
            return None
        row = self.session.conn.execute("SELECT run_id FROM calls WHERE id = ?", (call_id,))
        found = row.fetchone()
        return None if found is None else found[0]

    def failing_rules(self) -> list[str]:
        detail = self.detail
        if detail is None or detail.call_id != self.calls_list.current_call_id:
            return []
        return detail.failing_rules

    def review_changed(self, *, advance: bool = False) -> None:
        """Repaint after a committed change: rows, detail, header, history, keys."""
        self.calls_list.refresh_rows()
        self.history = history(self.session.conn)
        if advance and self.calls_list.cursor < len(self.calls_list.call_ids) - 1:
            self.calls_list.cursor += 1
        else:
            self.reload_detail()
        self.count_tally()
        self.sync_bindings()

    def action_accept_call(self) -> None:
        trace = self.current_trace_id()
        if trace is not None and self.stored(decide, [Target("call", trace)], "accept"):
            self.review_changed(advance=True)

    def action_reject_call(self) -> None:
        trace = self.current_trace_id()
        if trace is None:
            return

        def rejected(reason: str | None) -> None:
            if reason is not None and self.stored(
                decide, [Target("call", trace)], "reject", reason or None
            ):
                self.review_changed(advance=True)

        self.app.push_screen(RejectReason("this call", self.failing_rules()), rejected)

    def action_accept_run(self) -> None:
        run_id = self.current_run_id()
        if run_id is not None and self.stored(decide, [Target("run", run_id)], "accept"):
            self.notify(f"accepted run {run_id} (calls with their own decision keep it)")
            self.review_changed()

    def action_reject_run(self) -> None:
        run_id = self.current_run_id()
        if run_id is None:
            return
        rules = [r for r in self.failing_rules() if r.startswith(("run.", "band."))]

        def rejected(reason: str | None) -> None:
            if reason is not None and self.stored(
                decide, [Target("run", run_id)], "reject", reason or None
            ):
                self.notify(f"rejected run {run_id}")
                self.review_changed()

        self.app.push_screen(RejectReason(f"run {run_id}", rules), rejected)

    def action_undo(self) -> None:
        result = self.stored(undo)
        if result is not None:
            self.notify(result.summary, title="Undone")
            self.review_changed()

    def action_redo(self) -> None:
        result = self.stored(redo)
        if result is not None:
            self.notify(result.summary, title="Redone")
            self.review_changed()

    # --- bulk -----------------------------------------------------------------------------

    def bulk_scope(self) -> tuple[list[int] | array[int], str]:
        """The calls a bulk action covers and a phrase saying which (overridden per screen)."""
        selected = self.calls_list.selected_in_order()
        if selected:
            return selected, "the selected calls"
        return self.calls_list.call_ids, "every call in this list"

    def action_bulk(self) -> None:
        call_ids, scope = self.bulk_scope()
        if not call_ids:
            return

        def chosen(choice: BulkChoice | None) -> None:
            if choice is not None:
                self.notify(f"{choice}ing {len(call_ids):,} calls…")
                self.bulk_decide(list(call_ids), choice)

        verdicts = verdict_counts(self.session.conn, call_ids)
        confirm = BulkConfirm(
            len(call_ids), scope, failing=verdicts["fail"], unknown=verdicts["unknown"]
        )
        self.app.push_screen(confirm, chosen)

    @work(thread=True, exclusive=True, group="bulk", exit_on_error=False)
    def bulk_decide(self, call_ids: list[int], choice: BulkChoice) -> None:
        conn = self.session.connect()
        try:
            targets = [Target("call", t) for t in trace_ids_of(conn, call_ids)]
            result = decide(conn, targets, choice)
        except Exception as exc:  # reported, not raised: the app must survive a failed bulk
            self.post_message(self.BulkDecided("", error=str(exc)))
            return
        finally:
            conn.close()
        self.post_message(self.BulkDecided(result.summary))

    @on(BulkDecided)
    def _bulk_decided(self, message: BulkDecided) -> None:
        if message.error:
            self.notify(message.error, title="Bulk decision failed", severity="error")
            return
        self.calls_list.action_clear_selection()
        self.notify(message.summary, title="Recorded")
        self.review_changed()

    # --- view -----------------------------------------------------------------------------

    def action_zoom_detail(self) -> None:
        # Focus goes with the zoom: left alone, it would fall to the next focusable widget,
        # the search input, and the keys that follow would be typed into it.
        if self.maximized is not None:
            self.minimize()
            self.set_focus(self.calls_list)
        else:
            self.maximize(self.detail_view, container=False)
            self.set_focus(self.detail_view)

    def action_scroll_detail(self, lines: int) -> None:
        self.detail_view.scroll_relative(y=lines, animate=False)

    def sync_bindings(self) -> None:
        """Redraw the footer only when what applies has changed: a redraw recomposes it, and
        doing that on every cursor move would cost more than the move itself."""
        actions = sorted({b.action for _key, b in self._bindings if b.action.isidentifier()})
        state = tuple(self.check_action(action, ()) for action in actions)
        if state != self._binding_state:
            self._binding_state = state
            self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        try:
            calls = self.calls_list
        except NoMatches:  # not composed yet
            return None
        has_call = calls.current_call_id is not None
        if action in NEEDS_CALL and not has_call:
            return None
        if action == "undo":
            return self.history.undo is not None or None
        if action == "redo":
            return self.history.redo is not None or None
        if action == "bulk":
            return bool(calls.call_ids) or None
        return self.check_repair_action(action)
