"""What an eval produces, per task and per example: the shapes a screen or a report reads."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from core.eval.heldout import Example
from core.eval.outputs import Output
from core.eval.specs import ModelTarget
from core.eval.stats import Interval

SIDES = ("candidate", "baseline")


@dataclass(frozen=True, slots=True)
class MetricRow:
    """One metric of one task: both sides, the difference and its paired 95% interval."""

    name: str
    candidate: float | None
    baseline: float | None
    delta: float | None
    ci95: Interval | None = None
    candidate_ci95: Interval | None = None
    baseline_ci95: Interval | None = None


@dataclass(frozen=True, slots=True)
class SideResult:
    """One model's answer to one example and that answer's metrics (None where undefined)."""

    output: Output
    metrics: dict[str, float | None]

    @property
    def score(self) -> float:
        return self.metrics["score"] or 0.0


@dataclass(frozen=True, slots=True)
class ExampleResult:
    """One held-out example with both answers; ``outcome`` is from the candidate's side."""

    example: Example
    candidate: SideResult
    baseline: SideResult
    outcome: str  # "win" | "tie" | "loss"
    kind: str = "json"  # the example's output kind (core.rules.kinds.OutputKind)


@dataclass(frozen=True, slots=True)
class TaskResult:
    """Everything about one task: metric rows, error taxonomy, examples and a verdict."""

    task: str
    n: int
    metrics: dict[str, MetricRow]
    errors: dict[str, dict[str, int]]  # side -> kind -> count; sums to n per side
    examples: list[ExampleResult]
    verdict: str
    kinds: dict[str, int] = field(default_factory=dict)  # output kind -> examples of that kind

    def count(self, outcome: str) -> int:
        """How many examples the candidate won (``win``), tied or lost."""
        return sum(1 for example in self.examples if example.outcome == outcome)

    def lost_examples(self) -> list[ExampleResult]:
        """The examples where the baseline scored higher: the drill-down filter."""
        return [example for example in self.examples if example.outcome == "loss"]


@dataclass(frozen=True, slots=True)
class Cause:
    """One group of unusable outputs: how many, what they were, and what to do."""

    count: int
    label: str
    advice: str


@dataclass(frozen=True, slots=True)
class Diagnosis:
    """Why most of one model's outputs are unusable."""

    side: str
    spec: str
    unusable: int
    total: int
    causes: list[Cause]

    def lines(self) -> list[str]:
        """``50/50 requests: HTTP 404 ... — deploy it with `curator deploy```-style lines."""
        return [f"{c.count}/{self.total} requests: {c.label} — {c.advice}" for c in self.causes]


@dataclass(frozen=True, slots=True)
class RunInfo:
    """Where the eval is stored and what it cost in requests."""

    eval_id: int | None = None
    db_path: Path | None = None
    requests_sent: int = 0
    cached: int = 0
    resumed: bool = False
    heldout: Path | None = None
    export_hash: str | None = None
    last_turn_only: bool = False  # one example per line, not one per assistant turn


@dataclass(frozen=True, slots=True)
class EvalResult:
    """A whole eval: both models, every task, the diagnoses that open the report."""

    candidate: ModelTarget
    baseline: ModelTarget
    tasks: dict[str, TaskResult]
    diagnoses: list[Diagnosis]
    run: RunInfo = field(default_factory=RunInfo)

    def target(self, side: str) -> ModelTarget:
        return self.candidate if side == "candidate" else self.baseline
