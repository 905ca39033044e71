"""What the run bands read of a run's calls, aggregated: from the index, or from a list.

Enrichment calls, most of a corpus, are counted by SQL (a few rows per run); only extraction
calls come back one by one, for their sums.
"""

from __future__ import annotations

import sqlite3
from collections import Counter, defaultdict
from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class RunCall:
    """The metadata of one call that the bands read."""

    task: str
    round: int | None
    new_entities: int | None
    entity_id: str | None
    queries: int | None


@dataclass(frozen=True, slots=True)
class ExtractionRound:
    """One extraction round of a run: totals, or None when a call does not give its figure."""

    new_entities: int | None
    queries: int | None


@dataclass(slots=True)
class RunFigures:
    """A run's calls as the bands need them; a None round key gathers calls without a round."""

    calls: int = 0
    bare: bool = False
    tasks: frozenset[str] = frozenset()  # the tasks of its calls, which decide the bands' use
    enrichment_batches: dict[int | None, int] = field(default_factory=dict)  # round -> calls
    most_attempts: int | None = 0  # most enrichment calls for one entity; None: an id missing
    extraction_rounds: dict[int | None, ExtractionRound] = field(default_factory=dict)

    @classmethod
    def of(cls, calls: list[RunCall], *, bare: bool = False) -> RunFigures:
        """The figures of a list of calls (the definition the SQL aggregation follows)."""
        figures = cls(calls=len(calls), bare=bare, tasks=frozenset(c.task for c in calls))
        enrichment = [c for c in calls if c.task == "enrichment"]
        figures.enrichment_batches = dict(Counter(c.round for c in enrichment))
        if any(c.entity_id is None for c in enrichment):
            figures.most_attempts = None
        else:
            figures.most_attempts = max(
                Counter(c.entity_id for c in enrichment).values(), default=0
            )
        rounds: dict[int | None, list[RunCall]] = defaultdict(list)
        for call in calls:
            if call.task == "extraction":
                rounds[call.round].append(call)
        figures.extraction_rounds = {
            number: ExtractionRound(
                _total([c.new_entities for c in members]), _total([c.queries for c in members])
            )
            for number, members in rounds.items()
        }
        return figures


def run_figures(conn: sqlite3.Connection) -> dict[str, RunFigures]:
    """Every indexed run's figures: enrichment counts grouped by SQL; extraction calls (a few
    per run) are summed here, exactly as :meth:`RunFigures.of` does, whatever their size."""
    figures: dict[str, RunFigures] = {}
    for run_id, task, calls, bare in conn.execute(
        "SELECT run_id, task, COUNT(*), MAX(bare) FROM calls GROUP BY run_id, task"
    ):
        run = figures.get(run_id)
        if run is None:
            figures[run_id] = RunFigures(calls=calls, bare=bool(bare), tasks=frozenset((task,)))
        else:
            run.calls += calls
            run.bare = run.bare or bool(bare)
            run.tasks = run.tasks | {task}
    for run_id, round_, calls in conn.execute(
        "SELECT run_id, round, COUNT(*) FROM calls WHERE task = 'enrichment' GROUP BY run_id, round"
    ):
        figures[run_id].enrichment_batches[round_] = calls
    for run_id, most, unknown in conn.execute(
        "SELECT run_id, MAX(attempts), MAX(entity_id IS NULL) FROM"
        " (SELECT run_id, entity_id, COUNT(*) AS attempts FROM calls"
        "  WHERE task = 'enrichment' GROUP BY run_id, entity_id) GROUP BY run_id"
    ):
        figures[run_id].most_attempts = None if unknown else most
    rounds: dict[tuple[str, int | None], tuple[list[int | None], list[int | None]]] = {}
    for run_id, round_, new_entities, queries in conn.execute(
        "SELECT run_id, round, new_entities, queries FROM calls WHERE task = 'extraction'"
    ):
        new, asked = rounds.setdefault((run_id, round_), ([], []))
        new.append(new_entities)
        asked.append(queries)
    for (run_id, round_), (new, asked) in rounds.items():
        figures[run_id].extraction_rounds[round_] = ExtractionRound(_total(new), _total(asked))
    return figures


def _total(values: list[int | None]) -> int | None:
    if any(value is None for value in values):
        return None
    return sum(values)  # type: ignore[arg-type]
