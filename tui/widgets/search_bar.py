"""The line above the calls list: the full-text search input, and the list's status."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.message import Message
from textual.timer import Timer
from textual.widgets import Input, Static

DEBOUNCE_SECONDS = 0.15


class SearchBar(Horizontal):
    """One line above the list: the search input, then the list's status (count, filter,
    sort, selection, search index progress)."""

    DEFAULT_CSS = """
    SearchBar {
        height: 1;
        background: $panel;
        & > Input {
            border: none; height: 1; width: 1fr; max-width: 40; padding: 0 1;
            background: $panel;
        }
        & > Input:focus { border: none; background: $boost; width: 1fr; max-width: 100%; }
        & > #list-status {
            width: 2fr; color: $text-muted; text-wrap: nowrap; text-overflow: ellipsis;
        }
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
        self._status = ""

    def compose(self) -> ComposeResult:
        yield Input(placeholder="/ search messages", id="search")
        yield Static("", id="list-status")

    @property
    def text(self) -> str:
        return self.query_one(Input).value

    def open(self) -> None:
        # Focus at once (not on the next loop turn) so keys typed right after "/" land here.
        self.screen.set_focus(self.query_one(Input))

    def show_status(self, text: str) -> None:
        self._status = text
        if self.is_mounted and self.children:
            self.query_one("#list-status", Static).update(text)

    def on_mount(self) -> None:
        self.query_one("#list-status", Static).update(self._status)

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
        self.post_message(self.Done(cleared=False))

    def key_escape(self) -> None:
        input_ = self.query_one(Input)
        if self._timer is not None:
            self._timer.stop()
        input_.value = ""
        self.post_message(self.Changed(""))
        self.post_message(self.Done(cleared=True))
