"""The detail loader: messages read lazily, findings, state, repairs and ungrounded values."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from core.config import Bands, CuratorConfig
from core.review.decisions import Target, decide, set_note, set_repair
from core.review.detail import DetailLoader, FindingView, parse_call, ungrounded_values
from tests.review.conftest import call_id_where


def test_detail_of_a_failing_extraction(conn: sqlite3.Connection) -> None:
    call_id = call_id_where(conn, "c.task = 'extraction' AND c.run_id = 'r-0003' AND c.seq = 2")
    detail = DetailLoader(CuratorConfig()).load(conn, call_id)
    assert detail is not None and detail.parsed is not None
    assert [m.role for m in detail.parsed.messages] == ["system", "user", "assistant"]
    assert detail.parsed.output_is_json and detail.parsed.pretty_output.startswith("[\n  {")
    assert detail.ungrounded == ("+351 99 999 9999",)
    assert {f.level for f in detail.findings} == {"call", "run"}
    assert detail.failing_rules[0] == "extraction.ungrounded"
    assert detail.metadata["run_id"] == "r-0003" and detail.file == "extraction.jsonl"
    assert detail.max_context_chars == 60_000 and detail.decision is None


def test_state_comes_from_the_call_else_the_run(conn: sqlite3.Connection) -> None:
    call_id = call_id_where(conn, "c.run_id = 'r-0001' AND c.seq = 1")
    loader = DetailLoader(CuratorConfig())
    decide(conn, [Target("run", "r-0001")], "reject", "run.status")
    detail = loader.load(conn, call_id)
    assert (detail.decision, detail.decided_on, detail.reason) == ("reject", "run", "run.status")
    decide(conn, [Target("call", detail.trace_id)], "accept")
    set_note(conn, Target("call", detail.trace_id), "looks right")
    detail = loader.load(conn, call_id)  # cached parse, fresh state
    assert (detail.decision, detail.decided_on, detail.own.note) == (
        "accept",
        "call",
        "looks right",
    )


def test_repair_is_rechecked(conn: sqlite3.Connection) -> None:
    call_id = call_id_where(conn, "c.task = 'extraction' AND c.run_id = 'r-0002' AND c.seq = 2")
    loader = DetailLoader(CuratorConfig())
    detail = loader.load(conn, call_id)
    assert {"output.fenced", "output.invalid_json"} <= set(detail.failing_rules)
    repair = detail.parsed.auto_repair
    assert repair is not None and repair.fixes == ("output.fenced",)
    set_repair(conn, Target("call", detail.trace_id), repair.corrected)
    detail = loader.load(conn, call_id)
    assert detail.own.repair == repair.corrected
    assert detail.repair_findings == ()


def test_non_json_output_and_unreadable_file(conn: sqlite3.Connection, corpus: Path) -> None:
    call_id = call_id_where(conn, "c.run_id = 'r-0002' AND c.task = 'enrichment' AND c.seq = 4")
    loader = DetailLoader(CuratorConfig(), size=1)
    detail = loader.load(conn, call_id)
    assert not detail.parsed.output_is_json and detail.parsed.pretty_output is None
    (corpus / "enrichment.jsonl").write_bytes(b"")
    other = call_id_where(conn, "c.run_id = 'r-0003' AND c.task = 'enrichment' AND c.seq = 4")
    broken = loader.load(conn, other)
    assert broken.parsed is None and "re-run check" in broken.read_error
    assert loader.load(conn, 10**9) is None


def test_context_limit_comes_from_config(conn: sqlite3.Connection) -> None:
    call_id = call_id_where(conn, "c.run_id = 'r-0004' AND c.seq = 2")
    config = CuratorConfig(bands=Bands(max_context_chars=1000))
    detail = DetailLoader(config).load(conn, call_id)
    assert detail.max_context_chars == 1000 and detail.context_chars > 60_000


def test_parse_call_keeps_tool_calls_and_parts() -> None:
    parsed = parse_call(
        b'{"messages": [{"role": "user", "content": [{"type": "text", "text": "hi"}]},'
        b'{"role": "assistant", "content": null, "tool_calls": [{"id": "1"}]}]}'
    )
    assert parsed.messages[0].text == "hi"
    assert parsed.messages[1].extras == {}
    (tool_call,) = parsed.messages[1].tool_calls
    assert (tool_call.call_id, tool_call.name, tool_call.problem) == (
        "1",
        "?",
        "arguments are missing, not a JSON string",
    )
    assert parsed.output is None and parsed.auto_repair is None


def test_ungrounded_values_are_read_from_messages() -> None:
    findings = (
        FindingView("extraction.ungrounded", "error", 'phone: "555 0000" not in input', "call"),
        FindingView("enrichment.ungrounded", "error", "city “Lisboa” and 'x y' not found", "call"),
        FindingView("output.fenced", "error", 'a "fence"', "call"),
    )
    assert ungrounded_values(findings) == ("555 0000", "Lisboa", "x y")
