"""Choosing held-out groups: meet each task's target while wasting as few examples as possible.

The unit is a group of runs (see ``core.export.split``); a group holds some examples of each
task, so holding out whole groups overshoots a task's target whenever its last group is bigger
than what was missing. The overshoot is waste: left out of both files, or (with
``keep_runs``) held out beyond the target instead of trained on. A choice is scored per task,
in order of importance:

1. train must not be smaller than held-out (``train ≥ held-out``, the default's promise);
2. the target must be met (every example short of it counts);
3. the overshoot (wasted examples) must be small.

A greedy pass over a seeded shuffle of the groups (and one over the groups smallest first)
gives starting points; a seeded local search then tries adding, removing and swapping groups,
keeping a move when the score does not get worse. Iterations are bounded, so the time is too,
and the same seed gives the same choice on every machine.
"""

from __future__ import annotations

import random
from collections import Counter

RESTARTS = 3
MOVES_PER_GROUP = 40
MAX_MOVES = 30_000
_BALANCE = 1_000_000  # one example of train < held-out outweighs any shortfall or waste
_SHORT = 1_000  # one example short of a target outweighs any waste


def choose_heldout_groups(
    group_tasks: dict[str, Counter[str]],
    targets: dict[str, int],
    seed: int,
    *,
    keep_runs: bool = False,
) -> set[str]:
    """The groups to hold out, given each group's example count per task and the targets."""
    tasks = sorted(targets)
    if not tasks or not any(targets.values()):
        return set()
    names = sorted(group_tasks)
    vectors = [tuple(group_tasks[name].get(t, 0) for t in tasks) for name in names]
    available = [sum(v[i] for v in vectors) for i in range(len(tasks))]
    wanted = [targets[t] for t in tasks]
    search = _Search(vectors, available, wanted, keep_runs)
    best: tuple[int, list[int]] | None = None
    for restart in range(RESTARTS):
        rng = random.Random(f"heldout:{seed}:{restart}")
        order = list(range(len(names)))
        rng.shuffle(order)
        if restart == 1:
            order.sort(key=lambda g: sum(vectors[g]))  # stable: the shuffle breaks ties
        chosen = search.improve(search.greedy(order), rng)
        score = search.score(search.totals(chosen))
        if best is None or score < best[0]:
            best = (score, sorted(chosen))
    assert best is not None
    return {names[g] for g in best[1]}


class _Search:
    """Scores and improves a choice of groups, given as indexes into ``vectors``."""

    def __init__(
        self, vectors: list[tuple[int, ...]], available: list[int], wanted: list[int], keep: bool
    ) -> None:
        self.vectors, self.available, self.wanted, self.keep = vectors, available, wanted, keep

    def task_score(self, i: int, held: int) -> int:
        target = self.wanted[i]
        kept = held if self.keep else min(held, target)
        train = self.available[i] - held
        return (
            _BALANCE * max(0, kept - train) + _SHORT * max(0, target - held) + max(0, held - target)
        )

    def score(self, totals: list[int]) -> int:
        return sum(self.task_score(i, held) for i, held in enumerate(totals))

    def totals(self, chosen: set[int] | list[int]) -> list[int]:
        totals = [0] * len(self.wanted)
        for g in chosen:
            for i, n in enumerate(self.vectors[g]):
                totals[i] += n
        return totals

    def _delta(self, totals: list[int], add: int | None, remove: int | None) -> int:
        delta = 0
        for i, held in enumerate(totals):
            moved = (self.vectors[add][i] if add is not None else 0) - (
                self.vectors[remove][i] if remove is not None else 0
            )
            if moved:
                delta += self.task_score(i, held + moved) - self.task_score(i, held)
        return delta

    def greedy(self, order: list[int]) -> set[int]:
        """Take each group, in order, that makes the score better."""
        chosen: set[int] = set()
        totals = [0] * len(self.wanted)
        for g in order:
            if self._delta(totals, g, None) < 0:
                chosen.add(g)
                for i, n in enumerate(self.vectors[g]):
                    totals[i] += n
        return chosen

    def improve(self, chosen: set[int], rng: random.Random) -> set[int]:
        """Seeded local search: add, remove or swap one group while the score does not rise."""
        inside = sorted(chosen)
        outside = sorted(set(range(len(self.vectors))) - chosen)
        totals = self.totals(inside)
        moves = min(MAX_MOVES, MOVES_PER_GROUP * len(self.vectors))
        for _ in range(moves):
            kind = rng.random()
            add = rng.randrange(len(outside)) if outside and kind > 1 / 3 else None
            remove = rng.randrange(len(inside)) if inside and kind < 2 / 3 else None
            if add is None and remove is None:
                continue
            added = outside[add] if add is not None else None
            removed = inside[remove] if remove is not None else None
            if self._delta(totals, added, removed) > 0:
                continue
            if add is not None:
                outside[add] = outside[-1]
                outside.pop()
            if remove is not None:
                inside[remove] = inside[-1]
                inside.pop()
            if added is not None:
                inside.append(added)
            if removed is not None:
                outside.append(removed)
            for i in range(len(totals)):
                totals[i] += (self.vectors[added][i] if added is not None else 0) - (
                    self.vectors[removed][i] if removed is not None else 0
                )
        return set(inside)
