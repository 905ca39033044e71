"""The train / held-out split: by group of runs, reproducible from the seed.

The unit of the split is a *group*: a run, or runs joined by near-duplicates. A group's
examples of every task go to the same side, so nothing of a held-out run is trained on.

Each task's held-out target is ``heldout_per_task``, but at most ``max_heldout_share`` of that
task's examples, so a small corpus still leaves something to train on. ``core.export.heldout``
chooses the groups: targets met, train never smaller than held-out, and the fewest examples
wasted. Runs hold different numbers of each task's calls, so a task can still end with more
held-out examples than its target: by default a seeded sample keeps exactly the target and the
rest are *left out* of both files (they cannot train: their run is held out), counted per task
in the plan, the summary and the manifest; with ``keep_runs`` they stay in held-out instead.
"""

from __future__ import annotations

import random
from collections import Counter, defaultdict

from core.export.heldout import choose_heldout_groups
from core.export.model import Example, TaskCounts

__all__ = ["assign_splits", "choose_heldout_groups", "heldout_targets"]


def heldout_targets(
    available: dict[str, int], per_task: int, max_share: float
) -> tuple[dict[str, int], list[str]]:
    """Each task's held-out target, and a warning per task that cannot have ``per_task``."""
    targets: dict[str, int] = {}
    warnings: list[str] = []
    for task, count in sorted(available.items()):
        cap = int(count * max_share)
        targets[task] = min(per_task, cap)
        if targets[task] < per_task:
            warnings.append(
                f"{task}: only {_examples(count)}; held out at most {targets[task]}"
                f" ({max_share:.0%} of them), not {per_task}"
            )
    return targets, warnings


def assign_splits(
    examples: list[Example],
    group_of: dict[str, str],
    per_task: int,
    max_share: float,
    seed: int,
    *,
    keep_runs: bool = False,
) -> tuple[list[Example], dict[str, TaskCounts], list[str]]:
    """Set each example's ``split``; return the examples to write (corpus order), per-task
    counts (sorted by task) and warnings."""
    group_tasks: dict[str, Counter[str]] = defaultdict(Counter)
    available: Counter[str] = Counter()
    for example in examples:
        group_tasks[group_of[example.run_id]][example.task] += 1
        available[example.task] += 1
    targets, warnings = heldout_targets(dict(available), per_task, max_share)
    heldout_groups = choose_heldout_groups(dict(group_tasks), targets, seed, keep_runs=keep_runs)
    tasks = {task: TaskCounts(heldout_target=targets[task]) for task in sorted(available)}
    heldout_by_task: dict[str, list[Example]] = defaultdict(list)
    for example in examples:
        if group_of[example.run_id] in heldout_groups:
            example.split = "heldout"
            heldout_by_task[example.task].append(example)
        else:
            example.split = "train"
            tasks[example.task].train += 1
    left_out: set[int] = set()
    for task, held in sorted(heldout_by_task.items()):
        counts = tasks[task]
        extra = len(held) - counts.heldout_target
        if extra > 0 and keep_runs:
            warnings.append(
                f"{task}: held out {_examples(len(held))}, {extra} over the target of"
                f" {counts.heldout_target}, to keep held-out runs whole (--keep-heldout-runs)"
            )
        elif extra > 0:
            rng = random.Random(f"{seed}:{task}")
            left_out.update(id(e) for e in rng.sample(held, extra))
            counts.heldout_left_out = extra
            warnings.append(
                f"{task}: {_examples(extra)} of held-out runs left out of both files, to hold"
                f" out exactly {counts.heldout_target}; --keep-heldout-runs holds them out instead"
            )
        counts.heldout = len(held) if keep_runs else len(held) - max(extra, 0)
    for task, counts in tasks.items():
        if counts.heldout < counts.heldout_target:
            warnings.append(
                f"{task}: held out {_examples(counts.heldout)}, short of {counts.heldout_target}"
            )
    return [e for e in examples if id(e) not in left_out], tasks, warnings


def _examples(count: int) -> str:
    return f"{count} example{'' if count == 1 else 's'}"
