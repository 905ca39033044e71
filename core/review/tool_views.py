"""What the detail pane shows of a line's tools, its tool calls and its non-text content parts.

Views are built from the raw record as it is, never repaired: arguments that are not a JSON
object string are shown as they are, with a note saying what is wrong (double-encoded, not
JSON, not a string), and a content part without text becomes a one-line placeholder
(``[image: image/png, 34 KB]``) so it is never shown as nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import orjson


@dataclass(frozen=True, slots=True)
class ToolView:
    """One tool schema of the line's ``tools``: name, description and its parameters."""

    name: str
    description: str
    parameters: str  # indented JSON, "" when the tool has none


@dataclass(frozen=True, slots=True)
class ToolCallView:
    """One assistant tool call: arguments pretty-printed when they are a JSON object string."""

    call_id: str
    name: str
    arguments: str  # indented JSON, else the raw value as it is
    problem: str  # "" when the arguments are a JSON object string


def tool_views(tools: Any) -> tuple[ToolView, ...]:
    """The line's ``tools`` (the chat format's function schemas); anything else is skipped."""
    if not isinstance(tools, list):
        return ()
    views = []
    for tool in tools:
        if not isinstance(tool, dict):
            continue
        function = tool.get("function") if isinstance(tool.get("function"), dict) else tool
        parameters = function.get("parameters")
        views.append(
            ToolView(
                name=str(function.get("name", "?")),
                description=" ".join(str(function.get("description") or "").split()),
                parameters="" if parameters is None else _indented(parameters),
            )
        )
    return tuple(views)


def tools_chars(tools: Any) -> int:
    """How much of the context the ``tools`` schemas take: the characters of their JSON."""
    if not tools:
        return 0
    return len(orjson.dumps(tools).decode())


def tool_call_views(message: dict[str, Any]) -> tuple[ToolCallView, ...]:
    """Each tool call of an assistant message, in order."""
    calls = message.get("tool_calls")
    if not isinstance(calls, list):
        return ()
    views = []
    for raw in calls:
        if not isinstance(raw, dict):
            views.append(ToolCallView("", "?", _indented(raw), "not a tool call object"))
            continue
        function = raw.get("function") if isinstance(raw.get("function"), dict) else {}
        arguments, problem = _arguments(function.get("arguments"))
        name = str(function.get("name", "?"))
        views.append(ToolCallView(str(raw.get("id") or ""), name, arguments, problem))
    return tuple(views)


def part_text(part: Any) -> str:
    """A content part as text: a text part's text, else a placeholder naming what it holds."""
    if not isinstance(part, dict):
        return f"[{_json(part)}]"
    kind = part.get("type")
    if kind == "text":
        text = part.get("text")
        return text if isinstance(text, str) else "[text part without text]"
    if kind == "image_url":
        image = part.get("image_url")
        url = image.get("url") if isinstance(image, dict) else image
        return f"[image: {_source(url)}]"
    if kind == "input_audio":
        audio = part.get("input_audio") if isinstance(part.get("input_audio"), dict) else {}
        data = audio.get("data")
        size = _size(len(data) * 3 // 4) if isinstance(data, str) else "no data"
        return f"[audio: {audio.get('format', '?')}, {size}]"
    if kind == "image":
        where = part.get("path") or part.get("image") or part.get("url") or "?"
        return f"[image part with a path, not in the chat format: {str(where)[:80]}]"
    return f"[{kind or 'untyped'} part]"


def _arguments(value: Any) -> tuple[str, str]:
    if not isinstance(value, str):
        kind = "an object" if isinstance(value, dict) else "missing" if value is None else "other"
        return _indented(value), f"arguments are {kind}, not a JSON string"
    try:
        parsed = orjson.loads(value)
    except orjson.JSONDecodeError:
        return value, "arguments are not valid JSON"
    if isinstance(parsed, str):
        return value, "arguments are double-encoded (a JSON string holding JSON)"
    if not isinstance(parsed, dict):
        return value, "arguments are JSON but not an object"
    return _indented(parsed), ""


def _source(url: Any) -> str:
    """``image/png, 34 KB`` for a data URL, else the URL itself (cut)."""
    if not isinstance(url, str) or not url:
        return "no url"
    if url.startswith("data:"):
        header, _, data = url.partition(",")
        media = header[5:].split(";", 1)[0] or "unknown type"
        padding = len(data) - len(data.rstrip("="))
        return f"{media}, {_size(len(data) * 3 // 4 - padding)}"
    return url if len(url) <= 80 else url[:79] + "…"


def _size(count: int) -> str:
    if count < 1024:
        return f"{count} B"
    if count < 1024 * 1024:
        return f"{round(count / 1024)} KB"
    return f"{count / 1024 / 1024:.1f} MB"


def _indented(value: Any) -> str:
    try:
        return orjson.dumps(value, option=orjson.OPT_INDENT_2).decode()
    except TypeError:
        return str(value)


def _json(value: Any) -> str:
    try:
        return orjson.dumps(value).decode()[:80]
    except TypeError:
        return str(value)[:80]
