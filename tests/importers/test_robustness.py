"""Records of unexpected shapes are reported, never raised: each fixture, mutated at random
(keys dropped, values swapped for other JSON types), still imports record by record."""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

import pytest

from core.importers.base import ImportedCall, ImportProblem
from core.importers.registry import importer
from tests.importers.helpers import FIXTURES

ODD_VALUES = [None, 1, "x", [], {}, [1], {"a": 1}, True, "[1", "{}"]
SOURCES = {
    "openai_chat": "openai_chat.jsonl",
    "otel_genai": "otel_spans.jsonl",
    "langfuse": "langfuse_traces.json",
    "langsmith": "langsmith_runs.jsonl",
    "inspect": "inspect_log.json",
    "sharegpt": "sharegpt.json",
    "wrapped": "wrapped_trace.jsonl",
}


def mutate(value: Any, rng: random.Random) -> Any:
    """One random change somewhere inside ``value``."""
    roll = rng.random()
    if isinstance(value, dict) and value:
        value = dict(value)
        key = rng.choice(list(value))
        if roll < 0.3:
            del value[key]
        else:
            value[key] = rng.choice(ODD_VALUES) if roll < 0.6 else mutate(value[key], rng)
        return value
    if isinstance(value, list) and value:
        value = list(value)
        index = rng.randrange(len(value))
        if roll < 0.3:
            del value[index]
        else:
            value[index] = rng.choice(ODD_VALUES) if roll < 0.6 else mutate(value[index], rng)
        return value
    if isinstance(value, str) and value[:1] in "[{":
        try:
            return json.dumps(mutate(json.loads(value), rng))
        except ValueError:
            return value
    return rng.choice([*ODD_VALUES, value])


@pytest.mark.parametrize("format_name", sorted(SOURCES))
def test_mutated_records_never_raise(tmp_path: Path, format_name: str) -> None:
    rng = random.Random(format_name)
    name = SOURCES[format_name]
    text = (FIXTURES / name).read_text()
    path = tmp_path / name
    for _ in range(60):
        if name.endswith(".json"):
            data = json.loads(text)
            for _ in range(3):
                data = mutate(data, rng)
            path.write_text(json.dumps(data))
        else:
            records = []
            for line in text.splitlines():
                try:
                    records.append(mutate(mutate(json.loads(line), rng), rng))
                except ValueError:
                    continue  # the fixture's planted bad line
            path.write_text("\n".join(json.dumps(r) for r in records))
        for item in importer(format_name).iter_calls(path, name):
            assert isinstance(item, ImportedCall | ImportProblem)
