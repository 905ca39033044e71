"""One run band as a gauge: value against limit, green when it holds, red when it fails,
"unknown" spelled out when the figure could not be known, and "n/a" (dim, no bar) when the band
does not measure this run's tasks."""

from __future__ import annotations

from rich.text import Text
from textual.widget import Widget

from core.review.runs import BandView

SHORT_LABELS = {
    "enrichment iterations": "enrich rounds",
    "enrichment batch size": "enrich batch",
    "attempts per entity": "attempts/entity",
    "additional queries": "queries",
    "discovery rounds": "discovery rounds",
    "circuit breaker": "circuit breaker",
}


class BandGauge(Widget):
    """``✗ coverage         ████░░░░ 0.30 < 0.65  summary``, fitted to its width."""

    DEFAULT_CSS = """
    BandGauge { height: 1; width: 1fr; }
    """

    def __init__(self, band: BandView, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.band = band

    def render(self) -> Text:
        return band_text(self.band, self.size.width or 60)


def band_text(band: BandView, width: int = 60) -> Text:
    """The gauge as text for a given width: label, bar, figure against limit, source."""
    label_width = 22 if width >= 64 else 16
    bar_width = max(3, min(16, width - label_width - 22))
    label = band.label if width >= 64 else SHORT_LABELS.get(band.label, band.label)
    status_style = {"pass": "green", "fail": "red", "n/a": "dim"}.get(band.status, "yellow")
    mark = {"pass": "✓", "fail": "✗", "n/a": "–"}.get(band.status, "?")
    text = Text(f"{mark} ", style=f"bold {status_style}")
    text.append(label[: label_width - 1].ljust(label_width))
    if band.status == "n/a":
        text.append(" " * bar_width)
        text.append(" n/a", style="dim")
        if width >= 64:
            text.append(" (no call of the tasks it measures)", style="dim")
    elif band.status == "unknown" or band.value is None:
        text.append("░" * bar_width, style="dim")
        text.append(" unknown", style="bold yellow")
        if band.limit is not None and width >= 64:
            needs = "needs" if band.direction == "equals" else "limit"
            text.append(f" ({needs} {_figure(band.limit)})", style="dim")
    elif band.fill is None:  # a status: completed / aborted
        text.append(f"{band.value}", style=f"bold {status_style}")
        text.append(f" (needs {band.limit})", style="dim")
    else:
        filled = round(bar_width * band.fill)
        text.append("█" * filled, style=status_style)
        text.append("░" * (bar_width - filled), style="dim")
        comparison = _comparison(band.direction, band.status == "fail")
        text.append(f" {_figure(band.value)} ", style=f"bold {status_style}")
        text.append(f"{comparison} {_figure(band.limit)}")
        if band.source and width >= 64:
            text.append(f"  {band.source}", style="dim")
    text.truncate(width, overflow="ellipsis")
    return text


def _comparison(direction: str, failed: bool) -> str:
    """The sign that makes "value SIGN limit" true: a failing band reads ``3 > 2``."""
    if direction == "min":
        return "<" if failed else "≥"
    return ">" if failed else "≤"


def _figure(value: float | str | None) -> str:
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)
