"""Review progress for the app's header: calls reviewed, accepted and rejected, per task."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field

from core.review.query import DECISION_SQL


@dataclass(slots=True)
class TaskTally:
    """Decisions over one task's calls (effective decisions: a call's own, else its run's)."""

    total: int = 0
    accepted: int = 0
    rejected: int = 0

    @property
    def reviewed(self) -> int:
        return self.accepted + self.rejected


@dataclass(slots=True)
class ReviewTally:
    """Decisions over the whole corpus and per task."""

    overall: TaskTally = field(default_factory=TaskTally)
    by_task: dict[str, TaskTally] = field(default_factory=dict)


def review_tally(conn: sqlite3.Connection) -> ReviewTally:
    """Count every call by task and effective decision."""
    tally = ReviewTally()
    rows = conn.execute(
        f"SELECT c.task, {DECISION_SQL} AS d, COUNT(*) FROM calls c GROUP BY c.task, d"
        " ORDER BY c.task"
    )
    for task, decision, count in rows:
        for bucket in (tally.overall, tally.by_task.setdefault(task, TaskTally())):
            bucket.total += count
            if decision == "accept":
                bucket.accepted += count
            elif decision == "reject":
                bucket.rejected += count
    return tally
