"""Tool-call rules: tool.arguments_json, tool.unknown_name, tool.arguments_schema,
tool.orphan_result, over every assistant tool call of a line (multi-turn lines hold several).

``arguments`` must be a string holding a JSON object (the chat format's shape); a tool call must
name a function of the line's ``tools`` when the line has them, and its arguments must satisfy
that function's ``parameters`` schema (compiled and cached by :mod:`core.rules.schemas`); a
``tool`` message must answer an earlier call by its ``tool_call_id``.
"""

from __future__ import annotations

from typing import Any

import orjson

from core.rules.findings import FindingList, json_type, quote
from core.rules.schemas import CompiledSchema, compile_schema

TOOL_RULES = (
    "tool.arguments_json",
    "tool.unknown_name",
    "tool.arguments_schema",
    "tool.orphan_result",
)
_MORE = "… and {count} more tool calls"

ToolTable = dict[str, CompiledSchema | None]
_tables: dict[bytes, ToolTable] = {}
_MAX_TABLES = 256


def check_tools(record: Any, messages: Any, findings: FindingList) -> None:
    """Add the tool findings of one line."""
    if not isinstance(messages, list):
        return
    enabled = findings.enabled
    if not any(rule in enabled for rule in TOOL_RULES):
        return
    calls: list[tuple[str, dict[str, Any]]] = []
    orphans: list[str] = []
    answered: set[str] = set()
    for index, message in enumerate(messages):
        if type(message) is not dict:
            continue
        role = message.get("role")
        if role == "assistant":
            tool_calls = message.get("tool_calls")
            if type(tool_calls) is list:
                for position, call in enumerate(tool_calls):
                    if type(call) is dict:
                        calls.append((f"messages[{index}].tool_calls[{position}]", call))
                        call_id = call.get("id")
                        if isinstance(call_id, str):
                            answered.add(call_id)
        elif role == "tool":
            reply_to = message.get("tool_call_id")
            if isinstance(reply_to, str) and reply_to not in answered:
                orphans.append(f"messages[{index}] answers {quote(reply_to)}, no earlier call")
            elif reply_to is None and not answered:
                orphans.append(f"messages[{index}] is a tool result with no earlier tool call")
    findings.add_capped("tool.orphan_result", orphans, "… and {count} more tool results")
    if calls:
        tools = record.get("tools") if isinstance(record, dict) else None
        _check_calls(calls, tools, findings)


def _check_calls(
    calls: list[tuple[str, dict[str, Any]]], tools: Any, findings: FindingList
) -> None:
    table = tool_table(tools) if isinstance(tools, list) and tools else None
    bad_json: list[str] = []
    unknown: list[str] = []
    violations: list[str] = []
    for where, call in calls:
        function = call.get("function")
        if type(function) is not dict:
            bad_json.append(f"{where} has no function object")
            continue
        name = function.get("name")
        label = f"{where} ({name})" if isinstance(name, str) else where
        arguments, problem = parse_arguments(function.get("arguments"))
        if problem:
            bad_json.append(f"{label} arguments {problem}")
        if table is None:
            continue
        if not isinstance(name, str) or name not in table:
            unknown.append(f"{where} calls {quote(name)}, not one of the line's tools")
            continue
        schema = table[name]
        if schema is None or arguments is None:
            continue
        if schema.error is not None:
            violations.append(f"tool {quote(name)}: invalid parameters schema: {schema.error}")
        else:
            for message in schema.violations(arguments)[:1]:
                violations.append(f"{label} {message}")
    findings.add_capped("tool.arguments_json", bad_json, _MORE)
    findings.add_capped("tool.unknown_name", unknown, _MORE)
    findings.add_capped("tool.arguments_schema", violations, _MORE)


def parse_arguments(arguments: Any) -> tuple[dict[str, Any] | None, str | None]:
    """A tool call's arguments as an object, or None and why they are not a JSON object string."""
    if type(arguments) is not str:
        if type(arguments) is dict:
            return None, "is an object, not a JSON string"
        return None, f"is {json_type(arguments)}, not a JSON string"
    try:
        value = orjson.loads(arguments)
    except orjson.JSONDecodeError:
        return None, f"is not JSON: {quote(arguments)}"
    if type(value) is dict:
        return value, None
    if type(value) is str:
        try:
            inner = orjson.loads(value)
        except orjson.JSONDecodeError:
            inner = None
        if type(inner) is dict:
            return None, "are double-encoded: a JSON string holding the JSON object"
    return None, f"are {json_type(value)}, not a JSON object"


def tool_table(tools: list[Any]) -> ToolTable:
    """Function name -> compiled ``parameters`` (None when it has none), cached per ``tools``."""
    try:
        key = orjson.dumps(tools)
    except (TypeError, orjson.JSONEncodeError):
        key = None
    if key is not None:
        found = _tables.get(key)
        if found is not None:
            return found
    table: ToolTable = {}
    for tool in tools:
        if type(tool) is not dict:
            continue
        function = tool.get("function")
        if type(function) is not dict:
            function = tool  # the legacy `functions` shape: name and parameters at the top
        name = function.get("name")
        if isinstance(name, str):
            parameters = function.get("parameters")
            table[name] = None if parameters is None else compile_schema(parameters)
    if key is not None:
        if len(_tables) >= _MAX_TABLES:
            _tables.clear()
        _tables[key] = table
    return table
