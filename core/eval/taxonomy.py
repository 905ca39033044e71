"""The error taxonomy of a 200 response, and the one test of whether an answer is usable.

Both depend on the example's output kind. :func:`is_usable` is what ``probe``, ``eval``'s
verdicts and its diagnosis all read, so they agree on what counts:

- ``json``: strict JSON of the task's shape (an object; an array of objects for extraction);
- ``tool_call``: at least one tool call, every call's arguments a JSON object, every name one
  the request's ``tools`` offer (when it offers tools); content may be null;
- ``text`` and ``reasoning``: a non-blank answer once ``<think>`` blocks are set aside.

Kinds of a 200 response, checked in order: ``truncated`` (finish_reason ``length``),
``thinking_only``, ``empty``, then per output kind ``not_json`` / ``wrong_shape`` (json),
``no_tool_call`` / ``unknown_tool`` / ``bad_arguments`` (tool_call), and ``ok``.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from typing import Any

from core.eval.metrics import TASK_SHAPES, shape_ok
from core.eval.toolcalls import ToolCall
from core.jsontext import (
    first_json_object,
    has_fence,
    has_think_block,
    parse_lenient,
    parse_strict,
    strip_think,
    strip_wrappers,
)
from core.rules.kinds import OutputKind

OK = "ok"
TRUNCATED = "truncated"
TEXT_PREFIX = "text: "  # detail of an output that holds free text, grouped as one cause
TOOL_CALL_AS_TEXT = "a tool call written in the content, not in tool_calls"
_THINKING = "content empty; the answer stayed in reasoning"
# A think block never closed: the model ran out of tokens or never left reasoning.
_UNCLOSED_THINK = re.compile(r"^\s*<(think|thinking|reasoning)>(?!.*</\1>)", re.DOTALL | re.I)


def is_usable(
    kind: OutputKind,
    task: str,
    content: str,
    tool_calls: Sequence[ToolCall] = (),
    offered: Collection[str] | None = None,
) -> bool:
    """Whether an answer can be used as an answer of its kind (see the module docstring)."""
    if kind == OutputKind.TOOL_CALL:
        return bool(tool_calls) and _call_problem(tool_calls, offered) is None
    if kind in (OutputKind.TEXT, OutputKind.REASONING):
        return bool(strip_think(content))
    parsed = parse_strict(content)
    return parsed.ok and shape_ok(task, parsed.value)


def classify(
    content: str,
    finish_reason: str | None,
    reasoning: str | None,
    task: str,
    message: dict[str, Any] | None = None,
    *,
    kind: OutputKind = OutputKind.JSON,
    tool_calls: Sequence[ToolCall] = (),
    offered: Collection[str] | None = None,
) -> tuple[str, str]:
    """The taxonomy kind and detail of a 200 response's content and tool calls."""
    if finish_reason == "length":
        return TRUNCATED, "finish_reason length"
    if kind == OutputKind.TOOL_CALL:
        return _classify_tool_call(content, reasoning, tool_calls, offered)
    if kind in (OutputKind.TEXT, OutputKind.REASONING):
        return _classify_text(content, reasoning, bool(tool_calls))
    return _classify_json(content, reasoning, task, message)


def snippet(text: str, limit: int = 120) -> str:
    """Text on one line, cut to ``limit`` characters."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def _classify_json(
    content: str, reasoning: str | None, task: str, message: dict[str, Any] | None
) -> tuple[str, str]:
    if _only_thinking(content, reasoning):
        return "thinking_only", _THINKING
    if not content.strip():
        if message and message.get("tool_calls"):
            return "empty", "tool_calls instead of content"
        return "empty", "blank content" if content else "no content"
    parsed = parse_strict(content)
    if not parsed.ok:
        if parse_lenient(content).ok:
            return "not_json", _wrapper(content)
        return "not_json", f"{TEXT_PREFIX}{snippet(content, 60)}"
    if not shape_ok(task, parsed.value):
        expected = "array of objects" if TASK_SHAPES[task] is list else "object"
        return "wrong_shape", f"{_json_type(parsed.value)}, expected {expected}"
    return OK, ""


def _classify_tool_call(
    content: str,
    reasoning: str | None,
    tool_calls: Sequence[ToolCall],
    offered: Collection[str] | None,
) -> tuple[str, str]:
    if tool_calls:
        return _call_problem(tool_calls, offered) or (OK, "")
    answer = strip_think(content)
    if not answer and (reasoning or has_think_block(content)):
        return "thinking_only", "no tool call; the answer stayed in reasoning"
    if not answer:
        return "empty", "no tool call and no content"
    if "<tool_call>" in answer or _looks_like_call(answer):
        return "no_tool_call", TOOL_CALL_AS_TEXT
    return "no_tool_call", f"{TEXT_PREFIX}{snippet(answer, 60)}"


def _classify_text(content: str, reasoning: str | None, has_calls: bool) -> tuple[str, str]:
    if not strip_think(content):
        if reasoning or has_think_block(content):
            return "thinking_only", _THINKING
        if has_calls:
            return "empty", "tool_calls instead of content"
        return "empty", "blank content" if content else "no content"
    return OK, ""


def _call_problem(
    tool_calls: Sequence[ToolCall], offered: Collection[str] | None
) -> tuple[str, str] | None:
    """``unknown_tool`` or ``bad_arguments`` for the first call that has the problem."""
    if offered is not None:
        for call in tool_calls:
            if call.name not in offered:
                return "unknown_tool", f"{call.name or '(no name)'} is not in the request's tools"
    for call in tool_calls:
        if call.parsed_arguments is None:
            return "bad_arguments", f"arguments of {call.name or '(no name)'} not a JSON object"
    return None


def _looks_like_call(text: str) -> bool:
    found = first_json_object(text)
    return found is not None and "name" in found and ("arguments" in found or "parameters" in found)


def _only_thinking(content: str, reasoning: str | None) -> bool:
    """No answer besides reasoning: blank content with reasoning, or think blocks and no JSON."""
    if not content.strip():
        return bool(reasoning)
    if not has_think_block(content) or parse_lenient(content).ok:
        return False
    return not strip_wrappers(content).strip() or _UNCLOSED_THINK.match(content) is not None


def _wrapper(content: str) -> str:
    if has_think_block(content):
        return "JSON after a <think> block"
    if has_fence(content):
        return "JSON inside a code fence"
    return "JSON inside prose"


def _json_type(value: Any) -> str:
    if isinstance(value, dict):
        return "object"
    if isinstance(value, list):
        return "array"
    return "string" if isinstance(value, str) else "scalar"
