"""Inspect AI eval logs: ``.json`` (one EvalLog document) and ``.eval`` (a zip archive).

An EvalLog holds ``eval`` (task, run id, model) and ``samples``; each sample's ``events``
include ``model`` events with the ``input`` messages, ``tools`` and the ``output``
(``choices[0].message``, ``usage``, ``time``). One sample (id, epoch) = one run, one model
event = one call. A ``.eval`` archive keeps the spec in ``header.json`` and one sample per
``samples/<id>_epoch_<n>.json``, read one at a time in archive order. A sample without model
events (a log written without them) yields its ``messages`` as one call.

Condensed samples (what current Inspect writes) are expanded as its reader does: a model
event's ``input_refs`` (``[start, end)`` ranges) select messages from the sample's
``events_data.messages`` pool, and ``attachment://<hash>`` strings are replaced by the
sample's ``attachments``.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson
from pydantic import BaseModel, ConfigDict, ValidationError

from core.importers.base import (
    RECORD_ERRORS,
    ImportedCall,
    ImportProblem,
    Item,
    RecordError,
    reason,
)
from core.importers.chat import (
    json_text,
    message,
    require_target,
    tool_call,
    tool_definitions,
    usage,
    validation_reason,
)
from core.importers.read import load_document
from core.importers.sniff import sniff

ATTACHMENT = "attachment://"
# where an archive keeps the eval spec: the finished log's header, else the journal's start
# (a log still running), else the root start.json of the first .eval layout
SPEC_ENTRIES = ("header.json", "_journal/start.json", "start.json")

name = "inspect"
title = "Inspect AI eval log (.eval archive or .json)"
example = "curator import inspect logs/2026-01-01T10-00-00_mytask.eval --out traces/"


class ModelEvent(BaseModel):
    model_config = ConfigDict(extra="allow")
    event: str
    timestamp: str | None = None
    model: str | None = None
    role: str | None = None
    input: list[dict[str, Any]] = []
    input_refs: list[tuple[int, int]] | None = None
    tools: list[dict[str, Any]] = []
    output: dict[str, Any]
    error: str | None = None
    working_time: float | None = None


def detect(head: bytes, file_name: str) -> bool:
    shape = sniff(head)
    if shape.container == "zip":
        return file_name.endswith(".eval")
    return shape.container == "object" and {"eval", "version"} <= set(shape.keys)


def iter_calls(path: Path, label: str) -> Iterator[Item]:
    if zipfile.is_zipfile(path):
        yield from _archive(path, label)
        return
    try:
        log = load_document(path)
    except RECORD_ERRORS as exc:
        yield ImportProblem(label, 1, reason(exc), unit="sample")
        return
    if not isinstance(log, dict) or not isinstance(log.get("eval"), dict):
        yield ImportProblem(label, 1, 'no "eval" object: not an Inspect eval log', unit="sample")
        return
    samples = log.get("samples") or []
    if not isinstance(samples, list):
        yield ImportProblem(label, 1, '"samples" is not a list', unit="sample")
        return
    for position, sample in enumerate(samples, start=1):
        yield from _sample(sample, log["eval"], position, label)


def _archive(path: Path, label: str) -> Iterator[Item]:
    with zipfile.ZipFile(path) as archive:
        names = archive.namelist()
        header = next((n for n in SPEC_ENTRIES if n in names), None)
        try:
            spec = orjson.loads(archive.read(header)).get("eval") if header else None
        except (orjson.JSONDecodeError, AttributeError):
            spec = None
        if not isinstance(spec, dict):
            yield ImportProblem(label, 0, "no eval spec in header.json: not an Inspect .eval log")
            return
        samples = [n for n in names if n.startswith("samples/") and n.endswith(".json")]
        for position, member in enumerate(samples, start=1):
            try:
                sample = orjson.loads(archive.read(member))
            except orjson.JSONDecodeError as exc:
                yield ImportProblem(label, position, f"{member}: not valid JSON: {exc}", "sample")
                continue
            except NotImplementedError:  # e.g. zstd entries, readable from Python 3.14
                method = archive.getinfo(member).compress_type
                why = f"{member}: zip compression method {method} is not supported by this Python"
                yield ImportProblem(label, position, why, "sample")
                return
            yield from _sample(sample, spec, position, label)


def _sample(sample: Any, spec: dict[str, Any], position: int, label: str) -> Iterator[Item]:
    if not isinstance(sample, dict):
        yield ImportProblem(label, position, "a sample is not an object", "sample")
        return
    where = f"id {sample.get('id')} epoch {sample.get('epoch', 1)}"
    run_id = f"{spec.get('run_id') or spec.get('eval_id') or label}/{sample.get('id')}"
    run_id += f"/{sample.get('epoch', 1)}"
    metadata = {"run_id": run_id, "task": spec.get("task"), "sample_id": sample.get("id")}
    events = sample.get("events") or []
    attachments = sample.get("attachments") or {}
    pool = (sample.get("events_data") or {}) if isinstance(events, list) else None
    if pool is None or not isinstance(attachments, dict) or not isinstance(pool, dict):
        yield ImportProblem(label, position, f"{where}: events of an unexpected shape", "sample")
        return
    model_events = [e for e in events if isinstance(e, dict) and e.get("event") == "model"]
    if not model_events:
        try:
            raw_messages = _resolve(sample.get("messages") or [], sample.get("attachments") or {})
            messages = require_target([_message(m) for m in raw_messages])
            meta = {**metadata, "model": spec.get("model")}
            yield ImportedCall(messages, None, meta, position)
        except RECORD_ERRORS as exc:
            yield ImportProblem(label, position, f"{where}: {reason(exc)}", "sample")
        return
    pool = _resolve(pool.get("messages") or [], attachments)
    for number, raw in enumerate(model_events, start=1):
        try:
            yield _call(_resolve(raw, attachments), metadata, position, pool)
        except RECORD_ERRORS as exc:
            yield ImportProblem(
                label, position, f"{where}, model call {number}: {reason(exc)}", "sample"
            )


def _resolve(value: Any, attachments: dict[str, str]) -> Any:
    """``value`` with every ``attachment://<hash>`` string replaced by its content."""
    if not attachments:
        return value
    if isinstance(value, str):
        if value.startswith(ATTACHMENT):
            return attachments.get(value[len(ATTACHMENT) :], value)
        return value
    if isinstance(value, list):
        return [_resolve(item, attachments) for item in value]
    if isinstance(value, dict):
        return {key: _resolve(item, attachments) for key, item in value.items()}
    return value


def _call(
    raw: dict[str, Any], metadata: dict[str, Any], position: int, pool: list[Any]
) -> ImportedCall:
    try:
        event = ModelEvent.model_validate(raw)
    except ValidationError as exc:
        raise RecordError(validation_reason(exc)) from None
    if event.input_refs is not None and not event.input:
        if any(end > len(pool) for _start, end in event.input_refs):
            raise RecordError("input_refs point past the sample's message pool")
        event.input = [message for start, end in event.input_refs for message in pool[start:end]]
    if event.error:
        raise RecordError(f"the call failed: {event.error.splitlines()[0][:120]}")
    choices = event.output.get("choices") or []
    if not choices or not isinstance(choices[0], dict) or "message" not in choices[0]:
        why = event.output.get("error") or "the output has no choices"
        raise RecordError(str(why))
    messages = [_message(m) for m in event.input] + [_message(choices[0]["message"])]
    counts = event.output.get("usage") or {}
    seconds = event.output.get("time")
    return ImportedCall(
        messages=require_target(messages),
        tools=tool_definitions(event.tools),
        metadata={
            **metadata,
            "model": event.output.get("model") or event.model,
            "model_role": event.role,
            "timestamp": event.timestamp,
            "latency_ms": round(seconds * 1000) if isinstance(seconds, int | float) else None,
            "usage": usage(counts.get("input_tokens"), counts.get("output_tokens")),
        },
        record=position,
    )


def _message(raw: Any) -> dict[str, Any]:
    if not isinstance(raw, dict) or raw.get("role") not in ("system", "user", "assistant", "tool"):
        raise RecordError("a message without a known role")
    content = _content(raw.get("content"))
    role = raw["role"]
    if role == "tool":
        text = content if isinstance(content, str) else json_text(content)
        return message("tool", text, tool_call_id=raw.get("tool_call_id"))
    if role == "assistant":
        calls = [
            tool_call(str(c.get("id")), str(c.get("function")), c.get("arguments"))
            for c in raw.get("tool_calls") or []
            if isinstance(c, dict)
        ]
        text = content if content or not calls else None
        return message("assistant", text, tool_calls=calls or None)
    return message(role, content)


def _content(content: Any) -> Any:
    """Inspect content: a string, or parts (text, reasoning, image, ...)."""
    if not isinstance(content, list):
        return content
    parts: list[dict[str, Any]] = []
    for part in content:
        kind = part.get("type") if isinstance(part, dict) else None
        if kind == "text":
            parts.append({"type": "text", "text": part.get("text", "")})
        elif kind == "image":
            parts.append({"type": "image_url", "image_url": {"url": part.get("image", "")}})
        elif kind == "reasoning":
            continue  # not part of the chat fine-tuning shape
        else:
            raise RecordError(f"unsupported content part type {kind!r}")
    if all(p["type"] == "text" for p in parts):
        return "".join(p["text"] for p in parts)
    return parts
