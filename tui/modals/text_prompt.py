"""A one-line prompt for a note or tags, prefilled with the current value."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Label


class TextPrompt(ModalScreen[str | None]):
    """Returns the text entered (possibly empty, meaning "remove"), or None on cancel."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    DEFAULT_CSS = """
    TextPrompt { align: center middle; }
    TextPrompt > Vertical {
        width: 70; max-width: 95%; height: auto;
        border: thick $accent; background: $surface; padding: 0 1;
    }
    TextPrompt Input { border: tall $border; }
    TextPrompt .hint { color: $text-muted; }
    """

    def __init__(self, title: str, value: str = "", hint: str = "") -> None:
        super().__init__()
        self.title_text = title
        self.value = value
        self.hint = hint or "enter: save (empty removes)  ·  esc: cancel"

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(Content(self.title_text).stylize("bold"))
            yield Input(value=self.value, id="text")
            yield Label(self.hint, classes="hint")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.dismiss(event.value)

    def action_cancel(self) -> None:
        self.dismiss(None)
