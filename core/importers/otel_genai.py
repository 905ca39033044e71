"""OpenTelemetry GenAI spans in OTLP JSON (``resourceSpans/scopeSpans/spans``), one trace a run.

A model call is a span whose ``gen_ai.operation.name`` is a chat or completion (or, without
it, one with ``gen_ai.request.model``). Its messages come from, in order of preference:
``gen_ai.system_instructions`` + ``gen_ai.input.messages`` + ``gen_ai.output.messages`` (on
the span or its ``gen_ai.client.inference.operation.details`` event); the older per-message
events (``gen_ai.system.message``, ``gen_ai.user.message``, ``gen_ai.assistant.message``,
``gen_ai.tool.message``, ``gen_ai.choice``); the oldest ``gen_ai.content.prompt`` /
``gen_ai.content.completion`` events (``gen_ai.prompt`` / ``gen_ai.completion`` JSON); or
indexed ``gen_ai.prompt.N.*`` / ``gen_ai.completion.N.*`` attributes (OpenLLMetry). Plain
dicts, not pydantic: this reader is the one that has to keep pace with ``curator check`` on
100 MB files. Other spans are skipped silently.

``gen_ai.tool.definitions`` is opt-in and instrumentations record it unevenly; a call that
records none but whose history holds tool calls or results takes the definitions of the
latest earlier call of its trace, so the trace's steps keep the same ``tools`` and chain as
one trajectory (``dup.prefix``) instead of looking like unrelated conversations.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

from core.importers.base import (
    RECORD_ERRORS,
    ImportedCall,
    ImportProblem,
    Item,
    RecordError,
    reason,
)
from core.importers.chat import (
    iso_from_nanos,
    maybe_json,
    message,
    openai_message,
    require_target,
    tool_call,
    tool_definitions,
    usage,
)
from core.importers.otel_attrs import attributes, part_messages, system_message
from core.importers.read import iter_records
from core.importers.sniff import sniff

name = "otel_genai"
title = "OpenTelemetry GenAI spans, OTLP JSON (file exporter JSONL or one document)"
example = "curator import otel_genai spans.jsonl --out traces/"

CALL_OPERATIONS = frozenset({"chat", "text_completion", "generate_content", "completion"})
DETAILS_EVENT = "gen_ai.client.inference.operation.details"
PROMPT_EVENT, COMPLETION_EVENT = "gen_ai.content.prompt", "gen_ai.content.completion"
ROLE_EVENTS = {
    "gen_ai.system.message": "system",
    "gen_ai.user.message": "user",
    "gen_ai.assistant.message": "assistant",
    "gen_ai.tool.message": "tool",
}


def detect(head: bytes, file_name: str) -> bool:
    shape = sniff(head)
    return "resourceSpans" in shape.keys or "resource_spans" in shape.keys


def iter_calls(path: Path, label: str) -> Iterator[Item]:
    trace_tools: dict[Any, list[Any]] = {}  # trace id -> the latest recorded definitions
    for item in _iter_span_calls(path, label):
        if isinstance(item, ImportedCall):
            trace = item.metadata["run_id"]
            if item.tools is not None:
                trace_tools[trace] = item.tools
            elif trace in trace_tools and _uses_tools(item.messages):
                item = replace(item, tools=trace_tools[trace])
        yield item


def _uses_tools(messages: list[dict[str, Any]]) -> bool:
    return any(m.get("tool_calls") or m.get("role") == "tool" for m in messages)


def _iter_span_calls(path: Path, label: str) -> Iterator[Item]:
    records = iter_records(path)
    for position, request in records:
        try:
            spans = _spans(request)
        except RECORD_ERRORS as exc:
            yield ImportProblem(label, position, reason(exc), records.unit)
            continue
        for service, span in spans:
            try:
                call = _call(span, position, service)
            except RECORD_ERRORS as exc:
                span_id = span.get("spanId", "?") if isinstance(span, dict) else "?"
                why = f"span {span_id}: {reason(exc)}"
                yield ImportProblem(label, position, why, records.unit)
                continue
            if call is not None:
                yield call


def _spans(request: Any) -> list[tuple[Any, Any]]:
    """(service name, span) for every span of one export request."""
    if isinstance(request, RecordError):
        raise request
    if not isinstance(request, dict):
        raise RecordError("not an OTLP export object")
    found: list[tuple[Any, Any]] = []
    for resource_spans in request.get("resourceSpans") or request.get("resource_spans") or ():
        resource = attributes((resource_spans.get("resource") or {}).get("attributes"))
        service = resource.get("service.name")
        scopes = resource_spans.get("scopeSpans") or resource_spans.get("scope_spans") or ()
        for scope in scopes:
            found.extend((service, span) for span in scope.get("spans") or ())
    return found


def _call(span: Any, position: int, service: Any) -> ImportedCall | None:
    if not isinstance(span, dict):
        raise RecordError("not a span object")
    attrs = attributes(span.get("attributes"))
    operation = attrs.get("gen_ai.operation.name")
    if operation is None and "gen_ai.request.model" not in attrs:
        return None
    if operation is not None and operation not in CALL_OPERATIONS:
        return None
    events = [
        (event.get("name"), attributes(event.get("attributes")))
        for event in span.get("events") or ()
        if isinstance(event, dict)
    ]
    messages = _messages(attrs, events)
    start = _nanos(span.get("startTimeUnixNano", span.get("start_time_unix_nano")))
    end = _nanos(span.get("endTimeUnixNano", span.get("end_time_unix_nano")))
    details = next((a for n, a in events if n == DETAILS_EVENT), {})
    tools = attrs.get("gen_ai.tool.definitions", details.get("gen_ai.tool.definitions"))
    return ImportedCall(
        messages=require_target(messages),
        tools=tool_definitions(tools),
        metadata={
            "run_id": span.get("traceId") or span.get("trace_id"),
            "span_id": span.get("spanId") or span.get("span_id"),
            "parent_span_id": span.get("parentSpanId") or None,
            "task": attrs.get("gen_ai.agent.name"),
            "conversation_id": attrs.get("gen_ai.conversation.id"),
            "model": attrs.get("gen_ai.response.model") or attrs.get("gen_ai.request.model"),
            "provider": attrs.get("gen_ai.provider.name") or attrs.get("gen_ai.system"),
            "service": service,
            "timestamp": iso_from_nanos(start) if start else None,
            "latency_ms": round((end - start) / 1e6) if start and end else None,
            "usage": usage(
                attrs.get("gen_ai.usage.input_tokens", attrs.get("gen_ai.usage.prompt_tokens")),
                attrs.get(
                    "gen_ai.usage.output_tokens", attrs.get("gen_ai.usage.completion_tokens")
                ),
            ),
        },
        record=position,
    )


def _messages(attrs: dict[str, Any], events: list[tuple[Any, dict[str, Any]]]) -> list[dict]:
    details = next((a for n, a in events if n == DETAILS_EVENT), None)
    for source in (attrs, details or {}):
        if "gen_ai.input.messages" in source or "gen_ai.output.messages" in source:
            result: list[dict[str, Any]] = []
            system = system_message(source.get("gen_ai.system_instructions"))
            if system is not None:
                result.append(system)
            result += part_messages(source.get("gen_ai.input.messages", []), "input messages")
            outputs = part_messages(source.get("gen_ai.output.messages", []), "output messages")
            return result + outputs[:1]  # the first choice is the target
    if any(n in ROLE_EVENTS or n == "gen_ai.choice" for n, _ in events):
        return _event_messages(events)
    content = {n: a for n, a in events if n in (PROMPT_EVENT, COMPLETION_EVENT)}
    if content:
        return _content_event_messages(content)
    return _indexed_messages(attrs)


def _content_event_messages(content: dict[Any, dict[str, Any]]) -> list[dict[str, Any]]:
    prompt = maybe_json((content.get(PROMPT_EVENT) or {}).get("gen_ai.prompt")) or []
    completion = maybe_json((content.get(COMPLETION_EVENT) or {}).get("gen_ai.completion"))
    if not isinstance(prompt, list):
        raise RecordError("gen_ai.prompt is not a list of messages")
    result = [openai_message(m) for m in prompt]
    choices = completion if isinstance(completion, list) else [completion]
    first = choices[0] if choices else None
    if isinstance(first, dict):
        result.append(openai_message({"role": "assistant", **first}))
    elif isinstance(first, str):
        result.append(message("assistant", first))
    return result


def _event_messages(events: list[tuple[Any, dict[str, Any]]]) -> list[dict[str, Any]]:
    result: list[dict[str, Any]] = []
    choice: dict[str, Any] | None = None
    for event_name, attrs in events:
        body = maybe_json(attrs.get("gen_ai.event.content") or attrs.get("body")) or attrs
        if event_name == "gen_ai.choice":
            if choice is None:  # the first choice is the target
                inner = maybe_json(body.get("message")) or {}
                choice = _message_from_body("assistant", inner if isinstance(inner, dict) else {})
        elif event_name in ROLE_EVENTS:
            role = body.get("role") or ROLE_EVENTS[event_name]
            result.append(_message_from_body(role, body))
    return result + ([choice] if choice is not None else [])


def _message_from_body(role: str, body: dict[str, Any]) -> dict[str, Any]:
    content = maybe_json(body.get("content"))
    if isinstance(content, list | dict):
        content = body.get("content") if isinstance(body.get("content"), str) else None
    if role == "tool":
        return message("tool", content or "", tool_call_id=body.get("id"))
    calls = maybe_json(body.get("tool_calls")) or []
    tool_calls = [
        tool_call(
            str(c.get("id")),
            str((c.get("function") or {}).get("name")),
            (c.get("function") or {}).get("arguments"),
        )
        for c in calls
        if isinstance(c, dict)
    ]
    return message(role, content, tool_calls=tool_calls or None)


def _indexed_messages(attrs: dict[str, Any]) -> list[dict[str, Any]]:
    result = []
    for prefix in ("gen_ai.prompt", "gen_ai.completion"):
        index = 0
        while f"{prefix}.{index}.role" in attrs or f"{prefix}.{index}.content" in attrs:
            key = f"{prefix}.{index}"
            default_role = "assistant" if prefix == "gen_ai.completion" else "user"
            role = attrs.get(f"{key}.role") or default_role
            calls, j = [], 0
            while f"{key}.tool_calls.{j}.name" in attrs:
                call_key = f"{key}.tool_calls.{j}"
                calls.append(
                    tool_call(
                        str(attrs.get(f"{call_key}.id") or f"call_{j}"),
                        str(attrs[f"{call_key}.name"]),
                        attrs.get(f"{call_key}.arguments"),
                    )
                )
                j += 1
            extra = {"tool_call_id": attrs.get(f"{key}.tool_call_id"), "tool_calls": calls or None}
            result.append(message(role, attrs.get(f"{key}.content"), **extra))
            index += 1
            if prefix == "gen_ai.completion":
                break  # the first completion is the target
    return result


def _nanos(value: Any) -> int:
    try:
        return int(value or 0)
    except (TypeError, ValueError):
        return 0
