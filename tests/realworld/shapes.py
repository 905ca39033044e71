"""The real-world corpus's lines in each shape, with what ``curator check`` must say of each.

Builders of chat fine-tuning messages (text, tool calls, tool results, image parts) and the
lines of every file but the trajectories (``trajectories.py``).
"""

from __future__ import annotations

import base64
import hashlib
from typing import Any

import orjson

SYSTEM = {"role": "system", "content": "You are the support assistant of Northwind Outfitters."}
WEATHER = {
    "type": "function",
    "function": {
        "name": "get_weather",
        "description": "Current weather for a city.",
        "parameters": {
            "type": "object",
            "properties": {"city": {"type": "string"}, "unit": {"enum": ["c", "f"]}},
            "required": ["city"],
            "additionalProperties": False,
        },
    },
}
FLIGHTS = {
    "type": "function",
    "function": {
        "name": "search_flights",
        "description": "Flights between two airports on a date.",
        "parameters": {
            "type": "object",
            "properties": {
                "origin": {"type": "string"},
                "destination": {"type": "string"},
                "date": {"type": "string"},
            },
            "required": ["origin", "destination"],
        },
    },
}
BOOK = {
    "type": "function",
    "function": {
        "name": "book_flight",
        "description": "Book a flight by its number for the current user.",
        "parameters": {
            "type": "object",
            "properties": {"flight": {"type": "string"}},
            "required": ["flight"],
        },
    },
}
AIRLINE_TOOLS = [FLIGHTS, BOOK]


def user(text: Any) -> dict[str, Any]:
    return {"role": "user", "content": text}


def assistant(text: Any, **extra: Any) -> dict[str, Any]:
    return {"role": "assistant", "content": text, **extra}


def tool_call(call_id: str, name: str, arguments: Any) -> dict[str, Any]:
    """An assistant message calling one tool (content null, as the chat format writes it)."""
    call = {"id": call_id, "type": "function", "function": {"name": name, "arguments": arguments}}
    return {"role": "assistant", "content": None, "tool_calls": [call]}


def tool_result(call_id: str, content: str) -> dict[str, Any]:
    return {"role": "tool", "tool_call_id": call_id, "content": content}


def png(kib: int) -> str:
    """A data URL of ``kib`` KiB of deterministic bytes behind a PNG signature."""
    body = b"\x89PNG\r\n\x1a\n" + hashlib.sha256(b"realworld").digest() * (kib * 32)
    return "data:image/png;base64," + base64.b64encode(body[: kib * 1024]).decode()


def args(**values: Any) -> str:
    return orjson.dumps(values).decode()


# Each entry: (file, line, expected verdict, expected rules, kind, what it is).
Line = tuple[dict[str, Any], str, tuple[str, ...], str, str]


def chat() -> list[Line]:
    return [
        (
            {
                "messages": [
                    SYSTEM,
                    user("When do you open on Sundays?"),
                    assistant("We open at 10am and close at 4pm on Sundays."),
                ]
            },
            "pass",
            (),
            "text",
            "plain chat with a system prompt",
        ),
        (
            {
                "messages": [
                    user("Do you ship to Canada?"),
                    assistant("Yes, we ship to Canada; delivery takes 5 to 8 days."),
                ]
            },
            "pass",
            (),
            "text",
            "plain chat without a system prompt",
        ),
        (
            {
                "messages": [
                    SYSTEM,
                    user("I want to return boots."),
                    assistant("Sorry they did not work out. Which order are they from?"),
                    user("Order 1182."),
                    assistant("Thanks. I have opened a return for order 1182."),
                ]
            },
            "pass",
            (),
            "text",
            "multi-turn chat, one line for the whole conversation",
        ),
        (
            {
                "messages": [
                    SYSTEM,
                    user("Is the tent waterproof?"),
                    assistant("I am happy to help! " * 40),
                ]
            },
            "fail",
            ("output.repetition",),
            "text",
            "broken: degenerate repetition",
        ),
        (
            {"messages": [SYSTEM, user("Can I change my delivery address?"), assistant("  ")]},
            "fail",
            ("output.empty",),
            "text",
            "broken: blank reply",
        ),
    ]


def weights() -> list[Line]:
    return [
        (
            {
                "messages": [
                    SYSTEM,
                    user("Price of the trail pack?"),
                    assistant("It is 89 dollars.", weight=0),
                    user("And in euros?"),
                    assistant("About 82 euros at today's rate.", weight=1),
                ]
            },
            "pass",
            (),
            "text",
            "weights 0 and 1 on assistant messages",
        ),
        (
            {
                "messages": [
                    SYSTEM,
                    user("Do you sell gift cards?"),
                    assistant("Yes, from 25 to 200 dollars.", weight=2),
                ]
            },
            "fail",
            ("format.weight",),
            "text",
            "broken: weight 2",
        ),
        (
            {
                "messages": [
                    SYSTEM,
                    {"role": "user", "content": "Any discounts?", "weight": 1},
                    assistant("Members get 10 percent off."),
                ]
            },
            "fail",
            ("format.weight",),
            "text",
            "broken: weight on a user message",
        ),
    ]


def tools() -> list[Line]:
    ask = user("What's the weather in Lisbon?")
    return [
        (
            {
                "messages": [ask, tool_call("call_1", "get_weather", args(city="Lisbon"))],
                "tools": [WEATHER, FLIGHTS],
            },
            "pass",
            (),
            "tool_call",
            "a tool call target with tools",
        ),
        (
            {
                "messages": [
                    user("Is it cold in Oslo?"),
                    tool_call("call_2", "get_weather", args(city="Oslo", unit="c")),
                    tool_result("call_2", '{"temp": -3, "sky": "snow"}'),
                    assistant("Yes: -3 °C and snowing in Oslo."),
                ],
                "tools": [WEATHER],
            },
            "pass",
            (),
            "text",
            "a tool result answered in text",
        ),
        (
            {
                "messages": [
                    user("Weather in Porto?"),
                    tool_call("call_3", "get_weather", orjson.dumps(args(city="Porto")).decode()),
                ],
                "tools": [WEATHER],
            },
            "fail",
            ("tool.arguments_json",),
            "tool_call",
            "broken: double-encoded arguments",
        ),
        (
            {
                "messages": [
                    user("Book me a hotel in Faro."),
                    tool_call("call_4", "book_hotel", args(city="Faro")),
                ],
                "tools": [WEATHER, FLIGHTS],
            },
            "fail",
            ("tool.unknown_name",),
            "tool_call",
            "broken: unknown tool name",
        ),
        (
            {
                "messages": [
                    user("Weather in Braga?"),
                    tool_call("call_5", "get_weather", args(city=42, wind=True)),
                ],
                "tools": [WEATHER],
            },
            "fail",
            ("tool.arguments_schema",),
            "tool_call",
            "broken: arguments violate the tool's parameters",
        ),
        (
            {
                "messages": [
                    user("Weather in Evora?"),
                    tool_call("call_6", "get_weather", args(city="Evora")),
                    tool_result("call_99", '{"temp": 21}'),
                    assistant("It is 21 °C in Evora."),
                ],
                "tools": [WEATHER],
            },
            "fail",
            ("tool.orphan_result",),
            "text",
            "broken: a tool result answering no call",
        ),
    ]


def reasoning() -> list[Line]:
    return [
        (
            {
                "messages": [
                    user("A kayak costs 300 and is 20% off. Price?"),
                    assistant(
                        "<think>20% of 300 is 60; 300 - 60 = 240.</think>The kayak costs 240."
                    ),
                ]
            },
            "pass",
            (),
            "text",
            "a <think> reasoning target",
        ),
        (
            {
                "messages": [
                    SYSTEM,
                    user("How many 3-person tents for 10 people?"),
                    assistant("<think>10 / 3 is 3.33, so 4 tents.</think>\nYou need 4 tents."),
                ]
            },
            "pass",
            (),
            "text",
            "a <think> reasoning target with a system prompt",
        ),
        (
            {
                "messages": [
                    user("Is 91 prime?"),
                    assistant("<think>91 = 7 × 13? " + "Let me check that again. " * 30),
                ]
            },
            "fail",
            ("output.repetition",),
            "text",
            "broken: a reasoning loop, cut off at the token limit",
        ),
    ]


def images() -> list[Line]:
    return [
        (
            {
                "messages": [
                    user(
                        [
                            {"type": "text", "text": "What is this jacket's colour?"},
                            {"type": "image_url", "image_url": {"url": png(34)}},
                        ]
                    ),
                    assistant("It is forest green."),
                ]
            },
            "pass",
            (),
            "text",
            "an image part (data URL) in a user message",
        ),
        (
            {
                "messages": [
                    user(
                        [
                            {"type": "text", "text": "Which model is this?"},
                            {
                                "type": "image_url",
                                "image_url": {
                                    "url": "https://example.com/shop/boot-v2.png",
                                    "detail": "low",
                                },
                            },
                        ]
                    ),
                    assistant("That is the Ridge boot, version 2."),
                ]
            },
            "pass",
            (),
            "text",
            "an image part by URL",
        ),
        (
            {
                "messages": [
                    user("Draw me the logo."),
                    assistant(
                        [
                            {"type": "text", "text": "Here is the logo:"},
                            {"type": "image_url", "image_url": {"url": png(2)}},
                        ]
                    ),
                ]
            },
            "fail",
            ("format.content_part",),
            "text",
            "broken: an image in an assistant message",
        ),
        (
            {
                "messages": [
                    user(
                        [
                            {"type": "text", "text": "Is this scratch covered?"},
                            {"type": "image", "path": "photos/scratch.png"},
                        ]
                    ),
                    assistant("Yes, scratches are covered for a year."),
                ]
            },
            "fail",
            ("format.content_part",),
            "text",
            "broken: an image part with a path",
        ),
        (
            {
                "messages": [
                    user([{"type": "text"}, {"type": "text", "text": "Sizes?"}]),
                    assistant("Sizes run from 36 to 47."),
                ]
            },
            "fail",
            ("format.content_part",),
            "text",
            "broken: a text part without text",
        ),
    ]
