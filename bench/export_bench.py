"""Time ``curator export`` on templated corpora, with near-duplicate grouping on.

    python bench/export_bench.py --sizes 10000 100000 [--core /tmp/base] [--json out.json]

Each size writes a deterministic corpus of support-bot calls built from a few templates (the
worst case for near-duplicate detection: every input shares most of its shingles with
thousands of others), checks it into a fresh workspace, then times the export's preview
(read, hash, group near-duplicates, split, provider checks) and its write, in process.
``--core DIR`` runs another checkout's ``core/`` (e.g. a ``git archive`` of the base commit),
so before and after are measured in one sitting on the same files.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

PRODUCTS = ("router", "kettle", "laptop", "headphones", "desk lamp", "blender", "monitor")
STATES = ("broken", "late", "in the wrong colour", "without a charger", "twice", "open")
ASKS = ("refund it", "send a new one", "tell me where it is", "cancel the order", "call me")
# A long fixed part, as agents paste a schema or instructions into every request: inputs that
# differ only in a few words are near-duplicates, and all of them share LSH buckets.
SCHEMA = " ".join(
    f"field {name} is a {kind} that the agent must fill from the page or leave null;"
    for name, kind in (
        ("name", "string"),
        ("address", "string"),
        ("phone", "string or null"),
        ("website", "url or null"),
        ("rating", "number or null"),
        ("hours", "string or null"),
        ("category", "string"),
        ("email", "string or null"),
        ("price", "string or null"),
    )
)
TEMPLATES = (
    "Hello, my order {order} for a {product} arrived {state}. Could you please {ask}? "
    "I have been a customer for {years} years and this never happened before.",
    "Order {order}: the {product} came {state}. I would like you to {ask} as soon as possible, "
    "my phone number is 555-{phone}.",
    "Hi support team. I bought a {product} last week (order {order}) and it is {state}. "
    "Please {ask}. Thanks, customer {phone}.",
)


def write_corpus(folder: Path, examples: int, seed: int = 7) -> Path:
    """``examples`` planning calls, three per run, with passing run summaries; deterministic."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    runs = (examples + 2) // 3
    with (folder / "runs.jsonl").open("w", encoding="utf-8") as handle:
        for run in range(runs):
            summary = {
                "run_id": f"r-{run:06d}",
                "status": "completed",
                "target_count": 5,
                "entity_count": 5,
                "coverage": 1.0,
                "discovery_rounds": 1,
                "enrichment_iterations": 1,
                "additional_queries": 1,
            }
            handle.write(json.dumps(summary) + "\n")
    with (folder / "planning.jsonl").open("w", encoding="utf-8") as handle:
        for i in range(examples):
            product = rng.choice(PRODUCTS)
            user = rng.choice(TEMPLATES).format(
                order=f"#{rng.randrange(10**6):06d}",
                product=product,
                state=rng.choice(STATES),
                ask=rng.choice(ASKS),
                years=rng.randrange(1, 20),
                phone=f"{rng.randrange(10**4):04d}",
            )
            user = f"{user}\n\nSchema: {SCHEMA}"
            plan = {
                "entity_type": product,
                "target_count": 5,
                "city": "Austin, TX",
                "tool_steps": [{"tool": "web_search", "query": product}],
            }
            record = {
                "messages": [
                    {"role": "system", "content": "You plan support work. Answer with JSON."},
                    {"role": "user", "content": user},
                    {"role": "assistant", "content": json.dumps(plan)},
                ],
                "metadata": {"run_id": f"r-{i // 3:06d}", "task": "planning", "seq": i % 3},
            }
            handle.write(json.dumps(record) + "\n")
    return folder


def measure(size: int, near_dup: float, scratch: Path) -> dict[str, Any]:
    """Check, preview and write one corpus of ``size`` examples; seconds per phase."""
    from core.check.run import run_check
    from core.config import CuratorConfig
    from core.export import ExportOptions, preview_export, write_export
    from core.store.db import connect

    corpus = write_corpus(scratch / f"corpus-{size}", size)
    conn = connect(scratch / f"workspace-{size}")
    config = CuratorConfig()
    started = time.perf_counter()
    run_check(conn, [corpus], config)
    checked = time.perf_counter()
    cpu = time.process_time()  # the machine is shared: CPU seconds are the steadier figure
    options = ExportOptions(near_dup_threshold=near_dup, provider="openai")
    plan = preview_export(conn, config, options)
    previewed = time.perf_counter()
    written = None
    if plan.ok:
        write_export(conn, plan, scratch / f"out-{size}")
        written = time.perf_counter()
    cpu = time.process_time() - cpu
    conn.close()
    return {
        "examples": size,
        "near_dup": near_dup,
        "check_s": round(checked - started, 2),
        "preview_s": round(previewed - checked, 2),
        "write_s": round(written - previewed, 2) if written else None,
        "export_s": round((written or previewed) - checked, 2),
        "export_cpu_s": round(cpu, 2),
        "near_dup_groups": plan.duplicates.near_dup_groups,
        "near_dup_examples": plan.duplicates.near_dup_examples,
        "train": sum(c.train for c in plan.tasks.values()),
        "heldout": sum(c.heldout for c in plan.tasks.values()),
        "violations": len(plan.violations),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--near-dup", type=float, default=0.9)
    parser.add_argument("--core", type=Path, help="a checkout whose core/ to run")
    parser.add_argument("--label", default="", help="a name for this tree in the output")
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args(argv)
    if args.core is not None:
        sys.path.insert(0, str(args.core.resolve()))
    import core

    results = {"core": str(Path(core.__file__).parent.parent), "label": args.label, "runs": []}
    with tempfile.TemporaryDirectory(prefix="export-bench-") as scratch:
        for size in args.sizes:
            row = measure(size, args.near_dup, Path(scratch))
            results["runs"].append(row)
            print(json.dumps(row), flush=True)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
