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

    BINDINGS = [
        Binding("escape,q,question_mark", "close", "Close"),
        Binding("j,down", "scroll(1)", "Down", show=False),
        Binding("k,up", "scroll(-1)", "Up", show=False),
        Binding("pagedown,space", "page(1)", "Page down", show=False),
        Binding("pageup", "page(-1)", "Page up", show=False),
        Binding("g,home", "scroll(-100000)", "Top", show=False),
        Binding("G,end", "scroll(100000)", "Bottom", show=False),
    ]

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
            yield Label("j k pgup pgdn g G: scroll  ·  esc: close", classes="hint")

    def action_close(self) -> None:
        self.dismiss(None)

    def action_scroll(self, lines: int) -> None:
        self.query_one(VerticalScroll).scroll_relative(y=lines, animate=False)

    def action_page(self, pages: int) -> None:
        view = self.query_one(VerticalScroll)
        view.scroll_relative(y=pages * max(1, view.size.height - 1), animate=False)
