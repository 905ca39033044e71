"""OTLP JSON values: ``AnyValue`` decoding and GenAI message parts to chat messages.

OTLP JSON encodes attributes as ``[{"key", "value": {"stringValue" | "intValue" | ...}}]`` with
64-bit integers as strings; GenAI message attributes (``gen_ai.input.messages``, ...) hold
``[{"role", "parts": [{"type": "text" | "tool_call" | "tool_call_response", ...}]}]``, as a JSON
string or a structured value.
"""

from __future__ import annotations

from typing import Any

from core.importers.base import RecordError
from core.importers.chat import json_text, maybe_json, message, tool_call


def any_value(value: Any) -> Any:
    """The Python value of an OTLP JSON ``AnyValue``."""
    if not isinstance(value, dict):
        return value
    for key, item in value.items():
        if key == "stringValue" or key == "boolValue" or key == "doubleValue":
            return item
        if key == "intValue":
            return int(item) if isinstance(item, str) else item
        if key == "arrayValue":
            return [any_value(v) for v in (item or {}).get("values", [])]
        if key == "kvlistValue":
            return attributes((item or {}).get("values", []))
        if key == "bytesValue":
            return item
    return None


def attributes(items: Any) -> dict[str, Any]:
    """An OTLP attribute list as a dict (a dict passes through)."""
    if isinstance(items, dict):
        return items
    result: dict[str, Any] = {}
    for item in items or ():
        if isinstance(item, dict) and "key" in item:
            result[item["key"]] = any_value(item.get("value"))
    return result


def part_messages(entries: Any, what: str) -> list[dict[str, Any]]:
    """Chat messages from GenAI ``{"role", "parts"}`` messages (JSON text or structured)."""
    entries = maybe_json(entries)
    if not isinstance(entries, list):
        raise RecordError(f"{what} is not a list of messages")
    result: list[dict[str, Any]] = []
    for entry in entries:
        if not isinstance(entry, dict) or not isinstance(entry.get("role"), str):
            raise RecordError(f"{what}: a message without a role")
        result.extend(_from_parts(entry["role"], entry.get("parts") or [], what))
    return result


def system_message(instructions: Any) -> dict[str, Any] | None:
    """A system message from ``gen_ai.system_instructions`` (parts, or plain text)."""
    instructions = maybe_json(instructions)
    if instructions in (None, "", []):
        return None
    if isinstance(instructions, str):
        return message("system", instructions)
    texts = _texts(instructions if isinstance(instructions, list) else [instructions])
    return message("system", "\n".join(texts))


def _texts(parts: list[Any]) -> list[str]:
    return [
        str(p.get("content", "")) for p in parts if isinstance(p, dict) and p.get("type") == "text"
    ]


def _from_parts(role: str, parts: list[Any], what: str) -> list[dict[str, Any]]:
    texts: list[str] = []
    calls: list[dict[str, Any]] = []
    results: list[dict[str, Any]] = []
    for part in parts:
        kind = part.get("type") if isinstance(part, dict) else None
        if kind == "text":
            texts.append(str(part.get("content", "")))
        elif kind == "tool_call":
            call_id = part.get("id") or f"call_{len(calls)}"
            calls.append(tool_call(str(call_id), str(part.get("name")), part.get("arguments")))
        elif kind == "tool_call_response":
            content = json_text(part.get("response", part.get("result")))
            results.append(message("tool", content, tool_call_id=str(part.get("id"))))
        elif kind == "reasoning":
            continue  # not part of the chat fine-tuning shape
        else:
            raise RecordError(f"{what}: unsupported message part type {kind!r}")
    if results:
        return results
    content = "\n".join(texts) if texts else None
    if role == "assistant":
        return [message("assistant", content, tool_calls=calls or None)]
    return [message(role, content if content is not None else "")]
