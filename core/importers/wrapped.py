"""Records that keep the conversation under ``trace``: ``{"trace": [...], ...}`` per line.

``trace`` is either a message list (one call, the record's other keys as metadata) or a list of
calls each with ``messages`` (one line each, grouped as one run: the record's run key, else
the record's position).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from core.importers.base import (
    ImportedCall,
    Item,
    RecordError,
)
from core.importers.chat import openai_message, require_target
from core.importers.read import convert_records
from core.importers.sniff import sniff

name = "wrapped"
title = 'Records wrapping the conversation in "trace": [...] (messages or calls)'
example = "curator import wrapped agent-log.jsonl --out traces/"

RUN_KEYS = ("run_id", "session_id", "episode_id", "conversation_id", "trace_id", "id")


def detect(head: bytes, file_name: str) -> bool:
    return "trace" in sniff(head).keys


def iter_calls(path: Path, label: str) -> Iterator[Item]:
    return convert_records(path, label, lambda record, position: _calls(record, position, label))


def _calls(record: Any, position: int, label: str) -> Iterator[ImportedCall]:
    if not isinstance(record, dict) or not isinstance(record.get("trace"), list):
        raise RecordError('no "trace" list')
    trace = record["trace"]
    outer = {k: v for k, v in record.items() if k not in ("trace", "tools", "metadata")}
    if isinstance(record.get("metadata"), dict):
        outer.update(record["metadata"])
    if trace and all(isinstance(step, dict) and "messages" in step for step in trace):
        run_id = next((str(outer[k]) for k in RUN_KEYS if outer.get(k) not in (None, "")), None)
        outer["run_id"] = run_id or f"{label}#{position}"
        for step_number, step in enumerate(trace, start=1):
            inner = step.get("metadata") if isinstance(step.get("metadata"), dict) else {}
            messages = [openai_message(m) for m in step["messages"] or []]
            yield ImportedCall(
                messages=require_target(messages),
                tools=step.get("tools", record.get("tools")),
                metadata={**outer, "step": step_number, **inner},
                record=position,
            )
        return
    messages = [openai_message(m) for m in trace]
    yield ImportedCall(require_target(messages), record.get("tools"), outer, position)
