"""The export options as a compact form, validated as you type by ``ExportOptions`` itself.

Defaults come from ``ExportOptions()``, so the form and ``curator export`` agree. Every change
posts :class:`ExportForm.Changed` with the options (or None while a field is invalid, its
error shown under it).
"""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import ValidationError
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Checkbox, Input, Label, Select

from core.export import PROVIDERS, ExportOptions
from tui.widgets.tick_box import TickBox

INCLUDE_CHOICES = [("accepted + passing", "auto"), ("accepted only", "accepted")]
LAYOUT_CHOICES = [("<task>/train.jsonl", "tasks"), ("flat, for upload helpers", "provider")]
NUMBER_FIELDS = {"heldout_per_task": int, "seed": int, "near_dup_threshold": float}


@dataclass(frozen=True, slots=True)
class ExportChoice:
    """Valid options and the output folder as typed (relative to the working folder)."""

    options: ExportOptions
    out_dir: str


class ExportForm(Vertical):
    """Out dir, held-out per task, seed, include, combine, keep held-out runs whole, near-dup
    threshold, layout, provider checks."""

    BINDINGS = [Binding("escape", "leave", "Leave form", show=False)]

    DEFAULT_CSS = """
    ExportForm {
        height: auto;
        & .field { height: auto; }
        & .field > Label.name { width: 9; color: $text-muted; }
        & .field > Vertical { height: auto; width: 1fr; }
        & Input { width: 1fr; }
        & Select { width: 1fr; }
        & .error { color: $error; display: none; height: auto; }
        & .error.-shown { display: block; }
        & .unit { width: auto; color: $text-muted; padding-left: 1; }
    }
    """

    class Changed(Message):
        """The form settled on new values; ``choice`` is None while something is invalid."""

        def __init__(self, choice: ExportChoice | None) -> None:
            super().__init__()
            self.choice = choice

    class Left(Message):
        """The user pressed escape to leave the form."""

    def __init__(self, out_dir: str, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.initial_out_dir = out_dir
        self.choice: ExportChoice | None = None

    def compose(self) -> ComposeResult:
        defaults = ExportOptions()
        yield from self._field("Out dir", "out_dir", Input(self.initial_out_dir, compact=True))
        yield from self._field(
            "Held-out",
            "heldout_per_task",
            Input(str(defaults.heldout_per_task), type="integer", compact=True),
            unit="per task",
        )
        yield from self._field(
            "Seed", "seed", Input(str(defaults.seed), type="integer", compact=True)
        )
        yield from self._field(
            "Include",
            "include",
            Select(INCLUDE_CHOICES, value=defaults.include, allow_blank=False, compact=True),
        )
        yield from self._field(
            "Combine",
            "combine",
            TickBox("one train.jsonl too", defaults.combine, compact=True),
        )
        yield from self._field(
            "Runs",
            "keep_heldout_runs",
            Checkbox("keep held-out runs whole", defaults.keep_heldout_runs, compact=True),
        )
        yield from self._field(
            "Near-dup",
            "near_dup_threshold",
            Input(f"{defaults.near_dup_threshold:g}", type="number", compact=True),
            unit="0 = off",
        )
        yield from self._field(
            "Layout",
            "layout",
            Select(LAYOUT_CHOICES, value=defaults.layout, allow_blank=False, compact=True),
        )
        yield from self._field(
            "Checks",
            "provider",
            Select(
                [(name, name) for name in PROVIDERS],
                value=defaults.provider,
                allow_blank=False,
                compact=True,
            ),
        )

    def _field(self, label: str, name: str, control: Input | Select | Checkbox, unit: str = ""):
        control.id = name
        with Horizontal(classes="field"):
            yield Label(label, classes="name")
            with Vertical():
                if unit:
                    with Horizontal(classes="field"):
                        yield control
                        yield Label(unit, classes="unit")
                else:
                    yield control
                yield Label("", id=f"{name}-error", classes="error")

    def on_mount(self) -> None:
        self.choice = self.read()

    @property
    def out_dir(self) -> str:
        return self.query_one("#out_dir", Input).value

    @out_dir.setter
    def out_dir(self, value: str) -> None:
        self.query_one("#out_dir", Input).value = value

    @on(Input.Changed)
    @on(Select.Changed)
    @on(Checkbox.Changed)
    def _changed(self, event: Message) -> None:
        event.stop()
        choice = self.read()
        if choice != self.choice:
            self.choice = choice
            self.post_message(self.Changed(choice))

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.screen.focus_next()

    def read(self) -> ExportChoice | None:
        """Validate every field, show each field's error, return the choice when all are valid."""
        errors: dict[str, str] = {}
        values: dict[str, object] = {
            "include": self.query_one("#include", Select).value,
            "combine": self.query_one("#combine", Checkbox).value,
            "keep_heldout_runs": self.query_one("#keep_heldout_runs", Checkbox).value,
            "provider": self.query_one("#provider", Select).value,
            "layout": self.query_one("#layout", Select).value,
        }
        for name, kind in NUMBER_FIELDS.items():
            raw = self.query_one(f"#{name}", Input).value.strip()
            try:
                values[name] = kind(raw)
            except ValueError:
                errors[name] = "a number is needed" if raw else "required"
        out_dir = self.query_one("#out_dir", Input).value.strip()
        if not out_dir:
            errors["out_dir"] = "required"
        options = None
        try:
            options = ExportOptions.model_validate(
                {k: v for k, v in values.items() if k not in errors}
            )
        except ValidationError as exc:
            for error in exc.errors():
                errors.setdefault(str(error["loc"][0]), error["msg"])
        for label in self.query(".error").results(Label):
            field = (label.id or "").removesuffix("-error")
            label.update(errors.get(field, ""))
            label.set_class(field in errors, "-shown")
        if errors or options is None:
            return None
        return ExportChoice(options, out_dir)

    def action_leave(self) -> None:
        self.post_message(self.Left())
