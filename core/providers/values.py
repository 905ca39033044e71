"""Lenient readers for loosely typed JSON fields (int64 as strings, missing numbers)."""

from __future__ import annotations

from typing import Any


def as_float(value: Any) -> float | None:
    """``value`` as a float, or None when absent or not a number."""
    if value is None or isinstance(value, bool):
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def as_int(value: Any) -> int | None:
    """``value`` as an int (``"42"`` included), or None when absent or not a number."""
    number = as_float(value)
    return None if number is None else int(number)
