"""ShareGPT records: ``{"conversations": [{"from", "value"}], "system", "tools"}`` per line.

Speakers map to roles (human/user → user, gpt/assistant → assistant, system); a
``function_call`` turn (``{"name", "arguments"}`` JSON, or a list of them) becomes an assistant
message with ``tool_calls`` and each following ``observation`` a ``tool`` message answering the
next pending call (ids ``call_<turn>_<n>``, stable across imports). A per-turn ``weight`` is
kept; other top-level keys go to metadata. One record = one call (the whole conversation).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError

from core.importers.base import (
    ImportedCall,
    Item,
    RecordError,
)
from core.importers.chat import (
    json_text,
    maybe_json,
    message,
    require_target,
    tool_call,
    tool_definitions,
    validation_reason,
)
from core.importers.read import convert_records
from core.importers.sniff import sniff

name = "sharegpt"
title = "ShareGPT conversations (from/value turns, function_call/observation)"
example = "curator import sharegpt sharegpt.json --out traces/"

ROLES = {
    "human": "user",
    "user": "user",
    "gpt": "assistant",
    "assistant": "assistant",
    "model": "assistant",
    "chatgpt": "assistant",
    "system": "system",
}
CALL_TURNS = ("function_call", "tool_call")
RESULT_TURNS = ("observation", "tool", "function", "function_response", "tool_response")


class Turn(BaseModel):
    model_config = ConfigDict(extra="allow", populate_by_name=True)
    speaker: str
    value: Any
    weight: int | float | None = None

    def __init__(self, **data: Any) -> None:
        if "from" in data:
            data["speaker"] = data.pop("from")
        super().__init__(**data)


class Record(BaseModel):
    model_config = ConfigDict(extra="allow")
    conversations: list[Turn]
    system: str | None = None
    tools: Any = None


def detect(head: bytes, file_name: str) -> bool:
    return "conversations" in sniff(head).keys


def iter_calls(path: Path, label: str) -> Iterator[Item]:
    return convert_records(path, label, lambda record, position: (_call(record, position),))


def _call(raw: Any, position: int) -> ImportedCall:
    try:
        record = Record.model_validate(raw)
    except ValidationError as exc:
        raise RecordError(validation_reason(exc)) from None
    messages: list[dict[str, Any]] = []
    if record.system:
        messages.append(message("system", record.system))
    pending: list[str] = []
    for number, turn in enumerate(record.conversations, start=1):
        speaker = turn.speaker.lower()
        weight = {"weight": turn.weight} if turn.weight is not None else {}
        if speaker in CALL_TURNS:
            calls = _calls(turn.value, number)
            pending.extend(call["id"] for call in calls)
            messages.append(message("assistant", None, tool_calls=calls, **weight))
        elif speaker in RESULT_TURNS:
            call_id = pending.pop(0) if pending else None
            if call_id is None:
                raise RecordError(f"turn {number}: an observation answers no function call")
            messages.append(message("tool", json_text(turn.value), tool_call_id=call_id))
        elif speaker in ROLES:
            messages.append(message(ROLES[speaker], turn.value, **weight))
        else:
            raise RecordError(f'turn {number}: unknown speaker "from": {turn.speaker!r}')
    extra = raw.get("metadata") if isinstance(raw.get("metadata"), dict) else {}
    metadata = {
        k: v for k, v in raw.items() if k not in ("conversations", "system", "tools", "metadata")
    }
    if "id" in metadata:
        metadata["conversation_id"] = metadata.pop("id")
    return ImportedCall(
        messages=require_target(messages),
        tools=tool_definitions(record.tools),
        metadata={**metadata, **extra},
        record=position,
    )


def _calls(value: Any, number: int) -> list[dict[str, Any]]:
    parsed = maybe_json(value)
    items = parsed if isinstance(parsed, list) else [parsed]
    calls = []
    for index, item in enumerate(items):
        if not isinstance(item, dict) or not isinstance(item.get("name"), str):
            raise RecordError(f'turn {number}: function_call is not {{"name", "arguments"}} JSON')
        calls.append(tool_call(f"call_{number}_{index}", item["name"], item.get("arguments")))
    return calls
