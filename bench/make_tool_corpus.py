"""Write a deterministic tool-calling corpus (``tools`` schemas on every line) for the benchmark.

    python bench/make_tool_corpus.py --out /tmp/tools --size 50MB [--seed 7]

Each line is one step of a support agent's trajectory, as tool-calling SFT files hold them: a
system prompt, a user request, earlier assistant ``tool_calls`` turns with their ``tool``
results, and a target that is either another tool call or a text reply. Every line carries the
agent's 12 ``tools`` (function schemas with nested objects, arrays, enums and ``required``), so
the schemas repeat on every line as they do in real files. A few percent of tool calls are
planted defects: double-encoded arguments, an unknown tool name, a schema violation, an orphan
tool result. Lines have no ``run_id`` and carry ``env_index`` at the top level.

Sizes are binary (``50MB`` is 50 MiB); the same seed and size give byte-identical files.
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

import orjson
from make_corpus import parse_size

CITIES = ("Austin", "Boston", "Denver", "Lisbon", "Osaka", "Porto", "Seattle", "Turin")
CABINS = ("economy", "premium", "business", "first")
WORDS = (
    "booking change refund seat baggage upgrade delay flight hotel car invoice loyalty points "
    "cancel window aisle meal request status transfer voucher lounge receipt family pet"
).split()


def _string(**extra: object) -> dict[str, object]:
    return {"type": "string", **extra}


def _tool(name: str, properties: dict[str, object], required: list[str]) -> dict[str, object]:
    return {
        "type": "function",
        "function": {
            "name": name,
            "description": f"{name.replace('_', ' ')} for the customer",
            "parameters": {
                "type": "object",
                "properties": properties,
                "required": required,
                "additionalProperties": False,
            },
        },
    }


def _tools() -> list[dict[str, object]]:
    passenger = {
        "type": "object",
        "properties": {
            "first_name": _string(minLength=1),
            "last_name": _string(minLength=1),
            "dob": _string(pattern=r"^\d{4}-\d{2}-\d{2}$"),
        },
        "required": ["first_name", "last_name"],
    }
    tools = [
        _tool("get_user", {"user_id": _string(minLength=3)}, ["user_id"]),
        _tool("get_reservation", {"reservation_id": _string(minLength=6)}, ["reservation_id"]),
        _tool(
            "search_flights",
            {
                "origin": _string(minLength=3, maxLength=3),
                "destination": _string(minLength=3, maxLength=3),
                "date": _string(pattern=r"^\d{4}-\d{2}-\d{2}$"),
                "cabin": {"type": "string", "enum": list(CABINS)},
                "max_stops": {"type": "integer", "minimum": 0, "maximum": 3},
            },
            ["origin", "destination", "date"],
        ),
        _tool(
            "book_reservation",
            {
                "user_id": _string(),
                "flight_numbers": {"type": "array", "items": _string(), "minItems": 1},
                "cabin": {"type": "string", "enum": list(CABINS)},
                "passengers": {"type": "array", "items": passenger, "minItems": 1},
                "insurance": {"type": "boolean"},
            },
            ["user_id", "flight_numbers", "cabin", "passengers"],
        ),
        _tool(
            "update_baggage",
            {
                "reservation_id": _string(),
                "total_baggages": {"type": "integer", "minimum": 0},
                "nonfree_baggages": {"type": "integer", "minimum": 0},
            },
            ["reservation_id", "total_baggages", "nonfree_baggages"],
        ),
        _tool(
            "cancel_reservation",
            {
                "reservation_id": _string(),
                "reason": {"type": "string", "enum": ["change", "other"]},
            },
            ["reservation_id"],
        ),
        _tool("search_hotels", {"city": _string(), "nights": {"type": "integer"}}, ["city"]),
        _tool("send_certificate", {"user_id": _string(), "amount": {"type": "number"}}, ["amount"]),
        _tool("transfer_to_human", {"summary": _string(maxLength=500)}, ["summary"]),
        _tool("calculate", {"expression": _string()}, ["expression"]),
        _tool("list_airports", {"city": _string()}, []),
        _tool("think", {"thought": _string()}, ["thought"]),
    ]
    return tools


class Steps:
    """Random but plausible tool calls and replies for one seed."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.calls = 0

    def words(self, low: int, high: int) -> str:
        return " ".join(self.rng.choice(WORDS) for _ in range(self.rng.randint(low, high)))

    def arguments(self) -> tuple[str, dict[str, object]]:
        rng = self.rng
        choice = rng.randrange(6)
        if choice == 0:
            return "get_user", {"user_id": f"user_{rng.randrange(10**6)}"}
        if choice == 1:
            return "get_reservation", {"reservation_id": f"R{rng.randrange(10**6):06d}"}
        if choice == 2:
            return "search_flights", {
                "origin": rng.choice(["AUS", "BOS", "DEN", "LIS"]),
                "destination": rng.choice(["KIX", "OPO", "SEA", "TRN"]),
                "date": f"2026-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
                "cabin": rng.choice(CABINS),
                "max_stops": rng.randint(0, 2),
            }
        if choice == 3:
            return "book_reservation", {
                "user_id": f"user_{rng.randrange(10**6)}",
                "flight_numbers": [
                    f"HAT{rng.randrange(1000):03d}" for _ in range(rng.randint(1, 3))
                ],
                "cabin": rng.choice(CABINS),
                "passengers": [
                    {"first_name": "Ana", "last_name": "Silva", "dob": "1990-04-12"}
                    for _ in range(rng.randint(1, 3))
                ],
                "insurance": rng.random() < 0.5,
            }
        if choice == 4:
            return "update_baggage", {
                "reservation_id": f"R{rng.randrange(10**6):06d}",
                "total_baggages": rng.randint(0, 4),
                "nonfree_baggages": rng.randint(0, 2),
            }
        return "search_hotels", {"city": rng.choice(CITIES), "nights": rng.randint(1, 9)}

    def tool_call(self, defect: str | None) -> dict[str, object]:
        self.calls += 1
        name, args = self.arguments()
        encoded = orjson.dumps(args).decode()
        if defect == "double":
            encoded = orjson.dumps(encoded).decode()
        elif defect == "unknown":
            name = "lookup_everything"
        elif defect == "schema":
            encoded = orjson.dumps({**args, "surprise": True}).decode()
        return {
            "id": f"call_{self.calls}",
            "type": "function",
            "function": {"name": name, "arguments": encoded},
        }


def trajectory(steps: Steps, env_index: int, tools: list[dict[str, object]]) -> list[bytes]:
    """Every step of one trajectory as lines: each line's target is the next assistant turn."""
    rng = steps.rng
    messages: list[dict[str, object]] = [
        {"role": "system", "content": "You are an airline support agent. " + steps.words(40, 90)},
        {"role": "user", "content": "Hi, I need help with my " + steps.words(8, 30)},
    ]
    lines: list[bytes] = []
    for _turn in range(rng.randint(2, 6)):
        roll = rng.random()
        defect = (
            "double"
            if roll < 0.01
            else "unknown"
            if roll < 0.02
            else "schema"
            if roll < 0.03
            else None
        )
        calls = [steps.tool_call(defect) for _ in range(1 if rng.random() < 0.8 else 2)]
        target = {"role": "assistant", "content": None, "tool_calls": calls}
        lines.append(_line([*messages, target], tools, env_index))
        messages.append(target)
        for call in calls:
            answer = steps.words(20, 120)
            orphan = rng.random() < 0.005
            messages.append(
                {
                    "role": "tool",
                    "tool_call_id": "call_gone" if orphan else call["id"],
                    "content": orjson.dumps({"result": answer}).decode(),
                }
            )
        reply = {"role": "assistant", "content": "Done: " + steps.words(10, 60)}
        lines.append(_line([*messages, reply], tools, env_index))
        messages.append(reply)
        messages.append({"role": "user", "content": "Thanks, also " + steps.words(5, 20)})
    return lines


def _line(messages: list[dict[str, object]], tools: list[dict[str, object]], env: int) -> bytes:
    return orjson.dumps({"messages": messages, "tools": tools, "env_index": env})


def write_tool_corpus(folder: Path, size: int, *, seed: int = 7) -> dict[str, int]:
    """Write ``tools.jsonl`` of about ``size`` bytes into ``folder``; return counts."""
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    steps = Steps(rng)
    tools = _tools()
    written = lines = env_index = 0
    with (folder / "tools.jsonl").open("wb") as handle:
        while written < size:
            for line in trajectory(steps, env_index, tools):
                handle.write(line + b"\n")
                written += len(line) + 1
                lines += 1
            env_index += 1
    return {"lines": lines, "trajectories": env_index, "bytes": written}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, required=True, help="folder to write into")
    parser.add_argument("--size", type=parse_size, default="50MB", help="e.g. 5MB, 100MB")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    counts = write_tool_corpus(args.out, args.size, seed=args.seed)
    print(
        f"{counts['lines']} lines in {counts['trajectories']} trajectories,"
        f" {counts['bytes'] / (1 << 20):.1f} MiB → {args.out}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
