"""Near-duplicate clusters in near-linear time: LSH buckets that keep a window of members.

Comparing every pair that shares an LSH bucket is quadratic when inputs are templated (every
request pastes the same schema, so thousands of inputs share each bucket). Instead each bucket
keeps only its ``MAX_REPRESENTATIVES`` most recent members. A new example gathers the members
of its buckets' windows, counting the bands each shares with it, and verifies them most shared
bands first (the likeliest near-duplicates), skipping those already in its cluster, with at
most ``MAX_COMPARISONS`` similarity checks. Work per example is bounded by bands × window,
whatever the bucket sizes.

Clustering is single-linkage, as before: two examples are in one cluster when a chain of
verified pairs (estimated Jaccard ≥ threshold) joins them. The bounds can miss a link whose
partner left every shared window or ranked past the comparison budget. On the templated corpus
of bench/export_bench.py, built so most pairs sit just around the threshold (the hardest
case), 94% of the examples that all-pairs LSH clusters are still clustered at 3,000 examples;
exact and near-verbatim copies share most bands and are verified first.
"""

from __future__ import annotations

from array import array
from collections import Counter
from collections.abc import Hashable, Iterable

from core.export.minhash import band_keys, packed, packed_similarity

MAX_REPRESENTATIVES = 32
MAX_COMPARISONS = 16


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


def near_duplicate_clusters(
    signatures: Iterable[tuple[Hashable, array]],
    threshold: float,
    *,
    max_representatives: int = MAX_REPRESENTATIVES,
    max_comparisons: int = MAX_COMPARISONS,
) -> tuple[UnionFind, list[tuple[Hashable, Hashable]]]:
    """Cluster keys whose signatures are at least ``threshold`` similar.

    Returns the clusters and the verified pairs that joined them (earlier key first), in the
    order they were found, so a caller can join what the keys stand for (their runs).
    """
    clusters = UnionFind()
    joins: list[tuple[Hashable, Hashable]] = []
    values: dict[Hashable, int] = {}  # packed signatures, for verification
    windows: dict[bytes, list[Hashable]] = {}
    for key, sig in signatures:
        values[key] = packed(sig)
        candidates: list[Hashable] = []
        for bucket in band_keys(sig, threshold):
            members = windows.get(bucket)
            if members is None:
                windows[bucket] = [key]
                continue
            candidates.extend(members)
            members.append(key)
            if len(members) > max_representatives:
                del members[0]
        if candidates:
            # most shared bands first; among equals, first seen first (the sort is stable)
            ranked = [other for other, _ in Counter(candidates).most_common()]
            _join_similar(key, ranked, values, clusters, joins, threshold, max_comparisons)
    return clusters, joins


def _join_similar(
    key: Hashable,
    ranked: list[Hashable],
    values: dict[Hashable, int],
    clusters: UnionFind,
    joins: list[tuple[Hashable, Hashable]],
    threshold: float,
    max_comparisons: int,
) -> None:
    """Verify ranked candidates, skipping those already in the key's cluster, up to
    ``max_comparisons`` comparisons; join each similar one."""
    value = values[key]
    comparisons = 0
    for other in ranked:
        if clusters.find(other) == clusters.find(key):
            continue
        if comparisons == max_comparisons:
            break
        comparisons += 1
        if packed_similarity(value, values[other]) >= threshold:
            clusters.union(other, key)
            joins.append((other, key))
