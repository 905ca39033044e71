"""``?``: every key of the screen it was opened from, with what it does."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Label, Static

from tui.keys import KeyCommand

NAVIGATION = [
    ("↑ ↓  k j", "move the cursor"),
    ("pgup pgdn  home end G", "page, first, last call"),
    ("tab  shift+tab", "move between facets, list and detail"),
    ("ctrl+p", "command palette: every action by name"),
]


class KeysHelp(ModalScreen[None]):
    """Lists the keys; any of escape, q or ? closes it."""

    BINDINGS = [Binding("escape,q,question_mark", "close", "Close")]

    DEFAULT_CSS = """
    KeysHelp { align: center middle; }
    KeysHelp > Vertical {
        width: 84; max-width: 95%; height: 90%; border: thick $accent; background: $surface;
        padding: 0 1;
    }
    KeysHelp VerticalScroll { height: 1fr; }
    KeysHelp .hint { color: $text-muted; }
    """

    def __init__(self, commands: list[KeyCommand], screen_name: str) -> None:
        super().__init__()
        self.commands = commands
        self.screen_name = screen_name

    def compose(self) -> ComposeResult:
        table = Table(box=None, expand=True, show_header=False, padding=(0, 2, 0, 0))
        table.add_column("keys", style="bold cyan", no_wrap=True)
        table.add_column("does")
        for keys, does in NAVIGATION:
            table.add_row(Text(keys), Text(does))
        table.add_row("", "")
        for command in self.commands:
            if command.enabled:
                table.add_row(Text(command.keys), Text(command.title))
            else:
                table.add_row(Text(command.keys), Text(f"{command.title}  (not now)", "dim"))
        with Vertical():
            yield Label(f"[b]Keys — {self.screen_name}[/b]")
            with VerticalScroll():
                yield Static(table)
            yield Label("esc: close", classes="hint")

    def action_close(self) -> None:
        self.dismiss(None)
