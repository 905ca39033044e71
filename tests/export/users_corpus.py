"""A small corpus shaped like users' own agents, for running the providers' validators.

Three files, as other agents log them: ``support.jsonl`` (a support bot replying in text,
multi-turn, some user turns as lists of text parts, an earlier answer with ``weight`` 0),
``tools.jsonl`` (a tool-calling agent: ``tools`` and ``parallel_tool_calls`` at the top level,
the target an assistant ``tool_calls`` message with null content) and ``trajectory.jsonl``
(multi-turn steps of a tool-using run: user, calls, tool results, final answer). Lines carry
what real logs carry beyond the format: ``id``, ``usage``, ``reasoning_content``, ``refusal``.
``tests/realworld/`` covers the shapes but none of these keys, so this corpus stays beside it.
"""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import orjson

CITIES = ("Oslo", "Lyon", "Austin", "Kyoto", "Porto", "Quito", "Accra", "Perth")
TOOLS = [
    {
        "type": "function",
        "function": {
            "name": "get_weather",
            "description": "Current weather in a city",
            "parameters": {
                "type": "object",
                "properties": {"city": {"type": "string"}},
                "required": ["city"],
            },
        },
    },
    {
        "type": "function",
        "function": {
            "name": "get_time",
            "description": "Local time in a city",
            "parameters": {"type": "object", "properties": {"city": {"type": "string"}}},
        },
    },
]


def write_users_corpus(root: Path, runs: int = 14, seed: int = 3) -> Path:
    """Write the three files under ``root``; each run id is in ``metadata.run_id``."""
    rng = random.Random(seed)
    root.mkdir(parents=True, exist_ok=True)
    _write(root / "support.jsonl", [_support(f"s-{i:02d}", rng) for i in range(runs)])
    _write(root / "tools.jsonl", [_tool_call(f"t-{i:02d}", rng) for i in range(runs)])
    steps = [step for i in range(runs) for step in _trajectory(f"j-{i:02d}", rng)]
    _write(root / "trajectory.jsonl", steps)
    return root


def _write(path: Path, lines: list[dict[str, Any]]) -> None:
    path.write_bytes(b"".join(orjson.dumps(line) + b"\n" for line in lines))


def _support(run: str, rng: random.Random) -> dict[str, Any]:
    order = rng.randrange(10_000, 99_999)
    first: Any = f"Hi, where is my order {order}?"
    if rng.random() < 0.5:
        first = [{"type": "text", "text": "Hi,"}, {"type": "text", "text": f"order {order}?"}]
    return {
        "id": f"chatcmpl-{run}",
        "messages": [
            {"role": "system", "content": "You are a friendly support agent for Acme."},
            {"role": "user", "content": first, "name": "customer"},
            {"role": "assistant", "content": "Let me check that for you.", "weight": 0},
            {"role": "user", "content": f"It was due on the {rng.randrange(1, 28)}th."},
            {
                "role": "assistant",
                "content": f"Order {order} left our warehouse yesterday; it arrives tomorrow.",
                "refusal": None,
                "reasoning_content": "The tracking shows it shipped.",
            },
        ],
        "usage": {"prompt_tokens": 120, "completion_tokens": 20},
        "metadata": {"run_id": run, "task": "support"},
    }


def _tool_call(run: str, rng: random.Random) -> dict[str, Any]:
    city = rng.choice(CITIES)
    call = {
        "id": f"call_{run}",
        "type": "function",
        "function": {"name": "get_weather", "arguments": orjson.dumps({"city": city}).decode()},
    }
    return {
        "messages": [
            {"role": "user", "content": f"Is it raining in {city} right now? ({run})"},
            {"role": "assistant", "content": None, "tool_calls": [call]},
        ],
        "tools": TOOLS,
        "parallel_tool_calls": False,
        "metadata": {"run_id": run, "task": "weather"},
    }


def _trajectory(run: str, rng: random.Random) -> list[dict[str, Any]]:
    city = rng.choice(CITIES)
    calls = [
        {
            "id": f"call_{run}_{name}",
            "type": "function",
            "function": {"name": name, "arguments": orjson.dumps({"city": city}).decode()},
        }
        for name in ("get_weather", "get_time")
    ]
    conversation: list[dict[str, Any]] = [
        {"role": "system", "content": "Answer travel questions with the tools."},
        {"role": "user", "content": f"I land in {city} soon ({run}): weather and local time?"},
        {"role": "assistant", "content": None, "tool_calls": calls},
    ]
    steps = [list(conversation)]
    conversation += [
        {"role": "tool", "tool_call_id": calls[0]["id"], "content": "12°C, light rain"},
        {"role": "tool", "tool_call_id": calls[1]["id"], "content": "14:05"},
        {
            "role": "assistant",
            "content": f"In {city} it is 14:05 and 12°C with light rain: take an umbrella.",
        },
    ]
    steps.append(conversation)
    return [
        {"messages": messages, "tools": TOOLS, "metadata": {"run_id": run, "task": "travel"}}
        for messages in steps
    ]
