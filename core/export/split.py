"""The train / held-out split: by group of runs, reproducible from the seed.

The unit of the split is a *group*: a run, or runs joined by near-duplicates. A group's
examples of every task go to the same side, so nothing of a held-out run is trained on.

Each task's held-out target is ``heldout_per_task``, but at most ``max_heldout_share`` of that
task's examples, so a small corpus still leaves something to train on. Groups are visited in a
seeded shuffle of their sorted keys. A first pass takes a group when it helps a task still
short of its target without overshooting any task; a second takes a group whose tasks are all
still short; a third takes any group that helps a task still short. Runs hold different numbers
of each task's calls, so a task can then have more held-out examples than its target: a seeded
sample keeps exactly the target, and the rest are left out of both files (they cannot train:
their run is held out) and reported.
"""

from __future__ import annotations

import random
from collections import Counter, defaultdict

from core.export.model import Example, TaskCounts


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


def choose_heldout_groups(
    group_tasks: dict[str, Counter[str]], targets: dict[str, int], seed: int
) -> set[str]:
    """The groups that go to held-out, given each group's example count per task."""
    order = sorted(group_tasks)
    random.Random(seed).shuffle(order)
    held: Counter[str] = Counter()
    chosen: set[str] = set()

    def short(task: str) -> bool:
        return held[task] < targets.get(task, 0)

    for group in order:
        tasks = group_tasks[group]
        if any(short(t) for t in tasks) and all(
            held[t] + n <= targets.get(t, 0) for t, n in tasks.items()
        ):
            chosen.add(group)
            held.update(tasks)
    for enough in (all, any):  # overshoot only short tasks first, then any task
        for group in order:
            tasks = group_tasks[group]
            if group not in chosen and enough(short(t) for t in tasks):
                chosen.add(group)
                held.update(tasks)
    return chosen


def assign_splits(
    examples: list[Example],
    group_of: dict[str, str],
    per_task: int,
    max_share: float,
    seed: int,
) -> tuple[list[Example], dict[str, TaskCounts], list[str]]:
    """Set each example's ``split``; return the examples to write (corpus order), per-task
    counts (sorted by task) and warnings."""
    group_tasks: dict[str, Counter[str]] = defaultdict(Counter)
    available: Counter[str] = Counter()
    for example in examples:
        group_tasks[group_of[example.run_id]][example.task] += 1
        available[example.task] += 1
    targets, warnings = heldout_targets(dict(available), per_task, max_share)
    heldout_groups = choose_heldout_groups(dict(group_tasks), targets, seed)
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
        if extra > 0:
            rng = random.Random(f"{seed}:{task}")
            left_out.update(id(e) for e in rng.sample(held, extra))
            counts.heldout_left_out = extra
            warnings.append(
                f"{task}: {_examples(extra)} of held-out runs left out of both files, to hold"
                f" out exactly {counts.heldout_target} (runs are kept whole)"
            )
        counts.heldout = len(held) - max(extra, 0)
    for task, counts in tasks.items():
        if counts.heldout < counts.heldout_target:
            warnings.append(
                f"{task}: held out {_examples(counts.heldout)}, short of {counts.heldout_target}"
            )
    return [e for e in examples if id(e) not in left_out], tasks, warnings


def _examples(count: int) -> str:
    return f"{count} example{'' if count == 1 else 's'}"
