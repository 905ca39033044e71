"""Duplicates: exact ones are exported once; near-duplicates tie their runs to one split side.

Exact duplicates share the exported record (after repair), whatever the key order; the first
in corpus order is kept. Near-duplicates are examples whose user content has a MinHash
similarity at or above the threshold; their runs are joined with union-find, and the split
then places each joined group of runs on one side, so similar inputs never straddle it. Runs
that a trajectory step ties together (a line of one run that starts a line of another: steps
logged under different keys) are joined the same way, whatever the threshold.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from core.export.model import DuplicateCounts, Example
from core.export.neardup import UnionFind, near_duplicate_clusters

__all__ = ["UnionFind", "drop_exact_duplicates", "group_runs"]


def drop_exact_duplicates(examples: list[Example]) -> tuple[list[Example], Counter[str]]:
    """The examples without later exact copies, and how many were dropped per task."""
    seen: set[str] = set()
    kept: list[Example] = []
    dropped: Counter[str] = Counter()
    for example in examples:
        if example.content_key in seen:
            dropped[example.task] += 1
            continue
        seen.add(example.content_key)
        kept.append(example)
    return kept, dropped


def group_runs(
    examples: list[Example], threshold: float, steps: Iterable[tuple[str, str]] = ()
) -> tuple[dict[str, str], DuplicateCounts]:
    """Map every run to its split group (the smallest run id joined to it by near-duplicates
    or by ``steps``, pairs of runs a trajectory step ties together).

    A ``threshold`` of 0 turns near-duplicate grouping off. Signatures are released once
    grouped.
    """
    counts = DuplicateCounts()
    runs = UnionFind()
    for example in examples:
        runs.find(example.run_id)
    near: set[str] = set()  # runs a near-duplicate joins to another
    if threshold > 0:
        signed = [(i, e.signature) for i, e in enumerate(examples) if e.signature is not None]
        similar, joins = near_duplicate_clusters(signed, threshold)
        for first, second in joins:
            one, other = examples[first].run_id, examples[second].run_id
            if one != other:
                near.update((one, other))
            runs.union(one, other)
        sizes = Counter(similar.find(i) for i, _ in signed)
        clusters = [size for size in sizes.values() if size > 1]
        counts.near_dup_groups = len(clusters)
        counts.near_dup_examples = sum(clusters)
    for example in examples:
        example.signature = None
    run_ids = {example.run_id for example in examples}
    stepped: set[str] = set()
    for step_run, longer_run in steps:
        if step_run != longer_run and step_run in run_ids and longer_run in run_ids:
            runs.union(step_run, longer_run)
            stepped.update((step_run, longer_run))
    counts.runs_linked = len(near)
    counts.step_runs_linked = len(stepped)
    return {run: runs.find(run) for run in run_ids}, counts
