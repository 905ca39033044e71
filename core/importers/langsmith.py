"""LangSmith run exports: every ``run_type: "llm"`` run is one call; runs group by trace.

A run (JSONL or a JSON array) has ``id``, ``name``, ``run_type``, ``trace_id``,
``parent_run_id``, ``start_time``/``end_time``, ``inputs`` (``messages``: LangChain messages,
a list or a list of lists; or an OpenAI request) and ``outputs`` (``generations``, an OpenAI
completion's ``choices``, or a message). One trace = one run; the task is the trace's root run
name when the root is a chain. The whole export is read first to find those roots.
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
from core.importers.chat import (
    latency_ms,
    message,
    require_target,
    tool_definitions,
    usage,
    validation_reason,
)
from core.importers.langchain_messages import lc_message
from core.importers.read import iter_records
from core.importers.sniff import sniff

name = "langsmith"
title = "LangSmith run export (llm runs grouped by trace_id)"
example = "curator import langsmith langsmith-runs.jsonl --out traces/"


class Run(BaseModel):
    model_config = ConfigDict(extra="allow")
    id: str
    name: str | None = None
    run_type: str
    trace_id: str | None = None
    parent_run_id: str | None = None
    start_time: str | None = None
    end_time: str | None = None
    inputs: dict[str, Any] | None = None
    outputs: dict[str, Any] | None = None
    extra: dict[str, Any] | None = None
    error: str | None = None
    prompt_tokens: int | None = None
    completion_tokens: int | None = None


def detect(head: bytes, file_name: str) -> bool:
    keys = set(sniff(head).keys)
    return "run_type" in keys and ("inputs" in keys or "trace_id" in keys)


def iter_calls(path: Path, label: str) -> Iterator[Item]:
    runs: list[tuple[int, Run]] = []
    records = iter_records(path)
    for position, record in records:
        if isinstance(record, RecordError):
            yield ImportProblem(label, position, str(record), records.unit)
            continue
        try:
            runs.append((position, Run.model_validate(record)))
        except ValidationError as exc:
            yield ImportProblem(label, position, validation_reason(exc), records.unit)
    roots = {run.id: run for _, run in runs if run.parent_run_id is None}
    first_seen: dict[str, int] = {}
    for position, run in runs:
        first_seen.setdefault(run.trace_id or run.id, position)
    llm_runs = [(p, r) for p, r in runs if r.run_type == "llm"]
    llm_runs.sort(key=lambda pr: (first_seen[pr[1].trace_id or pr[1].id], pr[1].start_time or ""))
    for position, run in llm_runs:
        root = roots.get(run.trace_id or "")
        task = root.name if root is not None and root.run_type != "llm" else None
        try:
            yield _call(run, task, position)
        except RECORD_ERRORS as exc:
            yield ImportProblem(label, position, f"run {run.id}: {reason(exc)}", records.unit)


def _call(run: Run, task: str | None, position: int) -> ImportedCall:
    if run.error:
        raise RecordError(f"the run failed: {run.error.splitlines()[0][:120]}")
    inputs, outputs = run.inputs or {}, run.outputs
    if outputs is None:
        raise RecordError("no outputs")
    raw = inputs.get("messages")
    if isinstance(raw, list) and raw and isinstance(raw[0], list):
        raw = raw[0]  # a chat model's batch of one
    if raw is None and isinstance(inputs.get("prompts"), list) and inputs["prompts"]:
        raw = [message("user", str(inputs["prompts"][0]))]
    if not isinstance(raw, list):
        raise RecordError("inputs have no messages")
    messages = [lc_message(m) for m in raw]
    target, usage_metadata = _target(outputs)
    messages.append(target)
    extra = run.extra or {}
    params = extra.get("invocation_params") or {}
    meta = extra.get("metadata") or {}
    llm_output = outputs.get("llm_output") or {}
    counts = llm_output.get("token_usage") or outputs.get("usage") or {}
    return ImportedCall(
        messages=require_target(messages),
        tools=tool_definitions(inputs.get("tools") or params.get("tools")),
        metadata={
            "run_id": run.trace_id or run.id,
            "task": task,
            "langsmith_run_id": run.id,
            "name": run.name,
            "model": params.get("model") or params.get("model_name") or meta.get("ls_model_name"),
            "timestamp": run.start_time,
            "latency_ms": latency_ms(run.start_time, run.end_time),
            "usage": usage(
                run.prompt_tokens
                or counts.get("prompt_tokens")
                or usage_metadata.get("input_tokens"),
                run.completion_tokens
                or counts.get("completion_tokens")
                or usage_metadata.get("output_tokens"),
            ),
        },
        record=position,
    )


def _target(outputs: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    generations = outputs.get("generations")
    if isinstance(generations, list) and generations:
        first = generations[0]
        if isinstance(first, list):
            first = first[0] if first else None
        if not isinstance(first, dict):
            raise RecordError("outputs.generations is empty")
        raw = first.get("message")
        if raw is None:
            return message("assistant", first.get("text", "")), {}
    elif isinstance(outputs.get("choices"), list) and outputs["choices"]:
        raw = outputs["choices"][0].get("message")
    else:
        raw = outputs.get("output", outputs)
    target = lc_message(raw if isinstance(raw, dict) and raw else {"type": "ai", **outputs})
    if target["role"] != "assistant":
        raise RecordError("the output is not an assistant message")
    body = raw.get("kwargs", raw) if isinstance(raw, dict) else {}
    return target, body.get("usage_metadata") or {}
