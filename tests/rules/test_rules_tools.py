"""tool.arguments_json, tool.unknown_name, tool.arguments_schema, tool.orphan_result."""

from __future__ import annotations

import orjson
import pytest

from core.rules import schemas

SEARCH = {
    "type": "function",
    "function": {
        "name": "search_flights",
        "parameters": {
            "type": "object",
            "properties": {
                "origin": {"type": "string", "minLength": 3},
                "stops": {"type": "integer", "minimum": 0},
            },
            "required": ["origin"],
            "additionalProperties": False,
        },
    },
}
NOTE = {"type": "function", "function": {"name": "note"}}


def call(call_id, name, arguments):
    if not isinstance(arguments, str) and not isinstance(arguments, dict | list | None):
        arguments = orjson.dumps(arguments).decode()
    return {"id": call_id, "type": "function", "function": {"name": name, "arguments": arguments}}


def trajectory(*calls, tools=(SEARCH, NOTE), answer_ids=None):
    """A user turn, an assistant turn per call with its tool result, and a text target."""
    messages = [{"role": "user", "content": "Find me a flight from AUS."}]
    for position, tool_call in enumerate(calls):
        messages.append({"role": "assistant", "content": None, "tool_calls": [tool_call]})
        answer = answer_ids[position] if answer_ids else tool_call["id"]
        messages.append({"role": "tool", "tool_call_id": answer, "content": "ok"})
    messages.append({"role": "assistant", "content": "Booked."})
    line = {"messages": messages}
    if tools is not None:
        line["tools"] = list(tools)
    return line


def test_good_multi_turn_tool_calls_pass(check):
    line = trajectory(
        call("c1", "search_flights", '{"origin": "AUS", "stops": 1}'),
        call("c2", "note", '{"text": "anything goes without parameters"}'),
    )
    assert check(line) == []


@pytest.mark.parametrize(
    ("arguments", "words"),
    [
        ('{"origin": "AUS"', "is not JSON"),
        (orjson.dumps('{"origin": "AUS"}').decode(), "double-encoded"),
        ({"origin": "AUS"}, "is an object, not a JSON string"),
        ('["AUS"]', "are an array, not a JSON object"),
        (None, "is null, not a JSON string"),
    ],
)
def test_arguments_that_are_not_a_json_object_string_fail(check, arguments, words):
    line = trajectory(call("c1", "search_flights", '{"origin": "AUS"}'))
    line["messages"].insert(-1, {"role": "user", "content": "and back?"})
    line["messages"][-1] = {
        "role": "assistant",
        "content": None,
        "tool_calls": [call("c2", "search_flights", arguments)],
    }
    findings = check(line)
    assert findings.ids == ["tool.arguments_json"]
    message = findings.only("tool.arguments_json").message
    assert message.startswith("messages[4].tool_calls[0] (search_flights) arguments ")
    assert words in message


def test_every_tool_call_of_the_line_is_checked_not_only_the_target(check):
    line = trajectory(call("c1", "search_flights", "{oops"), call("c2", "note", "{oops"))
    assert len(check(line).of("tool.arguments_json")) == 2


def test_unknown_tool_name_fails_only_when_the_line_has_tools(check):
    line = trajectory(call("c1", "book_hotel", "{}"))
    assert "book_hotel" in check(line).only("tool.unknown_name").message
    assert check(trajectory(call("c1", "book_hotel", "{}"), tools=None)) == []


@pytest.mark.parametrize(
    ("arguments", "words"),
    [
        ({"stops": 1}, '"origin" is a required property'),
        ({"origin": "AUS", "stops": -1}, "at /stops"),
        ({"origin": "AUS", "seat": "12A"}, "Additional properties"),
        ({"origin": 7}, 'at /origin: 7 is not of type "string"'),
    ],
)
def test_arguments_violating_the_schema_fail(check, arguments, words):
    findings = check(trajectory(call("c1", "search_flights", orjson.dumps(arguments).decode())))
    assert findings.ids == ["tool.arguments_schema"]
    assert words in findings.only("tool.arguments_schema").message


def test_an_invalid_parameters_schema_is_a_finding_naming_the_tool(check):
    broken = {"type": "function", "function": {"name": "bad", "parameters": {"type": "strin"}}}
    findings = check(trajectory(call("c1", "bad", "{}"), tools=(broken,)))
    message = findings.only("tool.arguments_schema").message
    assert message.startswith('tool "bad": invalid parameters schema')


def test_schemas_compile_once_whatever_their_key_order(check, monkeypatch):
    compiled = []
    original = schemas._compile
    monkeypatch.setattr(schemas, "_compile", lambda s: compiled.append(s) or original(s))
    monkeypatch.setattr(schemas, "_by_bytes", {})
    monkeypatch.setattr(schemas, "_by_canonical", {})
    parameters = SEARCH["function"]["parameters"]
    reordered = dict(reversed(list(parameters.items())))
    renamed = {"type": "function", "function": {"name": "search_flights", "parameters": reordered}}
    for tools in [(SEARCH, NOTE)] * 3 + [(renamed,)]:
        line = trajectory(call("c1", "search_flights", '{"origin": "AUS"}'), tools=tools)
        assert check(orjson.loads(orjson.dumps(line))) == []
    assert len(compiled) == 1


def test_tool_result_answering_no_earlier_call_is_an_orphan(check):
    line = trajectory(call("c1", "search_flights", '{"origin": "AUS"}'), answer_ids=["c9"])
    message = check(line).only("tool.orphan_result").message
    assert message == 'messages[2] answers "c9", no earlier call'


def test_tool_result_before_its_call_is_an_orphan(check):
    line = trajectory(call("c1", "search_flights", '{"origin": "AUS"}'))
    line["messages"].insert(1, {"role": "tool", "tool_call_id": "c1", "content": "early"})
    assert "messages[1]" in check(line).only("tool.orphan_result").message
