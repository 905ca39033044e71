"""A yes/no question for a step that writes, spends or cannot be undone; says what it does."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Label, Static


class Confirm(ModalScreen[bool]):
    """Returns True when confirmed (``y`` or the button), False on ``n``/escape."""

    BINDINGS = [
        Binding("y", "answer(True)", "Yes"),
        Binding("escape,n", "answer(False)", "No"),
    ]

    DEFAULT_CSS = """
    Confirm { align: center middle; }
    Confirm > Vertical {
        width: 76; max-width: 95%; height: auto; max-height: 90%;
        border: thick $warning; background: $surface; padding: 0 1;
    }
    Confirm #confirm-body { margin: 1 0; height: auto; }
    Confirm Horizontal { height: auto; align-horizontal: center; }
    Confirm Button { margin: 0 1; }
    """

    def __init__(self, title: str, body: str, confirm: str, *, danger: bool = False) -> None:
        super().__init__()
        self.title_text = title
        self.body = body
        self.confirm_label = confirm
        self.danger = danger

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(Content(self.title_text).stylize("bold"), id="title")
            yield Static(self.body, id="confirm-body", markup=False)
            with Horizontal():
                variant = "error" if self.danger else "primary"
                yield Button(f"{self.confirm_label} (y)", variant=variant, id="yes")
                yield Button("Cancel (esc)", id="no")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id == "yes")

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)
