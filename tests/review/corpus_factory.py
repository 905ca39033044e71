"""A small, realistic trace corpus for tests: a few agent runs across the three tasks.

Deterministic, so trace ids, findings and snapshots are stable. Run 2 has a fenced extraction
and an enrichment wrapped in a think block, run 3 aborted and invents a phone number, run 4 has
no summary and one call over the context limit, and one bare planning line is a run of its own.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson

SYSTEM = {
    "planning": "You plan a lead search. Answer with a JSON plan.",
    "extraction": "Extract businesses from the page as a JSON array. Do not invent fields.",
    "enrichment": "Fill the entity's null fields from the content. Never overwrite a field.",
}
CITIES = ["Lisbon", "Porto", "Braga", "Faro"]
BUSINESSES = [
    ("Casa Azul", "+351 21 555 0101", "casa-azul.pt"),
    ("Padaria Sol", "+351 21 555 0102", "padariasol.pt"),
    ("Livraria Lua", "+351 21 555 0103", "livrarialua.pt"),
]


def call(task: str, user: str, output: str, **metadata: Any) -> dict[str, Any]:
    """One chat-format call line."""
    record: dict[str, Any] = {
        "messages": [
            {"role": "system", "content": SYSTEM[task]},
            {"role": "user", "content": user},
            {"role": "assistant", "content": output},
        ]
    }
    if metadata:
        record["metadata"] = {"task": task, **metadata}
    return record


def page(city: str, filler: int = 0) -> str:
    lines = [
        f"{name} — {city}. Call {phone}. Web: https://{site}" for name, phone, site in BUSINESSES
    ]
    return "Scraped page:\n" + "\n".join(lines) + ("\nlorem ipsum dolor " * filler)


def run_calls(number: int) -> list[dict[str, Any]]:
    """The calls of run ``r-000<number>``: one plan, two extraction rounds, two enrichments."""
    run = f"r-{number:04d}"
    city = CITIES[number % len(CITIES)]
    meta = {"run_id": run, "model": "minimax-m2.5" if number % 2 else "gpt-4o-mini"}
    plan = {"entity_type": "bakery", "target_count": 3, "city": city, "tool_steps": ["search"]}
    entities = [{"name": n, "phone": p, "website": s} for n, p, s in BUSINESSES[:2]]
    extraction = orjson.dumps(entities).decode()
    if number == 2:
        extraction = f"```json\n{extraction}\n```"
    if number == 3:
        extraction = orjson.dumps([{"name": "Casa Azul", "phone": "+351 99 999 9999"}]).decode()
    filler = 4000 if number == 4 else 0
    entity = {"name": "Casa Azul", "phone": None, "website": None}
    enriched = orjson.dumps({"name": "Casa Azul", "phone": BUSINESSES[0][1], "website": None})
    enrichment = enriched.decode()
    if number == 2:
        enrichment = f"<think>The page lists the phone.</think>\n{enrichment}"
    return [
        call(
            "planning",
            f"Find {plan['target_count']} bakeries in {city}.",
            orjson.dumps(plan).decode(),
            seq=1,
            round=0,
            **meta,
        ),
        call(
            "extraction",
            page(city, filler),
            extraction,
            seq=2,
            round=1,
            new_entities=2,
            queries=1,
            **meta,
        ),
        call("extraction", page(city), "[]", seq=3, round=2, new_entities=0, queries=1, **meta),
        call(
            "enrichment",
            f"Entity: {orjson.dumps(entity).decode()}\n{page(city)}",
            enrichment,
            seq=4,
            round=1,
            entity_id="e1",
            **meta,
        ),
        call(
            "enrichment",
            f"Entity: {orjson.dumps(entity).decode()}\n{page(city)}",
            '{"name": "Casa Azul", "phone": null, "website": "casa-azul.pt"}',
            seq=5,
            round=2,
            entity_id="e2",
            **meta,
        ),
    ]


SUMMARIES = {
    1: {"status": "completed", "coverage": 0.9, "discovery_rounds": 2, "stop_reason": "target"},
    2: {"status": "completed", "coverage": 0.7, "discovery_rounds": 2},
    3: {"status": "aborted", "coverage": 0.3, "stop_reason": "budget exhausted"},
}


def write_corpus(root: Path, runs: int = 4) -> Path:
    """Write ``runs`` runs (plus one bare planning line) under ``root``; return ``root``."""
    root.mkdir(parents=True, exist_ok=True)
    by_task: dict[str, list[dict[str, Any]]] = {"planning": [], "extraction": [], "enrichment": []}
    for number in range(1, runs + 1):
        for record in run_calls(number):
            by_task[record["metadata"]["task"]].append(record)
    by_task["planning"].append(
        call("planning", "Find 5 florists in Porto.", '{"entity_type": "florist"}')
    )
    for task, records in by_task.items():
        (root / f"{task}.jsonl").write_bytes(b"".join(orjson.dumps(r) + b"\n" for r in records))
    summaries = [
        {"run_id": f"r-{n:04d}", "target_count": 3, **SUMMARIES[n]}
        for n in range(1, runs + 1)
        if n in SUMMARIES
    ]
    (root / "runs.jsonl").write_bytes(b"".join(orjson.dumps(s) + b"\n" for s in summaries))
    return root
