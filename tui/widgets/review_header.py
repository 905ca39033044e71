"""The header line: app name, then review progress overall and per task."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from core.review.tally import ReviewTally

TASK_ABBREVIATIONS = {"planning": "plan", "extraction": "extr", "enrichment": "enr"}


class ReviewHeader(Static):
    """``Trace Curator  reviewed 12/240 5%  ✓10 ✗2  plan 4/80  extr 8/100  enr 0/60``."""

    DEFAULT_CSS = """
    ReviewHeader {
        dock: top;
        height: 1;
        background: $panel;
        color: $foreground;
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    """

    def __init__(self, title: str = "Trace Curator", *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.title = title
        self.tally: ReviewTally | None = None

    def on_mount(self) -> None:
        self._draw()

    def show(self, tally: ReviewTally) -> None:
        self.tally = tally
        self._draw()

    def _draw(self) -> None:
        text = Text(f" {self.title} ", style="bold reverse")
        tally = self.tally
        if tally is None:
            self.update(text)
            return
        overall = tally.overall
        share = overall.reviewed / overall.total if overall.total else 0.0
        text.append(f"  reviewed {overall.reviewed:,}/{overall.total:,} {share:.0%}  ")
        text.append(f"✓{overall.accepted:,}", style="bold green")
        text.append(" ")
        text.append(f"✗{overall.rejected:,}", style="bold red")
        for task, counts in tally.by_task.items():
            name = TASK_ABBREVIATIONS.get(task, task)
            text.append(f"  {name} ", style="dim")
            text.append(f"{counts.reviewed:,}/{counts.total:,}")
        self.update(text)
