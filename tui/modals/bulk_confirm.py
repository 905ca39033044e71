"""Confirming a bulk decision: says exactly how many calls it touches, and which."""

from __future__ import annotations

from typing import Literal

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Label

BulkChoice = Literal["accept", "reject"]


class BulkConfirm(ModalScreen[BulkChoice | None]):
    """Returns "accept" or "reject", or None when cancelled."""

    BINDINGS = [
        Binding("a", "choose('accept')", "Accept all"),
        Binding("r", "choose('reject')", "Reject all"),
        Binding("escape,n", "cancel", "Cancel"),
    ]

    DEFAULT_CSS = """
    BulkConfirm { align: center middle; }
    BulkConfirm > Vertical {
        width: 66; max-width: 95%; height: auto;
        border: thick $warning; background: $surface; padding: 0 1;
    }
    BulkConfirm #scope { color: $text-muted; margin-bottom: 1; }
    BulkConfirm #failing { color: $warning; text-style: bold; margin-bottom: 1; }
    BulkConfirm Horizontal { height: auto; align-horizontal: center; }
    BulkConfirm Button { margin: 0 1; }
    """

    def __init__(self, count: int, scope: str, *, failing: int = 0, unknown: int = 0) -> None:
        super().__init__()
        self.count = count
        self.scope = scope
        self.failing = failing
        self.unknown = unknown

    def warning(self) -> str:
        """What accepting would let through: accepted calls are exported even when failing."""
        parts = []
        if self.failing:
            parts.append(f"{self.failing:,} fail a rule")
        if self.unknown:
            parts.append(f"{self.unknown:,} have an unknown verdict")
        if not parts:
            return ""
        return f"⚠ {' and '.join(parts)}: accepted, they are exported anyway"

    def compose(self) -> ComposeResult:
        noun = "call" if self.count == 1 else "calls"
        with Vertical():
            yield Label(f"[b]Decide {self.count:,} {noun}?[/b]", id="count")
            yield Label(self.scope, id="scope")
            if self.warning():
                yield Label(self.warning(), id="failing")
            with Horizontal():
                yield Button(f"Accept {self.count:,} (a)", variant="success", id="accept")
                yield Button(f"Reject {self.count:,} (r)", variant="error", id="reject")
                yield Button("Cancel (esc)", id="cancel")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id in ("accept", "reject"):
            self.dismiss(event.button.id)  # type: ignore[arg-type]
        else:
            self.dismiss(None)

    def action_choose(self, choice: BulkChoice) -> None:
        self.dismiss(choice)

    def action_cancel(self) -> None:
        self.dismiss(None)
