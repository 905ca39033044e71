"""Shared value types: severities, verdicts, findings and the shapes check reports use.

The enums are defined here; the pydantic shapes (:class:`Finding`, :class:`BandResult`) live in
:mod:`core.result_models` and are imported from here on first use: pydantic's import and first
model cost about 0.1 s of CPU, which a check of an unchanged corpus never needs.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from core.result_models import BandResult, Finding

__all__ = ["BandResult", "BandStatus", "Finding", "Severity", "Verdict", "verdict_of"]


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


def verdict_of(findings: list[Finding], *, unknown: bool = False) -> Verdict:
    """Fold findings into a verdict: any error fails; otherwise unknown beats pass."""
    if any(f.severity is Severity.ERROR for f in findings):
        return Verdict.FAIL
    return Verdict.UNKNOWN if unknown else Verdict.PASS


def __getattr__(name: str) -> Any:
    """``Finding`` and ``BandResult``, imported (with pydantic) when first asked for."""
    if name in ("Finding", "BandResult"):
        from core import result_models

        return getattr(result_models, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
