"""The main screen: facets, search, the calls list and the detail of the highlighted call.

A filter or sort change re-selects call ids in a worker (the list keeps showing the old ones
meanwhile); facet counts follow in another worker; the search index builds in the background.
"""

from __future__ import annotations

import time
from array import array
from collections.abc import Sequence
from dataclasses import replace

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Input
from textual.worker import get_current_worker

from core.progress import Cancelled
from core.review.query import (
    CallFilter,
    CallRow,
    CallSort,
    Facet,
    FacetValue,
    facet_counts,
    fetch_rows,
    select_call_ids,
)
from core.review.search import SearchStatus, ensure_search_index, search_status
from tui.keys import verb
from tui.modals.sort_picker import SortPicker
from tui.progress_relay import ProgressRelay
from tui.screens.calls_screen import CallsScreen
from tui.screens.run_screen import RunScreen
from tui.session import ReviewSession
from tui.widgets.call_columns import SORTABLE
from tui.widgets.call_detail_view import CallDetailView
from tui.widgets.calls_list import CallsList
from tui.widgets.facet_panel import FacetPanel
from tui.widgets.review_header import ReviewHeader
from tui.widgets.search_bar import SearchBar
from tui.widgets.steady_footer import SteadyFooter


class MainScreen(CallsScreen):
    """Every call of the corpus, filtered, sorted and searched."""

    TITLE = "all calls"
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-medium"), (200, "-wide")]

    BINDINGS = [
        verb("slash", "search", "Search", "filter: Search message text"),
        verb("g,enter", "open_run", "Run", "view: Open the run of the call"),
        verb("s", "sort", "Sort", "filter: Sort by a column…", show=False),
        verb("S", "reverse_sort", "Reverse", "filter: Reverse the sort order", show=False),
        verb("f", "toggle_facets", "Facets", "view: Show or hide the facets", show=False),
        verb("c", "clear_filter", "Clear", "filter: Clear every filter and search", show=False),
    ]

    class CallsSelected(Message):
        def __init__(self, call_filter: CallFilter, sort: CallSort, ids: array[int]) -> None:
            super().__init__()
            self.call_filter, self.sort, self.ids = call_filter, sort, ids

    class FacetsCounted(Message):
        def __init__(self, call_filter: CallFilter, counts: dict[Facet, list[FacetValue]]):
            super().__init__()
            self.call_filter, self.counts = call_filter, counts

    class SearchIndexProgress(Message):
        def __init__(self, status: SearchStatus) -> None:
            super().__init__()
            self.status = status

    def __init__(self, session: ReviewSession) -> None:
        super().__init__(session)
        self.call_filter = CallFilter()
        self.sort = CallSort()
        self.search: SearchStatus | None = None
        self.filter_applied_ms: float | None = None  # for the benchmark
        self._filter_started = 0.0
        self._in_run_view = False
        self._shown_query: tuple[CallFilter, CallSort] | None = None

    def compose(self) -> ComposeResult:
        yield ReviewHeader()
        with Horizontal(id="body"):
            yield FacetPanel(id="facets")
            with Vertical(id="panes"):
                with Vertical(id="list-pane"):
                    yield SearchBar(id="search-bar")
                    yield CallsList(self._fetch_rows, id="calls")
                yield CallDetailView(id="detail")
        yield SteadyFooter()

    def _fetch_rows(self, call_ids: Sequence[int]) -> list[CallRow]:
        return fetch_rows(self.session.conn, call_ids)

    def on_mount(self) -> None:
        # The first selection runs here, not in a worker, so the first paint shows calls.
        ids = select_call_ids(self.session.conn, self.call_filter, self.sort)
        self._shown_query = (self.call_filter, self.sort)
        self.calls_list.show_calls(ids)
        self.calls_list.focus()
        self.search = search_status(self.session.conn)
        self._show_status()
        self.count_facets(self.call_filter)
        if not self.search.ready:
            self.build_search_index()

    # --- filtering ------------------------------------------------------------------------

    def apply(self, call_filter: CallFilter | None = None, sort: CallSort | None = None) -> None:
        """Change the filter and/or sort; ids are selected in a worker."""
        self.call_filter = call_filter or self.call_filter
        self.sort = sort or self.sort
        self._filter_started = time.perf_counter()
        self.query_one(FacetPanel).show_filter(self.call_filter)
        self.select_calls(self.call_filter, self.sort)

    @work(thread=True, exclusive=True, group="select", exit_on_error=False)
    def select_calls(self, call_filter: CallFilter, sort: CallSort) -> None:
        conn = self.session.connect()
        try:
            ids = select_call_ids(conn, call_filter, sort)
        finally:
            conn.close()
        if not get_current_worker().is_cancelled:
            self.post_message(self.CallsSelected(call_filter, sort, ids))

    @on(CallsSelected)
    def _calls_selected(self, message: CallsSelected) -> None:
        if (message.call_filter, message.sort) != (self.call_filter, self.sort):
            return
        self.calls_list.set_sort(self.sort.column, self.sort.descending)
        # A new search, facet or sort starts at its first call; the same one shown again
        # (a refresh) keeps the cursor on its call.
        changed = (message.call_filter, message.sort) != self._shown_query
        self._shown_query = (message.call_filter, message.sort)
        keep = None if changed else self.calls_list.current_call_id
        self.calls_list.show_calls(message.ids, keep_call_id=keep)
        self.filter_applied_ms = (time.perf_counter() - self._filter_started) * 1000
        self._show_status()
        # Counted after the list is shown, so the two never compete for the same moment.
        self.count_facets(self.call_filter)

    @work(thread=True, exclusive=True, group="facets", exit_on_error=False)
    def count_facets(self, call_filter: CallFilter) -> None:
        conn = self.session.connect()
        try:
            counts = facet_counts(conn, call_filter)
        finally:
            conn.close()
        if not get_current_worker().is_cancelled:
            self.post_message(self.FacetsCounted(call_filter, counts))

    @on(FacetsCounted)
    def _facets_counted(self, message: FacetsCounted) -> None:
        if message.call_filter == self.call_filter:
            self.query_one(FacetPanel).show_counts(message.counts, message.call_filter)

    @on(FacetPanel.Toggled)
    def _facet_toggled(self, event: FacetPanel.Toggled) -> None:
        self.apply(self.call_filter.toggled(event.facet, event.value))

    @on(SearchBar.Changed)
    def _search_changed(self, event: SearchBar.Changed) -> None:
        if event.text.strip() != self.call_filter.text.strip():
            self.apply(replace(self.call_filter, text=event.text))

    @on(SearchBar.Done)
    def _search_done(self, event: SearchBar.Done) -> None:
        self.calls_list.focus()

    @on(CallsList.SortRequested)
    def _sort_requested(self, event: CallsList.SortRequested) -> None:
        same = event.column == self.sort.column
        self.apply(sort=CallSort(event.column, not self.sort.descending if same else False))

    @on(CallsList.SelectionChanged)
    def _selection_changed(self, event: CallsList.SelectionChanged) -> None:
        self._show_status()

    def action_search(self) -> None:
        self.query_one(SearchBar).open()

    def action_sort(self) -> None:
        self.app.push_screen(SortPicker(self.sort), lambda sort: sort and self.apply(sort=sort))

    def action_reverse_sort(self) -> None:
        self.apply(sort=CallSort(self.sort.column, not self.sort.descending))

    def action_clear_filter(self) -> None:
        self.query_one(SearchBar).query_one(Input).value = ""
        self.apply(CallFilter())

    def action_toggle_facets(self) -> None:
        self.toggle_class("-facets-toggled")

    def action_open_run(self) -> None:
        run_id, call_id = self.current_run_id(), self.calls_list.current_call_id
        if run_id is not None:
            self._in_run_view = True
            self.app.push_screen(RunScreen(self.session, run_id, call_id))

    def bulk_scope(self) -> tuple[list[int] | array[int], str]:
        selected = self.calls_list.selected_in_order()
        if selected:
            return selected, f"{len(selected):,} selected calls"
        described = self.call_filter.describe()
        return self.calls_list.call_ids, (
            f"every call matching: {described}" if described else "every call in the corpus"
        )

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "clear_filter":
            return not self.call_filter.is_empty or None
        return super().check_action(action, parameters)

    def reselect(self, keep_call_id: int | None) -> None:
        ids = select_call_ids(self.session.conn, self.call_filter, self.sort)
        self.calls_list.show_calls(ids, keep_call_id=keep_call_id)
        self.search = search_status(self.session.conn)
        self._show_status()
        self.count_facets(self.call_filter)
        if not self.search.ready:
            self.build_search_index()

    def on_screen_resume(self) -> None:
        if self._in_run_view:  # back from the run view, where decisions may have changed
            self._in_run_view = False
            self.review_changed()

    def review_changed(self, *, advance: bool = False) -> None:
        super().review_changed(advance=advance)
        self.count_facets(self.call_filter)  # decision counts moved

    # --- search index ---------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="search-index", exit_on_error=False)
    def build_search_index(self) -> None:
        conn = self.session.connect()
        worker = get_current_worker()
        progress = ProgressRelay(
            lambda done, total, _detail: self.post_message(
                self.SearchIndexProgress(SearchStatus(done, total))
            )
        )
        try:
            status = ensure_search_index(conn, progress, worker.cancelled_event)
        except Cancelled:
            return
        finally:
            conn.close()
        self.post_message(self.SearchIndexProgress(status))

    @on(SearchIndexProgress)
    def _search_index_progress(self, message: SearchIndexProgress) -> None:
        was_ready = self.search is not None and self.search.ready
        self.search = message.status
        self._show_status()
        if message.status.ready and not was_ready and self.call_filter.text.strip():
            self.apply()  # results were from previews only; now search everything

    def _show_status(self) -> None:
        count = len(self.calls_list.call_ids)
        parts = [f"{count:,} calls"]
        described = self.call_filter.describe()
        if described:
            parts.append(described)
        sort = SORTABLE.get(self.sort.column, self.sort.column)
        parts.append(f"by {sort} {'▼' if self.sort.descending else '▲'}")
        selected = len(self.calls_list.selected)
        if selected:
            parts.append(f"{selected:,} selected")
        if self.search is not None and not self.search.ready:
            share = self.search.indexed / self.search.total if self.search.total else 1.0
            parts.append(f"search index {share:.0%}: previews only until ready")
        self.query_one(SearchBar).show_status(" " + " · ".join(parts))
