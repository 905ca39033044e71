"""Langfuse exports: traces with their observations; each GENERATION is one call.

Accepted shapes (JSON document or JSONL): trace objects carrying full ``observations``, bare
observation objects (``traceId``, ``type``), or an API page ``{"data": [...]}``. A generation's
``input`` is a message list or ``{"messages", "tools"}``; its ``output`` an assistant message,
a ``{"choices": [...]}`` completion or plain text. One Langfuse trace = one run; the trace's
name is the task. Generations are ordered by start time within their trace.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from core.importers.base import (
    RECORD_ERRORS,
    ImportedCall,
    ImportProblem,
    Item,
    RecordError,
    reason,
)
from core.importers.chat import (
    latency_ms,
    message,
    openai_message,
    require_target,
    tool_definitions,
    usage,
    validation_reason,
)
from core.importers.read import iter_records
from core.importers.sniff import sniff

name = "langfuse"
title = "Langfuse trace / observation export (GENERATION observations)"
example = "curator import langfuse langfuse-traces.json --out traces/"


class Observation(BaseModel):
    model_config = ConfigDict(extra="allow", populate_by_name=True)
    id: str
    trace_id: str | None = Field(None, alias="traceId")
    type: str
    name: str | None = None
    start_time: str | None = Field(None, alias="startTime")
    end_time: str | None = Field(None, alias="endTime")
    model: str | None = None
    input: Any = None
    output: Any = None
    usage: dict[str, Any] | None = None
    usage_details: dict[str, Any] | None = Field(None, alias="usageDetails")
    metadata: Any = None
    level: str | None = None
    status_message: str | None = Field(None, alias="statusMessage")


def detect(head: bytes, file_name: str) -> bool:
    shape = sniff(head)
    keys = set(shape.keys)
    if "observations" in keys or ("traceId" in keys and "type" in keys):
        return True
    if shape.container == "array" or {"data", "meta"} <= keys:
        # the first trace may be too big for its keys to fit in the head
        return b'"observations"' in head or (b'"traceId"' in head and b'"GENERATION"' in head)
    return False


def iter_calls(path: Path, label: str) -> Iterator[Item]:
    records = iter_records(path)
    for position, record in records:
        if isinstance(record, RecordError):
            yield ImportProblem(label, position, str(record), records.unit)
            continue
        if isinstance(record, dict) and isinstance(record.get("data"), list):
            for index, item in enumerate(record["data"], start=1):
                yield from _record(item, index, label, "record")
            continue
        yield from _record(record, position, label, records.unit)


def _record(record: Any, position: int, label: str, unit: str) -> Iterator[Item]:
    if not isinstance(record, dict):
        yield ImportProblem(label, position, "not a JSON object", unit)
        return
    if "observations" in record:  # a trace with its observations
        observations = record.get("observations") or []
        if not isinstance(observations, list):
            yield ImportProblem(label, position, '"observations" is not a list', unit)
            return
        parsed = []
        for raw in observations:
            if isinstance(raw, str):
                why = f"observation {raw} is an id, not an object"
                yield ImportProblem(label, position, why, unit)
                continue
            try:
                parsed.append(_observation(raw))
            except RECORD_ERRORS as exc:
                yield ImportProblem(label, position, reason(exc), unit)
        parsed.sort(key=lambda o: o.start_time or "")
        trace = {"id": record.get("id"), "name": record.get("name")}
        for observation in parsed:
            yield from _generation(observation, trace, position, label, unit)
        return
    try:
        observation = _observation(record)
    except RECORD_ERRORS as exc:
        yield ImportProblem(label, position, reason(exc), unit)
        return
    yield from _generation(observation, {"id": observation.trace_id}, position, label, unit)


def _observation(raw: Any) -> Observation:
    try:
        return Observation.model_validate(raw)
    except ValidationError as exc:
        raise RecordError(f"observation: {validation_reason(exc)}") from None


def _generation(
    observation: Observation, trace: dict[str, Any], position: int, label: str, unit: str
) -> Iterator[Item]:
    if observation.type.upper() != "GENERATION":
        return
    try:
        yield _call(observation, trace, position)
    except RECORD_ERRORS as exc:
        yield ImportProblem(label, position, f"generation {observation.id}: {reason(exc)}", unit)


def _call(observation: Observation, trace: dict[str, Any], position: int) -> ImportedCall:
    if observation.level == "ERROR":
        raise RecordError(f"the generation failed: {observation.status_message or 'ERROR'}")
    source = observation.input
    tools = None
    if isinstance(source, dict) and "messages" in source:
        tools = source.get("tools")
        source = source["messages"]
    if isinstance(source, str):
        source = [message("user", source)]
    if not isinstance(source, list):
        raise RecordError("input is not a list of messages")
    messages = [openai_message(m) for m in source]
    messages.append(_target(observation.output))
    counts = observation.usage_details or observation.usage or {}
    metadata = observation.metadata if isinstance(observation.metadata, dict) else {}
    return ImportedCall(
        messages=require_target(messages),
        tools=tool_definitions(tools or metadata.get("tools")),
        metadata={
            "run_id": trace.get("id") or observation.trace_id,
            "task": trace.get("name"),
            "observation_id": observation.id,
            "name": observation.name,
            "model": observation.model,
            "timestamp": observation.start_time,
            "latency_ms": latency_ms(observation.start_time, observation.end_time),
            "usage": usage(
                counts.get("input", counts.get("promptTokens")),
                counts.get("output", counts.get("completionTokens")),
            ),
        },
        record=position,
    )


def _target(output: Any) -> dict[str, Any]:
    if output is None:
        raise RecordError("no output")
    if isinstance(output, str):
        return message("assistant", output)
    if isinstance(output, dict) and isinstance(output.get("choices"), list) and output["choices"]:
        output = output["choices"][0].get("message", output["choices"][0])
    if isinstance(output, dict) and "role" not in output and "content" in output:
        output = {"role": "assistant", **output}
    target = openai_message(output)
    if target["role"] != "assistant":
        raise RecordError(f"output role is {target['role']!r}, not assistant")
    return target
