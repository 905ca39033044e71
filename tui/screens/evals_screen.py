"""The Evals screen (``4``): a launch form and past evals beside the running or shown eval.

The run goes through ``core.eval.runner`` in a thread worker (see :mod:`tui.screens.eval_runs`);
the screen owns every widget change. Below 160 columns the form and the results take turns:
``n`` brings the form, ``escape`` the results.
"""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Input, Label
from textual.worker import Worker, get_current_worker

from core.config import ConfigError
from core.eval.heldout import HeldoutError
from core.eval.results import EvalResult
from core.eval.runner import EvalNotFound, EvalPlan, rescore_eval, run_eval
from core.eval.specs import ModelSpecError
from core.eval.store import StoredRun
from core.progress import Cancelled
from core.store.db import StoreError
from tui.keys import verb
from tui.modals.text_prompt import TextPrompt
from tui.navigation import EVALS
from tui.screens.eval_choices import ChoicesLoaded, read_choices
from tui.screens.eval_examples_screen import EvalExamplesScreen
from tui.screens.eval_reports import REPORT_KINDS, write_report
from tui.screens.eval_runs import (
    EvalFinished,
    EvalProgressed,
    EvalStopped,
    ProgressFeed,
    ReportWritten,
    field_of,
    reopen_note,
    run_note,
)
from tui.screens.quick_resume import QuickResume
from tui.session import ReviewSession
from tui.widgets.eval_form import EvalForm
from tui.widgets.eval_metrics_table import EvalMetricsTable
from tui.widgets.eval_progress_panel import EvalProgressPanel
from tui.widgets.eval_render import shown_path
from tui.widgets.eval_results_view import EvalResultsView
from tui.widgets.past_evals_list import PastEvalsList
from tui.widgets.screen_header import ScreenHeader
from tui.widgets.steady_footer import SteadyFooter

EXPECTED_ERRORS = (ModelSpecError, HeldoutError, StoreError, ConfigError, EvalNotFound, OSError)
NEEDS_RESULT = {"open_examples", "open_lost", "write_report", "show_results"}


class EvalsScreen(QuickResume, Screen[None]):
    """Launch, watch, compare and reopen evals."""

    TITLE = "evals"
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (160, "-wide")]
    VERTICAL_BREAKPOINTS = [(0, "-short"), (32, "-tall")]

    BINDINGS = [
        verb("ctrl+r", "run_eval", "Run", "eval: Run eval"),
        verb("c", "cancel_eval", "Cancel", "eval: Cancel the running eval"),
        verb("e", "open_examples", "Examples", "eval: Open the examples of the task"),
        verb("l", "open_lost", "Lost", "eval: Open the examples the candidate lost"),
        verb("m", "write_report('markdown')", "Markdown", "eval: Write the Markdown report…"),
        verb("j", "write_report('json')", "JSON", "eval: Write the JSON report…"),
        verb("n", "new_eval", "New", "eval: New eval (the form)"),
        verb("o", "reopen_eval", "Reopen", "eval: Reopen the highlighted past eval", show=False),
        verb("escape", "show_results", "Results", "eval: Back to the results"),
    ]

    def __init__(self, session: ReviewSession) -> None:
        super().__init__()
        self.session = session
        self.result: EvalResult | None = None
        self.running: EvalPlan | None = None
        self._run_worker: Worker[None] | None = None

    def compose(self) -> ComposeResult:
        yield ScreenHeader(tab=EVALS.mode)
        with Horizontal(id="evals-body"):
            with Vertical(id="evals-side"):
                yield EvalForm(self.session.config, id="eval-form")
                yield Label("Past evals  (enter: reopen)", classes="section-title")
                yield PastEvalsList(id="past-evals")
            with Vertical(id="evals-main"):
                yield EvalProgressPanel(id="eval-progress")
                yield EvalResultsView(id="eval-results")
        yield SteadyFooter()

    @property
    def form(self) -> EvalForm:
        return self.query_one(EvalForm)

    @property
    def results(self) -> EvalResultsView:
        return self.query_one(EvalResultsView)

    AUTO_FOCUS = "#past-evals"  # not a form field: there, 1-4 and esc would be typed text

    def on_mount(self) -> None:
        self.load_choices()

    # --- choices and past evals -----------------------------------------------------------

    @work(thread=True, exclusive=True, group="eval-choices", exit_on_error=False)
    def load_choices(self) -> None:
        self.post_message(read_choices(self.session.workspace, self.session.config))

    @on(ChoicesLoaded)
    def _choices_loaded(self, message: ChoicesLoaded) -> None:
        self.form.offer(message.exports, message.models)
        self.query_one(PastEvalsList).show(message.runs)

    # --- running --------------------------------------------------------------------------

    @on(EvalForm.RunRequested)
    def _run_requested(self, event: EvalForm.RunRequested) -> None:
        if self.running is not None:
            return
        self.running = event.plan
        panel = self.query_one(EvalProgressPanel)
        panel.start(f"running {event.plan.candidate}  vs  {event.plan.baseline}")
        self.results.show_waiting(True)
        self._show_main(panel)  # off the form, so that c cancels rather than types
        self._run_worker = self.run_eval_worker(event.plan)
        self.refresh_bindings()

    @work(thread=True, exclusive=True, group="eval", exit_on_error=False)
    def run_eval_worker(self, plan: EvalPlan) -> None:
        worker = get_current_worker()
        feed = ProgressFeed(self.post_message, self.session.workspace, plan)
        try:
            result = run_eval(
                plan,
                workspace=self.session.workspace,
                config=self.session.config,
                progress=feed,
                cancel=worker.cancelled_event,
            )
        except Cancelled:
            self.post_message(EvalStopped(cancelled_text(), cancelled=True))
        except EXPECTED_ERRORS as exc:
            self.post_message(EvalStopped(str(exc), field=field_of(exc, plan)))
        except Exception as exc:  # shown in one line; the app never shows a traceback
            self.post_message(EvalStopped(f"eval failed: {type(exc).__name__}: {exc}"))
        else:
            self.post_message(EvalFinished(result, run_note(result)))

    @on(EvalProgressed)
    def _progressed(self, message: EvalProgressed) -> None:
        if self.running is not None:
            panel = self.query_one(EvalProgressPanel)
            panel.show(message.done, message.total, message.detail, message.errors)

    @on(EvalFinished)
    def _finished(self, message: EvalFinished) -> None:
        if message.reopened is None:
            self.running = None
            self.query_one(EvalProgressPanel).hide()
        else:
            self.form.fill_from(message.reopened)
        self.result = message.result
        self.results.show(message.result, message.note)
        self._show_main(self.results.table)
        self.load_choices()
        self.refresh_bindings()

    @on(EvalStopped)
    def _stopped(self, message: EvalStopped) -> None:
        if message.reopen:
            self.notify(message.text, title="reopen failed", severity="error")
            return
        plan, self.running = self.running, None
        style = "bold yellow" if message.cancelled else "bold red"
        title = f"{'cancelled' if message.cancelled else 'failed'}: "
        title += f"{plan.candidate}  vs  {plan.baseline}" if plan else "eval"
        self.query_one(EvalProgressPanel).stop(title, Text(message.text, style=style))
        self.results.show_waiting(False)
        if not message.cancelled:
            self.notify(message.text, title="eval failed", severity="error", timeout=8)
            if message.field is not None:
                self.form.show_error(message.field, message.text)
            self.remove_class("-main")  # back to the form, on the field to fix
            field = self.form.query_one(f"#{message.field or 'candidate'}", Input)
            self.call_after_refresh(field.focus)
        self.load_choices()
        self.refresh_bindings()

    def action_run_eval(self) -> None:
        self.form.submit()

    def action_cancel_eval(self) -> None:
        # Only the event: the worker stays running until the run has stored what it got.
        if self._run_worker is not None:
            self._run_worker.cancelled_event.set()
            self.query_one(EvalProgressPanel).stop(
                "cancelling…", Text("stopping the requests in flight", style="yellow")
            )

    # --- reopening ------------------------------------------------------------------------

    @on(PastEvalsList.ReopenRequested)
    def _reopen_requested(self, event: PastEvalsList.ReopenRequested) -> None:
        self.reopen_eval(event.run)

    def action_reopen_eval(self) -> None:
        run = self.query_one(PastEvalsList).current_run()
        if run is not None:
            self.reopen_eval(run)

    @work(thread=True, exclusive=True, group="eval-reopen", exit_on_error=False)
    def reopen_eval(self, run: StoredRun) -> None:
        try:
            result = rescore_eval(self.session.workspace, run.eval_id, self.session.config)
        except EXPECTED_ERRORS as exc:
            self.post_message(EvalStopped(str(exc), reopen=True))
        except Exception as exc:  # one line, never a traceback
            self.post_message(EvalStopped(f"{type(exc).__name__}: {exc}", reopen=True))
        else:
            self.post_message(EvalFinished(result, reopen_note(run), reopened=run))

    # --- drill-down, reports, navigation --------------------------------------------------

    @on(EvalMetricsTable.TaskChosen)
    def _task_chosen(self, event: EvalMetricsTable.TaskChosen) -> None:
        self._open_examples(event.task, lost_only=False)

    def action_open_examples(self) -> None:
        self._open_examples(self.results.table.current_task(), lost_only=False)

    def action_open_lost(self) -> None:
        self._open_examples(self.results.table.current_task(), lost_only=True)

    def _open_examples(self, task: str | None, *, lost_only: bool) -> None:
        if self.result is not None:
            self.app.push_screen(EvalExamplesScreen(self.result, task, lost_only=lost_only))

    def action_write_report(self, kind: str) -> None:
        result = self.result
        if result is None:
            return
        suffix = REPORT_KINDS[kind]
        default = self.session.workspace.resolve().parent / f"eval-{result.run.eval_id}{suffix}"

        def write(answer: str | None) -> None:
            if answer and answer.strip():
                self.write_report_worker(result, kind, Path(answer.strip()).expanduser())

        self.app.push_screen(
            TextPrompt(
                f"Write the {kind} report to",
                shown_path(default),
                "enter: write  ·  esc: cancel",
            ),
            write,
        )

    @work(thread=True, group="eval-report", exit_on_error=False)
    def write_report_worker(self, result: EvalResult, kind: str, path: Path) -> None:
        self.post_message(write_report(result, kind, path))

    @on(ReportWritten)
    def _report_written(self, message: ReportWritten) -> None:
        if message.error:
            self.notify(message.error, title="report not written", severity="error")
        else:
            self.notify(f"wrote {shown_path(message.path)}", title="report")

    def action_new_eval(self) -> None:
        self.remove_class("-main")
        self.call_after_refresh(self.form.query_one("#candidate", Input).focus)

    def action_show_results(self) -> None:
        self._show_main(self.results.table)

    def _show_main(self, target: Widget) -> None:
        """Bring the results side forward and focus ``target`` without scrolling the view."""
        # A focused widget that gets hidden makes Textual refocus, scrolling to the new one.
        self.set_focus(None)
        self.add_class("-main")
        self.call_after_refresh(target.focus, scroll_visible=False)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "run_eval":
            return self.running is None or None
        if action == "cancel_eval":
            return self.running is not None or None
        if action in NEEDS_RESULT:
            return self.result is not None or None
        if action == "reopen_eval":
            return bool(self.query_one(PastEvalsList).runs) or None
        return True


def cancelled_text() -> str:
    return "every answer so far is stored; run the same eval again (ctrl+r) to resume it"
