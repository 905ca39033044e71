"""Reading JSON out of model text: strict parsing, and the wrappers models put around JSON.

One place decides what "valid JSON as returned" and "JSON after removing fences and reasoning"
mean; the content rules, the review app's auto-repair and the eval metrics all call these.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import orjson

_FENCE = re.compile(r"```[ \t]*([A-Za-z0-9_+-]*)[ \t]*\r?\n?(.*?)\r?\n?[ \t]*```", re.DOTALL)
_THINK = re.compile(r"<(think|thinking|reasoning)>.*?</\1>", re.DOTALL | re.IGNORECASE)
_UNCLOSED_THINK = re.compile(r"^\s*<(think|thinking|reasoning)>.*", re.DOTALL | re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Parsed:
    """A parse attempt: ``ok`` is False when the text is not JSON; ``value`` is then None."""

    ok: bool
    value: Any = None


NOT_JSON = Parsed(False)


def parse_strict(text: str | None) -> Parsed:
    """Parse text as JSON exactly as returned, surrounding whitespace trimmed."""
    if text is None:
        return NOT_JSON
    stripped = text.strip()
    if not stripped:
        return NOT_JSON
    try:
        return Parsed(True, orjson.loads(stripped))
    except orjson.JSONDecodeError:
        return NOT_JSON


def has_fence(text: str) -> bool:
    """True when the text holds a markdown code fence."""
    return _FENCE.search(text) is not None


def has_think_block(text: str) -> bool:
    """True when the text holds a ``<think>``-style block (closed or not)."""
    return _THINK.search(text) is not None or _UNCLOSED_THINK.match(text) is not None


def strip_wrappers(text: str) -> str:
    """Remove think blocks, code fences and prose around the JSON; return the JSON text.

    Returns the input trimmed when nothing JSON-like can be isolated.
    """
    without_think = _THINK.sub("", text).strip()
    fence = _FENCE.search(without_think)
    if fence:
        return fence.group(2).strip()
    span = _outer_json_span(without_think)
    if span is None:
        return without_think
    return without_think[span[0] : span[1]]


def parse_lenient(text: str | None) -> Parsed:
    """Parse after :func:`strip_wrappers`: what a forgiving reader would get from the text."""
    if text is None:
        return NOT_JSON
    strict = parse_strict(text)
    if strict.ok:
        return strict
    return parse_strict(strip_wrappers(text))


def _outer_json_span(text: str) -> tuple[int, int] | None:
    """The span of the first decodable JSON object or array in text, if any."""
    for start, char in enumerate(text):
        if char not in "{[":
            continue
        end = _matching_close(text, start)
        if end is None:
            continue
        try:
            orjson.loads(text[start:end])
        except orjson.JSONDecodeError:
            continue
        return start, end
    return None


def _matching_close(text: str, start: int) -> int | None:
    """Index after the bracket closing the one at ``start``, honouring JSON strings."""
    depth = 0
    in_string = False
    escaped = False
    for index in range(start, len(text)):
        char = text[index]
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "{[":
            depth += 1
        elif char in "}]":
            depth -= 1
            if depth == 0:
                return index + 1
    return None
