"""Pick one value from a short list: past exports for the held-out field, tuned models and
profiles for the model fields."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

from tui.widgets.vim_option_list import VimOptionList


@dataclass(frozen=True, slots=True)
class Choice:
    """A value the form can take, a note saying where it comes from, and its job when known."""

    value: str
    note: str = ""
    job_id: str | None = None


class ChoicePicker(ModalScreen[Choice | None]):
    """Returns the chosen :class:`Choice`, or None on escape."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    DEFAULT_CSS = """
    ChoicePicker { align: center middle; }
    ChoicePicker > Vertical {
        width: 90; max-width: 95%; height: auto; max-height: 80%;
        border: thick $accent; background: $surface; padding: 0 1;
    }
    ChoicePicker OptionList { height: auto; max-height: 20; border: none; }
    ChoicePicker .hint { color: $text-muted; }
    """

    def __init__(self, title: str, choices: list[Choice]) -> None:
        super().__init__()
        self.title_text = title
        self.choices = choices

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(Content(self.title_text).stylize("bold"))
            options = []
            for choice in self.choices:
                prompt = Text(choice.value, style="bold")
                if choice.note:
                    prompt.append(f"  {choice.note}", style="dim")
                options.append(Option(prompt))
            yield VimOptionList(*options)
            yield Label("enter: use it  ·  esc: cancel", classes="hint")

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(self.choices[event.option_index])

    def action_cancel(self) -> None:
        self.dismiss(None)
