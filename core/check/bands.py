"""Run-level limit bands: figures from the run summary, else derived from call metadata.

A figure that neither the summary nor the calls give is ``unknown``, never a silent pass. A band
applies only to a run that holds calls of the tasks it measures, or whose summary gives its
figure; otherwise it is ``n/a`` and weighs nothing, so a run of other tasks (a chat bot's, a
tool agent's) is judged by its content rules alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from core.check.run_figures import ExtractionRound, RunCall, RunFigures
from core.check_settings import CheckSettings
from core.models import BandStatus, Finding, Severity, Verdict, verdict_of

__all__ = ["Band", "RunCall", "RunFigures", "RunOutcome", "evaluate_run"]


@dataclass(frozen=True, slots=True)
class Band:
    """One band of one run, with the fields of :class:`core.models.BandResult` (the report's
    shape): a plain dataclass, because a corpus has thousands of runs of eight bands each."""

    rule: str
    value: float | str | None
    limit: float | str | None
    status: BandStatus
    source: str  # "summary", "derived" or "" when unknown or not applicable


@dataclass(frozen=True, slots=True)
class RunOutcome:
    bands: list[Band]
    findings: list[Finding]
    verdict: Verdict


def evaluate_run(
    figures: RunFigures, summary: dict[str, Any] | None, config: CheckSettings
) -> RunOutcome:
    """Every band of one run, the findings of those that failed, and the run's verdict."""
    summary = summary or {}
    limits = config.bands
    if figures.bare:  # a line of its own (or an unkeyed trajectory): no run figure is known
        bands = [
            _unknown(rule) if applies(rule, figures.tasks, summary) else _not_applicable(rule)
            for rule in _BAND_ORDER
            if config.severity(rule) != Severity.OFF
        ]
        unknown = any(b.status is BandStatus.UNKNOWN for b in bands)
        return RunOutcome(bands, [], Verdict.UNKNOWN if unknown else Verdict.PASS)
    batches = figures.enrichment_batches
    rounds = figures.extraction_rounds
    results = [
        _status(summary),
        _at_most(
            "band.enrichment_iterations",
            _figure(summary, "enrichment_iterations", lambda: _highest_round(batches)),
            limits.max_enrichment_iterations,
        ),
        _at_most(
            "band.discovery_rounds",
            _figure(summary, "discovery_rounds", lambda: _highest_round(rounds)),
            limits.max_discovery_rounds,
        ),
        _circuit_breaker(rounds, limits.circuit_breaker_rounds),
        _at_most(
            "band.enrichment_batch_size",
            (_largest_batch(batches), "derived"),
            limits.max_enrichment_batch_size,
        ),
        _coverage(summary, limits.coverage_threshold),
        _at_most(
            "band.attempts_per_entity",
            (_most_attempts(figures.most_attempts), "derived"),
            limits.max_enrichment_attempts_per_entity,
        ),
        _at_most(
            "band.additional_queries",
            _figure(summary, "additional_queries", lambda: _sum_queries(rounds)),
            limits.max_additional_queries,
        ),
    ]
    bands: list[Band] = []
    findings: list[Finding] = []
    for band, message in results:
        severity = config.severity(band.rule)
        if severity == Severity.OFF:
            continue
        if not applies(band.rule, figures.tasks, summary):
            band = _not_applicable(band.rule)
        bands.append(band)
        if band.status is BandStatus.FAIL:
            findings.append(
                Finding.model_construct(rule=band.rule, severity=severity, message=message)
            )
    unknown = any(b.status is BandStatus.UNKNOWN for b in bands)
    return RunOutcome(bands, findings, verdict_of(findings, unknown=unknown))


def applies(rule: str, tasks: frozenset[str], summary: dict[str, Any]) -> bool:
    """Whether a band measures a run holding calls of ``tasks``: it holds a call of a task
    the band measures, or the run's summary gives the band's figure."""
    if not tasks.isdisjoint(BAND_TASKS[rule]):
        return True
    key = _SUMMARY_KEYS.get(rule)
    if key is None:
        return False
    value = summary.get(key)
    return isinstance(value, str) if rule == "run.status" else _is_number(value)


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

_STORY_TASKS = frozenset(("planning", "extraction", "enrichment"))
# The tasks each band measures. A planned run is the story's pipeline, where a phase that made
# no call measured zero (a run that planned and extracted enriched nothing): planning counts.
_EXTRACTION = frozenset(("extraction", "planning"))
_ENRICHMENT = frozenset(("enrichment", "planning"))
BAND_TASKS: dict[str, frozenset[str]] = {
    "run.status": _STORY_TASKS,
    "band.enrichment_iterations": _ENRICHMENT,
    "band.discovery_rounds": _EXTRACTION,
    "band.circuit_breaker": _EXTRACTION,
    "band.enrichment_batch_size": _ENRICHMENT,
    "band.coverage": _STORY_TASKS,
    "band.attempts_per_entity": _ENRICHMENT,
    "band.additional_queries": _EXTRACTION,
}
# The summary key that gives a band's figure: a run of any tasks is measured by it when given.
_SUMMARY_KEYS = {
    "run.status": "status",
    "band.enrichment_iterations": "enrichment_iterations",
    "band.discovery_rounds": "discovery_rounds",
    "band.coverage": "coverage",
    "band.additional_queries": "additional_queries",
}

Figure = tuple[float | None, str]


def _band(*, rule: str, value: Any, limit: Any, status: BandStatus, source: str) -> Band:
    """A band with numbers as BandResult's validation makes them: floats."""
    return Band(rule, _float(value), _float(limit), status, source)


def _float(value: Any) -> Any:
    return float(value) if type(value) is int else value


def _unknown(rule: str, limit: float | str | None = None) -> Band:
    return _band(rule=rule, value=None, limit=limit, status=BandStatus.UNKNOWN, source="")


def _not_applicable(rule: str) -> Band:
    return Band(rule, None, None, BandStatus.NOT_APPLICABLE, "")


def _figure(summary: dict[str, Any], key: str, derive: Any) -> Figure:
    value = summary.get(key)
    if _is_number(value):
        return float(value), "summary"
    return derive(), "derived"


def _at_most(rule: str, figure: Figure, limit: int) -> tuple[Band, str]:
    value, source = figure
    if value is None:
        return _unknown(rule, limit), ""
    status = BandStatus.FAIL if value > limit else BandStatus.PASS
    band = _band(rule=rule, value=value, limit=limit, status=status, source=source)
    return band, f"{rule.removeprefix('band.').replace('_', ' ')} {value:g} > {limit} ({source})"


def _status(summary: dict[str, Any]) -> tuple[Band, str]:
    status = summary.get("status")
    if not isinstance(status, str):
        return _unknown("run.status", "completed"), ""
    verdict = BandStatus.PASS if status == "completed" else BandStatus.FAIL
    band = _band(
        rule="run.status", value=status, limit="completed", status=verdict, source="summary"
    )
    reason = summary.get("stop_reason")
    return band, f"run {status}" + (f": {reason}" if reason else "")


def _coverage(summary: dict[str, Any], threshold: float) -> tuple[Band, str]:
    value = summary.get("coverage")
    if not _is_number(value):
        return _unknown("band.coverage", threshold), ""
    verdict = BandStatus.FAIL if value < threshold else BandStatus.PASS
    band = _band(
        rule="band.coverage", value=float(value), limit=threshold, status=verdict, source="summary"
    )
    return band, f"coverage {value:.2f} < {threshold:.2f}"


def _circuit_breaker(
    rounds: dict[int | None, ExtractionRound], streak_limit: int
) -> tuple[Band, str]:
    """Fails when an extraction round ran after ``streak_limit`` zero-new-entity rounds."""
    rule = "band.circuit_breaker"
    if None in rounds or any(r.new_entities is None for r in rounds.values()):
        return _unknown(rule, streak_limit), ""
    streak = 0
    for round_number in sorted(rounds):  # type: ignore[type-var]
        if streak >= streak_limit:
            band = _band(
                rule=rule,
                value=streak,
                limit=streak_limit,
                status=BandStatus.FAIL,
                source="derived",
            )
            return band, (
                f"round {round_number} ran after {streak} rounds with no new entities"
                f" (breaker at {streak_limit})"
            )
        streak = streak + 1 if rounds[round_number].new_entities == 0 else 0
    band = _band(
        rule=rule, value=streak, limit=streak_limit, status=BandStatus.PASS, source="derived"
    )
    return band, ""


def _highest_round(rounds: dict[int | None, Any]) -> float | None:
    if None in rounds:
        return None
    return float(max(rounds, default=0))  # type: ignore[type-var]


def _largest_batch(batches: dict[int | None, int]) -> float | None:
    if None in batches:
        return None
    return float(max(batches.values(), default=0))


def _most_attempts(most: int | None) -> float | None:
    return None if most is None else float(most)


def _sum_queries(rounds: dict[int | None, ExtractionRound]) -> float | None:
    totals = [r.queries for r in rounds.values()]
    if any(total is None for total in totals):
        return None
    return float(sum(totals))  # type: ignore[arg-type]


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)
