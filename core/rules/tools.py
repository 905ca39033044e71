"""Tool-call rules: tool.arguments_json, tool.unknown_name, tool.arguments_schema,
tool.orphan_result, over every assistant tool call of a line (multi-turn lines hold several).

``arguments`` must be a string holding a JSON object (the chat format's shape); a tool call must
name a function of the line's ``tools`` when the line has them, and its arguments must satisfy
that function's ``parameters`` schema (compiled once per distinct schema and cached by
:mod:`core.rules.schemas`, so only the schemas of called tools are ever serialized); a
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


def check_tools(record: Any, messages: Any, findings: FindingList) -> None:
    """Add the tool findings of one line."""
    if not isinstance(messages, list):
        return
    enabled = findings.enabled
    if enabled.keys().isdisjoint(TOOL_RULES):
        return
    # (message index, position in tool_calls, call); messages are only formatted for findings
    calls: list[tuple[int, int, dict[str, Any]]] = []
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
                        calls.append((index, position, call))
                        call_id = call.get("id")
                        if type(call_id) is str:
                            answered.add(call_id)
        elif role == "tool":
            reply_to = message.get("tool_call_id")
            if type(reply_to) is str:
                if reply_to not in answered:
                    orphans.append(f"messages[{index}] answers {quote(reply_to)}, no earlier call")
            elif reply_to is None and not answered:
                orphans.append(f"messages[{index}] is a tool result with no earlier tool call")
    if orphans:
        findings.add_capped("tool.orphan_result", orphans, "… and {count} more tool results")
    if calls:
        tools = record.get("tools") if isinstance(record, dict) else None
        _check_calls(calls, tools, findings)


def _check_calls(
    calls: list[tuple[int, int, dict[str, Any]]], tools: Any, findings: FindingList
) -> None:
    functions = tool_functions(tools) if type(tools) is list and tools else None
    validate = "tool.arguments_schema" in findings.enabled
    schemas: dict[str, CompiledSchema | None] = {}
    bad_json: list[str] = []
    unknown: list[str] = []
    violations: list[str] = []
    for index, position, call in calls:
        function = call.get("function")
        if type(function) is not dict:
            bad_json.append(f"{_where(index, position)} has no function object")
            continue
        name = function.get("name")
        arguments, problem = parse_arguments(function.get("arguments"))
        if problem:
            bad_json.append(f"{_label(index, position, name)} arguments {problem}")
        if functions is None:
            continue
        if type(name) is not str or name not in functions:
            unknown.append(f"{_where(index, position)} calls {quote(name)}, not one of the tools")
            continue
        if not validate or arguments is None:
            continue
        if name in schemas:
            schema = schemas[name]
        else:
            parameters = functions[name].get("parameters")
            schema = schemas[name] = None if parameters is None else compile_schema(parameters)
        if schema is None:
            continue
        if schema.error is not None:
            violations.append(f"tool {quote(name)}: invalid parameters schema: {schema.error}")
            schemas[name] = None  # said once per line
        else:
            for message in schema.violations(arguments)[:1]:
                violations.append(f"{_label(index, position, name)} {message}")
    if bad_json:
        findings.add_capped("tool.arguments_json", bad_json, _MORE)
    if unknown:
        findings.add_capped("tool.unknown_name", unknown, _MORE)
    if violations:
        findings.add_capped("tool.arguments_schema", violations, _MORE)


def _where(index: int, position: int) -> str:
    return f"messages[{index}].tool_calls[{position}]"


def _label(index: int, position: int, name: Any) -> str:
    where = _where(index, position)
    return f"{where} ({name})" if type(name) is str else where


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


def tool_functions(tools: list[Any]) -> dict[str, dict[str, Any]]:
    """Function name -> its function object (``name``, ``parameters``) of a line's ``tools``.

    Accepts the chat format's ``{"type": "function", "function": {...}}`` and the legacy
    ``functions`` shape with name and parameters at the top.
    """
    functions: dict[str, dict[str, Any]] = {}
    for tool in tools:
        if type(tool) is not dict:
            continue
        function = tool.get("function")
        if type(function) is not dict:
            function = tool
        name = function.get("name")
        if type(name) is str:
            functions[name] = function
    return functions
