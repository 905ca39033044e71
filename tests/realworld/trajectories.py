"""The airline agent's trajectories, logged one line per step: keyed by ``env_index``, or not."""

from __future__ import annotations

from typing import Any

from tests.realworld.shapes import (
    AIRLINE_TOOLS,
    Line,
    args,
    assistant,
    tool_call,
    tool_result,
    user,
)


def airline_steps(number: int, origin: str, destination: str) -> list[dict[str, Any]]:
    """One trajectory of the airline agent: the messages after each of its three steps."""
    first = [
        {"role": "system", "content": "You are the Skyway airline agent. Use the tools."},
        user(f"Find me a flight from {origin} to {destination} on 2026-11-0{number}."),
        tool_call(
            f"t{number}a",
            "search_flights",
            args(origin=origin, destination=destination, date=f"2026-11-0{number}"),
        ),
    ]
    second = [
        *first,
        tool_result(f"t{number}a", f'[{{"flight": "SK{number}10", "price": 120}}]'),
        tool_call(f"t{number}b", "book_flight", args(flight=f"SK{number}10")),
    ]
    third = [
        *second,
        tool_result(f"t{number}b", '{"status": "booked"}'),
        assistant(f"Booked: flight SK{number}10 from {origin} to {destination}."),
    ]
    return [first, second, third]


def airline_keyed() -> list[Line]:
    lines: list[Line] = []
    for env, (origin, destination) in enumerate([("LIS", "OPO"), ("MAD", "BCN")]):
        steps = airline_steps(env + 1, origin, destination)
        for index, messages in enumerate(steps):
            last = index == len(steps) - 1
            line = {"messages": messages, "tools": AIRLINE_TOOLS, "env_index": env}
            lines.append(
                (
                    line,
                    "pass" if last else "fail",
                    () if last else ("dup.prefix",),
                    "text" if last else "tool_call",
                    f"trajectory env_index {env}, step {index + 1} of 3",
                )
            )
    return lines


def airline_unkeyed() -> list[Line]:
    steps = airline_steps(5, "FAO", "LHR")
    lines: list[Line] = []
    for index, messages in enumerate(steps):
        last = index == len(steps) - 1
        lines.append(
            (
                {"messages": messages, "tools": AIRLINE_TOOLS},
                "pass" if last else "fail",
                () if last else ("dup.prefix",),
                "text" if last else "tool_call",
                f"trajectory without a key, step {index + 1} of 3",
            )
        )
    return lines


def airline_sft() -> list[Line]:
    """A per-step training set made from one trajectory: each line trains on its last turn
    only, the earlier assistant turns at ``weight: 0``. One run, and every line passes: no line
    repeats what a longer one trains on."""
    steps = airline_steps(7, "OPO", "FNC")
    lines: list[Line] = []
    for index, messages in enumerate(steps):
        last = len(messages) - 1
        weighted = [
            dict(m, weight=0) if m["role"] == "assistant" and i < last else m
            for i, m in enumerate(messages)
        ]
        lines.append(
            (
                {"messages": weighted, "tools": AIRLINE_TOOLS},
                "pass",
                (),
                "text" if index == len(steps) - 1 else "tool_call",
                f"per-step training set, earlier turns at weight 0, step {index + 1} of 3",
            )
        )
    return lines
