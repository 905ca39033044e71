"""Output kinds: what a call's assistant target is: json, tool_call, reasoning or text.

One definition, shared by the content rules (JSON rules run only on ``json`` calls), the index
(the kind is a column, a facet and a ``check --json`` field) and the eval (metrics by kind).
PRODUCT.md, "Beyond the story's agent", is the contract: a kind declared for the task wins;
otherwise ``tool_call`` when the target has ``tool_calls``, ``json`` for the story's tasks or
when the content parses as a JSON object or array (also inside a code fence), else
``text``. ``reasoning`` is never inferred: a task declares it, so a ``<think>`` block before
an answer (JSON or not) is ``text`` unless configured otherwise.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from core.jsontext import has_fence, has_think_block, parse_strict, strip_wrappers
from core.rules.messages import output_text

STORY_TASKS = ("planning", "extraction", "enrichment")


class OutputKind(StrEnum):
    """What the assistant target of a call is."""

    JSON = "json"
    TOOL_CALL = "tool_call"
    REASONING = "reasoning"
    TEXT = "text"


def target_message(messages: Any) -> dict[str, Any] | None:
    """The last message when it is the assistant's, else None."""
    if not isinstance(messages, list) or not messages:
        return None
    last = messages[-1]
    if isinstance(last, dict) and last.get("role") == "assistant":
        return last
    return None


def infer_kind(messages: Any, task: str, declared: OutputKind | str | None = None) -> OutputKind:
    """The output kind of one call.

    Args:
        messages: The call's ``messages`` (any JSON value; never raises).
        task: The call's task; the story's three tasks are ``json``.
        declared: The kind configured for the task, which wins when set.
    """
    if declared:
        return OutputKind(declared)
    if type(messages) is list and messages:
        target = messages[-1]
        if type(target) is dict and target.get("tool_calls") and target.get("role") == "assistant":
            return OutputKind.TOOL_CALL
    if task in STORY_TASKS:
        return OutputKind.JSON
    text = output_text(messages)
    if text and _holds_json_container(text):
        return OutputKind.JSON
    return OutputKind.TEXT


def _holds_json_container(text: str) -> bool:
    stripped = text.lstrip()
    if stripped[:1] in ("{", "["):
        parsed = parse_strict(text)
        if parsed.ok:
            return isinstance(parsed.value, dict | list)
    if "```" not in text or not has_fence(text) or has_think_block(text):
        return False
    inner = strip_wrappers(text)
    if inner[:1] not in ("{", "["):
        return False
    parsed = parse_strict(inner)
    return parsed.ok and isinstance(parsed.value, dict | list)
