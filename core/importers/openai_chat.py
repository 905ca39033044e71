"""OpenAI chat fine-tuning JSONL: ``{"messages": [...], "tools": [...]}`` per line.

This is already the trace contract; importing keeps messages (``weight``, ``name``,
``tool_calls``, tool results) and tools exactly, keeps ``parallel_tool_calls`` and a
``metadata`` object, and adds where each line came from.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from core.importers.base import (
    ImportedCall,
    Item,
    RecordError,
)
from core.importers.read import convert_records
from core.importers.sniff import sniff

name = "openai_chat"
title = "OpenAI chat fine-tuning JSONL (messages, tools, weight)"
example = "curator import openai_chat train.jsonl --out traces/"


def detect(head: bytes, file_name: str) -> bool:
    shape = sniff(head)
    return shape.container == "object" and "messages" in shape.keys


def iter_calls(path: Path, label: str) -> Iterator[Item]:
    return convert_records(path, label, lambda value, line: (_call(value, line),))


def _call(value: object, line: int) -> ImportedCall:
    if not isinstance(value, dict):
        raise RecordError("not a JSON object")
    messages = value.get("messages")
    if not isinstance(messages, list) or not messages:
        raise RecordError('"messages" is not a non-empty list')
    metadata = value.get("metadata")
    extra = {}
    if "parallel_tool_calls" in value:
        extra["parallel_tool_calls"] = value["parallel_tool_calls"]
    return ImportedCall(
        messages=messages,
        tools=value.get("tools"),
        metadata=dict(metadata) if isinstance(metadata, dict) else {},
        record=line,
        extra=extra,
    )
