"""Eval by output kind: which kind a held-out example is, and which metrics it is scored by.

The kind comes from :func:`core.rules.kinds.infer_kind` (the one definition), on the example's
messages and its task (the export folder's task name). A kind declared for the task in config
wins; :func:`kind_for_task` is the one place that reads it.

A task's metric rows are those of every kind among its examples (normally one), in the order
json, tool_call, text, reasoning, then ``score``; an example is left out (component ``(0, 0)``)
of the rows of the other kinds.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from core.eval.heldout import Example
from core.eval.kind_metrics import (
    REASONING_METRICS,
    TEXT_METRICS,
    TOOL_CALL_METRICS,
    reasoning_components,
    text_components,
    tool_call_components,
)
from core.eval.metrics import REQUIRED_PLAN_FIELDS, Component, example_components, metric_names
from core.eval.outputs import Output
from core.rules.kinds import OutputKind, infer_kind

if TYPE_CHECKING:
    from core.config import CuratorConfig

KIND_ORDER = (OutputKind.JSON, OutputKind.TOOL_CALL, OutputKind.TEXT, OutputKind.REASONING)
_UNDEFINED: Component = (0.0, 0.0)


def kind_for_task(config: CuratorConfig | None, task: str) -> OutputKind | None:
    """The output kind the config declares for a task (``[tasks.<name>] kind``), or None to
    infer it per example."""
    if config is None:
        return None
    declared = config.tasks.all_tasks().get(task)
    return None if declared is None else declared.kind


def declared_kinds(config: CuratorConfig | None, tasks: Iterable[str]) -> dict[str, str]:
    """``task -> kind`` for the tasks whose kind the config declares (stored with an eval)."""
    found = {task: kind_for_task(config, task) for task in tasks}
    return {task: str(kind) for task, kind in found.items() if kind is not None}


def example_kind(example: Example, declared: OutputKind | str | None = None) -> OutputKind:
    """The output kind of a held-out example: its gold's kind."""
    return infer_kind(example.record.get("messages"), example.task, declared)


def task_metric_names(task: str, kinds: Iterable[OutputKind]) -> tuple[str, ...]:
    """The quality metrics of a task holding examples of these kinds, ``score`` last."""
    present = set(kinds) or {OutputKind.JSON}
    names: list[str] = []
    for kind in KIND_ORDER:
        if kind in present:
            names += [n for n in _kind_metrics(task, kind) if n not in names]
    return (*names, "score")


def components_for(
    kind: OutputKind,
    example: Example,
    output: Output,
    gold: Output,
    names: Sequence[str],
    required_fields: Sequence[str] = REQUIRED_PLAN_FIELDS,
) -> dict[str, Component]:
    """The components of every metric in ``names`` for one answer (undefined ones ``(0, 0)``)."""
    if kind == OutputKind.TOOL_CALL:
        parts = tool_call_components(output.tool_calls, gold.tool_calls)
    elif kind == OutputKind.TEXT:
        parts = text_components(output.content, gold.content)
    elif kind == OutputKind.REASONING:
        parts = reasoning_components(output.content, gold.content, output.reasoning)
    else:
        parts = example_components(
            example.task, output.content, gold.content, example.input_text, required_fields
        )
    return {name: parts.get(name, _UNDEFINED) for name in names}


def _kind_metrics(task: str, kind: OutputKind) -> tuple[str, ...]:
    if kind == OutputKind.TOOL_CALL:
        return TOOL_CALL_METRICS
    if kind == OutputKind.TEXT:
        return TEXT_METRICS
    if kind == OutputKind.REASONING:
        return REASONING_METRICS
    return metric_names(task)[:-1]  # the json metrics of the task, without score
