"""Scoring a set of answered examples into metric rows, taxonomy counts and verdicts.

Pure: takes examples with both outputs, returns :class:`TaskResult` values. The same function
scores a fresh eval and re-scores a stored one, so a metric change never needs a request.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence

from core.eval.heldout import Example
from core.eval.kinds import components_for, example_kind, task_metric_names
from core.eval.metrics import REQUIRED_PLAN_FIELDS, Component, ratio
from core.eval.outputs import Output, gold_answer
from core.eval.results import SIDES, ExampleResult, MetricRow, SideResult, TaskResult
from core.eval.settings import EvalSettings
from core.eval.specs import ModelTarget
from core.eval.stats import draw_resamples, paired_bootstrap, percentile
from core.rules.kinds import OutputKind

Answered = tuple[Example, Output, Output]  # example, candidate output, baseline output
_TIE = 1e-9


def score_task(
    task: str,
    answered: Sequence[Answered],
    candidate: ModelTarget,
    baseline: ModelTarget,
    settings: EvalSettings,
    required_fields: Sequence[str] = REQUIRED_PLAN_FIELDS,
    declared: OutputKind | str | None = None,
) -> TaskResult:
    """Score one task's examples (both sides) into a :class:`TaskResult`.

    Each example is scored by the metrics of its output kind (``declared`` for the task when
    the config sets one, else inferred from its gold); see :mod:`core.eval.kinds`.
    """
    kinds = [example_kind(example, declared) for example, *_ in answered]
    names = task_metric_names(task, kinds)
    components: dict[str, dict[str, list[Component]]] = {s: {m: [] for m in names} for s in SIDES}
    examples: list[ExampleResult] = []
    for kind, (example, *outputs) in zip(kinds, answered, strict=True):
        gold = gold_answer(example)
        sides = []
        for side, output in zip(SIDES, outputs, strict=True):
            parts = components_for(kind, example, output, gold, names, required_fields)
            for name in names:
                components[side][name].append(parts[name])
            sides.append(SideResult(output, {m: ratio([parts[m]]) for m in names}))
        examples.append(ExampleResult(example, sides[0], sides[1], _outcome(*sides), kind))
    components["candidate"]["win_rate"] = [(float(e.outcome == "win"), 1.0) for e in examples]
    components["baseline"]["win_rate"] = [(float(e.outcome == "loss"), 1.0) for e in examples]

    draws = draw_resamples(
        len(examples),
        settings.bootstrap_resamples,
        f"{settings.seed}:{task}",
        settings.bootstrap_max_draws,
    )
    rows = {name: _row(name, components, draws) for name in (*names, "win_rate")}
    outputs_by_side = {
        "candidate": [e.candidate.output for e in examples],
        "baseline": [e.baseline.output for e in examples],
    }
    rows.update(_operational_rows(outputs_by_side, candidate, baseline))
    errors = {side: dict(Counter(o.kind for o in outs)) for side, outs in outputs_by_side.items()}
    verdict = _verdict(task, examples, rows["score"], settings)
    kind_counts = {str(k): n for k, n in sorted(Counter(kinds).items())}
    return TaskResult(task, len(examples), rows, errors, examples, verdict, kind_counts)


def _outcome(candidate: SideResult, baseline: SideResult) -> str:
    difference = candidate.score - baseline.score
    if difference > _TIE:
        return "win"
    return "loss" if difference < -_TIE else "tie"


def _row(
    name: str, components: dict[str, dict[str, list[Component]]], draws: list[list[int]]
) -> MetricRow:
    cand, base = components["candidate"][name], components["baseline"][name]
    c, b = ratio(cand), ratio(base)
    interval = paired_bootstrap(cand, base, draws) if draws else None
    return MetricRow(
        name,
        c,
        b,
        _delta(c, b),
        ci95=interval.delta if interval else None,
        candidate_ci95=interval.candidate if interval else None,
        baseline_ci95=interval.baseline if interval else None,
    )


def _operational_rows(
    outputs: dict[str, list[Output]], candidate: ModelTarget, baseline: ModelTarget
) -> dict[str, MetricRow]:
    """Latency p50/p95 (answered requests only), token totals and cost (when priced)."""
    values: dict[str, dict[str, float | None]] = {}
    for side, target in zip(SIDES, (candidate, baseline), strict=True):
        answered = [o for o in outputs[side] if o.status is not None and o.latency_ms is not None]
        latencies = [o.latency_ms for o in answered if o.latency_ms is not None]
        prompt = _total(o.prompt_tokens for o in outputs[side])
        completion = _total(o.completion_tokens for o in outputs[side])
        cost = None
        if target.priced and prompt is not None and completion is not None:
            cost = (
                prompt * target.price_input_per_1m + completion * target.price_output_per_1m  # type: ignore[operator]
            ) / 1e6
        values[side] = {
            "latency_p50_ms": percentile(latencies, 50),
            "latency_p95_ms": percentile(latencies, 95),
            "prompt_tokens": prompt,
            "completion_tokens": completion,
            "cost_usd": cost,
        }
    return {
        name: MetricRow(name, c, values["baseline"][name], _delta(c, values["baseline"][name]))
        for name, c in values["candidate"].items()
    }


def _verdict(
    task: str, examples: list[ExampleResult], score: MetricRow, settings: EvalSettings
) -> str:
    """One line: better / worse / no clear difference by the paired CI of the score."""
    n = len(examples)
    outcomes = Counter(e.outcome for e in examples)
    unusable = Counter(e.candidate.output.kind for e in examples if not e.candidate.output.usable)
    if n and unusable.total() / n > settings.unusable_share:
        top, count = unusable.most_common(1)[0]
        verdict = (
            f"candidate unusable, {unusable.total()}/{n} outputs ({top}: {count}); see diagnosis"
        )
    elif score.ci95 is None:
        verdict = "no interval (bootstrap off)"
    elif score.ci95[0] > 0:
        verdict = "candidate better"
    elif score.ci95[1] < 0:
        verdict = "baseline better"
    else:
        verdict = "no clear difference"
    line = f"{task}: {verdict}; score {_fmt(score.candidate)} vs {_fmt(score.baseline)}"
    if score.delta is not None:
        line += f", Δ {score.delta:+.3f}"
    if score.ci95 is not None:
        line += f" (95% CI {score.ci95[0]:+.3f} to {score.ci95[1]:+.3f})"
    tally = f"wins {outcomes['win']} / ties {outcomes['tie']} / losses {outcomes['loss']}"
    return f"{line}; {tally}"


def _delta(candidate: float | None, baseline: float | None) -> float | None:
    return None if candidate is None or baseline is None else candidate - baseline


def _total(values: Iterable[int | None]) -> float | None:
    known = [v for v in values if v is not None]
    return float(sum(known)) if known else None


def _fmt(value: float | None) -> str:
    return "—" if value is None else f"{value:.3f}"
