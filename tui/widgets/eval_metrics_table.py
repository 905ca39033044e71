"""The story's table, side by side: task | metric | candidate | baseline | Δ | 95% CI of Δ.

Cells are ``core.eval.report.table_rows``' text (the CLI's numbers); the better side of each
metric is green and the worse red (lower is better for ``LOWER_IS_BETTER``, closest to 1 for
entity_count_ratio). Enter on a row opens that task's examples.
"""

from __future__ import annotations

from rich.text import Text
from textual.message import Message
from textual.widgets import DataTable

from core.eval.report import OPERATIONAL, TABLE_HEADER, table_rows
from core.eval.results import EvalResult
from tui.safe import line
from tui.widgets.eval_render import better_side, delta_cell, side_cell


class EvalMetricsTable(DataTable[Text]):
    """One row per quality metric of each task; the row key is ``task:metric``."""

    DEFAULT_CSS = """
    EvalMetricsTable { height: auto; }
    """

    class TaskChosen(Message):
        def __init__(self, task: str) -> None:
            super().__init__()
            self.task = task

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)
        self.row_tasks: list[str] = []

    def on_mount(self) -> None:
        for index, label in enumerate(TABLE_HEADER):
            self.add_column(Text(label, justify="left" if index < 2 else "right"), key=label)

    def show(self, result: EvalResult) -> None:
        """Fill the table from a result; the cursor goes to the first row."""
        self.clear()
        self.row_tasks = []
        rows = [
            (task.task, row)
            for task in result.tasks.values()
            for name, row in task.metrics.items()
            if name not in OPERATIONAL
        ]
        cells = table_rows(result)
        previous_task = None
        for (task, row), text in zip(rows, cells, strict=True):
            better = better_side(row.name, row.candidate, row.baseline)
            ci_style = "dim" if better is None or row.ci95 is None or _spans_zero(row.ci95) else ""
            self.add_row(
                line(task if task != previous_task else "", style="bold"),
                Text(row.name, style="bold" if row.name == "score" else ""),
                side_cell(text[2], "candidate", better),
                side_cell(text[3], "baseline", better),
                delta_cell(text[4], better),
                Text(text[5], style=ci_style, justify="right"),
                key=f"{task}:{row.name}",
            )
            self.row_tasks.append(task)
            previous_task = task
        self.move_cursor(row=0)

    def current_task(self) -> str | None:
        if not self.row_tasks or not 0 <= self.cursor_row < len(self.row_tasks):
            return None
        return self.row_tasks[self.cursor_row]

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        task = self.current_task()
        if task is not None:
            self.post_message(self.TaskChosen(task))


def _spans_zero(interval: tuple[float, float]) -> bool:
    return interval[0] <= 0 <= interval[1]
