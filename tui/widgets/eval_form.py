"""The launch form of an eval: held-out folder, candidate and baseline, N, tasks, concurrency,
no-cache, last turn only.

A field is checked when it loses focus and every field when the form is submitted, with the
functions the run itself calls (``available_tasks``, ``resolve_model``), so a bad spec, a missing
key variable or a missing folder shows under its field, in the run's own words, before anything
is sent. ``ctrl+o`` offers past exports and tuned models; a valid form posts ``RunRequested``.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.suggester import SuggestFromList
from textual.widgets import Checkbox, Input, Label, Static

from core.config import CuratorConfig
from core.eval.heldout import MISSING_HINT, HeldoutError, available_tasks
from core.eval.runner import EvalPlan
from core.eval.specs import ModelSpecError, resolve_model
from core.eval.store import StoredRun
from tui.keys import verb
from tui.modals.choice_picker import Choice, ChoicePicker
from tui.widgets.eval_render import shown_path
from tui.widgets.tick_box import TickBox

FIELDS = ("heldout", "candidate", "baseline", "n", "tasks", "concurrency")
PICKABLE = {
    "heldout": "Held-out set: the folder of a past export",
    "candidate": "Candidate: a tuned model, a profile, or gold",
    "baseline": "Baseline: a tuned model, a profile, or gold",
}
MODEL_FORMS = (
    "MODEL: gold · fireworks:<id> · openai:<model> · together:<model> · "
    "http://host:port/v1#<model> · a [models.<name>] profile"
)


class EvalForm(Vertical):
    """Collects an :class:`EvalPlan`; errors show under their fields."""

    BINDINGS = [
        verb("ctrl+o", "pick", "Pick", "eval: Pick a past export or a model…"),
        # Inside a field every printable key is text, the screen keys 1-4 included: escape
        # steps out of the form so they are keys again.
        verb("escape", "leave_form", "Leave form", "eval: Leave the form", show=False),
    ]

    DEFAULT_CSS = """
    EvalForm { height: auto; padding: 0 1; }
    EvalForm .form-title { text-style: bold; color: $accent; }
    EvalForm .row { height: 1; margin-top: 1; }
    EvalForm .row Label { width: 10; color: $text-muted; }
    EvalForm .row Label.inline { width: auto; padding: 0 1 0 2; }
    EvalForm Input { height: 1; padding: 0 1; width: 1fr; background: $boost; }
    EvalForm Input, EvalForm Input:focus, EvalForm Input.-invalid,
    EvalForm Input.-invalid:focus { border: none; }
    EvalForm Input:focus { background: $primary 30%; }
    EvalForm Input.short { width: 8; }
    EvalForm Input.-invalid { background: $error 25%; }
    EvalForm Input.-invalid:focus { background: $error 40%; }
    EvalForm .field-error { color: $error; padding-left: 10; display: none; height: auto; }
    EvalForm .field-error.-shown { display: block; }
    EvalForm Checkbox {
        border: none; height: 1; padding: 0; margin-top: 1; background: transparent;
    }
    EvalForm .hint { color: $text-muted; margin-top: 1; }
    """

    class RunRequested(Message):
        def __init__(self, plan: EvalPlan) -> None:
            super().__init__()
            self.plan = plan

    def __init__(
        self,
        config: CuratorConfig,
        *,
        env: Mapping[str, str] | None = None,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self.config = config
        self.env = env
        self.choices: dict[str, list[Choice]] = {name: [] for name in PICKABLE}
        self._jobs_by_spec: dict[str, str] = {}

    def compose(self) -> ComposeResult:
        yield Label("New eval", classes="form-title")
        yield from self._row("held-out", "heldout", "export folder  (ctrl+o: past exports)")
        yield from self._row("candidate", "candidate", "model under test  (ctrl+o: tuned models)")
        yield from self._row("baseline", "baseline", "model to beat, e.g. gold")
        with Horizontal(classes="row"):
            yield Label("N")
            yield Input("50", id="n", type="integer", valid_empty=True, classes="short")
            yield Label("concurrency", classes="inline")
            placeholder = str(self.config.eval.concurrency)
            yield Input(
                id="concurrency",
                type="integer",
                valid_empty=True,
                placeholder=placeholder,
                classes="short",
            )
        yield Static(id="n-error", classes="field-error")
        yield Static(id="concurrency-error", classes="field-error")
        yield from self._row("tasks", "tasks", "all found  (or: planning, extraction)")
        yield TickBox("no cache: send all again", id="no-cache")
        yield TickBox("last turn only: one example per line", id="last-turn-only")
        yield Static(MODEL_FORMS, classes="hint")
        yield Static("enter: run  ·  ctrl+o: pick  ·  tab: next field", classes="hint")

    def _row(self, label: str, name: str, placeholder: str) -> ComposeResult:
        with Horizontal(classes="row"):
            yield Label(label)
            yield Input(id=name, placeholder=placeholder)
        yield Static(id=f"{name}-error", classes="field-error")

    # --- values ---------------------------------------------------------------------------

    def value(self, name: str) -> str:
        return self.query_one(f"#{name}", Input).value.strip()

    def set_value(self, name: str, value: str) -> None:
        self.query_one(f"#{name}", Input).value = value
        self.show_error(name, None)

    def offer(self, exports: list[Choice], models: list[Choice]) -> None:
        """Past exports and tuned models for ``ctrl+o`` and inline completion."""
        self.choices = {"heldout": exports, "candidate": models, "baseline": models}
        self._jobs_by_spec = {c.value: c.job_id for c in models if c.job_id}
        for name, choices in self.choices.items():
            values = [c.value for c in choices]
            self.query_one(f"#{name}", Input).suggester = SuggestFromList(values)
        if exports and not self.value("heldout"):
            self.set_value("heldout", exports[0].value)

    def fill_from(self, run: StoredRun) -> None:
        """The plan of a stored eval, so running it again resumes or repeats it."""
        self.set_value("heldout", shown_path(run.heldout_dir))
        self.set_value("candidate", str(run.candidate.get("spec", "")))
        self.set_value("baseline", str(run.baseline.get("spec", "")))
        self.set_value("n", "" if run.n is None else str(run.n))
        self.set_value("tasks", ", ".join(run.tasks))
        last_turn_only = bool(run.settings.get("last_turn_only", False))
        self.query_one("#last-turn-only", Checkbox).value = last_turn_only

    # --- validation -----------------------------------------------------------------------

    def plan(self) -> EvalPlan | None:
        """The plan when every field is valid; else None, with each error under its field."""
        errors = {name: self.check(name) for name in FIELDS}
        for name, error in errors.items():
            self.show_error(name, error)
        if any(errors.values()):
            first = next(name for name, error in errors.items() if error)
            self.query_one(f"#{first}", Input).focus()
            return None
        candidate = self.value("candidate")
        return EvalPlan(
            heldout=Path(self.value("heldout")).expanduser(),
            candidate=candidate,
            baseline=self.value("baseline"),
            n=int(self.value("n")),
            tasks=self._tasks() or None,
            concurrency=int(self.value("concurrency")) if self.value("concurrency") else None,
            no_cache=self.query_one("#no-cache", Checkbox).value,
            job_id=self._jobs_by_spec.get(candidate),
            last_turn_only=self.query_one("#last-turn-only", Checkbox).value,
        )

    def check(self, name: str) -> str | None:
        """The error of one field as the run would report it, or None."""
        value = self.value(name)
        if name == "heldout":
            return self._check_heldout(value)
        if name in ("candidate", "baseline"):
            if not value:
                return f"required: the {name} MODEL"
            settings, config = self.config.eval, self.config
            try:
                resolve_model(value, settings, config.models, self.env, config.providers)
            except ModelSpecError as exc:
                return str(exc)
            return None
        if name in ("n", "concurrency"):
            if not value:
                return "required: examples per task" if name == "n" else None
            if not value.lstrip("-").isdigit() or int(value) < 1:
                return f"{'N' if name == 'n' else 'concurrency'} must be at least 1"
            return None
        return self._check_tasks()

    def _check_heldout(self, value: str) -> str | None:
        if not value:
            return "required: the held-out folder of an export (ctrl+o lists past exports)"
        try:
            found = available_tasks(Path(value).expanduser())
        except HeldoutError as exc:
            return str(exc)
        return None if found else f"{value}: {MISSING_HINT}"

    def _check_tasks(self) -> str | None:
        wanted = self._tasks()
        if not wanted or self._check_heldout(self.value("heldout")):
            return None
        found = available_tasks(Path(self.value("heldout")).expanduser())
        missing = [task for task in wanted if task not in found]
        if missing:
            return f"no held-out file for task {', '.join(missing)} (found {', '.join(found)})"
        return None

    def _tasks(self) -> list[str]:
        return [t for t in self.value("tasks").replace(",", " ").split() if t]

    def show_error(self, name: str, error: str | None) -> None:
        self.query_one(f"#{name}", Input).set_class(error is not None, "-invalid")
        message = self.query_one(f"#{name}-error", Static)
        message.update(f"✗ {error}" if error else "")
        message.set_class(error is not None, "-shown")

    # --- events ---------------------------------------------------------------------------

    @on(Input.Blurred)
    def _field_left(self, event: Input.Blurred) -> None:
        if event.input.id in FIELDS and event.value.strip():
            self.show_error(event.input.id, self.check(event.input.id))

    @on(Input.Changed)
    def _field_changed(self, event: Input.Changed) -> None:
        name = event.input.id
        if name in FIELDS and self.query_one(f"#{name}-error", Static).has_class("-shown"):
            self.show_error(name, None)

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.submit()

    def submit(self) -> None:
        """Check every field; post :class:`RunRequested` when the plan is valid."""
        plan = self.plan()
        if plan is not None:
            self.post_message(self.RunRequested(plan))

    def focused_field(self) -> str | None:
        focused = self.screen.focused
        if isinstance(focused, Input) and focused.id in PICKABLE and self in focused.ancestors:
            return focused.id
        return None

    def action_leave_form(self) -> None:
        self.screen.set_focus(None)

    def action_pick(self) -> None:
        name = self.focused_field() or "heldout"
        choices = self.choices[name]
        if not choices:
            self.notify(f"nothing to offer for {name} yet", severity="warning")
            return

        def use(choice: Choice | None) -> None:
            if choice is not None:
                self.set_value(name, choice.value)
                self.query_one(f"#{name}", Input).focus()

        self.app.push_screen(ChoicePicker(PICKABLE[name], choices), use)
