"""The calls list's columns: which fit a width, and how one row renders into segments.

Kept apart from the scrolling widget so the layout can be read (and tested) on its own.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from rich.cells import set_cell_size
from rich.segment import Segment
from rich.style import Style

from core.review.query import CallRow
from core.textsafe import safe_line


@dataclass(frozen=True, slots=True)
class Column:
    """A column: its sort key, header, width (0 = takes the rest) and the narrowest it shows at."""

    key: str
    header: str
    width: int
    min_total: int = 0  # hidden when the list is narrower than this
    right: bool = False


COLUMNS: tuple[Column, ...] = (
    Column("decision", "dec", 4),
    Column("verdict", "verdict", 8),
    Column("task", "task", 11),
    Column("kind", "kind", 10, min_total=84),
    Column("run", "run", 13, min_total=72),
    Column("seq", "s/r", 6, right=True),
    Column("chars", "chars", 7, right=True),
    Column("rule", "first rule", 23, min_total=96),
    Column("preview", "output", 0),
)

SORTABLE = {c.key: c.header for c in COLUMNS} | {"corpus": "file order", "model": "model"}

DECISION_GLYPHS = {"accept": "✓", "reject": "✗", None: "·"}


def layout(width: int) -> list[tuple[Column, int]]:
    """The columns that fit ``width`` cells, each with its width (the preview takes the rest)."""
    shown = [c for c in COLUMNS if width >= c.min_total]
    fixed = sum(c.width for c in shown if c.width) + 1  # one cell for the selection mark
    return [(c, c.width or max(0, width - fixed)) for c in shown]


def cell_text(row: CallRow, key: str) -> str:
    """What a row shows in one column."""
    if key == "decision":
        mark = "✎" if row.repaired else "•" if row.has_note else " "
        return f"{DECISION_GLYPHS.get(row.decision, '·')}{mark}"
    if key == "verdict":
        return row.verdict
    if key == "task":
        return row.task
    if key == "kind":
        return row.kind
    if key == "run":
        return row.run_id
    if key == "seq":
        seq = "-" if row.seq is None else str(row.seq)
        return seq if row.round is None else f"{seq}/{row.round}"
    if key == "chars":
        return human_chars(row.context_chars)
    if key == "rule":
        return row.first_rule or ""
    return row.preview


def human_chars(count: int) -> str:
    """12345 → ``12.3k``; short numbers as they are."""
    if count < 10_000:
        return str(count)
    if count < 1_000_000:
        return f"{count / 1000:.1f}k" if count < 100_000 else f"{count // 1000}k"
    return f"{count / 1_000_000:.1f}M"


def fit(text: str, width: int, right: bool = False) -> str:
    """Crop or pad text to exactly ``width`` cells, with an ellipsis when cropped."""
    if width <= 0:
        return ""
    # Corpus text: line breaks become spaces, other controls visible escapes (never raw).
    text = safe_line(text.replace("\n", " ").replace("\t", " "))
    if len(text) > width:
        text = text[: width - 1] + "…"
    if right:
        return set_cell_size(text.rjust(width), width)
    return set_cell_size(text, width)


def header_segments(
    columns: list[tuple[Column, int]], sort_key: str, descending: bool, style: Style
) -> list[Segment]:
    """The header line: column names, the sorted one marked with an arrow."""
    segments = [Segment(" ", style)]
    for column, width in columns:
        name = column.header + (("▼" if descending else "▲") if column.key == sort_key else "")
        segments.append(Segment(fit(name, width - 1, column.right) + " ", style))
    return segments


def row_segments(
    row: CallRow,
    columns: list[tuple[Column, int]],
    selected: bool,
    style_for: Callable[[str], Style],
    base: Style,
) -> list[Segment]:
    """One row's segments; ``style_for`` maps a component name to a style, ``base`` underlies
    every cell (the cursor and selection backgrounds)."""
    segments = [Segment("▌" if selected else " ", base + style_for("selected-mark"))]
    for column, width in columns:
        text = fit(cell_text(row, column.key), width - 1, column.right) + " "
        segments.append(Segment(text, base + style_for(_cell_style(row, column.key))))
    return segments


def _cell_style(row: CallRow, key: str) -> str:
    if key == "decision":
        if row.decision is None:
            return "dim"
        return row.decision + ("-run" if row.decided_on == "run" else "")
    if key == "verdict":
        return row.verdict
    if key in ("rule", "run", "seq", "chars", "kind"):
        return "dim"
    return "text"
