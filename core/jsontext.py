"""Reading JSON out of model text: strict parsing, and the wrappers models put around JSON.

One place decides what "valid JSON as returned" and "JSON after removing fences and reasoning"
mean; the content rules, the review app's auto-repair and the eval metrics all call these.
"""

from __future__ import annotations

import json
import re
from typing import Any, NamedTuple

import orjson

_FENCE = re.compile(r"```[ \t]*([A-Za-z0-9_+-]*)[ \t]*\r?\n?(.*?)\r?\n?[ \t]*```", re.DOTALL)
_THINK = re.compile(r"<(think|thinking|reasoning)>.*?</\1>", re.DOTALL | re.IGNORECASE)
_UNCLOSED_THINK = re.compile(r"^\s*<(think|thinking|reasoning)>.*", re.DOTALL | re.IGNORECASE)
_OPENER = re.compile(r"[{\[]")
_DECODER = json.JSONDecoder()
_SHALLOW = 200  # brackets: far below any recursion limit


class Parsed(NamedTuple):
    """A parse attempt: ``ok`` is False when the text is not JSON; ``value`` is then None."""

    ok: bool
    value: Any = None


NOT_JSON = Parsed(False)


def parse_strict(text: str | None) -> Parsed:
    """Parse text as JSON exactly as returned, surrounding whitespace trimmed."""
    if text is None:
        return NOT_JSON
    try:
        return Parsed(True, orjson.loads(text))
    except orjson.JSONDecodeError:
        pass
    # orjson skips JSON whitespace itself; str.strip also trims other Unicode whitespace.
    stripped = text.strip()
    if not stripped or len(stripped) == len(text):
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


def strip_think(text: str) -> str:
    """The text after removing ``<think>``-style blocks; an unclosed leading block leaves ``""``.

    What a reasoning answer is once its reasoning is set aside (no fence or JSON handling).
    """
    without = _THINK.sub("", text)
    if _UNCLOSED_THINK.match(without):
        return ""
    return without.strip()


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


def first_json_object(text: str | None) -> dict[str, Any] | None:
    """The first JSON object in text: decoded from the first ``{`` at which one decodes."""
    if not text:
        return None
    start = text.find("{")
    if start >= 0:
        # The usual case, an object alone on its line, in one orjson parse. Valid JSON decodes
        # the same with the stdlib scanner below; only nesting deep enough for its recursion
        # limit could differ, hence the cap on brackets.
        end = text.find("\n", start)
        line = text[start:] if end < 0 else text[start:end]
        if line.count("{") + line.count("[") < _SHALLOW:
            try:
                value = orjson.loads(line)
            except orjson.JSONDecodeError:
                value = None
            if isinstance(value, dict):
                return value
    while start >= 0:
        decoded = _decode_at(text, start)
        if decoded is not None and isinstance(decoded[1], dict):
            return decoded[1]
        start = text.find("{", start + 1)
    return None


def _outer_json_span(text: str) -> tuple[int, int] | None:
    """The span of the first decodable JSON object or array in text, if any."""
    for opener in _OPENER.finditer(text):
        decoded = _decode_at(text, opener.start())
        if decoded is not None:
            return opener.start(), decoded[0]
    return None


def _decode_at(text: str, start: int) -> tuple[int, Any] | None:
    """(end, value) of the JSON value starting at ``start``, when one decodes there.

    The stdlib's C scanner finds the end without a Python loop over characters; orjson then
    decodes the span, so "decodes" means the same here as in :func:`parse_strict` (no NaN).
    """
    try:
        _, end = _DECODER.raw_decode(text, start)
    except (ValueError, RecursionError):
        return None
    try:
        return end, orjson.loads(text[start:end])
    except orjson.JSONDecodeError:
        return None
