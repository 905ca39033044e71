"""Eval metrics as pure functions: PRODUCT.md's definitions, exactly, plus the extras.

Each metric of one example is a *component* ``(numerator, denominator)``; a metric over a set
is ``Σ numerators ÷ Σ denominators`` (None when the denominators sum to 0). Shares ("share of
outputs that ...") have denominator 1 per example; extraction field_recall and the value-level
metrics pool their counts over all examples, as the Σ in their definitions says; a mean over
examples (entity_count_ratio) gives each defined example denominator 1. Pooling this way lets
the bootstrap resample examples and recompute every metric from the same components.

The output is scored **as returned**: when it is not strict JSON it counts as empty — no fields,
no entities, all null. The gold is read leniently (it is not under test).

Per-example score (the paired comparison behind wins/ties/losses, every task alike): the F1 of
the output's ``(path, value)`` pairs against the gold's (see :mod:`core.eval.values`); when
neither holds a value (gold ``[]`` and output ``[]``) the score is 1 for strict JSON of the task's
shape, else 0. A win is a higher candidate score, a tie an equal one.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from core.eval.values import checkable_values, value_pairs
from core.jsontext import parse_lenient, parse_strict
from core.rules.grounding import GroundingIndex

Component = tuple[float, float]

REQUIRED_PLAN_FIELDS = ("entity_type", "target_count", "city", "tool_steps")
TASK_SHAPES: dict[str, type] = {"planning": dict, "extraction": list, "enrichment": dict}

# The story's metrics first, named exactly as in PRODUCT.md.
PRODUCT_METRICS: dict[str, tuple[str, ...]] = {
    "planning": ("valid_json", "required_fields", "has_tool_steps"),
    "extraction": ("valid_json", "field_recall", "entity_count_ratio"),
    "enrichment": ("valid_json", "field_recall", "null_rate"),
}
GROUNDED_TASKS = ("extraction", "enrichment")
LOWER_IS_BETTER = frozenset(
    {"null_rate", "hallucination_rate", "latency_p50_ms", "latency_p95_ms", "cost_usd"}
)


def metric_names(task: str) -> tuple[str, ...]:
    """The quality metrics of a task, in report order (``score`` last)."""
    extras = ("valid_json_lenient", "value_precision", "value_recall")
    if task in GROUNDED_TASKS:
        extras += ("hallucination_rate",)
    return PRODUCT_METRICS.get(task, ("valid_json",)) + extras + ("score",)


def shape_ok(task: str, value: Any) -> bool:
    """Whether a parsed value has the task's shape (objects; arrays of objects for extraction)."""
    expected = TASK_SHAPES.get(task)
    if expected is None:
        return True
    if not isinstance(value, expected):
        return False
    return expected is not list or all(isinstance(item, dict) for item in value)


def example_components(
    task: str,
    output: str,
    gold: str,
    input_text: str,
    required_fields: Sequence[str] = REQUIRED_PLAN_FIELDS,
) -> dict[str, Component]:
    """Every metric component of one output, keyed by metric name (see :func:`metric_names`)."""
    strict = parse_strict(output)
    predicted = strict.value if strict.ok else None
    expected = parse_lenient(gold).value
    components: dict[str, Component] = {
        "valid_json": (float(strict.ok), 1.0),
        "valid_json_lenient": (float(parse_lenient(output).ok), 1.0),
    }
    if task == "planning":
        components.update(_planning(predicted, required_fields))
    elif task == "extraction":
        components.update(_extraction(predicted, expected))
    elif task == "enrichment":
        components.update(_enrichment(predicted, expected))
    predicted_pairs, gold_pairs = value_pairs(predicted), value_pairs(expected)
    matched = sum((predicted_pairs & gold_pairs).values())
    n_predicted, n_gold = sum(predicted_pairs.values()), sum(gold_pairs.values())
    components["value_precision"] = (matched, n_predicted)
    components["value_recall"] = (matched, n_gold)
    if task in GROUNDED_TASKS:
        components["hallucination_rate"] = _hallucination(predicted, input_text)
    if n_predicted + n_gold:
        score = 2 * matched / (n_predicted + n_gold)
    else:
        score = float(strict.ok and shape_ok(task, predicted))
    components["score"] = (score, 1.0)
    return components


def ratio(components: Iterable[Component]) -> float | None:
    """A metric over a set of examples: Σ numerators ÷ Σ denominators, None when undefined."""
    numerator = denominator = 0.0
    for num, den in components:
        numerator += num
        denominator += den
    return numerator / denominator if denominator else None


def _planning(plan: Any, required_fields: Sequence[str]) -> dict[str, Component]:
    is_object = isinstance(plan, dict)
    complete = is_object and all(plan.get(field) is not None for field in required_fields)
    steps = plan.get("tool_steps") if is_object else None
    return {
        "required_fields": (float(complete), 1.0),
        "has_tool_steps": (float(isinstance(steps, list) and len(steps) > 0), 1.0),
    }


def _extraction(predicted: Any, gold: Any) -> dict[str, Component]:
    predicted_entities, gold_entities = _entities(predicted), _entities(gold)
    if gold_entities:
        count_ratio: Component = (len(predicted_entities) / len(gold_entities), 1.0)
    else:
        count_ratio = (0.0, 0.0)  # undefined for this example: left out of the mean
    return {
        "field_recall": (_non_null_fields(predicted_entities), _non_null_fields(gold_entities)),
        "entity_count_ratio": count_ratio,
    }


def _enrichment(predicted: Any, gold: Any) -> dict[str, Component]:
    entity = predicted if isinstance(predicted, dict) else {}
    gold_entity = gold if isinstance(gold, dict) else {}
    gold_filled = [key for key, value in gold_entity.items() if value is not None]
    both = sum(1 for key in gold_filled if entity.get(key) is not None)
    nulls = sum(1 for key in gold_entity if entity.get(key) is None)
    return {
        "field_recall": (both, len(gold_filled)),
        "null_rate": (nulls, len(gold_entity)),
    }


def _hallucination(predicted: Any, input_text: str) -> Component:
    values = checkable_values(predicted)
    grounding = GroundingIndex(input_text)  # the content rules' grounding: phones, URLs, numbers
    ungrounded = sum(1 for value in values if not grounding.is_grounded(value))
    return (ungrounded, len(values))


def _entities(value: Any) -> list[dict[str, Any]]:
    if not isinstance(value, list):
        return []
    return [item for item in value if isinstance(item, dict)]


def _non_null_fields(entities: list[dict[str, Any]]) -> int:
    return sum(1 for entity in entities for value in entity.values() if value is not None)
