"""Values inside a JSON answer: flattening to (path, value) pairs for value-level metrics.

Value-level precision/recall compare multisets of ``(path, normalized value)`` pairs, where a
path drops list indices (``tool_steps[].tool``, ``[].name``) so the order of entities or steps
does not matter. Nulls and blank strings carry no value and are skipped; booleans are values.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

_SPACE = re.compile(r"\s+")


def normalize_text(text: str) -> str:
    """Casefolded, whitespace runs folded to one space, trimmed."""
    return _SPACE.sub(" ", text).strip().casefold()


def normalize_value(value: Any) -> str:
    """A scalar as comparable text: strings normalized, ``2.0`` as ``2``, booleans lowercase."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, int | float):
        return str(value)
    return normalize_text(str(value))


def value_pairs(value: Any, path: str = "") -> Counter[tuple[str, str]]:
    """The multiset of ``(path, normalized scalar)`` pairs in a JSON value."""
    pairs: Counter[tuple[str, str]] = Counter()
    _collect(value, path, pairs)
    return pairs


def _collect(value: Any, path: str, pairs: Counter[tuple[str, str]]) -> None:
    if value is None:
        return
    if isinstance(value, dict):
        for key, item in value.items():
            _collect(item, f"{path}.{key}" if path else str(key), pairs)
    elif isinstance(value, list):
        for item in value:
            _collect(item, f"{path}[]", pairs)
    else:
        text = normalize_value(value)
        if text:
            pairs[(path, text)] += 1


def checkable_values(value: Any) -> list[Any]:
    """Scalars that grounding checks: non-blank strings and numbers (booleans are not checked)."""
    found: list[Any] = []
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, str) and item.strip():
            found.append(item)
        elif isinstance(item, int | float) and not isinstance(item, bool):
            found.append(item)
    return found
