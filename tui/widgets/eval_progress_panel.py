"""The running eval's progress: a bar of answers done, the run's own counts, and the errors
each model has returned so far."""

from __future__ import annotations

from collections.abc import Mapping

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import ProgressBar, Static

from core.eval.results import SIDES
from tui.widgets.eval_render import errors_text


class EvalProgressPanel(Vertical, can_focus=True):
    """Hidden until :meth:`start`; :meth:`stop` leaves the last line as the outcome.

    It takes the focus while the eval runs, so single keys (``c``) reach the screen.
    """

    DEFAULT_CSS = """
    EvalProgressPanel { height: auto; padding: 0 1; display: none; }
    EvalProgressPanel.-shown { display: block; }
    EvalProgressPanel:focus { background: $boost; }
    EvalProgressPanel ProgressBar { height: 1; }
    EvalProgressPanel ProgressBar Bar { width: 1fr; }
    EvalProgressPanel #progress-errors { height: auto; }
    """

    def compose(self) -> ComposeResult:
        yield Static(id="progress-title")
        yield ProgressBar(show_eta=False, id="progress-bar")
        yield Static(id="progress-detail")
        yield Static(id="progress-errors")

    def start(self, title: str) -> None:
        self.add_class("-shown")
        self.query_one("#progress-title", Static).update(Text(title, style="bold"))
        self.query_one(ProgressBar).update(total=None, progress=0)
        self.query_one(ProgressBar).display = True
        self.query_one("#progress-detail", Static).update("resolving models, reading examples…")
        self.query_one("#progress-errors", Static).update("")

    def show(
        self, done: int, total: int, detail: str, errors: Mapping[str, Mapping[str, int]]
    ) -> None:
        """Answers done of total, the run's detail line, and non-ok kinds per model so far."""
        self.query_one(ProgressBar).update(total=total or None, progress=done)
        line = Text(detail or f"{done}/{total} answers")
        line.append("   c: cancel (answers so far are kept)", style="dim")
        self.query_one("#progress-detail", Static).update(line)
        if any(errors.get(side) for side in SIDES):
            text = Text.assemble(("errors so far: ", "dim"))
            text.append_text(errors_text(errors, SIDES))
        else:
            text = Text("errors so far: none", style="dim")
        self.query_one("#progress-errors", Static).update(text)

    def stop(self, title: str, outcome: Text | str) -> None:
        """Keep the panel with a title and one outcome line (cancelled, failed), bar hidden."""
        self.query_one("#progress-title", Static).update(Text(title, style="bold"))
        self.query_one(ProgressBar).display = False
        self.query_one("#progress-detail", Static).update(outcome)
        self.query_one("#progress-errors", Static).update("")

    def hide(self) -> None:
        self.remove_class("-shown")
