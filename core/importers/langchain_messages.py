"""LangChain messages as LangSmith records them, to OpenAI chat messages.

A message is a serialized constructor (``{"lc": 1, "type": "constructor", "id": [...,
"HumanMessage"], "kwargs": {...}}``), a dict with ``type`` (human/ai/system/tool) and
``content``, or already an OpenAI ``{"role", "content"}`` message. AI tool calls come as
``tool_calls: [{"name", "args", "id"}]`` or OpenAI-shaped in ``additional_kwargs``.
"""

from __future__ import annotations

from typing import Any

from core.importers.base import RecordError
from core.importers.chat import message, openai_message, tool_call

ROLE_OF_TYPE = {
    "human": "user",
    "user": "user",
    "ai": "assistant",
    "assistant": "assistant",
    "system": "system",
    "developer": "developer",
    "tool": "tool",
    "function": "tool",
}
ROLE_OF_CLASS = {
    "HumanMessage": "user",
    "AIMessage": "assistant",
    "AIMessageChunk": "assistant",
    "SystemMessage": "system",
    "ToolMessage": "tool",
    "FunctionMessage": "tool",
    "ChatMessage": None,  # carries its own role
}


def lc_message(value: Any) -> dict[str, Any]:
    """One OpenAI chat message from a LangChain or OpenAI-shaped message."""
    if isinstance(value, dict) and "role" in value and "kwargs" not in value:
        return openai_message(value)
    if not isinstance(value, dict):
        raise RecordError("a message is not an object")
    if value.get("lc") and isinstance(value.get("kwargs"), dict):
        class_name = (value.get("id") or [""])[-1]
        body = value["kwargs"]
        role = ROLE_OF_CLASS.get(class_name, ROLE_OF_TYPE.get(str(body.get("type"))))
    else:
        body = value.get("data") if isinstance(value.get("data"), dict) else value
        role = ROLE_OF_TYPE.get(str(value.get("type")))
    role = role or body.get("role")
    if role not in ROLE_OF_TYPE.values():
        raise RecordError(f"a message of unknown type {value.get('type') or role!r}")
    content = _content(body.get("content"))
    if role == "tool":
        return message("tool", content or "", tool_call_id=body.get("tool_call_id"))
    if role == "assistant":
        calls = _tool_calls(body)
        return message("assistant", content if content or not calls else None, tool_calls=calls)
    return message(role, content if content is not None else "")


def _content(content: Any) -> Any:
    """Text blocks joined; a plain string as is."""
    if isinstance(content, list):
        texts = [
            block.get("text", "") if isinstance(block, dict) else str(block)
            for block in content
            if not isinstance(block, dict) or block.get("type") in ("text", None)
        ]
        return "".join(texts)
    return content


def _tool_calls(body: dict[str, Any]) -> list[dict[str, Any]] | None:
    calls = body.get("tool_calls") or []
    if calls:
        return [
            tool_call(str(c.get("id") or f"call_{i}"), str(c.get("name")), c.get("args"))
            if "args" in c or "function" not in c
            else openai_message({"role": "assistant", "tool_calls": [c]})["tool_calls"][0]
            for i, c in enumerate(calls)
        ]
    extra = body.get("additional_kwargs") or {}
    if extra.get("tool_calls"):
        return openai_message({"role": "assistant", "tool_calls": extra["tool_calls"]})[
            "tool_calls"
        ]
    return None
