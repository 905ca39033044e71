"""An auto-repair shown as a diff before it is saved."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Label, Static

from core.review.repair import AutoRepair

MAX_DIFF_LINES = 2_000


class RepairDiff(ModalScreen[bool]):
    """Returns True to save the repair, False to drop it."""

    BINDINGS = [
        Binding("enter,y", "save", "Save repair"),
        Binding("escape,n", "cancel", "Cancel"),
    ]

    DEFAULT_CSS = """
    RepairDiff { align: center middle; }
    RepairDiff > Vertical {
        width: 90%; height: auto; max-height: 85%;
        border: thick $success; background: $surface; padding: 0 1;
    }
    RepairDiff VerticalScroll { height: auto; max-height: 30; background: $panel; }
    RepairDiff .hint { color: $text-muted; }
    """

    def __init__(self, repair: AutoRepair) -> None:
        super().__init__()
        self.repair = repair

    def compose(self) -> ComposeResult:
        fixes = ", ".join(self.repair.fixes)
        with Vertical():
            yield Label(Text.assemble(("Auto-repair", "bold"), f" — fixes {fixes}"))
            with VerticalScroll():
                yield Static(diff_text(self.repair.diff), id="diff")
            yield Label("enter: save repair (the original is kept)  ·  esc: cancel", classes="hint")

    def action_save(self) -> None:
        self.dismiss(True)

    def action_cancel(self) -> None:
        self.dismiss(False)


def diff_text(lines: tuple[str, ...]) -> Text:
    """A unified diff coloured: removals red, additions green, hunk headers cyan."""
    text = Text()
    for line in lines[:MAX_DIFF_LINES]:
        if line.startswith(("---", "+++")):
            style = "bold"
        elif line.startswith("@@"):
            style = "cyan"
        elif line.startswith("-"):
            style = "red"
        elif line.startswith("+"):
            style = "green"
        else:
            style = ""
        text.append(line + "\n", style=style)
    if len(lines) > MAX_DIFF_LINES:
        text.append(f"… {len(lines) - MAX_DIFF_LINES:,} more lines", style="dim italic")
    text.rstrip()
    return text
