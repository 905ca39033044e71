"""Keeping a calls screen in step with the store when other processes change it.

A mixin of :class:`~tui.screens.calls_screen.CallsScreen`. A timer polls the store
(``core.store.watch``): after a re-check from another terminal the list is selected again with
the cursor kept on the same trace; after decisions made elsewhere the rows are repainted. Writes
the store refuses (a read-only disk, a damaged file) become an error notification.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from core.review.decisions import history
from core.store.db import StoreError, WorkspaceBusy, db_path
from core.store.health import damage_message, is_damage, is_read_only_write, read_only_message
from core.store.watch import StoreWatch, call_id_of_trace
from core.store.write_failures import describe_write_failure

if TYPE_CHECKING:
    from core.review.decisions import History
    from core.review.detail import CallDetail
    from tui.session import ReviewSession
    from tui.widgets.calls_list import CallsList

T = TypeVar("T")
STORE_POLL_SECONDS = 1.0


class StoreSync:
    """Polls the store each second; :meth:`stored` runs a write that may be refused."""

    if TYPE_CHECKING:
        session: ReviewSession
        detail: CallDetail | None
        calls_list: CallsList
        history: History
        is_current: bool

        def reload_detail(self) -> None: ...
        def count_tally(self) -> None: ...
        def sync_bindings(self) -> None: ...
        def notify(self, message: str, **kwargs: object) -> None: ...
        def set_interval(self, interval: float, callback: Any, **kwargs: Any) -> Any: ...

    def watch_store(self) -> None:
        """Start polling (from ``on_mount``)."""
        self._store_watch = StoreWatch(self.session.conn)
        self.set_interval(STORE_POLL_SECONDS, self._poll_store, name="store-watch")

    def _poll_store(self) -> None:
        if not self.is_current:  # the screen on top polls; this one catches up when resumed
            return
        try:
            change = self._store_watch.poll()
        except sqlite3.Error:  # busy or damaged: the next poll (or the next action) will tell
            return
        if change == "index":
            trace = self.highlighted_trace_id()
            self.reselect(call_id_of_trace(self.session.conn, trace))
            self.reload_detail()
            self.count_tally()
            self.history = history(self.session.conn)
            self.sync_bindings()
            self.notify("The corpus was re-checked elsewhere; the list is up to date.")
        elif change == "data":
            self.calls_list.refresh_rows()
            self.history = history(self.session.conn)
            self.count_tally()
            self.sync_bindings()

    def highlighted_trace_id(self) -> str | None:
        """The highlighted call's trace id as last fetched (its row may be gone already)."""
        call_id = self.calls_list.current_call_id
        if call_id is None:
            return None
        row = self.calls_list.row(call_id)
        if row is not None:
            return row.trace_id
        detail = self.detail
        return detail.trace_id if detail is not None and detail.call_id == call_id else None

    def reselect(self, keep_call_id: int | None) -> None:
        """Select this screen's calls again after a re-index (each screen knows which)."""
        self.calls_list.show_calls(self.calls_list.call_ids, keep_call_id=keep_call_id)

    def stored(self, write: Callable[..., T], *args: Any) -> T | None:
        """Run a write on the UI connection; a read-only, damaged, full or busy store (another
        process held it past the bounded wait) is a notification, never a crash."""
        try:
            return write(self.session.conn, *args)
        except (StoreError, sqlite3.DatabaseError) as exc:
            database = db_path(self.session.workspace)
            title = "Not recorded"
            if isinstance(exc, WorkspaceBusy):
                message, title = f"not recorded: {exc}", "Workspace busy"
            elif is_read_only_write(exc):
                message = read_only_message(database, "review")
            elif is_damage(exc):
                message = damage_message(database, str(exc))
            else:
                message = describe_write_failure(exc, database) or (
                    str(exc) if isinstance(exc, StoreError) else None
                )
                if message is None:
                    raise
            self.notify(message, title=title, severity="error", timeout=10)
            return None
