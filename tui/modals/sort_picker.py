"""Choosing the calls list's order: any column; choosing the current one flips the direction."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

from core.review.query import CallSort
from tui.widgets.call_columns import SORTABLE
from tui.widgets.vim_option_list import VimOptionList


class SortPicker(ModalScreen[CallSort | None]):
    """Returns the new sort, or None when cancelled."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    DEFAULT_CSS = """
    SortPicker { align: center middle; }
    SortPicker > Vertical {
        width: 40; height: auto; border: thick $accent; background: $surface; padding: 0 1;
    }
    SortPicker OptionList, SortPicker OptionList:focus { height: auto; border: none; padding: 0; }
    SortPicker .hint { color: $text-muted; }
    """

    def __init__(self, current: CallSort) -> None:
        super().__init__()
        self.current = current

    def compose(self) -> ComposeResult:
        options = []
        for key, header in SORTABLE.items():
            arrow = ""
            if key == self.current.column:
                arrow = "  ▼ (now)" if self.current.descending else "  ▲ (now)"
            options.append(Option(f"{header}{arrow}", id=key))
        with Vertical():
            yield Label("[b]Sort calls by[/b]")
            yield VimOptionList(*options)
            yield Label("enter: choose (again: reverse)  ·  esc: cancel", classes="hint")

    def on_mount(self) -> None:
        keys = list(SORTABLE)
        option_list = self.query_one(OptionList)
        option_list.highlighted = (
            keys.index(self.current.column) if self.current.column in keys else 0
        )

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        column = event.option.id or "corpus"
        if column == self.current.column:
            self.dismiss(CallSort(column, not self.current.descending))
        else:
            self.dismiss(CallSort(column, column == "chars"))

    def action_cancel(self) -> None:
        self.dismiss(None)
