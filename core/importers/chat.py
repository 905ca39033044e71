"""Building the contract's OpenAI chat shapes: messages, tool calls, tool definitions.

Shared by every format: a tool call's ``arguments`` is always a JSON string, a tool result is a
``tool`` message with ``tool_call_id``, a tool definition is ``{"type": "function",
"function": {...}}``. Times become ISO-8601 UTC strings and token counts the contract's
``prompt_tokens``/``completion_tokens``.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import orjson
from pydantic import ValidationError

from core.importers.base import RecordError

ROLES = ("system", "developer", "user", "assistant", "tool")


def json_text(value: Any) -> str:
    """A value as JSON text; a string stays as it is."""
    if isinstance(value, str):
        return value
    return orjson.dumps(value).decode()


def maybe_json(value: Any) -> Any:
    """Parse a JSON string (attributes often carry JSON as text); other values unchanged."""
    if isinstance(value, str | bytes) and value[:1] in ("[", "{", b"[", b"{"):
        try:
            return orjson.loads(value)
        except orjson.JSONDecodeError:
            return value
    return value


def tool_call(call_id: str, name: str, arguments: Any) -> dict[str, Any]:
    """An OpenAI ``tool_calls`` item; ``arguments`` as a JSON string ({} when absent)."""
    return {
        "id": call_id,
        "type": "function",
        "function": {"name": name, "arguments": json_text({} if arguments is None else arguments)},
    }


def tool_definition(tool: Any) -> dict[str, Any]:
    """An OpenAI tool definition from a flat ``{name, description, parameters}`` or the
    OpenAI shape (kept as is)."""
    if not isinstance(tool, dict):
        raise RecordError(f"a tool definition is not an object: {json_text(tool)[:60]}")
    if isinstance(tool.get("function"), dict):
        return tool
    if not isinstance(tool.get("name"), str):
        raise RecordError("a tool definition has no name")
    function: dict[str, Any] = {"name": tool["name"]}
    if tool.get("description") is not None:
        function["description"] = tool["description"]
    schema = tool.get("parameters", tool.get("input_schema"))
    if schema is not None:
        function["parameters"] = maybe_json(schema)
    return {"type": "function", "function": function}


def tool_definitions(tools: Any) -> list[dict[str, Any]] | None:
    """A list of tool definitions (a JSON string is parsed); None when there are none."""
    tools = maybe_json(tools)
    if tools in (None, [], ""):
        return None
    if not isinstance(tools, list):
        raise RecordError("tools is not a list")
    return [tool_definition(tool) for tool in tools]


def message(role: str, content: Any, **extra: Any) -> dict[str, Any]:
    """A chat message with keys in the contract's order; None-valued extras are left out."""
    result: dict[str, Any] = {"role": role, "content": content}
    result.update({key: value for key, value in extra.items() if value is not None})
    return result


def iso_time(value: Any) -> str | None:
    """An ISO-8601 UTC timestamp from an ISO string, epoch seconds, or None."""
    if value is None or value == "":
        return None
    if isinstance(value, int | float) and not isinstance(value, bool):
        moment = datetime.fromtimestamp(value, tz=UTC)
        return moment.isoformat().replace("+00:00", "Z")
    return str(value)


def iso_from_nanos(nanos: int) -> str:
    """An ISO-8601 UTC timestamp (microseconds) from Unix nanoseconds."""
    moment = datetime.fromtimestamp(nanos // 1000 / 1_000_000, tz=UTC)
    return moment.isoformat().replace("+00:00", "Z")


def parse_time(value: Any) -> datetime | None:
    """A datetime from an ISO string (``Z`` accepted), or None."""
    if not isinstance(value, str) or not value:
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def latency_ms(start: Any, end: Any) -> int | None:
    """Milliseconds between two ISO timestamps, or None."""
    begin, finish = parse_time(start), parse_time(end)
    if begin is None or finish is None:
        return None
    return round((finish - begin).total_seconds() * 1000)


def usage(prompt: Any, completion: Any) -> dict[str, int] | None:
    """The contract's usage object, or None when neither count is known."""
    counts = {"prompt_tokens": _int(prompt), "completion_tokens": _int(completion)}
    counts = {key: value for key, value in counts.items() if value is not None}
    return counts or None


def validation_reason(error: ValidationError) -> str:
    """A pydantic error as one short reason: where and what."""
    first = error.errors()[0]
    where = ".".join(str(part) for part in first["loc"]) or "record"
    return f"{where}: {first['msg'].lower()}"


def require_target(messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Messages ending with the assistant target, or RecordError saying what is missing."""
    if not messages:
        raise RecordError("no messages")
    if messages[-1].get("role") != "assistant":
        raise RecordError("no assistant reply (the call has no output)")
    return messages


def _int(value: Any) -> int | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.isdigit():
        return int(value)
    return None


def openai_message(value: Any) -> dict[str, Any]:
    """A message already close to the OpenAI shape, made exact: a known role, tool call
    arguments as JSON strings, None-valued keys dropped (content kept)."""
    if isinstance(value, str):
        return message("user", value)
    if not isinstance(value, dict) or not isinstance(value.get("role"), str):
        raise RecordError("a message without a role")
    result = {"role": value["role"], "content": value.get("content")}
    result.update((key, item) for key, item in value.items() if item is not None)
    if isinstance(value.get("tool_calls"), list):
        calls = value["tool_calls"]
        result["tool_calls"] = [_openai_tool_call(call, i) for i, call in enumerate(calls)]
    return result


def _openai_tool_call(call: Any, index: int) -> dict[str, Any]:
    if not isinstance(call, dict):
        raise RecordError("a tool call is not an object")
    function = call.get("function") if isinstance(call.get("function"), dict) else call
    name = function.get("name")
    if not isinstance(name, str):
        raise RecordError("a tool call without a function name")
    arguments = function.get("arguments", function.get("args"))
    return tool_call(str(call.get("id") or f"call_{index}"), name, arguments)
