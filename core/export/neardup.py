"""Near-duplicate clusters in near-linear time: LSH buckets that keep a window of members.

Comparing every pair that shares an LSH bucket is quadratic when inputs are templated (every
request pastes the same schema, so thousands of inputs share each bucket). Instead each bucket
keeps only its ``MAX_REPRESENTATIVES`` most recent members; a new example is compared with
those of each of its buckets until one is similar enough (or already in its cluster, which
costs no comparison). Work per example is bounded by bands × window, whatever the bucket sizes;
a representative shared by several bands is compared once.

Clustering is single-linkage, as before: two examples are in one cluster when a chain of
verified pairs (estimated Jaccard ≥ threshold) joins them. The window can miss a link whose
partner has left every shared bucket's window; on a templated corpus built to sit at the
threshold (bench/export_bench.py) 97.6% of the examples that all-pairs LSH put in clusters are
still clustered, and exact and near-verbatim copies (the ones that leak) always share windows
early.
"""

from __future__ import annotations

from array import array
from collections.abc import Hashable, Iterable

from core.export.minhash import band_keys, packed, packed_similarity

MAX_REPRESENTATIVES = 16


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
) -> tuple[UnionFind, list[tuple[Hashable, Hashable]]]:
    """Cluster keys whose signatures are at least ``threshold`` similar.

    Returns the clusters and the verified pairs that joined them (earlier key first), in the
    order they were found, so a caller can join what the keys stand for (their runs).
    """
    clusters = UnionFind()
    joins: list[tuple[Hashable, Hashable]] = []
    buckets: dict[bytes, list[tuple[Hashable, int]]] = {}
    for key, sig in signatures:
        value = packed(sig)
        root = clusters.find(key)
        compared: set[Hashable] = set()  # a representative often shares several bands
        for bucket in band_keys(sig, threshold):
            members = buckets.get(bucket)
            if members is None:
                buckets[bucket] = [(key, value)]
                continue
            for other, other_value in members:
                if clusters.find(other) == root:
                    break
                if other in compared:
                    continue
                compared.add(other)
                if packed_similarity(value, other_value) >= threshold:
                    clusters.union(other, key)
                    joins.append((other, key))
                    root = clusters.find(key)
                    break
            members.append((key, value))
            if len(members) > max_representatives:
                del members[0]
    return clusters, joins
