"""How many of a set of calls fail a rule or are unknown: what a bulk accept must say first."""

from __future__ import annotations

import sqlite3
from collections import Counter
from collections.abc import Sequence

CHUNK = 900  # under SQLite's default limit of bound parameters


def verdict_counts(conn: sqlite3.Connection, call_ids: Sequence[int]) -> Counter[str]:
    """``{"pass": n, "fail": n, "unknown": n}`` over ``call_ids`` (missing verdicts count 0)."""
    counts: Counter[str] = Counter()
    for start in range(0, len(call_ids), CHUNK):
        chunk = list(call_ids[start : start + CHUNK])
        marks = ",".join("?" * len(chunk))
        for verdict, count in conn.execute(
            f"SELECT verdict, COUNT(*) FROM calls WHERE id IN ({marks}) GROUP BY verdict", chunk
        ):
            counts[verdict] += count
    return counts
