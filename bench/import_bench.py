"""Benchmark ``curator import otel_genai`` against ``curator check`` on the same bytes.

    python bench/import_bench.py                 # 100 MiB of each, in a temp folder
    python bench/import_bench.py --size 20MB     # smaller, for a quick look

Generates (1) a contract JSONL corpus of SIZE with ``make_corpus`` and (2) the same calls as
OpenTelemetry GenAI spans in OTLP JSON (the file exporter's JSONL: one
ExportTraceServiceRequest of up to 16 spans per line, ``gen_ai.input.messages`` /
``gen_ai.output.messages`` attributes, one trace per agent run) until it also reaches SIZE.
Then, each a subprocess timed the same way, page cache warm:
(a) ``curator check CONTRACT --workspace <fresh>``: the first check, indexing everything;
(b) ``curator import otel_genai SPANS --out <fresh>``;
(c) ``curator check SPANS --workspace <fresh>``: detection, on-the-fly import, then the check.
The target: (b) reads bytes at no less than half the rate of (a) (ratio >= 0.5).
"""

from __future__ import annotations

import argparse
import hashlib
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

import orjson
from make_corpus import parse_size, write_corpus
from measure import measure

SPANS_PER_REQUEST = 16
TARGET_RATIO = 0.5


def _attr(key: str, value: Any) -> dict[str, Any]:
    if isinstance(value, bool):
        return {"key": key, "value": {"boolValue": value}}
    if isinstance(value, int):
        return {"key": key, "value": {"intValue": str(value)}}
    return {"key": key, "value": {"stringValue": value}}


def _parts(message: dict[str, Any]) -> dict[str, Any]:
    parts: list[dict[str, Any]] = []
    if isinstance(message.get("content"), str):
        parts.append({"type": "text", "content": message["content"]})
    for call in message.get("tool_calls") or []:
        function = call["function"]
        parts.append(
            {
                "type": "tool_call",
                "id": call["id"],
                "name": function["name"],
                "arguments": orjson.loads(function["arguments"]),
            }
        )
    if message.get("role") == "tool":
        parts = [
            {
                "type": "tool_call_response",
                "id": message.get("tool_call_id"),
                "response": message.get("content"),
            }
        ]
    return {"role": message["role"], "parts": parts}


def span_of(record: dict[str, Any], number: int) -> dict[str, Any]:
    """One chat span carrying a contract line's messages and metadata."""
    messages = record["messages"]
    metadata = record.get("metadata") or {}
    system = [m for m in messages if m["role"] == "system"]
    rest = [m for m in messages if m["role"] != "system"]
    start = 1_767_261_600_000_000_000 + number * 1_000_000_000
    run = str(metadata.get("run_id", number))
    trace_id = hashlib.sha256(run.encode()).hexdigest()[:32]
    usage = metadata.get("usage") or {}
    attributes = [
        _attr("gen_ai.operation.name", "chat"),
        _attr("gen_ai.provider.name", "openai"),
        _attr("gen_ai.request.model", str(metadata.get("model", "gpt-4o-mini"))),
        _attr("gen_ai.agent.name", str(metadata.get("task", "agent"))),
        _attr("gen_ai.usage.input_tokens", int(usage.get("prompt_tokens", 0))),
        _attr("gen_ai.usage.output_tokens", int(usage.get("completion_tokens", 0))),
        _attr("gen_ai.input.messages", orjson.dumps([_parts(m) for m in rest[:-1]]).decode()),
        _attr("gen_ai.output.messages", orjson.dumps([_parts(rest[-1])]).decode()),
    ]
    if system:
        instructions = [{"type": "text", "content": system[0]["content"]}]
        attributes.append(_attr("gen_ai.system_instructions", orjson.dumps(instructions).decode()))
    return {
        "traceId": trace_id,
        "spanId": f"{number:016x}",
        "parentSpanId": "",
        "name": "chat gpt-4o-mini",
        "kind": 3,
        "startTimeUnixNano": str(start),
        "endTimeUnixNano": str(start + int(metadata.get("latency_ms", 800)) * 1_000_000),
        "attributes": attributes,
        "events": [],
        "status": {},
    }


def write_spans(contract: Path, target: Path, size: int) -> int:
    """Write OTLP JSONL from the contract corpus's calls (cycled) until ``size`` bytes."""
    files = sorted(p for p in contract.rglob("*.jsonl") if p.stem != "runs")
    written = number = 0
    with target.open("wb") as out:
        while written < size:
            for path in files:
                batch: list[dict[str, Any]] = []
                for line in path.read_bytes().splitlines():
                    try:
                        record = orjson.loads(line)
                        assert isinstance(record["messages"], list) and record["messages"]
                        assert all(isinstance(m, dict) and "role" in m for m in record["messages"])
                    except Exception:  # the generated corpus plants malformed lines
                        continue
                    number += 1
                    batch.append(span_of(record, number))
                    if len(batch) == SPANS_PER_REQUEST:
                        written += _write_request(out, batch)
                        batch = []
                        if written >= size:
                            return written
                if batch:
                    written += _write_request(out, batch)
    return written


def _write_request(out, spans: list[dict[str, Any]]) -> int:
    request = {
        "resourceSpans": [
            {
                "resource": {"attributes": [_attr("service.name", "bench-agent")]},
                "scopeSpans": [{"scope": {"name": "bench"}, "spans": spans}],
            }
        ]
    }
    data = orjson.dumps(request) + b"\n"
    out.write(data)
    return len(data)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=parse_size, default="100MB", help="bytes of each input")
    parser.add_argument("--keep", action="store_true", help="keep the temp folder")
    args = parser.parse_args(argv)
    root = Path(tempfile.mkdtemp(prefix="import-bench-"))
    try:
        contract, spans_dir = root / "contract", root / "spans"
        spans_dir.mkdir()
        made = write_corpus(contract, args.size)
        spans_bytes = write_spans(contract, spans_dir / "spans.jsonl", args.size)
        for path in [*contract.rglob("*.jsonl"), spans_dir / "spans.jsonl"]:
            path.read_bytes()  # warm the page cache
        curator = [sys.executable, "-m", "core.cli"]
        cwd = Path(__file__).resolve().parents[1]
        steps = {
            "a check contract": [*curator, "check", str(contract), "--workspace", str(root / "wa")],
            "b import otel": [
                *curator,
                "import",
                "otel_genai",
                str(spans_dir / "spans.jsonl"),
                "--out",
                str(root / "imported"),
                "--json",
            ],
            "c check otel": [*curator, "check", str(spans_dir), "--workspace", str(root / "wc")],
        }
        sizes = {"a check contract": made["bytes"], "b import otel": spans_bytes}
        sizes["c check otel"] = spans_bytes
        rates: dict[str, float] = {}
        print(f"contract: {made['bytes'] / 2**20:.1f} MiB, {made['calls']} calls")
        print(f"otel:     {spans_bytes / 2**20:.1f} MiB")
        for name, command in steps.items():
            result = measure(command, cwd=cwd, keep_stdout=False)
            if result.exit_code not in (0, 1):
                print(f"{name}: crashed ({result.exit_code}): {result.stderr_tail}")
                return 3
            rates[name] = sizes[name] / 2**20 / result.wall_s
            cpu = f"{result.cpu_s:.1f}" if result.cpu_s is not None else "?"
            print(f"{name:<18} {result.wall_s:7.2f} s wall {cpu:>6} s cpu {rates[name]:7.1f} MiB/s")
        ratio = rates["b import otel"] / rates["a check contract"]
        verdict = "ok" if ratio >= TARGET_RATIO else "MISSED"
        print(f"import / check speed ratio: {ratio:.2f} (target >= {TARGET_RATIO}: {verdict})")
        return 0
    finally:
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
