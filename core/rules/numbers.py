"""Numbers as the model wrote them: a float's literal text, and finding a whole number in text.

JSON parsing turns ``4.50`` into ``4.5``; grounding compares numbers as written, so where it
matters the output is parsed again with :class:`FloatLiteral` keeping each float's text.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from core.rules.grounding import GroundingIndex

_DIGITS = "0123456789"


class FloatLiteral(str):
    """A JSON number with a fraction or exponent, kept as the model wrote it (``4.50``)."""


def whole_number_at(text: str, literal: str, start: int, end: int) -> int:
    """The first index in [start, end) where ``literal`` is not part of a longer number."""
    found = text.find(literal, start, end)
    while found >= 0:
        after = found + len(literal)
        before_ok = found == 0 or (
            text[found - 1] not in _DIGITS
            and not (text[found - 1] == "." and found > 1 and text[found - 2] in _DIGITS)
        )
        after_ok = after >= len(text) or (
            text[after] not in _DIGITS
            and not (text[after] == "." and after + 1 < len(text) and text[after + 1] in _DIGITS)
        )
        if before_ok and after_ok:
            return found
        found = text.find(literal, found + 1, end)
    return -1


def ungrounded_as_written(
    index: GroundingIndex,
    value: Any,
    json_text: str,
    collect: Callable[[GroundingIndex, Any], list[tuple[str, Any]]],
) -> list[tuple[str, Any]]:
    """``collect(index, value)``, redone with floats as written when a float was not grounded.

    Parsing loses how a number was written (``4.50`` becomes ``4.5``). A float is grounded by
    its shortest form, which needs no second parse; only when one is not is ``json_text``
    parsed again keeping each float's text, so ``4.50`` can still be found as written.
    """
    missing = collect(index, value)
    if not any(type(leaf) is float for _, leaf in missing):
        return missing
    try:
        written = json.loads(json_text, parse_float=FloatLiteral)
    except (ValueError, RecursionError):
        return missing
    index.rewind()
    return collect(index, written)
