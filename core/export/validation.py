"""Everything that blocks writing a plan: nothing selected, unusable task names, and the
chosen provider's rules (see ``core.export.providers``), each naming task, file and trace."""

from __future__ import annotations

import re

from core.export.layout import data_path
from core.export.model import COMBINED_TASK, ExportPlan, Violation
from core.export.providers import file_problem

EXPORT = "export"
SAFE_TASK = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")


def plan_violations(plan: ExportPlan) -> list[Violation]:
    """The plan's violations: task names first, then per-example, then per-file problems."""
    provider = plan.options.provider
    if not plan.examples:
        return [
            Violation(
                EXPORT,
                "-",
                "-",
                None,
                "nothing to export: no call is accepted, or undecided and passing"
                f" (selection {plan.options.include!r})",
            )
        ]
    violations: list[Violation] = []
    first_trace: dict[str, str] = {}
    for example in plan.examples:
        first_trace.setdefault(example.task, example.trace_id)
    for task, trace in first_trace.items():
        if task == COMBINED_TASK or not SAFE_TASK.fullmatch(task):
            violations.append(
                Violation(
                    EXPORT,
                    f"{task}/",
                    task,
                    trace,
                    f"task name {task!r} cannot name an export folder: use letters, digits,"
                    f" '.', '_' or '-', not {COMBINED_TASK!r}; fix metadata.task or reject"
                    " these calls",
                )
            )
    layout = plan.options.layout
    for example in plan.examples:
        for problem in example.problems:
            file = data_path(layout, example.task, example.split)
            violations.append(Violation(provider, file, example.task, example.trace_id, problem))
    train_files = [
        (data_path(layout, task, "train"), task, c.train) for task, c in plan.tasks.items()
    ]
    if plan.options.combine:
        total = sum(c.train for c in plan.tasks.values())
        train_files.append((data_path(layout, COMBINED_TASK, "train"), COMBINED_TASK, total))
    for file, task, examples in train_files:
        problem = file_problem(provider, examples)
        if problem is not None:
            violations.append(Violation(provider, file, task, None, problem))
    return violations
