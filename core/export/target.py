"""The record an export writes: only the keys of the provider's format, content made uniform.

A trace line carries whatever its agent logged (``metadata``, ``id``, ``reasoning_content``,
``refusal``, provider echoes...). The fine-tuning formats have a fixed set of keys
(docs/PROVIDER_FORMATS.md): at the top level ``messages``, ``tools`` and, for OpenAI and
Fireworks, ``parallel_tool_calls`` (Together's file checker refuses any other column); per
message ``role``, ``content``, ``name``, ``tool_calls``, ``tool_call_id`` and ``weight``.
Everything else is removed and counted, so the summary can say what went.

Content is made uniform within a record, because Together refuses a conversation that mixes
string content with lists of content parts: when no message has an image, a list of text
parts becomes one string (the parts joined by newlines, as chat templates render them); when
one does, every string content becomes a one-part list.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from core.export.model import Provider

METADATA_KEY = "metadata"  # never exported, never counted: it is the tool's own input
MESSAGE_KEYS = ("role", "content", "name", "tool_calls", "tool_call_id", "weight")
TOP_LEVEL_KEYS: dict[str, tuple[str, ...]] = {
    "fireworks": ("messages", "tools", "parallel_tool_calls"),
    "openai": ("messages", "tools", "parallel_tool_calls"),
    "together": ("messages", "tools"),
}
JOINED_PARTS = "content: text parts joined into a string"
WRAPPED_STRING = "content: string wrapped as a text part (the record has images)"


def to_target(record: dict[str, Any], provider: Provider) -> tuple[dict[str, Any], Counter[str]]:
    """The record with only the provider's keys and uniform content, and what changed.

    The changes count removed keys as ``"top level: KEY"`` and ``"messages[]: KEY"``, plus
    content conversions; a record the checks will refuse (no message list) is returned as is.
    """
    changes: Counter[str] = Counter()
    allowed = TOP_LEVEL_KEYS[provider]
    target: dict[str, Any] = {}
    for key, value in record.items():
        if key in allowed:
            target[key] = value
        elif key != METADATA_KEY:
            changes[f"top level: {key}"] += 1
    messages = target.get("messages")
    if not isinstance(messages, list):
        return target, changes
    kept = []
    for message in messages:
        if not isinstance(message, dict):
            kept.append(message)
            continue
        for key in message:
            if key not in MESSAGE_KEYS:
                changes[f"messages[]: {key}"] += 1
        kept.append({k: v for k, v in message.items() if k in MESSAGE_KEYS})
    target["messages"] = _uniform_content(kept, changes)
    return target, changes


def _uniform_content(messages: list[Any], changes: Counter[str]) -> list[Any]:
    has_image = any(
        isinstance(m, dict)
        and isinstance(m.get("content"), list)
        and any(isinstance(p, dict) and p.get("type") != "text" for p in m["content"])
        for m in messages
    )
    uniform = []
    for message in messages:
        content = message.get("content") if isinstance(message, dict) else None
        if has_image and isinstance(content, str):
            message = {**message, "content": [{"type": "text", "text": content}]}
            changes[WRAPPED_STRING] += 1
        elif not has_image and _text_parts(content):
            text = "\n".join(part["text"] for part in content)
            message = {**message, "content": text}
            changes[JOINED_PARTS] += 1
        uniform.append(message)
    return uniform


def _text_parts(content: Any) -> bool:
    """A non-empty list of well-formed text parts (anything else is left for the checks)."""
    return (
        isinstance(content, list)
        and bool(content)
        and all(
            isinstance(p, dict) and p.get("type") == "text" and isinstance(p.get("text"), str)
            for p in content
        )
    )


def describe_removed(removed: dict[str, int]) -> str:
    """One line saying what writing only the format's keys removed or converted, with counts."""
    if not removed:
        return "nothing removed (every key is part of the format)"
    return "removed or converted " + ", ".join(f"{what} ×{n}" for what, n in removed.items())
