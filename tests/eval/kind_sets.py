"""Held-out sets of other agents, in the export layout: a tool-calling agent and a support bot.

``weather_agent`` targets are ``tool_calls`` with null content (one multi-turn line with a tool
result in its history, one with two parallel calls); ``support`` targets are plain text.
"""

from __future__ import annotations

from typing import Any

import orjson

TOOLS = [
    {
        "type": "function",
        "function": {
            "name": "get_weather",
            "description": "Current weather in a city.",
            "parameters": {
                "type": "object",
                "properties": {"city": {"type": "string"}, "unit": {"type": "string"}},
                "required": ["city"],
            },
        },
    },
    {
        "type": "function",
        "function": {
            "name": "search_flights",
            "description": "Flights between two cities on a date.",
            "parameters": {
                "type": "object",
                "properties": {
                    "origin": {"type": "string"},
                    "destination": {"type": "string"},
                    "date": {"type": "string"},
                },
                "required": ["origin", "destination", "date"],
            },
        },
    },
]
AGENT_SYSTEM = "You are a travel assistant. Use the tools to answer."


def call(name: str, arguments: dict[str, Any], call_id: str = "call_1") -> dict[str, Any]:
    """One tool call in the chat format: arguments as a JSON string."""
    return {
        "id": call_id,
        "type": "function",
        "function": {"name": name, "arguments": orjson.dumps(arguments).decode()},
    }


def _tool_line(history: list[dict[str, Any]], calls: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "messages": [
            {"role": "system", "content": AGENT_SYSTEM},
            *history,
            {"role": "assistant", "content": None, "tool_calls": calls},
        ],
        "tools": TOOLS,
    }


def _user(text: str) -> dict[str, Any]:
    return {"role": "user", "content": text}


WEATHER_AGENT = [
    _tool_line(
        [_user("What's the weather in Lisbon, in celsius?")],
        [call("get_weather", {"city": "Lisbon", "unit": "celsius"})],
    ),
    _tool_line(
        [_user("Flights from Porto to Berlin on 2026-12-24?")],
        [
            call(
                "search_flights", {"origin": "Porto", "destination": "Berlin", "date": "2026-12-24"}
            )
        ],
    ),
    _tool_line(
        [_user("Weather in Paris and in Rome?")],
        [call("get_weather", {"city": "Paris"}), call("get_weather", {"city": "Rome"}, "call_2")],
    ),
    _tool_line(
        [
            _user("Weather in Oslo, then flights Oslo to Lisbon on 2026-12-04."),
            {
                "role": "assistant",
                "content": None,
                "tool_calls": [call("get_weather", {"city": "Oslo"})],
            },
            {"role": "tool", "tool_call_id": "call_1", "content": '{"temp_c": 3, "sky": "snow"}'},
        ],
        [
            call(
                "search_flights",
                {"origin": "Oslo", "destination": "Lisbon", "date": "2026-12-04"},
                "call_2",
            )
        ],
    ),
    _tool_line([_user("Is it raining in Madrid?")], [call("get_weather", {"city": "Madrid"})]),
]

SUPPORT_SYSTEM = "You answer customers of a web shop in one short sentence."


def _text_line(question: str, answer: str) -> dict[str, Any]:
    return {
        "messages": [
            {"role": "system", "content": SUPPORT_SYSTEM},
            _user(question),
            {"role": "assistant", "content": answer},
        ]
    }


SUPPORT = [
    _text_line("How do I reset my password?", "Open Settings, then choose Reset password."),
    _text_line("Do you ship to Canada?", "Yes, we ship to Canada within 5 days."),
    _text_line("Can I pay with PayPal?", "No, we only accept cards."),
]

KIND_SETS = {"weather_agent": WEATHER_AGENT, "support": SUPPORT}
