"""One of the drill-down's three panes: the gold, the candidate's or the baseline's answer.

An answer shows as pretty JSON when it parses as returned, raw text otherwise, and each tool
call as its function name and pretty arguments (the gold's alike), under a line with
its taxonomy kind, finish reason, latency and tokens; an answer without content shows its error
kind, HTTP status and the provider's message instead.
"""

from __future__ import annotations

from rich.console import Group
from rich.text import Text
from textual.containers import VerticalScroll
from textual.widgets import Static

from core.eval.outputs import Output
from tui.widgets.eval_render import answer_text, missing_output_text, output_heading


class AnswerPane(VerticalScroll, can_focus=True):
    """A scrollable pane titled with its side; :meth:`show_gold` or :meth:`show_output`."""

    DEFAULT_CSS = """
    AnswerPane {
        height: 1fr; width: 1fr; padding: 0 1; background: $surface;
        border: round $panel-lighten-2; border-title-style: bold;
    }
    AnswerPane:focus { border: round $accent; }
    AnswerPane > Static { width: 1fr; height: auto; }
    """

    def __init__(self, side: str, *, id: str | None = None) -> None:
        super().__init__(Static(), id=id)
        self.side = side
        self.border_title = side

    def show_gold(self, gold: Output, kind: str = "json") -> None:
        self.border_subtitle = kind if kind != "json" else ""
        self._update(answer_text(gold.content, gold.tool_calls))

    def show_output(self, output: Output, spec: str) -> None:
        self.border_subtitle = spec
        if output.content or output.tool_calls:
            body = answer_text(output.content, output.tool_calls)
        else:
            body = missing_output_text(output)
        self._update(Group(output_heading(output), Text(""), body))

    def show_nothing(self) -> None:
        self.border_subtitle = ""
        self._update(Text("no example", style="dim"))

    def _update(self, renderable: Group | Text) -> None:
        self.query_one(Static).update(renderable)
        self.scroll_home(animate=False)
