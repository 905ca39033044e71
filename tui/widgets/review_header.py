"""The review screens' header: review progress overall and per task, then the screen tabs."""

from __future__ import annotations

from rich.text import Text

from core.review.tally import ReviewTally
from tui.navigation import REVIEW
from tui.widgets.screen_header import ScreenHeader

TASK_ABBREVIATIONS = {"planning": "plan", "extraction": "extr", "enrichment": "enr"}


class ReviewHeader(ScreenHeader):
    """``Trace Curator  reviewed 12/240 5%  ✓10 ✗2  plan 4/80  extr 8/100  enr 0/60``."""

    def __init__(self, title: str = "Trace Curator", *, id: str | None = None) -> None:
        super().__init__(title, tab=REVIEW.mode, id=id)
        self.tally: ReviewTally | None = None

    def show(self, tally: ReviewTally) -> None:
        self.tally = tally
        self.show_status(tally_text(tally))


def tally_text(tally: ReviewTally) -> Text:
    """Reviewed share, accepted and rejected, then each task's reviewed count."""
    overall = tally.overall
    share = overall.reviewed / overall.total if overall.total else 0.0
    text = Text(f"  reviewed {overall.reviewed:,}/{overall.total:,} {share:.0%}  ")
    text.append(f"✓{overall.accepted:,}", style="bold green")
    text.append(" ")
    text.append(f"✗{overall.rejected:,}", style="bold red")
    for task, counts in tally.by_task.items():
        name = TASK_ABBREVIATIONS.get(task, task)
        text.append(f"  {name} ", style="dim")
        text.append(f"{counts.reviewed:,}/{counts.total:,}")
    return text
