"""Micro-benchmark: check_call on realistic trace lines vs a bare orjson.loads of the same line.

Not a test. Run from the repo root: ``python bench/rules_micro.py``. The target is check_call
taking at most 3x the time of orjson.loads (>= 1/3 of its throughput).
"""

from __future__ import annotations

import random
import sys
import timeit
from pathlib import Path

import orjson

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from core.config import CuratorConfig  # noqa: E402
from core.rules.calls import check_call  # noqa: E402

WORDS = (
    "the best local spots open late menu reviews delivery parking family owned since downtown "
    "near call today fresh ingredients award winning staff friendly prices service hours weekend"
).split()
SYSTEM = "You are a precise data agent. Reply with JSON only, no prose, no code fences. " * 12


def _filler(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize() + ".\n"


def _business(index: int) -> dict[str, object]:
    return {
        "name": f"Casa Verde {index} Taqueria",
        "address": f"{100 + index * 7} E Cesar Chavez St, Austin, TX 78702",
        "phone": f"(512) 555-{1000 + index:04d}",
        "website": f"https://www.casaverde{index}.example.com/",
        "rating": 4.5,
        "category": "Mexican restaurant",
    }


def _reformatted(entity: dict[str, object]) -> dict[str, object]:
    phone = str(entity["phone"]).replace("(", "").replace(") ", ".").replace("-", ".")
    return {**entity, "phone": phone, "website": str(entity["website"]).replace("www.", "")}


def _page(rng: random.Random, businesses: list[dict[str, object]], chars: int) -> str:
    cards = [
        f"{b['name']}\n{b['address']}\nTel {b['phone']} · {b['website']}\n"
        f"Rated {b['rating']} · {b['category']}\n{_filler(rng, 40)}"
        for b in businesses
    ]
    page = "Austin's best taquerias — updated weekly\n" + _filler(rng, 60) + "".join(cards)
    while len(page) < chars:
        page += _filler(rng, 80)
    return page


def _line(system: str, user: str, assistant: str, task: str) -> bytes:
    messages = [
        {"role": "system", "content": system},
        {"role": "user", "content": user},
        {"role": "assistant", "content": assistant},
    ]
    return orjson.dumps({"messages": messages, "metadata": {"run_id": "r-0142", "task": task}})


def realistic_lines() -> dict[str, tuple[str, bytes]]:
    """Named (task, line) pairs for each task; "dirty" needs every grounding fallback."""
    rng = random.Random(7)
    plan = {
        "entity_type": "restaurant",
        "target_count": 40,
        "city": "Austin",
        "tool_steps": [{"tool": "web_search", "query": "best taquerias austin"}] * 3,
    }
    small = [_business(i) for i in range(10)]
    large = [_business(i) for i in range(25)]
    # The model reformats a third of the entities: dotted phone style, URL without www.
    small_out = [_reformatted(entity) if i % 3 == 0 else entity for i, entity in enumerate(small)]
    large_out = [_reformatted(entity) if i % 3 == 0 else entity for i, entity in enumerate(large)]
    # A worse case: names re-cased (normalized search), two invented phones (every fallback).
    dirty = [dict(entity) for entity in small_out]
    for entity in dirty[::2]:
        entity["name"] = str(entity["name"]).upper()
    dirty[4]["phone"] = "(512) 555-0999"
    dirty[7]["phone"] = "+1 737 555 0100"
    enriched_in = {**_business(3), "phone": None, "website": None, "hours": None}
    enriched_out = {**enriched_in, "phone": "(512) 555-1003", "website": "casaverde3.example.com"}
    enrichment_user = f"Entity: {orjson.dumps(enriched_in).decode()}\n\nScraped content:\n" + _page(
        rng, [_business(3)], 8_000
    )
    small_page = _page(rng, small, 20_000)
    prompt = "Plan a search for 40 taquerias in Austin, TX with phone and website."
    plan_schema = orjson.dumps(
        {
            "type": "object",
            "required": ["entity_type", "target_count", "city", "tool_steps"],
            "properties": {
                "entity_type": {"type": "string", "description": "kind of business to find"},
                "target_count": {"type": "integer", "minimum": 1, "description": "how many"},
                "city": {"type": "string", "description": "city and state, as the user wrote"},
                "tool_steps": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "properties": {
                            "tool": {"enum": ["web_search", "maps_search", "fetch_page"]},
                            "query": {"type": "string"},
                        },
                    },
                },
            },
        }
    ).decode()
    return {
        "planning bare": (
            "planning",
            _line(SYSTEM, prompt, orjson.dumps(plan).decode(), "planning"),
        ),
        "planning schema": (
            "planning",
            _line(SYSTEM + plan_schema, prompt, orjson.dumps(plan).decode(), "planning"),
        ),
        "extraction clean": (
            "extraction",
            _line(SYSTEM, small_page, orjson.dumps(small).decode(), "extraction"),
        ),
        "extraction 20k": (
            "extraction",
            _line(SYSTEM, small_page, orjson.dumps(small_out).decode(), "extraction"),
        ),
        "extraction dirty": (
            "extraction",
            _line(SYSTEM, small_page, orjson.dumps(dirty).decode(), "extraction"),
        ),
        "extraction 50k": (
            "extraction",
            _line(
                SYSTEM, _page(rng, large, 50_000), orjson.dumps(large_out).decode(), "extraction"
            ),
        ),
        "enrichment 8k": (
            "enrichment",
            _line(SYSTEM, enrichment_user, orjson.dumps(enriched_out).decode(), "enrichment"),
        ),
    }


def _per_call_us(function, repeat: int) -> float:
    return min(timeit.repeat(function, number=repeat, repeat=9)) / repeat * 1e6


def main() -> None:
    config = CuratorConfig()
    total_loads_us = total_check_us = 0.0
    print(f"{'record':16} {'bytes':>7} {'loads µs':>9} {'check µs':>9} {'ratio':>6} findings")
    for name, (task, line) in realistic_lines().items():
        record = orjson.loads(line)
        findings = check_call(record, task, config)
        repeat = 2000 if len(line) < 10_000 else 300
        loads_us = _per_call_us(lambda line=line: orjson.loads(line), repeat)
        check_us = _per_call_us(
            lambda record=record, task=task: check_call(record, task, config), repeat
        )
        ratio = loads_us / check_us
        print(
            f"{name:16} {len(line):7} {loads_us:9.1f} {check_us:9.1f} {ratio:6.2f} {len(findings)}"
        )
        total_loads_us += loads_us
        total_check_us += check_us
    print(
        f"{'all, one each':16} {'':7} {total_loads_us:9.1f} {total_check_us:9.1f} "
        f"{total_loads_us / total_check_us:6.2f}"
    )
    print("ratio = check_call throughput / orjson.loads throughput (target >= 0.33)")


if __name__ == "__main__":
    main()
