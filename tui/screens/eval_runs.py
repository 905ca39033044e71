"""The Evals screen's long work, each in a thread worker that only posts messages.

Running calls ``core.eval.runner.run_eval`` (what ``curator eval`` calls) with a progress
callback and the worker's cancel event; reopening calls ``rescore_eval`` (``--rescore``: no
requests); reports are ``core.eval.report``'s, written like the CLI writes them. Progress is
batched to ~4 messages a second; the errors each model returned so far are read back from the
store (core's own taxonomy, ``answer_kinds``) at most once a second.
"""

from __future__ import annotations

import sqlite3
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from textual.message import Message

from core.eval import store
from core.eval.heldout import HeldoutError
from core.eval.outputs import OK
from core.eval.results import SIDES, EvalResult
from core.eval.runner import EvalPlan, answer_kinds, list_evals
from core.eval.specs import ModelSpecError
from core.eval.store import StoredRun
from tui.progress_relay import ProgressRelay

ERRORS_INTERVAL = 1.0
ErrorCounts = dict[str, dict[str, int]]


class EvalProgressed(Message):
    def __init__(self, done: int, total: int, detail: str, errors: ErrorCounts) -> None:
        super().__init__()
        self.done, self.total, self.detail, self.errors = done, total, detail, errors


class EvalFinished(Message):
    """A result to show: from a run, or reopened from the store (``reopened`` is its row)."""

    def __init__(self, result: EvalResult, note: str, reopened: StoredRun | None = None) -> None:
        super().__init__()
        self.result, self.note, self.reopened = result, note, reopened


class EvalStopped(Message):
    """A run or reopen that ended without a result: cancelled, or an error for the user
    (``field`` names the form field it is about, when it is about one)."""

    def __init__(
        self,
        text: str,
        *,
        cancelled: bool = False,
        reopen: bool = False,
        field: str | None = None,
    ) -> None:
        super().__init__()
        self.text, self.cancelled, self.reopen, self.field = text, cancelled, reopen, field


class ReportWritten(Message):
    def __init__(self, path: Path, error: str | None = None) -> None:
        super().__init__()
        self.path, self.error = path, error


class ProgressFeed:
    """The ``progress`` callback of one run: :class:`EvalProgressed` through a ProgressRelay."""

    def __init__(self, post: Callable[[Message], object], workspace: Path, plan: EvalPlan) -> None:
        self.post = post
        self.workspace = workspace
        self.plan = plan
        self.errors: ErrorCounts = {side: {} for side in SIDES}
        self._eval_id: int | None = None
        self._kinds: dict[store.Item, str] = {}
        self._last_errors = float("-inf")
        self._relay = ProgressRelay(self._publish)

    def __call__(self, done: int, total: int, detail: str = "") -> None:
        self._relay(done, total, detail)

    def _publish(self, done: int, total: int, detail: str) -> None:
        """Post the coalesced update; recount errors at most every ERRORS_INTERVAL seconds."""
        now = time.monotonic()
        if now - self._last_errors >= ERRORS_INTERVAL or (total > 0 and done >= total):
            self._last_errors = now
            self._count_errors()
        self.post(EvalProgressed(done, total, detail, self.errors))

    def _count_errors(self) -> None:
        """Non-ok kinds per model among the answers stored so far (new ones classified once)."""
        try:
            if self._eval_id is None:
                self._eval_id = self._find_run()
            if self._eval_id is None:
                return
            self._kinds.update(answer_kinds(self.workspace, self._eval_id, self._kinds))
        except (sqlite3.Error, OSError):
            return  # the bar goes on without counts; the result has the exact taxonomy
        counts = {side: Counter[str]() for side in SIDES}
        for (_task, _position, side), kind in self._kinds.items():
            if kind != OK:
                counts[side][kind] += 1
        self.errors = {side: dict(counts[side]) for side in SIDES}

    def _find_run(self) -> int | None:
        """The stored run this plan opened: the newest running one with both specs."""
        heldout = str(self.plan.heldout.expanduser().resolve())
        for run in list_evals(self.workspace, limit=20):
            if (
                run.status == "running"
                and run.heldout_dir == heldout
                and run.candidate.get("spec") == self.plan.candidate.strip()
                and run.baseline.get("spec") == self.plan.baseline.strip()
            ):
                return run.eval_id
        return None


def field_of(exc: Exception, plan: EvalPlan) -> str | None:
    """The form field a run's error is about: the held-out folder or the model it names."""
    if isinstance(exc, HeldoutError):
        return "heldout"
    if isinstance(exc, ModelSpecError):
        for side in SIDES:
            if str(exc).startswith(f"{getattr(plan, side).strip()}:"):
                return side
    return None


def run_note(result: EvalResult) -> str:
    """How the answers were obtained: sent, cached, resumed."""
    run = result.run
    resumed = "; resumed an interrupted eval" if run.resumed else ""
    return f"{run.requests_sent} requests sent, {run.cached} answers from the cache{resumed}"


def reopen_note(run: StoredRun) -> str:
    """What a reopened eval is: scored again from the store, with its own status."""
    note = f"reopened from the store ({run.created_at[:16].replace('T', ' ')}): scored again"
    note += ", no requests"
    if run.status != "done":
        note += f"; this eval is {run.status}: unanswered items count as missing"
    return note
