"""OpenAI Batch API files: request lines joined with response lines by ``custom_id``.

Input line: ``{"custom_id", "method", "url", "body": {"model", "messages", "tools"}}``; output
line: ``{"id", "custom_id", "response": {"status_code", "body": <chat completion>}, "error"}``.
The request's messages plus the first choice's message make one call. Input files are read
into memory (requests only); output files are streamed.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError

from core.importers.base import (
    RECORD_ERRORS,
    ImportedCall,
    ImportProblem,
    Item,
    RecordError,
    reason,
)
from core.importers.chat import iso_time, usage, validation_reason
from core.importers.read import iter_values
from core.importers.sniff import sniff

name = "openai_batch"
title = "OpenAI Batch API input + output JSONL, joined by custom_id"
example = "curator import openai_batch batch_input.jsonl batch_output.jsonl --out traces/"


class RequestBody(BaseModel):
    model_config = ConfigDict(extra="allow")
    model: str | None = None
    messages: list[dict[str, Any]]
    tools: list[Any] | None = None


class BatchRequest(BaseModel):
    model_config = ConfigDict(extra="allow")
    custom_id: str
    url: str | None = None
    body: RequestBody


class BatchResponse(BaseModel):
    model_config = ConfigDict(extra="allow")
    status_code: int | None = None
    body: dict[str, Any] | None = None


class BatchOutput(BaseModel):
    model_config = ConfigDict(extra="allow")
    custom_id: str
    response: BatchResponse | None = None
    error: dict[str, Any] | None = None


def detect(head: bytes, file_name: str) -> bool:
    shape = sniff(head)
    return "custom_id" in shape.keys and ("body" in shape.keys or "response" in shape.keys)


def is_output(path: Path) -> bool:
    from core.importers.read import read_head

    keys = sniff(read_head(path)).keys
    return "response" in keys or "error" in keys


def iter_calls(path: Path, label: str) -> Iterator[Item]:
    for item, _label in iter_joined([(path, label)]):
        yield item


def iter_joined(files: list[tuple[Path, str]]) -> Iterator[tuple[Item, str]]:
    """Join every output file's responses with the requests of every input file."""
    outputs = [entry for entry in files if is_output(entry[0])]
    requests: dict[str, tuple[BatchRequest, str, int]] = {}
    for path, label in (entry for entry in files if entry not in outputs):
        for line, value in iter_values(path):
            try:
                request = _parse(BatchRequest, value)
            except RECORD_ERRORS as exc:
                yield ImportProblem(label, line, reason(exc)), label
                continue
            requests[request.custom_id] = (request, label, line)
    answered: set[str] = set()
    for path, label in outputs:
        for line, value in iter_values(path):
            try:
                output = _parse(BatchOutput, value)
                answered.add(output.custom_id)
                yield _call(output, requests.get(output.custom_id), line), label
            except RECORD_ERRORS as exc:
                yield ImportProblem(label, line, reason(exc)), label
    for custom_id, (_request, label, line) in requests.items():
        if custom_id not in answered:
            why = "no response in the output files" if outputs else "no batch output file given"
            yield ImportProblem(label, line, f"custom_id {custom_id!r}: {why}"), label


def _parse(model: type[BaseModel], value: Any) -> Any:
    if isinstance(value, RecordError):
        raise value
    try:
        return model.model_validate(value)
    except ValidationError as exc:
        raise RecordError(validation_reason(exc)) from None


def _call(
    output: BatchOutput, request: tuple[BatchRequest, str, int] | None, line: int
) -> ImportedCall:
    if request is None:
        raise RecordError(f"custom_id {output.custom_id!r}: no request in the input files")
    response = output.response
    if output.error or response is None or response.body is None:
        why = (output.error or {}).get("message") or "no response body"
        raise RecordError(f"custom_id {output.custom_id!r}: the request failed: {why}")
    if response.status_code not in (None, 200):
        message = (response.body.get("error") or {}).get("message", "")
        raise RecordError(
            f"custom_id {output.custom_id!r}: HTTP {response.status_code} {message}".rstrip()
        )
    choices = response.body.get("choices") or []
    reply = choices[0].get("message") if choices and isinstance(choices[0], dict) else None
    if not isinstance(reply, dict):
        raise RecordError(f"custom_id {output.custom_id!r}: the response has no choices")
    dropped = ("refusal", "annotations")
    target = {k: v for k, v in reply.items() if v is not None and k not in dropped}
    target.setdefault("content", None)
    body = request[0].body
    counts = response.body.get("usage") or {}
    return ImportedCall(
        messages=[*body.messages, target],
        tools=body.tools,
        metadata={
            "custom_id": output.custom_id,
            "model": response.body.get("model") or body.model,
            "timestamp": iso_time(response.body.get("created")),
            "usage": usage(counts.get("prompt_tokens"), counts.get("completion_tokens")),
            "finish_reason": choices[0].get("finish_reason"),
        },
        record=line,
    )
