"""A generated corpus for the review benchmark: N small calls in runs, plus a few huge ones.

Runs of ten calls (a plan, three extraction rounds, six enrichments) spread over the three task
files; some runs abort or over-search, some outputs are fenced or wrapped in reasoning, and a
handful of calls carry a 60 000-char scraped page.
"""

from __future__ import annotations

import random
from pathlib import Path

import orjson

CALLS_PER_RUN = 10
WORDS = (
    "bakery florist cafe bookshop market tailor pharmacy garage studio gallery open daily "
    "closed sunday street avenue square phone website email review stars menu price"
).split()


def _page(rng: random.Random, chars: int) -> str:
    words: list[str] = []
    size = 0
    while size < chars:
        word = rng.choice(WORDS)
        words.append(word)
        size += len(word) + 1
    return " ".join(words)[:chars]


def _output(rng: random.Random, task: str, index: int) -> str:
    if task == "planning":
        text = orjson.dumps(
            {"entity_type": "bakery", "target_count": 5, "city": "Lisbon", "tool_steps": ["s"]}
        ).decode()
    elif task == "extraction":
        text = orjson.dumps(
            [{"name": f"Shop {index}", "phone": f"+351 21 {index % 10000:04d}"}]
        ).decode()
    else:
        text = orjson.dumps({"name": f"Shop {index}", "website": None}).decode()
    roll = rng.random()
    if roll < 0.03:
        return f"```json\n{text}\n```"
    if roll < 0.05:
        return f"<think>checking the page</think>\n{text}"
    return text


def write_bench_corpus(root: Path, calls: int = 100_000, huge: int = 20, seed: int = 7) -> Path:
    """Write about ``calls`` calls (``huge`` of them ~60 000 chars) and a runs.jsonl."""
    rng = random.Random(seed)
    root.mkdir(parents=True, exist_ok=True)
    handles = {
        t: (root / f"{t}.jsonl").open("wb") for t in ("planning", "extraction", "enrichment")
    }
    huge_every = max(1, calls // max(1, huge))
    with (root / "runs.jsonl").open("wb") as runs:
        for run_number in range(calls // CALLS_PER_RUN):
            run_id = f"r-{run_number:06d}"
            tasks = ["planning"] + ["extraction"] * 3 + ["enrichment"] * 6
            for seq, task in enumerate(tasks, start=1):
                index = run_number * CALLS_PER_RUN + seq - 1
                chars = 58_000 if index % huge_every == 5 else rng.randint(200, 1200)
                record = {
                    "messages": [
                        {"role": "system", "content": f"You do {task}. Answer in JSON."},
                        {"role": "user", "content": _page(rng, chars)},
                        {"role": "assistant", "content": _output(rng, task, index)},
                    ],
                    "metadata": {
                        "run_id": run_id,
                        "task": task,
                        "seq": seq,
                        "round": 1 + (seq - 2) % 3 if task != "planning" else 0,
                        "model": rng.choice(("minimax-m2.5", "gpt-4o-mini")),
                        "entity_id": f"e{seq}" if task == "enrichment" else None,
                        "new_entities": rng.randint(0, 3) if task == "extraction" else None,
                        "queries": rng.randint(1, 9) if task == "extraction" else None,
                    },
                }
                handles[task].write(orjson.dumps(record) + b"\n")
            status = "completed" if rng.random() > 0.1 else "aborted"
            summary = {"run_id": run_id, "status": status, "coverage": round(rng.random(), 2)}
            runs.write(orjson.dumps(summary) + b"\n")
    for handle in handles.values():
        handle.close()
    return root
