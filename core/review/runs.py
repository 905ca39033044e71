"""One run for the run view: summary, each band as value against limit, and its calls in order."""

from __future__ import annotations

import sqlite3
from array import array
from dataclasses import dataclass
from typing import Any, Literal

import orjson

from core.review.decisions import Target, TargetState, state_of

Direction = Literal["max", "min", "equals"]
_MIN_RULES = {"band.coverage"}
_EQUALS_RULES = {"run.status"}


@dataclass(frozen=True, slots=True)
class BandView:
    """One band: the figure, its limit, and how they compare (``unknown`` when no figure)."""

    rule: str
    value: float | str | None
    limit: float | str | None
    status: str  # "pass", "fail", "unknown" or "n/a" (the run holds none of its tasks)
    source: str  # "summary", "derived" or ""
    direction: Direction

    @property
    def label(self) -> str:
        return self.rule.removeprefix("band.").removeprefix("run.").replace("_", " ")

    @property
    def fill(self) -> float | None:
        """How full the gauge is, 0..1 (past 1 is clipped); None when not numeric."""
        if not isinstance(self.value, int | float) or not isinstance(self.limit, int | float):
            return None
        if self.limit <= 0:
            return 1.0 if self.value > 0 else 0.0
        return max(0.0, min(1.0, float(self.value) / float(self.limit)))


@dataclass(frozen=True, slots=True)
class RunView:
    """A run's verdict, bands, findings, summary, review state and call ids in order."""

    run_id: str
    verdict: str
    bands: tuple[BandView, ...]
    findings: tuple[dict[str, Any], ...]
    summary: dict[str, Any] | None
    call_ids: array[int]
    state: TargetState


def load_run(conn: sqlite3.Connection, run_id: str) -> RunView | None:
    """Everything the run view shows; None when the run is not in the index."""
    row = conn.execute(
        "SELECT verdict, bands, findings, summary FROM runs WHERE run_id = ?", (run_id,)
    ).fetchone()
    if row is None:
        return None
    verdict, bands, findings, summary = tuple(row)
    return RunView(
        run_id=run_id,
        verdict=verdict,
        bands=tuple(_band(b) for b in orjson.loads(bands)),
        findings=tuple(orjson.loads(findings)),
        summary=None if summary is None else orjson.loads(summary),
        call_ids=run_call_ids(conn, run_id),
        state=state_of(conn, Target("run", run_id)),
    )


def run_call_ids(conn: sqlite3.Connection, run_id: str) -> array[int]:
    """The run's calls in the order the agent made them: seq, then round, then corpus order."""
    return array(
        "q",
        [
            r[0]
            for r in conn.execute(
                "SELECT c.id FROM calls c JOIN files f ON f.id = c.file_id WHERE c.run_id = ?"
                " ORDER BY c.seq IS NULL, c.seq, c.round, f.path, c.line",
                (run_id,),
            )
        ],
    )


def _band(raw: dict[str, Any]) -> BandView:
    rule = raw["rule"]
    direction: Direction = (
        "min" if rule in _MIN_RULES else "equals" if rule in _EQUALS_RULES else "max"
    )
    return BandView(
        rule=rule,
        value=raw.get("value"),
        limit=raw.get("limit"),
        status=raw.get("status", "unknown"),
        source=raw.get("source", ""),
        direction=direction,
    )
