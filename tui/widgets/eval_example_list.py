"""The examples of an eval: task, #, outcome and each side's per-example score, filtered to one
task or all, and to the examples the candidate lost."""

from __future__ import annotations

from rich.text import Text
from textual.binding import Binding
from textual.message import Message
from textual.widgets import DataTable

from core.eval.results import EvalResult, ExampleResult
from tui.safe import line

OUTCOME_STYLES = {"win": "bold green", "tie": "dim", "loss": "bold red"}


class EvalExampleList(DataTable[Text]):
    """One row per example shown; posts :class:`ExampleHighlighted` as the cursor moves."""

    BINDINGS = [
        Binding("j", "cursor_down", "Down", show=False),
        Binding("k", "cursor_up", "Up", show=False),
        Binding("g", "scroll_top", "First", show=False),
        Binding("G", "scroll_bottom", "Last", show=False),
    ]

    DEFAULT_CSS = """
    EvalExampleList { height: 1fr; }
    """

    class ExampleHighlighted(Message):
        def __init__(self, example: ExampleResult | None) -> None:
            super().__init__()
            self.example = example

    def __init__(self, result: EvalResult, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)
        self.result = result
        self.shown: list[ExampleResult] = []

    def on_mount(self) -> None:
        self.add_column("task", key="task")
        self.add_column(Text("#", justify="right"), key="index")
        self.add_column("outcome", key="outcome")
        self.add_column(Text("candidate", justify="right"), key="candidate")
        self.add_column(Text("baseline", justify="right"), key="baseline")

    def show(self, task: str | None, *, lost_only: bool) -> None:
        """Show one task's examples (all tasks when None), only lost ones when asked."""
        current = self.current_example()
        self.clear()
        every_task = list(self.result.tasks.values())
        tasks = [self.result.tasks[task]] if task in self.result.tasks else every_task
        self.shown = [
            example
            for task_result in tasks
            for example in (task_result.lost_examples() if lost_only else task_result.examples)
        ]
        for example in self.shown:
            self.add_row(
                line(example.example.task),
                Text(str(example.example.position), justify="right"),
                Text(example.outcome, style=OUTCOME_STYLES.get(example.outcome, "")),
                Text(f"{example.candidate.score:.3f}", justify="right"),
                Text(f"{example.baseline.score:.3f}", justify="right"),
            )
        index = self.shown.index(current) if current in self.shown else 0
        if self.shown:
            self.move_cursor(row=index)
        self.post_message(self.ExampleHighlighted(self.current_example()))

    def current_example(self) -> ExampleResult | None:
        if not self.shown or not 0 <= self.cursor_row < len(self.shown):
            return None
        return self.shown[self.cursor_row]

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        event.stop()
        self.post_message(self.ExampleHighlighted(self.current_example()))
