"""Small builders of realistic trace lines and corpora for tests."""

from __future__ import annotations

import gzip
from pathlib import Path
from typing import Any

import orjson

PAGE = (
    "Austin Dental Directory\n"
    "Smile Dental Studio - 1200 Congress Ave, Austin, TX - (512) 555-0142 - "
    "https://www.smiledental.com/ - rated 4.5\n"
    "Barton Creek Family Dentistry - 3801 S Lamar Blvd - 512.555.0199\n"
)


def call(
    task: str = "extraction",
    run_id: str | None = "r-1",
    output: str | None = None,
    **metadata: Any,
) -> dict[str, Any]:
    """One call line as a dict; ``run_id=None`` leaves metadata out entirely (a bare line)."""
    if output is None:
        output = '[{"name": "Smile Dental Studio", "phone": "(512) 555-0142"}]'
    record: dict[str, Any] = {
        "messages": [
            {"role": "system", "content": f"You do {task}."},
            {"role": "user", "content": PAGE},
            {"role": "assistant", "content": output},
        ]
    }
    if run_id is not None:
        record["metadata"] = {"run_id": run_id, "task": task, **metadata}
    return record


def summary(run_id: str = "r-1", **fields: Any) -> dict[str, Any]:
    """A runs.jsonl line for a good, completed run unless fields say otherwise."""
    base = {
        "run_id": run_id,
        "prompt": "find dentists in Austin",
        "status": "completed",
        "target_count": 20,
        "entity_count": 18,
        "coverage": 0.9,
        "discovery_rounds": 2,
        "enrichment_iterations": 1,
        "additional_queries": 4,
        "stop_reason": "target reached",
    }
    return base | fields


def write_jsonl(path: Path, lines: list[Any], *, newline: bytes = b"\n") -> Path:
    """Write objects (or raw bytes for malformed lines) one per line; gzip for ``.gz``."""
    body = b"".join(
        (line if isinstance(line, bytes) else orjson.dumps(line)) + newline for line in lines
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(gzip.compress(body, mtime=0) if path.name.endswith(".gz") else body)
    return path
