"""Run-level limit bands: figures from the run summary, else derived from call metadata.

A figure that neither the summary nor the calls give is ``unknown``, never a silent pass.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Any

from core.config import CuratorConfig
from core.models import BandResult, Finding, Severity, Verdict, verdict_of


@dataclass(frozen=True, slots=True)
class RunCall:
    """The metadata of one call that the bands read."""

    task: str
    round: int | None
    new_entities: int | None
    entity_id: str | None
    queries: int | None


@dataclass(frozen=True, slots=True)
class RunOutcome:
    bands: list[BandResult]
    findings: list[Finding]
    verdict: Verdict


def evaluate_run(
    calls: list[RunCall], summary: dict[str, Any] | None, bare: bool, config: CuratorConfig
) -> RunOutcome:
    """Every band of one run, the findings of those that failed, and the run's verdict."""
    if bare:
        bands = [_unknown(rule) for rule in _BAND_ORDER if config.severity(rule) != Severity.OFF]
        return RunOutcome(bands, [], Verdict.UNKNOWN)
    summary = summary or {}
    limits = config.bands
    extraction = [c for c in calls if c.task == "extraction"]
    enrichment = [c for c in calls if c.task == "enrichment"]
    results = [
        _status(summary),
        _at_most(
            "band.enrichment_iterations",
            _figure(summary, "enrichment_iterations", lambda: _highest_round(enrichment)),
            limits.max_enrichment_iterations,
        ),
        _at_most(
            "band.discovery_rounds",
            _figure(summary, "discovery_rounds", lambda: _highest_round(extraction)),
            limits.max_discovery_rounds,
        ),
        _circuit_breaker(extraction, limits.circuit_breaker_rounds),
        _at_most(
            "band.enrichment_batch_size",
            (_largest_batch(enrichment), "derived"),
            limits.max_enrichment_batch_size,
        ),
        _coverage(summary, limits.coverage_threshold),
        _at_most(
            "band.attempts_per_entity",
            (_most_attempts(enrichment), "derived"),
            limits.max_enrichment_attempts_per_entity,
        ),
        _at_most(
            "band.additional_queries",
            _figure(summary, "additional_queries", lambda: _sum_queries(extraction)),
            limits.max_additional_queries,
        ),
    ]
    bands: list[BandResult] = []
    findings: list[Finding] = []
    for band, message in results:
        severity = config.severity(band.rule)
        if severity == Severity.OFF:
            continue
        bands.append(band)
        if band.status is Verdict.FAIL:
            findings.append(Finding(rule=band.rule, severity=severity, message=message))
    unknown = any(b.status is Verdict.UNKNOWN for b in bands)
    return RunOutcome(bands, findings, verdict_of(findings, unknown=unknown))


_BAND_ORDER = (
    "run.status",
    "band.enrichment_iterations",
    "band.discovery_rounds",
    "band.circuit_breaker",
    "band.enrichment_batch_size",
    "band.coverage",
    "band.attempts_per_entity",
    "band.additional_queries",
)

Figure = tuple[float | None, str]


def _unknown(rule: str, limit: float | str | None = None) -> BandResult:
    return BandResult(rule=rule, value=None, limit=limit, status=Verdict.UNKNOWN, source="")


def _figure(summary: dict[str, Any], key: str, derive: Any) -> Figure:
    value = summary.get(key)
    if _is_number(value):
        return float(value), "summary"
    return derive(), "derived"


def _at_most(rule: str, figure: Figure, limit: int) -> tuple[BandResult, str]:
    value, source = figure
    if value is None:
        return _unknown(rule, limit), ""
    status = Verdict.FAIL if value > limit else Verdict.PASS
    band = BandResult(rule=rule, value=value, limit=limit, status=status, source=source)
    return band, f"{rule.removeprefix('band.').replace('_', ' ')} {value:g} > {limit} ({source})"


def _status(summary: dict[str, Any]) -> tuple[BandResult, str]:
    status = summary.get("status")
    if not isinstance(status, str):
        return _unknown("run.status", "completed"), ""
    verdict = Verdict.PASS if status == "completed" else Verdict.FAIL
    band = BandResult(
        rule="run.status", value=status, limit="completed", status=verdict, source="summary"
    )
    reason = summary.get("stop_reason")
    return band, f"run {status}" + (f": {reason}" if reason else "")


def _coverage(summary: dict[str, Any], threshold: float) -> tuple[BandResult, str]:
    value = summary.get("coverage")
    if not _is_number(value):
        return _unknown("band.coverage", threshold), ""
    verdict = Verdict.FAIL if value < threshold else Verdict.PASS
    band = BandResult(
        rule="band.coverage", value=float(value), limit=threshold, status=verdict, source="summary"
    )
    return band, f"coverage {value:.2f} < {threshold:.2f}"


def _circuit_breaker(extraction: list[RunCall], streak_limit: int) -> tuple[BandResult, str]:
    """Fails when an extraction round ran after ``streak_limit`` zero-new-entity rounds."""
    rule = "band.circuit_breaker"
    if any(c.round is None or c.new_entities is None for c in extraction):
        return _unknown(rule, streak_limit), ""
    found_per_round: dict[int, int] = defaultdict(int)
    for call in extraction:
        found_per_round[call.round] += call.new_entities  # type: ignore[index,operator]
    streak = 0
    for round_number in sorted(found_per_round):
        if streak >= streak_limit:
            band = BandResult(
                rule=rule, value=streak, limit=streak_limit, status=Verdict.FAIL, source="derived"
            )
            return band, (
                f"round {round_number} ran after {streak} rounds with no new entities"
                f" (breaker at {streak_limit})"
            )
        streak = streak + 1 if found_per_round[round_number] == 0 else 0
    band = BandResult(
        rule=rule, value=streak, limit=streak_limit, status=Verdict.PASS, source="derived"
    )
    return band, ""


def _highest_round(calls: list[RunCall]) -> float | None:
    if any(c.round is None for c in calls):
        return None
    return float(max((c.round for c in calls), default=0))  # type: ignore[type-var]


def _largest_batch(enrichment: list[RunCall]) -> float | None:
    if any(c.round is None for c in enrichment):
        return None
    return float(max(Counter(c.round for c in enrichment).values(), default=0))


def _most_attempts(enrichment: list[RunCall]) -> float | None:
    if any(c.entity_id is None for c in enrichment):
        return None
    return float(max(Counter(c.entity_id for c in enrichment).values(), default=0))


def _sum_queries(extraction: list[RunCall]) -> float | None:
    if any(c.queries is None for c in extraction):
        return None
    return float(sum(c.queries for c in extraction))  # type: ignore[misc]


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)
