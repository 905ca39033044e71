"""From a raw exchange to a model output and its place in the error taxonomy.

Every output gets exactly one kind, checked in this order: ``timeout``, ``connection``,
``http_<status>`` (with the provider's message), ``bad_response`` (HTTP 200 but not a chat
completion), ``truncated`` (finish_reason ``length``), ``thinking_only`` (no content besides
reasoning), ``empty``, ``not_json``, ``wrong_shape`` and ``ok``. So the kinds of a model's
outputs always add up to the number of examples.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Any

import orjson

from core.eval.client import Exchange
from core.eval.heldout import content_text
from core.eval.metrics import TASK_SHAPES, shape_ok
from core.jsontext import has_fence, has_think_block, parse_lenient, parse_strict, strip_wrappers
from core.providers.errors import parse_error_body

OK = "ok"
TRUNCATED = "truncated"
TEXT_PREFIX = "text: "  # detail of a not_json output that holds no JSON at all
# A think block never closed: the model ran out of tokens or never left reasoning.
_UNCLOSED_THINK = re.compile(r"^\s*<(think|thinking|reasoning)>(?!.*</\1>)", re.DOTALL | re.I)


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
    usable: bool = False  # strict JSON of the task's shape (truncated ones may be usable too)


def gold_output(gold: str) -> Output:
    """The built-in ``gold`` model's answer: the held-out gold itself, no request."""
    return Output(content=gold, kind=OK, finish_reason="stop", usable=True)


def read_output(exchange: Exchange, task: str) -> Output:
    """Classify an exchange and pull out content, finish_reason, reasoning and usage."""
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
    output = Output(
        content=content_text(message.get("content")),
        kind=OK,
        finish_reason=choice.get("finish_reason"),
        reasoning=message.get("reasoning_content") or message.get("reasoning") or None,
        prompt_tokens=_int_or_none(usage.get("prompt_tokens")),
        completion_tokens=_int_or_none(usage.get("completion_tokens")),
        **base,
    )
    kind, detail = classify(output.content, output.finish_reason, output.reasoning, task, message)
    parsed = parse_strict(output.content)
    usable = parsed.ok and shape_ok(task, parsed.value)
    return replace(output, kind=kind, detail=detail, usable=usable)


def classify(
    content: str,
    finish_reason: str | None,
    reasoning: str | None,
    task: str,
    message: dict[str, Any] | None = None,
) -> tuple[str, str]:
    """The taxonomy kind and detail of a 200 response's content."""
    parsed = parse_strict(content)
    if finish_reason == "length":
        return TRUNCATED, "finish_reason length"
    if _only_thinking(content, reasoning):
        return "thinking_only", "content empty; the answer stayed in reasoning"
    if not content.strip():
        if message and message.get("tool_calls"):
            return "empty", "tool_calls instead of content"
        return "empty", "blank content" if content else "no content"
    if not parsed.ok:
        if parse_lenient(content).ok:
            return "not_json", _wrapper(content)
        return "not_json", f"{TEXT_PREFIX}{_snippet(content, 60)}"
    if not shape_ok(task, parsed.value):
        expected = "array of objects" if TASK_SHAPES[task] is list else "object"
        return "wrong_shape", f"{_json_type(parsed.value)}, expected {expected}"
    return OK, ""


def provider_message(body: str | None) -> str:
    """The error message of a provider body: flat, nested ``error`` or gRPC-style."""
    if not body:
        return ""
    code, message = parse_error_body(body)
    return _snippet(message) if message else code


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
    return f"HTTP 200 without choices[0].message: {_snippet(body or '')}"


def _json_or_none(text: str | None) -> Any:
    if not text:
        return None
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError:
        return None


def _int_or_none(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _snippet(text: str, limit: int = 120) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"
