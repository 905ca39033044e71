"""The highlighted example's own numbers: its outcome, where it sits in the held-out file, the
start of its prompt, and every metric of both answers, the better side in green."""

from __future__ import annotations

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.containers import VerticalScroll
from textual.widgets import Static

from core.eval.results import ExampleResult
from tui.widgets.eval_example_list import OUTCOME_STYLES
from tui.widgets.eval_render import better_side, side_cell

PROMPT_PREVIEW_CHARS = 240


class ExampleMetricsView(VerticalScroll):
    """Shows one :class:`ExampleResult`'s metrics, or a hint when there is none."""

    DEFAULT_CSS = """
    ExampleMetricsView {
        height: 1fr; padding: 0 1; background: $surface;
        border: round $panel-lighten-2; border-title-style: bold;
    }
    ExampleMetricsView > Static { width: 1fr; height: auto; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(Static(), id=id)
        self.border_title = "metrics of the example"

    def show(self, example: ExampleResult | None) -> None:
        if example is None:
            self.query_one(Static).update(Text("no example matches the filter", style="dim"))
            return
        self.query_one(Static).update(Group(heading(example), metrics_table(example)))


def heading(example: ExampleResult) -> Text:
    """``extraction #1 L2#1  LOSS  score 0.000 vs 1.000`` and the prompt's start: the example's
    id (``<trace>#<step>``, ``L<line>#<step>`` without a trace id; the line follows a trace
    id), then the output kind when it is not json (``tool_call``, ``text``)."""
    source = example.example
    text = Text.assemble((f"{source.task} #{source.position}", "bold"))
    text.append(f" {source.id}", style="dim")
    text.append(f" (line {source.line})  " if source.trace else "  ", style="dim")
    if example.kind != "json":  # the story's tasks are all json: said only when it differs
        text.append(f"{example.kind}  ", style="italic")
    style = OUTCOME_STYLES.get(example.outcome, "")
    text.append(f" {example.outcome.upper()} ", style=f"reverse {style}".strip())
    text.append(f"  score {example.candidate.score:.3f} vs {example.baseline.score:.3f}")
    prompt = " ".join(source.input_text.split())
    if len(prompt) > PROMPT_PREVIEW_CHARS:
        prompt = prompt[: PROMPT_PREVIEW_CHARS - 1] + "…"
    text.append("\nprompt: ", style="dim")
    text.append(prompt, style="italic")
    return text


def metrics_table(example: ExampleResult) -> Table:
    """metric | candidate | baseline for this example (— where a metric is undefined)."""
    table = Table(box=None, expand=False, padding=(0, 1), pad_edge=False)
    table.add_column("metric", style="bold")
    table.add_column("candidate", justify="right")
    table.add_column("baseline", justify="right")
    for name, candidate in example.candidate.metrics.items():
        baseline = example.baseline.metrics.get(name)
        better = better_side(name, candidate, baseline)
        table.add_row(
            name,
            side_cell(_fmt(candidate), "candidate", better),
            side_cell(_fmt(baseline), "baseline", better),
        )
    return table


def _fmt(value: float | None) -> str:
    return "—" if value is None else f"{value:.3f}"
