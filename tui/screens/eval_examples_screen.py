"""The eval drill-down: the examples list, the highlighted example's metrics, and its answers
side by side, gold | candidate | baseline.

``l`` keeps only the examples the candidate lost, ``t`` moves through the tasks (and all of them).
Below 110 columns the answers take turns in one pane (``v``: next), the metrics being the
fourth, so the screen stays readable at 80×24.
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import Static

from core.eval.outputs import gold_answer
from core.eval.results import EvalResult, ExampleResult
from tui.keys import verb
from tui.navigation import EVALS
from tui.screens.quick_resume import QuickResume
from tui.widgets.answer_pane import AnswerPane
from tui.widgets.eval_example_list import EvalExampleList
from tui.widgets.example_metrics_view import ExampleMetricsView
from tui.widgets.screen_header import ScreenHeader
from tui.widgets.steady_footer import SteadyFooter

NARROW_PANES = ("candidate", "baseline", "gold", "metrics")


class EvalExamplesScreen(QuickResume, Screen[None]):
    """Every example of one eval, one task at a time or all together."""

    TITLE = "eval examples"
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (110, "-wide")]

    BINDINGS = [
        verb("l", "toggle_lost", "Lost only", "eval: Show only the examples the candidate lost"),
        verb("t", "next_task", "Task", "eval: Show the next task (or every task)"),
        verb("v", "next_pane", "Pane", "view: Show the next answer pane (narrow terminal)"),
        verb("J", "scroll_answers(3)", "Answers ↓", "view: Scroll the answers down", show=False),
        verb("K", "scroll_answers(-3)", "Answers ↑", "view: Scroll the answers up", show=False),
        verb("escape,backspace", "back", "Back", "view: Back to the eval table"),
    ]

    def __init__(self, result: EvalResult, task: str | None, *, lost_only: bool = False) -> None:
        super().__init__()
        self.result = result
        self.scopes: list[str | None] = [*result.tasks, None]
        self.task_shown = task if task in result.tasks else None
        self.lost_only = lost_only
        self.narrow_pane = NARROW_PANES[0]

    def compose(self) -> ComposeResult:
        eval_id = self.result.run.eval_id
        title = f"Trace Curator · eval #{eval_id} examples" if eval_id else "Trace Curator · eval"
        yield ScreenHeader(title, tab=EVALS.mode)
        yield Static(id="examples-status")
        with Horizontal(id="examples-top"):
            yield EvalExampleList(self.result, id="examples")
            yield ExampleMetricsView(id="top-metrics")
        with Horizontal(id="answer-panes"):
            yield AnswerPane("gold", id="pane-gold")
            yield AnswerPane("candidate", id="pane-candidate")
            yield AnswerPane("baseline", id="pane-baseline")
            yield ExampleMetricsView(id="pane-metrics")
        yield SteadyFooter()

    @property
    def examples(self) -> EvalExampleList:
        return self.query_one(EvalExampleList)

    def on_mount(self) -> None:
        self.set_class(True, f"-pane-{self.narrow_pane}")
        self.examples.focus()
        self._show_list()

    def _show_list(self) -> None:
        self.examples.show(self.task_shown, lost_only=self.lost_only)
        self._show_status()

    def _show_status(self) -> None:
        text = Text(" ")
        text.append(self.task_shown or "all tasks", style="bold")
        count = len(self.examples.shown)
        text.append(f" · {count} example{'s' if count != 1 else ''}")
        if self.lost_only:
            text.append(" · lost only", style="bold red")
        if not self.has_class("-narrow"):
            text.append("   l: lost only  t: next task", style="dim")
            self.query_one("#examples-status", Static).update(text)
            return
        text.append("  v: ", style="dim")
        for index, pane in enumerate(NARROW_PANES):
            text.append(" | " if index else "", style="dim")
            text.append(pane, style="bold reverse" if pane == self.narrow_pane else "dim")
        self.query_one("#examples-status", Static).update(text)

    @on(EvalExampleList.ExampleHighlighted)
    def _example_highlighted(self, event: EvalExampleList.ExampleHighlighted) -> None:
        self.show_example(event.example)

    def show_example(self, example: ExampleResult | None) -> None:
        """Fill the three answer panes and both metrics views."""
        for view in self.query(ExampleMetricsView):
            view.show(example)
        gold = self.query_one("#pane-gold", AnswerPane)
        sides = {
            "candidate": self.query_one("#pane-candidate", AnswerPane),
            "baseline": self.query_one("#pane-baseline", AnswerPane),
        }
        if example is None:
            for pane in (gold, *sides.values()):
                pane.show_nothing()
            return
        gold.show_gold(gold_answer(example.example), example.kind)
        sides["candidate"].show_output(example.candidate.output, self.result.candidate.spec)
        sides["baseline"].show_output(example.baseline.output, self.result.baseline.spec)

    def action_toggle_lost(self) -> None:
        self.lost_only = not self.lost_only
        self._show_list()

    def action_next_task(self) -> None:
        self.task_shown = self.scopes[(self.scopes.index(self.task_shown) + 1) % len(self.scopes)]
        self._show_list()

    def action_next_pane(self) -> None:
        self.set_class(False, f"-pane-{self.narrow_pane}")
        self.narrow_pane = NARROW_PANES[
            (NARROW_PANES.index(self.narrow_pane) + 1) % len(NARROW_PANES)
        ]
        self.set_class(True, f"-pane-{self.narrow_pane}")
        self._show_status()

    def action_scroll_answers(self, lines: int) -> None:
        for pane in self.query(AnswerPane):
            pane.scroll_relative(y=lines, animate=False)

    def action_back(self) -> None:
        self.dismiss()

    def on_resize(self) -> None:
        # The width classes change after this event; the status reads them once applied.
        self.call_after_refresh(self._show_status)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "next_pane":
            return self.has_class("-narrow")  # hidden when all panes are shown
        return True
