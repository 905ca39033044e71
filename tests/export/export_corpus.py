"""A small realistic trace corpus for export tests, written under a test's ``tmp_path``.

Each run has one planning call, ``extraction_rounds`` extraction calls (a scraped page in,
a JSON array out) and ``enrichment_calls`` enrichment calls, with a ``runs.jsonl`` summary so
run bands can pass. Chosen runs fail (status ``failed``), one extraction page is repeated
nearly verbatim in another run (a near-duplicate), one call is copied exactly into a third
run (an exact duplicate), and ``extraction-late.jsonl`` holds bare lines (verdict unknown).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from core.corpus.records import trace_id

CITIES = ("Austin", "Zürich", "Denver", "Seattle", "São Paulo", "Portland", "Atlanta", "Miami")
ENTITIES = ("dentists", "bakeries", "plumbers", "gyms", "florists", "notaries")
VOCABULARY = tuple(
    f"{stem}{suffix}"
    for stem in (
        "clinic",
        "street",
        "open",
        "hours",
        "call",
        "visit",
        "family",
        "care",
        "service",
        "team",
        "local",
        "best",
        "review",
        "phone",
        "office",
        "downtown",
        "near",
        "park",
        "avenue",
        "suite",
        "website",
        "book",
        "online",
        "today",
        "friendly",
        "staff",
    )
    for suffix in ("", "s", "ing", "ed", "er", "ly", "al", "ist")
)
SYSTEM = {"role": "system", "content": "You are a precise JSON machine. Answer with JSON only."}


@dataclass
class Corpus:
    """Where the corpus is and the trace ids the tests look for."""

    root: Path
    runs: list[str]
    failing_runs: set[str]
    near_dup_pair: tuple[str, str] = ("", "")  # trace ids: original page, near copy
    near_dup_runs: tuple[str, str] = ("", "")
    exact_dup: str = ""  # trace id present twice, in two runs
    exact_dup_runs: tuple[str, str] = ("", "")
    bare: list[str] = field(default_factory=list)
    by_task: dict[str, list[str]] = field(default_factory=dict)
    run_of: dict[str, str] = field(default_factory=dict)


def page(rng: random.Random, words: int = 160) -> str:
    return " ".join(rng.choice(VOCABULARY) for _ in range(words))


def planning_call(run: str, city: str, entity: str, count: int) -> dict[str, Any]:
    plan = {
        "entity_type": entity,
        "target_count": count,
        "city": city,
        "tool_steps": [{"tool": "search", "query": f"{entity} in {city}"}],
    }
    return {
        "messages": [
            SYSTEM,
            {"role": "user", "content": f"Find {count} {entity} in {city}. Plan the search."},
            {"role": "assistant", "content": orjson.dumps(plan).decode()},
        ],
        "metadata": {"run_id": run, "task": "planning", "seq": 0},
    }


def extraction_call(run: str, round_: int, text: str, names: list[str]) -> dict[str, Any]:
    content = text + " " + " ".join(names)
    entities = [{"name": name, "phone": None} for name in names]
    return {
        "messages": [
            SYSTEM,
            {"role": "user", "content": f"Extract every business from this page:\n{content}"},
            {"role": "assistant", "content": orjson.dumps(entities).decode()},
        ],
        "metadata": {
            "run_id": run,
            "task": "extraction",
            "round": round_,
            "new_entities": len(names),
            "queries": 1,
        },
    }


def enrichment_call(run: str, index: int, name: str, text: str) -> dict[str, Any]:
    entity = {"name": name, "website": None}
    output = {"name": name, "website": None}
    return {
        "messages": [
            SYSTEM,
            {
                "role": "user",
                "content": f"Fill the missing fields.\n{orjson.dumps(entity).decode()}\n{text}",
            },
            {"role": "assistant", "content": orjson.dumps(output).decode()},
        ],
        "metadata": {
            "run_id": run,
            "task": "enrichment",
            "round": 1,
            "entity_id": f"{run}-e{index}",
        },
    }


def write_corpus(
    root: Path,
    *,
    runs: int = 12,
    failing: int = 2,
    extraction_rounds: int = 2,
    enrichment_calls: int = 2,
    bare_lines: int = 3,
    seed: int = 1,
    duplicates: bool = True,
) -> Corpus:
    """Write the corpus under ``root`` and describe it."""
    rng = random.Random(seed)
    root.mkdir(parents=True, exist_ok=True)
    run_ids = [f"r-{i:03d}" for i in range(1, runs + 1)]
    failing_runs = set(rng.sample(run_ids, min(failing, runs)))
    corpus = Corpus(root, run_ids, failing_runs)
    files: dict[str, list[dict[str, Any]]] = {"planning": [], "extraction": [], "enrichment": []}
    summaries = []
    for number, run in enumerate(run_ids):
        city, entity = CITIES[number % len(CITIES)], ENTITIES[number % len(ENTITIES)]
        files["planning"].append(planning_call(run, city, entity, 10 + number))
        for round_ in range(1, extraction_rounds + 1):
            names = [f"{city} {entity.title()} {number}-{round_}-{k}" for k in range(2)]
            files["extraction"].append(extraction_call(run, round_, page(rng), names))
        for index in range(enrichment_calls):
            name = f"{city} {entity.title()} {number}-{index}"
            files["enrichment"].append(enrichment_call(run, index, name, page(rng, 60)))
        summaries.append(
            {
                "run_id": run,
                "prompt": f"{entity} in {city}",
                "status": "failed" if run in failing_runs else "completed",
                "target_count": 10,
                "entity_count": 10,
                "coverage": 0.9,
                "discovery_rounds": extraction_rounds,
                "enrichment_iterations": 1,
                "additional_queries": extraction_rounds,
                "stop_reason": "target reached",
            }
        )
    passing = [r for r in run_ids if r not in failing_runs]
    if duplicates and len(passing) >= 3:
        original = files["extraction"][run_ids.index(passing[0]) * extraction_rounds]
        text = original["messages"][1]["content"].split("\n", 1)[1].split()
        text[5] = "changed"
        near = extraction_call(passing[1], extraction_rounds + 1, " ".join(text[:-2]), text[-2:])
        files["extraction"].append(near)
        copy = orjson.loads(orjson.dumps(files["planning"][run_ids.index(passing[0])]))
        copy["metadata"]["run_id"] = passing[2]
        files["enrichment"].append(copy)  # an exact duplicate, filed under another task's file
        corpus.near_dup_pair = (trace_id(original), trace_id(near))
        corpus.near_dup_runs = (passing[0], passing[1])
        corpus.exact_dup = trace_id(copy)
        corpus.exact_dup_runs = (passing[0], passing[2])
    for task, calls in files.items():
        lines = b"".join(orjson.dumps(call) + b"\n" for call in calls)
        (root / f"{task}.jsonl").write_bytes(lines)
        for call in calls:
            tid = trace_id(call)
            corpus.by_task.setdefault(call["metadata"]["task"], []).append(tid)
            corpus.run_of[tid] = call["metadata"]["run_id"]
    bare = []
    for k in range(bare_lines):
        call = extraction_call("", 1, page(rng), [f"Bare Shop {k}"])
        del call["metadata"]
        bare.append(call)
        corpus.bare.append(trace_id(call))
    (root / "extraction-late.jsonl").write_bytes(b"".join(orjson.dumps(c) + b"\n" for c in bare))
    (root / "runs.jsonl").write_bytes(b"".join(orjson.dumps(s) + b"\n" for s in summaries))
    return corpus


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    """Every line of an exported file, asserting the file has no blank lines."""
    data = path.read_bytes()
    assert data == b"" or data.endswith(b"\n")
    lines = data.split(b"\n")[:-1] if data else []
    assert all(line.strip() for line in lines), f"{path} has a blank line"
    return [orjson.loads(line) for line in lines]


def read_ids(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()


def exported_ids(out: Path, split: str | None = None) -> dict[str, list[str]]:
    """Trace ids per ``task/split`` from the sidecar ids files of an export."""
    found = {}
    for ids_file in sorted(out.glob("*/*.ids")):
        if split is None or ids_file.stem == split:
            found[f"{ids_file.parent.name}/{ids_file.stem}"] = read_ids(ids_file)
    return found


def write_simple_corpus(
    root: Path, messages: list[list[dict[str, Any]]], task: str = "planning"
) -> list[str]:
    """One call per message list, each its own completed run; returns the trace ids."""
    root.mkdir(parents=True, exist_ok=True)
    calls = [
        {"messages": m, "metadata": {"run_id": f"s-{i:03d}", "task": task}}
        for i, m in enumerate(messages)
    ]
    summaries = [
        {"run_id": f"s-{i:03d}", "status": "completed", "coverage": 0.9}
        for i in range(len(messages))
    ]
    (root / "calls.jsonl").write_bytes(b"".join(orjson.dumps(c) + b"\n" for c in calls))
    (root / "runs.jsonl").write_bytes(b"".join(orjson.dumps(s) + b"\n" for s in summaries))
    return [trace_id(c) for c in calls]


def plan_messages(city: str, *, system: bool = True) -> list[dict[str, Any]]:
    """A valid planning exchange for ``city``."""
    plan = {
        "entity_type": "gyms",
        "target_count": 5,
        "city": city,
        "tool_steps": [{"tool": "search", "query": f"gyms in {city}"}],
    }
    head = [SYSTEM] if system else []
    return head + [
        {"role": "user", "content": f"Find 5 gyms in {city}."},
        {"role": "assistant", "content": orjson.dumps(plan).decode()},
    ]
