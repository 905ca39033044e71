"""A finished (or reopened) eval: why a model scores zero first, in red, then which eval this is,
the side-by-side table, a verdict line per task and each model's error taxonomy.

The whole view scrolls as one page (the table is as tall as its rows), and follows the table's
cursor, so it reads the same at 80×24 as at 200×60.
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.geometry import Region
from textual.widgets import DataTable, Static

from core.eval.report import diagnosis_lines, kinds_label
from core.eval.results import SIDES, EvalResult
from tui.safe import plain
from tui.widgets.eval_metrics_table import EvalMetricsTable
from tui.widgets.eval_render import errors_text, shown_path

EMPTY_TEXT = (
    "No eval shown.\n\nFill the form and press enter to run one, or pick a past eval and press "
    "enter to reopen it (scored again from the store; no requests)."
)


class EvalResultsView(VerticalScroll, can_focus=False):
    """Shows one :class:`EvalResult`; the table inside has the focus, this view scrolls."""

    DEFAULT_CSS = """
    EvalResultsView { height: 1fr; }
    EvalResultsView > Static { padding: 0 1; }
    EvalResultsView #diagnosis { color: $error; text-style: bold; display: none; height: auto; }
    EvalResultsView #diagnosis.-shown { display: block; margin-bottom: 1; }
    EvalResultsView #eval-heading { height: auto; }
    EvalResultsView EvalMetricsTable { height: auto; margin-top: 1; }
    EvalResultsView #verdicts, EvalResultsView #taxonomy { height: auto; margin-top: 1; }
    EvalResultsView #results-empty { color: $text-muted; }
    EvalResultsView.-empty #diagnosis, EvalResultsView.-empty #eval-heading,
    EvalResultsView.-empty EvalMetricsTable, EvalResultsView.-empty #verdicts,
    EvalResultsView.-empty #taxonomy { display: none; }
    EvalResultsView #results-empty { display: none; }
    EvalResultsView.-empty #results-empty { display: block; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, classes="-empty")
        self.result: EvalResult | None = None

    def compose(self) -> ComposeResult:
        yield Static(EMPTY_TEXT, id="results-empty")
        yield Static(id="diagnosis")
        yield Static(id="eval-heading")
        yield EvalMetricsTable(id="metrics-table")
        yield Static(id="verdicts")
        yield Static(id="taxonomy")

    def show_waiting(self, waiting: bool) -> None:
        """While the first eval of the screen runs there is nothing to show yet: say so."""
        if self.result is None:
            text = "The table shows when the eval ends." if waiting else EMPTY_TEXT
            self.query_one("#results-empty", Static).update(text)

    @property
    def table(self) -> EvalMetricsTable:
        return self.query_one(EvalMetricsTable)

    def show(self, result: EvalResult, note: str = "") -> None:
        """Show a result; ``note`` says how it was obtained (run, resumed, reopened)."""
        self.result = result
        self.remove_class("-empty")
        diagnosis = self.query_one("#diagnosis", Static)
        lines = diagnosis_lines(result)
        diagnosis.update(plain("\n".join(lines)))  # provider messages: never markup
        diagnosis.set_class(bool(lines), "-shown")
        self.query_one("#eval-heading", Static).update(heading_text(result, note))
        self.table.show(result)
        self.query_one("#verdicts", Static).update(verdicts_text(result))
        self.query_one("#taxonomy", Static).update(taxonomy_text(result))
        self.scroll_home(animate=False)

    @on(DataTable.RowHighlighted)
    def _follow_cursor(self, event: DataTable.RowHighlighted) -> None:
        # Only the user's moves: a new result starts at the top, diagnosis first.
        if event.data_table.has_focus:
            self.call_after_refresh(self._show_row, event.data_table, event.cursor_row)

    def _show_row(self, table: DataTable[Text], row: int) -> None:
        if not self.scrollable_content_region.height or not table.size.height:
            return  # not laid out yet (just shown): every row would look out of view
        top = table.virtual_region.y + table.header_height + row
        self.scroll_to_region(Region(0, top, 1, 1), animate=False, spacing=None)


def heading_text(result: EvalResult, note: str) -> Text:
    """``eval #3  candidate tuned  vs  baseline gold`` and where the examples came from."""
    run = result.run
    text = Text()
    if run.eval_id is not None:
        text.append(f"eval #{run.eval_id}  ", style="bold reverse")
        text.append("  ")
    text.append("candidate ", style="dim")
    text.append(result.candidate.spec, style="bold cyan")
    text.append("  vs  baseline ", style="dim")
    text.append(result.baseline.spec, style="bold magenta")
    sizes = ", ".join(f"{task.task} {task.n}" for task in result.tasks.values())
    text.append(f"\nheld-out {shown_path(run.heldout)}", style="dim")
    if run.export_hash:
        text.append(f" (export {run.export_hash[:16]})", style="dim")
    text.append(f" · examples: {sizes}", style="dim")
    if note:
        text.append(f"\n{note}", style="italic")
    return text


def verdicts_text(result: EvalResult) -> Text:
    """One verdict line per task, coloured by who won."""
    text = Text()
    for index, task in enumerate(result.tasks.values()):
        if index:
            text.append("\n")
        verdict = task.verdict
        style = "yellow"
        if "candidate better" in verdict:
            style = "green"
        elif "baseline better" in verdict or "unusable" in verdict:
            style = "red"
        task_name, _, rest = verdict.partition(": ")
        text.append(f"{task_name}: ", style="bold")
        text.append(rest, style=style)
    return text


def taxonomy_text(result: EvalResult) -> Text:
    """The error taxonomy of each model per task (kinds add up to the task's examples)."""
    text = Text.assemble(("errors\n", "bold"))
    for index, task in enumerate(result.tasks.values()):
        if index:
            text.append("\n")
        kinds = kinds_label(task)
        where = f"n={task.n}, {kinds}" if kinds else f"n={task.n}"
        text.append(f"{task.task} ({where})  ", style="dim")
        text.append_text(errors_text(task.errors, SIDES))
    return text
