"""The fine-tune form: every job setting, its default shown, validated by ``JobSpec`` itself.

Empty optional fields are not sent, so the provider's default applies (as with ``curator
finetune``). Enter starts the job; a field's error appears under it. When the provider refuses
the job, the screen reopens the form with the same values and the provider's message.
"""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import ValidationError
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.suggester import SuggestFromList
from textual.widgets import Input, Label

from core.providers.models import JobSpec

#: (field, label, kind) in form order; kind converts the typed text.
FIELDS: tuple[tuple[str, str, type], ...] = (
    ("base_model", "Base model", str),
    ("dataset", "Dataset", str),
    ("eval_dataset", "Eval dataset", str),
    ("epochs", "Epochs", int),
    ("learning_rate", "Learning rate", float),
    ("lora_rank", "LoRA rank", int),
    ("max_context_length", "Max context", int),
    ("output_model", "Output model", str),
    ("display_name", "Display name", str),
)
#: What the provider uses when a field is left empty (shown as the placeholder).
PROVIDER_DEFAULTS: dict[str, dict[str, str]] = {
    "fireworks": {"epochs": "default 1", "lora_rank": "default 8 (a power of 2 up to 64)",
                  "max_context_length": "default 8192"},
    "openai": {"lora_rank": "not used by OpenAI", "max_context_length": "not used by OpenAI",
               "learning_rate": "a multiplier; provider default"},
}  # fmt: skip
INPUT_TYPES = {str: "text", int: "integer", float: "number"}
PLACEHOLDERS = {
    "base_model": "required, e.g. qwen3-8b",
    "dataset": "required: an uploaded dataset",
    "eval_dataset": "none",
    "output_model": "named after the job",
    "display_name": "none",
}


@dataclass(frozen=True, slots=True)
class FinetuneRequest:
    """A valid job spec for one provider, and the values as typed (to reopen the form)."""

    provider: str
    spec: JobSpec
    values: dict[str, str]


class FinetuneForm(ModalScreen[FinetuneRequest | None]):
    """Returns the request, or None on escape."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    DEFAULT_CSS = """
    FinetuneForm { align: center middle; }
    FinetuneForm > Vertical {
        width: 90; max-width: 95%; height: auto; max-height: 95%;
        border: thick $accent; background: $surface; padding: 0 1;
    }
    FinetuneForm VerticalScroll { height: auto; max-height: 30; }
    FinetuneForm .field { height: auto; }
    FinetuneForm .field > Label { width: 15; color: $text-muted; }
    FinetuneForm .field > Vertical { height: auto; width: 1fr; }
    FinetuneForm .error { color: $error; display: none; height: auto; }
    FinetuneForm .error.-shown { display: block; }
    FinetuneForm #form-error { color: $error; margin-top: 1; }
    FinetuneForm .hint { color: $text-muted; }
    """

    def __init__(
        self,
        provider: str,
        values: dict[str, str],
        datasets: list[str],
        *,
        error: str = "",
        note: str = "",
    ) -> None:
        super().__init__()
        self.provider = provider
        self.values = values
        self.datasets = datasets
        self.error = error
        self.note = note

    def compose(self) -> ComposeResult:
        defaults = PROVIDER_DEFAULTS.get(self.provider, {})
        suggester = SuggestFromList(self.datasets) if self.datasets else None
        with Vertical():
            yield Label(
                Content.from_markup("[b]Fine-tune on $provider[/b]", provider=self.provider)
            )
            with VerticalScroll():
                for name, label, kind in FIELDS:
                    placeholder = PLACEHOLDERS.get(name) or defaults.get(name, "provider default")
                    with Horizontal(classes="field"):
                        yield Label(label)
                        with Vertical():
                            yield Input(
                                self.values.get(name, ""),
                                placeholder=placeholder,
                                type=INPUT_TYPES[kind],
                                suggester=suggester if "dataset" in name else None,
                                compact=True,
                                id=name,
                            )
                            yield Label("", id=f"{name}-error", classes="error")
            if self.note:
                yield Label(self.note, classes="hint", markup=False)
            yield Label(self.error, id="form-error", markup=False)
            yield Label(
                "enter: start · tab: next field · →: take the suggestion · esc: cancel",
                classes="hint",
            )

    def on_mount(self) -> None:
        self.query_one("#form-error", Label).display = bool(self.error)
        empty = next((i for i in self.query(Input).results(Input) if not i.value), None)
        (empty or self.query_one("#base_model", Input)).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        request = self.read()
        if request is not None:
            self.dismiss(request)

    def read(self) -> FinetuneRequest | None:
        """Validate every field, showing errors under them; the request when all are valid."""
        values = {name: self.query_one(f"#{name}", Input).value.strip() for name, _, _ in FIELDS}
        errors: dict[str, str] = {}
        typed: dict[str, object] = {}
        for name, _label, kind in FIELDS:
            raw = values[name]
            if not raw:
                continue
            try:
                typed[name] = kind(raw)
            except ValueError:
                errors[name] = "a whole number is needed" if kind is int else "a number is needed"
        spec = None
        try:
            spec = JobSpec.model_validate({k: v for k, v in typed.items() if k not in errors})
        except ValidationError as exc:
            for error in exc.errors():
                field = str(error["loc"][0])
                message = "required" if error["type"] == "missing" else error["msg"]
                errors.setdefault(field, message)
        for name, _label, _kind in FIELDS:
            label = self.query_one(f"#{name}-error", Label)
            label.update(errors.get(name, ""))
            label.set_class(name in errors, "-shown")
        if errors or spec is None:
            first = next(name for name, _, _ in FIELDS if name in errors)
            self.query_one(f"#{first}", Input).focus()
            return None
        return FinetuneRequest(self.provider, spec, values)

    def action_cancel(self) -> None:
        self.dismiss(None)
