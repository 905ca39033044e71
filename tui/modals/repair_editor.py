"""Editing the assistant output by hand; the corrected text is saved beside the original."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, TextArea

from core.jsontext import parse_strict
from tui.safe import plain_content


class RepairEditor(ModalScreen[str | None]):
    """Returns the edited text on ctrl+s, or None when cancelled."""

    BINDINGS = [
        Binding("ctrl+s", "save", "Save repair", priority=True),
        Binding("escape", "cancel", "Cancel"),
    ]

    DEFAULT_CSS = """
    RepairEditor { align: center middle; }
    RepairEditor > Vertical {
        width: 90%; height: 85%; border: thick $accent; background: $surface; padding: 0 1;
    }
    RepairEditor TextArea { height: 1fr; }
    RepairEditor #validity { height: 1; }
    RepairEditor .hint { color: $text-muted; }
    """

    def __init__(self, text: str, title: str) -> None:
        super().__init__()
        self.text = text
        self.title_text = title

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(plain_content(self.title_text))  # quotes a run id from the corpus
            yield TextArea(self.text, id="editor", soft_wrap=True, show_line_numbers=True)
            yield Label("", id="validity")
            yield Label(
                "ctrl+s: save repair (the original is kept)  ·  esc: cancel", classes="hint"
            )

    def on_mount(self) -> None:
        self._check(self.text)

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        self._check(event.text_area.text)

    def _check(self, text: str) -> None:
        ok = parse_strict(text).ok
        label = self.query_one("#validity", Label)
        label.update("[green]✓ valid JSON[/]" if ok else "[yellow]! not valid JSON yet[/]")

    def action_save(self) -> None:
        self.dismiss(self.query_one(TextArea).text)

    def action_cancel(self) -> None:
        self.dismiss(None)
