"""The pydantic shapes of rule results: a call's findings and a run's band results.

Imported through :mod:`core.models` (``from core.models import Finding``) when first used.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from core.models import BandStatus, Severity


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
