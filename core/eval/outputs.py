"""From a raw exchange to a model output and its place in the error taxonomy.

Every output gets exactly one kind, checked in this order: ``timeout``, ``connection``,
``http_<status>`` (with the provider's message), ``bad_response`` (HTTP 200 but not a chat
completion), then the kinds of a 200 response for the example's output kind (see
:mod:`core.eval.taxonomy`), ending in ``ok``. So the kinds of a model's outputs always add up
to the number of examples. The answer is the message's ``content``, its ``tool_calls`` and its
``reasoning_content`` (or ``reasoning``) where the server returns one.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, replace
from typing import Any

import orjson

from core.eval.client import Exchange
from core.eval.heldout import Example, content_text
from core.eval.taxonomy import OK, TEXT_PREFIX, TRUNCATED, classify, is_usable, snippet
from core.eval.toolcalls import ToolCall, offered_tool_names, tool_calls_of
from core.providers.errors import parse_error_body
from core.rules.kinds import OutputKind

__all__ = ["OK", "TEXT_PREFIX", "TRUNCATED", "Output", "classify", "read_output"]


@dataclass(frozen=True, slots=True)
class Output:
    """One model answer to one example, as returned, with its taxonomy kind."""

    content: str
    kind: str
    detail: str = ""
    status: int | None = None
    finish_reason: str | None = None
    reasoning: str | None = None
    prompt_tokens: int | None = None
    completion_tokens: int | None = None
    latency_ms: float | None = None
    attempts: int = 0
    usable: bool = False  # see core.eval.taxonomy.is_usable (truncated ones may be usable too)
    tool_calls: tuple[ToolCall, ...] = ()


def gold_output(gold: str, tool_calls: tuple[ToolCall, ...] = ()) -> Output:
    """The built-in ``gold`` model's answer: the held-out gold itself, no request."""
    return Output(content=gold, kind=OK, finish_reason="stop", usable=True, tool_calls=tool_calls)


def gold_answer(example: Example) -> Output:
    """The gold of a held-out example as an answer: its content and its tool calls."""
    return gold_output(example.gold, tool_calls_of(example.record["messages"][-1]))


def read_answer(exchange: Exchange, example: Example, kind: OutputKind) -> Output:
    """:func:`read_output` for a held-out example: its task, kind and offered tools."""
    return read_output(exchange, example.task, kind, offered_tool_names(example.tools))


def read_output(
    exchange: Exchange,
    task: str,
    kind: OutputKind = OutputKind.JSON,
    offered: Collection[str] | None = None,
) -> Output:
    """Classify an exchange and pull out content, tool calls, finish_reason, reasoning, usage.

    Args:
        exchange: What the request ended with.
        task: The example's task (the shape a ``json`` answer must have).
        kind: The example's output kind: what a usable answer is.
        offered: The function names the request's ``tools`` offer, when it sent tools.
    """
    base: dict[str, Any] = {
        "status": exchange.status,
        "latency_ms": exchange.latency_ms,
        "attempts": exchange.attempts,
    }
    if exchange.status is None:
        return Output("", exchange.error or "connection", exchange.error_message or "", **base)
    if not 200 <= exchange.status < 300:
        detail = provider_message(exchange.body)
        return Output("", f"http_{exchange.status}", detail, **base)
    data = _json_or_none(exchange.body)
    choice = _first_choice(data)
    if choice is None or not isinstance(choice.get("message"), dict):
        return Output("", "bad_response", _bad_response_detail(data, exchange.body), **base)
    message = choice["message"]
    usage = data.get("usage") if isinstance(data.get("usage"), dict) else {}
    content = content_text(message.get("content"))
    calls = tool_calls_of(message)
    reasoning = message.get("reasoning_content") or message.get("reasoning") or None
    output = Output(
        content=content,
        kind=OK,
        finish_reason=choice.get("finish_reason"),
        reasoning=reasoning if isinstance(reasoning, str) else None,
        prompt_tokens=_int_or_none(usage.get("prompt_tokens")),
        completion_tokens=_int_or_none(usage.get("completion_tokens")),
        tool_calls=calls,
        **base,
    )
    category, detail = classify(
        content,
        output.finish_reason,
        output.reasoning,
        task,
        message,
        kind=kind,
        tool_calls=calls,
        offered=offered,
    )
    usable = is_usable(kind, task, content, calls, offered)
    return replace(output, kind=category, detail=detail, usable=usable)


def provider_message(body: str | None) -> str:
    """The error message of a provider body: flat, nested ``error`` or gRPC-style."""
    if not body:
        return ""
    code, message = parse_error_body(body)
    return snippet(message) if message else code


def _first_choice(data: Any) -> dict[str, Any] | None:
    if not isinstance(data, dict):
        return None
    choices = data.get("choices")
    if not isinstance(choices, list) or not choices or not isinstance(choices[0], dict):
        return None
    return choices[0]


def _bad_response_detail(data: Any, body: str | None) -> str:
    choice = _first_choice(data)
    if choice is not None and "text" in choice:
        return "completions-style body (choices[0].text), not a chat completion"
    return f"HTTP 200 without choices[0].message: {snippet(body or '')}"


def _json_or_none(text: str | None) -> Any:
    if not text:
        return None
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError:
        return None


def _int_or_none(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None
