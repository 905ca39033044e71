"""What the detail pane makes of tools, tool calls and content parts, from the raw line."""

from __future__ import annotations

import base64

import orjson
import pytest

from core.review.detail import parse_call
from core.review.tool_views import part_text, tool_call_views, tool_views, tools_chars

WEATHER = {
    "type": "function",
    "function": {
        "name": "get_weather",
        "description": "Current weather\n  for a city.",
        "parameters": {"type": "object", "properties": {"city": {"type": "string"}}},
    },
}


def calling(arguments: object) -> dict:
    call = {"id": "c1", "type": "function", "function": {"name": "f", "arguments": arguments}}
    return {"role": "assistant", "content": None, "tool_calls": [call]}


def test_tools_one_line_each_with_their_schema() -> None:
    (tool,) = tool_views([WEATHER, "junk"])
    assert (tool.name, tool.description) == ("get_weather", "Current weather for a city.")
    assert orjson.loads(tool.parameters) == WEATHER["function"]["parameters"]
    assert tool.parameters.startswith("{\n  ")
    assert tools_chars([WEATHER]) == len(orjson.dumps([WEATHER])) and tools_chars(None) == 0


@pytest.mark.parametrize(
    ("arguments", "shown", "problem"),
    [
        ('{"city":"Oslo"}', '{\n  "city": "Oslo"\n}', ""),
        ('"{\\"city\\":\\"Oslo\\"}"', '"{\\"city\\":\\"Oslo\\"}"', "double-encoded"),
        ("{city: Oslo", "{city: Oslo", "not valid JSON"),
        ({"city": "Oslo"}, '{\n  "city": "Oslo"\n}', "an object, not a JSON string"),
        ("[1, 2]", "[1, 2]", "JSON but not an object"),
    ],
)
def test_arguments_pretty_or_as_they_are_and_marked(arguments, shown, problem) -> None:
    (view,) = tool_call_views(calling(arguments))
    assert (view.call_id, view.name, view.arguments) == ("c1", "f", shown)
    assert (problem in view.problem) if problem else view.problem == ""


def test_image_parts_are_placeholders_never_nothing() -> None:
    data = base64.b64encode(b"x" * (34 * 1024)).decode()
    assert part_text(
        {"type": "image_url", "image_url": {"url": f"data:image/png;base64,{data}"}}
    ) == ("[image: image/png, 34 KB]")
    url = {"type": "image_url", "image_url": {"url": "https://example.com/a.png"}}
    assert part_text(url) == "[image: https://example.com/a.png]"
    assert "not in the chat format" in part_text({"type": "image", "path": "a.png"})
    assert part_text({"type": "text"}) == "[text part without text]"
    assert part_text({"type": "input_audio", "input_audio": {"format": "wav", "data": "AAAA"}}) == (
        "[audio: wav, 3 B]"
    )


def test_parsed_call_carries_tools_calls_and_tool_call_ids() -> None:
    line = {
        "messages": [
            {
                "role": "user",
                "content": [
                    {"type": "text", "text": "hi"},
                    {"type": "image_url", "image_url": {"url": "data:image/jpeg;base64,AAAA"}},
                ],
            },
            calling('{"city": "Oslo"}'),
            {"role": "tool", "tool_call_id": "c1", "content": "-3"},
            {"role": "assistant", "content": "cold"},
        ],
        "tools": [WEATHER],
    }
    parsed = parse_call(orjson.dumps(line))
    assert parsed.messages[0].text == "hi\n[image: image/jpeg, 3 B]"
    assert parsed.messages[1].tool_calls[0].name == "f" and parsed.messages[1].extras == {}
    assert parsed.messages[2].extras == {"tool_call_id": "c1"}
    assert [t.name for t in parsed.tools] == ["get_weather"]
    assert parsed.tools_chars == len(orjson.dumps([WEATHER]))
