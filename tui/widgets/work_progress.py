"""One line for long work on a screen: what is running, a progress bar, and how to stop it."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Label, ProgressBar


class WorkProgress(Horizontal):
    """``Writing planning/train.jsonl  ━━━━━━━━━━━╸━━━━━━  61%  esc cancels``; hidden when idle."""

    DEFAULT_CSS = """
    WorkProgress {
        height: 1;
        display: none;
        background: $boost;
        padding: 0 1;
        &.-running { display: block; }
        & > #work-label { width: 1fr; text-wrap: nowrap; text-overflow: ellipsis; }
        & > ProgressBar { width: auto; padding-left: 1; }
        & > #work-hint { width: auto; color: $text-muted; padding-left: 1; }
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.what = ""

    def compose(self) -> ComposeResult:
        yield Label("", id="work-label")
        yield ProgressBar(total=None, show_eta=False, id="work-bar")
        yield Label("esc cancels", id="work-hint")

    @property
    def running(self) -> bool:
        return self.has_class("-running")

    def start(self, what: str) -> None:
        """Show the line with an indeterminate bar until the first update."""
        self.what = what
        self.query_one("#work-label", Label).update(what)
        self.query_one(ProgressBar).update(total=None, progress=0)
        self.add_class("-running")

    def advance(self, done: int, total: int, detail: str = "") -> None:
        label = f"{self.what}: {detail}" if detail else self.what
        self.query_one("#work-label", Label).update(label)
        bar = self.query_one(ProgressBar)
        if total > 0:
            bar.update(total=total, progress=min(done, total))
        else:
            bar.update(total=None)

    def stop(self) -> None:
        self.remove_class("-running")
