"""The search line: an input for full-text search and the search index's state beside it."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.message import Message
from textual.timer import Timer
from textual.widgets import Input, Static

from core.review.search import SearchStatus

DEBOUNCE_SECONDS = 0.15


class SearchBar(Horizontal):
    """``/ acme_          index 45% (previews only until ready)``; hidden while unused."""

    DEFAULT_CSS = """
    SearchBar {
        height: 1;
        background: $panel;
        display: none;
        &.-active { display: block; }
        & > Input { border: none; height: 1; width: 1fr; padding: 0 1; background: $panel; }
        & > Input:focus { border: none; background-tint: $foreground 5%; }
        & > #search-index { width: auto; color: $text-muted; padding: 0 1; }
    }
    """

    class Changed(Message):
        """The search text settled on a new value (debounced)."""

        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

    class Done(Message):
        """The user left the search input (enter keeps the search, escape clears it)."""

        def __init__(self, cleared: bool) -> None:
            super().__init__()
            self.cleared = cleared

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._timer: Timer | None = None

    def compose(self) -> ComposeResult:
        yield Input(placeholder="search message text…  (enter: keep, esc: clear)", id="search")
        yield Static("", id="search-index")

    @property
    def text(self) -> str:
        return self.query_one(Input).value

    def open(self) -> None:
        self.add_class("-active")
        self.query_one(Input).focus()

    def show_status(self, status: SearchStatus | None) -> None:
        label = self.query_one("#search-index", Static)
        if status is None or status.ready:
            label.update("")
        else:
            share = status.indexed / status.total if status.total else 1.0
            label.update(f"index {share:.0%} — previews only until ready")

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(
            DEBOUNCE_SECONDS, lambda: self.post_message(self.Changed(event.value))
        )

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if self._timer is not None:
            self._timer.stop()
        self.post_message(self.Changed(event.value))
        if not event.value.strip():
            self.remove_class("-active")
        self.post_message(self.Done(cleared=False))

    def key_escape(self) -> None:
        input_ = self.query_one(Input)
        if self._timer is not None:
            self._timer.stop()
        input_.value = ""
        self.remove_class("-active")
        self.post_message(self.Changed(""))
        self.post_message(self.Done(cleared=True))
