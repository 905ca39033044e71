"""Choosing where to upload an export: the provider (with whether its key is set) and whether
the held-out files go too (they can then serve as a job's eval dataset)."""

from __future__ import annotations

from dataclasses import dataclass

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Checkbox, Label, OptionList
from textual.widgets.option_list import Option

from tui.widgets.tick_box import TickBox
from tui.widgets.vim_option_list import VimOptionList


@dataclass(frozen=True, slots=True)
class UploadChoice:
    """What the picker returns."""

    provider: str
    heldout: bool


class UploadPicker(ModalScreen[UploadChoice | None]):
    """Enter uploads to the highlighted provider; ``h`` toggles the held-out files."""

    BINDINGS = [
        Binding("h", "toggle_heldout", "Held-out too"),
        Binding("escape", "cancel", "Cancel"),
    ]

    DEFAULT_CSS = """
    UploadPicker { align: center middle; }
    UploadPicker > Vertical {
        width: 76; max-width: 95%; height: auto;
        border: thick $accent; background: $surface; padding: 0 1;
    }
    UploadPicker OptionList { height: auto; max-height: 8; margin: 1 0 0 0; }
    UploadPicker .hint { color: $text-muted; }
    """

    def __init__(self, folder: str, providers: dict[str, str | None], default: str) -> None:
        """``providers`` maps each name to None when usable, else why not (a missing key)."""
        super().__init__()
        self.folder = folder
        self.providers = providers
        self.default = default

    def compose(self) -> ComposeResult:
        options = []
        for name, problem in self.providers.items():
            prompt = Content.from_markup("[b]$name[/b]", name=name.ljust(10))
            if problem:
                prompt = prompt + Content.from_markup("  [dim]$problem[/dim]", problem=problem)
            options.append(Option(prompt, id=name))
        with Vertical():
            yield Label(Content.from_markup("[b]Upload[/b] $folder", folder=self.folder))
            yield VimOptionList(*options, id="providers")
            yield TickBox("also the held-out files (h)", False, compact=True, id="heldout")
            yield Label("enter: upload to the highlighted provider  ·  esc: cancel", classes="hint")

    def on_mount(self) -> None:
        providers = self.query_one(OptionList)
        providers.highlighted = list(self.providers).index(self.default)
        providers.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        heldout = self.query_one("#heldout", Checkbox).value
        self.dismiss(UploadChoice(str(event.option.id), heldout))

    def action_toggle_heldout(self) -> None:
        self.query_one("#heldout", Checkbox).toggle()

    def action_cancel(self) -> None:
        self.dismiss(None)
