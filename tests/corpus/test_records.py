"""Parsing lines into calls: malformed reasons, trace ids, task inference, run identity."""

from __future__ import annotations

import hashlib

import orjson
import pytest

from core.corpus.records import (
    MalformedLine,
    call_facts,
    infer_task,
    parse_line,
    tool_calls_text,
    trace_id,
    trace_ids,
)


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"{not json", "not valid JSON"),
        (b'{"messages": "\xff\xfe"}', "invalid UTF-8"),
        (b"[1, 2]", "not a JSON object (a array)"),
        (b'"text"', "not a JSON object (a string)"),
        (b'{"metadata": {}}', 'no "messages" key'),
    ],
)
def test_malformed_lines_say_why(content: bytes, reason: str) -> None:
    with pytest.raises(MalformedLine, match=reason.replace("(", r"\(").replace(")", r"\)")):
        parse_line(content)


def test_trace_id_ignores_key_order_and_whitespace_but_not_content() -> None:
    a = parse_line(b'{"messages": [{"role": "user", "content": "hi"}], "metadata": {"x": 1}}')
    b = parse_line(b'{"metadata":{"x":2},"messages":[{"content":"hi","role":"user"}]}')
    c = parse_line(b'{"messages": [{"role": "user", "content": "hi!"}]}')
    assert trace_id(a) == trace_id(b)
    assert trace_id(a) != trace_id(c)


def test_trace_id_is_the_sha256_of_the_canonical_content_cut_to_24_hex_chars() -> None:
    # Pinned: decisions are keyed by trace id, so changing the scheme orphans them.
    call = {"metadata": {"run_id": "r"}, "messages": [{"role": "user", "content": "hi"}]}
    canonical = b'{"messages":[{"content":"hi","role":"user"}],"tools":null}'
    assert trace_id(call) == hashlib.sha256(canonical).hexdigest()[:24]


def test_tools_are_part_of_the_identity() -> None:
    base = {"messages": [{"role": "user", "content": "hi"}]}
    assert trace_id(base) != trace_id(base | {"tools": [{"type": "function"}]})


@pytest.mark.parametrize(
    ("metadata", "file_name", "task"),
    [
        ({"task": "enrichment"}, "planning.jsonl", "enrichment"),
        ({}, "planning.jsonl", "planning"),
        ({}, "extraction.jsonl.gz", "extraction"),
        ({}, "extraction-late.jsonl", "extraction"),
        ({}, "enrichment_2026.jsonl", "enrichment"),
        ({}, "calls.jsonl", "unknown"),
        ({"task": "  "}, "misc.jsonl", "unknown"),
        ({"task": "summarize"}, "misc.jsonl", "summarize"),
    ],
)
def test_task_inference(metadata: dict, file_name: str, task: str) -> None:
    assert infer_task(metadata, file_name) == task


def test_bare_line_is_its_own_run_named_by_file_and_line() -> None:
    facts = call_facts(orjson.loads(b'{"messages": []}'), "story.jsonl", "a/story.jsonl", 7)
    assert facts.bare and facts.run_id == "a/story.jsonl#7"


def test_metadata_numbers_are_read_leniently() -> None:
    record = {"messages": [], "metadata": {"run_id": 42, "round": 2.0, "seq": "3", "queries": True}}
    facts = call_facts(record, "x.jsonl", "x.jsonl", 1)
    assert (facts.run_id, facts.round, facts.seq, facts.queries) == ("42", 2, None, None)


@pytest.mark.parametrize(
    ("record", "run_id"),
    [
        ({"metadata": {"run_id": "r-1", "session_id": "s"}, "session_id": "t"}, "r-1"),
        ({"run_id": "top", "metadata": {"session_id": "s"}}, "top"),
        ({"metadata": {"session_id": "s-9"}}, "s-9"),
        ({"episode_id": "ep", "metadata": {"conversation_id": "c"}}, "ep"),
        ({"metadata": {"conversation_id": "c-2", "trace_id": "t"}}, "c-2"),
        ({"trace_id": "tr-5"}, "tr-5"),
        ({"env_index": 3}, "3"),
        ({"metadata": {"env_index": 0}}, "0"),
        ({"env_index": 3.0}, "3"),
        ({"session_id": "", "metadata": {"episode_id": "e"}}, "e"),
        ({"session_id": True, "env_index": 2}, "2"),
        ({"session_id": {"id": 1}, "episode_id": [1]}, None),
    ],
)
def test_run_key_chain(record: dict, run_id: str | None) -> None:
    facts = call_facts({"messages": [], **record}, "x.jsonl", "x.jsonl", 4)
    assert facts.bare is (run_id is None)
    assert facts.run_id == (run_id or "x.jsonl#4")


def test_configured_run_key_path_is_tried_first() -> None:
    record = {"messages": [], "session_id": "s", "metadata": {"thread": {"id": 77}}}
    facts = call_facts(record, "x.jsonl", "x.jsonl", 1, run_key_path=("metadata", "thread", "id"))
    assert (facts.run_id, facts.bare) == ("77", False)
    missing = call_facts(
        {"messages": [], "session_id": "s"}, "x.jsonl", "x.jsonl", 1, run_key_path=("a", "b")
    )
    assert missing.run_id == "s"


def _step(role: str, text: str) -> dict:
    return {"role": role, "content": text}


def _trajectory() -> list[dict]:
    return [
        _step("system", "s"),
        _step("user", "u1"),
        {"role": "assistant", "content": None, "tool_calls": [{"id": "1"}]},
        {"role": "tool", "tool_call_id": "1", "content": "ü"},
        _step("assistant", "a2"),
        _step("user", "u3"),
        _step("assistant", "a3"),
    ]


@pytest.mark.parametrize("tools", [None, [{"type": "function", "function": {"name": "f"}}]])
def test_trace_ids_in_one_pass_match_the_shorter_lines_ids(tools) -> None:
    messages = _trajectory()
    call = {"messages": messages, "tools": tools, "metadata": {"z": 1}}
    trace, steps, chain = trace_ids(call)
    assert trace == trace_id(call)
    assert chain is None  # no weights: the chain id is the trace id
    assert steps == [
        trace_id({"messages": messages[:3], "tools": tools}),
        trace_id({"messages": messages[:5], "tools": tools}),
    ]
    single = {"messages": messages[:3]}
    assert trace_ids(single) == (trace_id(single), [], None)


@pytest.mark.parametrize("tools", [None, [{"type": "function", "function": {"name": "f"}}]])
def test_a_weighted_line_has_a_chain_of_ids_without_its_weights(tools) -> None:
    """A per-step training set marks earlier turns ``weight: 0``: its exact ids keep the
    weights (dup.prefix), its chain drops them (to join its trajectory)."""
    plain = _trajectory()
    weighted = [dict(m) for m in plain]
    weighted[2]["weight"] = 0
    weighted[4]["weight"] = 0
    trace, steps, chain = trace_ids({"messages": weighted, "tools": tools})
    assert trace == trace_id({"messages": weighted, "tools": tools})
    assert steps == [
        trace_id({"messages": weighted[:3], "tools": tools}),
        trace_id({"messages": weighted[:5], "tools": tools}),
    ]
    assert chain is not None
    assert chain.id == trace_id({"messages": plain, "tools": tools})
    assert chain.steps == [
        trace_id({"messages": plain[:3], "tools": tools}),
        trace_id({"messages": plain[:5], "tools": tools}),
    ]
    assert weighted[2]["weight"] == 0  # the line is not changed


def test_tool_calls_text_previews_a_target_without_text() -> None:
    call = {"id": "1", "type": "function", "function": {"name": "f", "arguments": '{"a": 1}'}}
    other = {"function": {"name": "g", "arguments": {"b": 2}}}
    target = {"role": "assistant", "content": None, "tool_calls": [call, other]}
    assert tool_calls_text([target]) == '→ f({"a": 1}); → g({"b":2})'
    assert tool_calls_text([{"role": "assistant", "content": "hi"}]) is None
    assert tool_calls_text([]) is None and tool_calls_text(None) is None
