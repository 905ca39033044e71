"""The output kind through the index: column, facet, list rows, detail and check --json."""

from __future__ import annotations

from pathlib import Path

import orjson

from core.check.report import build_report
from core.check.run import run_check
from core.config import CuratorConfig
from core.review.detail import DetailLoader
from core.review.query import CallFilter, facet_counts, fetch_rows, select_call_ids
from core.store.db import connect

USER = {"role": "user", "content": "Where is my order?"}
TOOL_CALL = {
    "role": "assistant",
    "content": None,
    "tool_calls": [
        {"id": "c1", "type": "function", "function": {"name": "track", "arguments": "{}"}}
    ],
}
LINES = [
    {"messages": [USER, {"role": "assistant", "content": "It ships Monday."}]},
    {"messages": [USER, TOOL_CALL]},
    {"messages": [USER, {"role": "assistant", "content": '{"status": "shipped"}'}]},
    {
        "messages": [USER, {"role": "assistant", "content": "<think>hm</think>Monday."}],
        "metadata": {"task": "solve"},
    },
]


def test_kind_is_indexed_faceted_listed_detailed_and_reported(tmp_path: Path) -> None:
    corpus = tmp_path / "traces"
    corpus.mkdir()
    (corpus / "support.jsonl").write_bytes(b"\n".join(orjson.dumps(line) for line in LINES))
    config = CuratorConfig.model_validate({"tasks": {"solve": {"kind": "reasoning"}}})
    conn = connect(tmp_path / "ws")
    run_check(conn, [corpus], config)

    kinds = {v.value: v.count for v in facet_counts(conn, CallFilter())["kind"]}
    assert kinds == {"text": 1, "tool_call": 1, "json": 1, "reasoning": 1}
    chosen = select_call_ids(conn, CallFilter(kinds=frozenset({"tool_call", "reasoning"})))
    rows = fetch_rows(conn, chosen)
    assert [(row.line, row.kind) for row in rows] == [(2, "tool_call"), (4, "reasoning")]
    assert DetailLoader(config).load(conn, rows[0].call_id).kind == "tool_call"
    report = build_report(conn, "ws")
    assert [call.kind for call in report.calls] == ["text", "tool_call", "json", "reasoning"]
    assert all(finding.severity != "error" for c in report.calls for finding in c.findings)
    conn.close()
