"""Rejecting: pick the reason from the call's failing rules, type one, or give none."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from core.textsafe import safe_line
from tui.safe import plain_content
from tui.widgets.vim_option_list import VimOptionList

NO_REASON = ""


class RejectReason(ModalScreen[str | None]):
    """Returns the reason ("" for none), or None when the user cancels."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    DEFAULT_CSS = """
    RejectReason { align: center middle; }
    RejectReason > Vertical {
        width: 64; max-width: 95%; height: auto; max-height: 90%;
        border: thick $error; background: $surface; padding: 0 1;
    }
    RejectReason OptionList, RejectReason OptionList:focus {
        height: auto; max-height: 12; border: none; padding: 0;
    }
    RejectReason Input { border: tall $border-blurred; }
    RejectReason .hint { color: $text-muted; }
    """

    def __init__(self, what: str, failing_rules: list[str]) -> None:
        super().__init__()
        self.what = what
        self.failing_rules = failing_rules

    def compose(self) -> ComposeResult:
        with Vertical():
            what = safe_line(self.what)  # may quote a run id from the corpus
            yield Label(Content.assemble((f"Reject {what}", "bold"), " — why?"))
            options = [Option(plain_content(rule), id=rule) for rule in self.failing_rules]
            options.append(Option("[dim](no reason)[/dim]", id="\x00none"))
            yield VimOptionList(*options, id="reasons")
            yield Input(placeholder="or type a reason and press enter", id="typed")
            yield Label("enter: reject  ·  tab: type a reason  ·  esc: cancel", classes="hint")

    def on_mount(self) -> None:
        self.query_one(OptionList).highlighted = 0

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        chosen = event.option.id or ""
        self.dismiss(NO_REASON if chosen == "\x00none" else chosen)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.dismiss(event.value.strip())

    def action_cancel(self) -> None:
        self.dismiss(None)
