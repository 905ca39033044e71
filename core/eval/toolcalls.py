"""Tool calls in eval answers: reading them from a message and comparing their arguments.

A tool call is read from the OpenAI shape ``{"type": "function", "function": {"name",
"arguments"}}`` (a bare ``{"name", "arguments"}`` is read too). ``arguments`` is kept exactly
as returned: the chat format sends a JSON string, some servers a parsed object. Arguments
*parse* when they are a JSON object: a string holding one, or an object already; a
double-encoded string, an array or plain text does not parse.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import orjson

from core.jsontext import parse_strict


@dataclass(frozen=True, slots=True)
class ToolCall:
    """One called function: its name and its arguments as returned."""

    name: str
    arguments: Any

    @property
    def parsed_arguments(self) -> dict[str, Any] | None:
        """The arguments as a JSON object, or None when they are not one."""
        return parse_arguments(self.arguments)

    def public(self) -> dict[str, Any]:
        """The call as the JSON report writes it."""
        return {"name": self.name, "arguments": self.arguments}


def tool_calls_of(message: Any) -> tuple[ToolCall, ...]:
    """The tool calls of an assistant message (empty when it has none or they are malformed)."""
    if not isinstance(message, dict):
        return ()
    raw = message.get("tool_calls")
    if not isinstance(raw, list):
        return ()
    calls = []
    for entry in raw:
        if not isinstance(entry, dict):
            continue
        function = entry.get("function") if isinstance(entry.get("function"), dict) else entry
        name = function.get("name")
        calls.append(ToolCall(name if isinstance(name, str) else "", function.get("arguments")))
    return tuple(calls)


def parse_arguments(arguments: Any) -> dict[str, Any] | None:
    """Arguments as a JSON object: a dict as is, a string when it holds one, else None."""
    if isinstance(arguments, dict):
        return arguments
    if isinstance(arguments, str):
        parsed = parse_strict(arguments)
        if parsed.ok and isinstance(parsed.value, dict):
            return parsed.value
    return None


def offered_tool_names(tools: Any) -> frozenset[str] | None:
    """The function names a request's ``tools`` offer; None when it offers no tools."""
    if not isinstance(tools, list) or not tools:
        return None
    names = set()
    for tool in tools:
        if isinstance(tool, dict):
            function = tool.get("function") if isinstance(tool.get("function"), dict) else tool
            if isinstance(function.get("name"), str):
                names.add(function["name"])
    return frozenset(names)


def same_call(predicted: ToolCall, gold: ToolCall) -> bool:
    """Same function name and JSON-equal arguments (see :func:`json_equal`).

    Arguments that do not parse on either side compare as returned, so a gold with odd
    arguments still matches a replay of itself.
    """
    if predicted.name != gold.name:
        return False
    mine, theirs = predicted.parsed_arguments, gold.parsed_arguments
    if mine is None or theirs is None:
        return mine is None and theirs is None and _canonical(predicted) == _canonical(gold)
    return json_equal(mine, theirs)


def json_equal(a: Any, b: Any) -> bool:
    """Equality of JSON values: key order is ignored, ``1 == 1.0``, but ``true != 1``."""
    if isinstance(a, bool) or isinstance(b, bool):
        return isinstance(a, bool) and isinstance(b, bool) and a == b
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(json_equal(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(json_equal(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, int | float) and isinstance(b, int | float):
        return a == b
    return type(a) is type(b) and a == b


def argument_keys(calls: Iterable[ToolCall]) -> list[tuple[str, str]]:
    """``(function name, argument key)`` of every call whose arguments parse."""
    keys = []
    for call in calls:
        parsed = call.parsed_arguments
        if parsed is not None:
            keys += [(call.name, key) for key in parsed]
    return keys


def _canonical(call: ToolCall) -> bytes:
    try:
        return orjson.dumps(call.arguments, option=orjson.OPT_SORT_KEYS)
    except TypeError:
        return repr(call.arguments).encode()
