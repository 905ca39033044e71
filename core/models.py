"""Shared value types: severities, verdicts, findings and the shapes check reports use."""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict


class Severity(StrEnum):
    """How much a finding matters: ``error`` fails the call, ``warn`` only shows."""

    ERROR = "error"
    WARN = "warn"
    OFF = "off"


class Verdict(StrEnum):
    """Outcome of the rules for one call or one run."""

    PASS = "pass"
    FAIL = "fail"
    UNKNOWN = "unknown"


class BandStatus(StrEnum):
    """How one run band came out; ``n/a`` when the run holds no call of the tasks it measures
    (a status of its own: neither a failure nor an unknown figure)."""

    PASS = "pass"
    FAIL = "fail"
    UNKNOWN = "unknown"
    NOT_APPLICABLE = "n/a"


class Finding(BaseModel):
    """One rule that did not hold, with a message naming the offending field or value."""

    model_config = ConfigDict(frozen=True)

    rule: str
    severity: Severity
    message: str


class BandResult(BaseModel):
    """One run-level band: the figure, its limit and whether it held."""

    model_config = ConfigDict(frozen=True)

    rule: str
    value: float | str | None
    limit: float | str | None
    status: BandStatus
    source: str  # "summary", "derived" or "" when unknown or not applicable


def verdict_of(findings: list[Finding], *, unknown: bool = False) -> Verdict:
    """Fold findings into a verdict: any error fails; otherwise unknown beats pass."""
    if any(f.severity is Severity.ERROR for f in findings):
        return Verdict.FAIL
    return Verdict.UNKNOWN if unknown else Verdict.PASS
