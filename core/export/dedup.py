"""Duplicates: exact ones are exported once; near-duplicates tie their runs to one split side.

Exact duplicates share the exported record (after repair), whatever the key order; the first
in corpus order is kept. Near-duplicates are examples whose user content has a MinHash
similarity at or above the threshold; their runs are joined with union-find, and the split
then places each joined group of runs on one side, so similar inputs never straddle it.
"""

from __future__ import annotations

from collections import Counter

from core.export.minhash import candidate_pairs, similarity
from core.export.model import DuplicateCounts, Example


class UnionFind:
    """Disjoint sets whose representative is the smallest member, so groups name themselves
    the same way on every run."""

    def __init__(self) -> None:
        self._parent: dict = {}

    def find(self, item):
        parent = self._parent.setdefault(item, item)
        while parent != item:
            grandparent = self._parent[parent]
            self._parent[item] = grandparent
            item, parent = parent, self._parent.setdefault(grandparent, grandparent)
        return item

    def union(self, first, second) -> bool:
        """Join two sets; False when they were already one."""
        a, b = self.find(first), self.find(second)
        if a == b:
            return False
        low, high = (a, b) if a < b else (b, a)
        self._parent[high] = low
        return True


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


def group_runs(examples: list[Example], threshold: float) -> tuple[dict[str, str], DuplicateCounts]:
    """Map every run to its split group (the smallest run id joined to it by near-duplicates).

    A ``threshold`` of 0 turns grouping off: every run is its own group. Signatures are
    released once grouped.
    """
    counts = DuplicateCounts()
    runs = UnionFind()
    for example in examples:
        runs.find(example.run_id)
    if threshold > 0:
        similar = UnionFind()
        signed = [(i, e.signature) for i, e in enumerate(examples) if e.signature is not None]
        for first, second in candidate_pairs(signed, threshold):
            if similar.find(first) == similar.find(second):
                continue
            if similarity(examples[first].signature, examples[second].signature) >= threshold:
                similar.union(first, second)
                runs.union(examples[first].run_id, examples[second].run_id)
        sizes = Counter(similar.find(i) for i, _ in signed)
        clusters = [size for size in sizes.values() if size > 1]
        counts.near_dup_groups = len(clusters)
        counts.near_dup_examples = sum(clusters)
    for example in examples:
        example.signature = None
    run_ids = {example.run_id for example in examples}
    group_of = {run: runs.find(run) for run in run_ids}
    group_sizes = Counter(group_of.values())
    counts.runs_linked = sum(1 for run in run_ids if group_sizes[group_of[run]] > 1)
    return group_of, counts
