"""Each format's reader on its fixture: messages and tools mapped to the chat shape, metadata,
runs grouped as the source grouped them, and each unmappable record reported with why."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest

from core.importers.convert import write_import
from core.importers.registry import detect_format
from tests.importers.helpers import FIXTURES, read_jsonl

TOOL_CALL_TARGET = {"role": "assistant", "content": None}


def run_import(tmp_path: Path, format_name: str, *names: str):
    files = [(FIXTURES / name, name) for name in names]
    result = write_import(format_name, files, tmp_path / "out.jsonl")
    return result, read_jsonl(tmp_path / "out.jsonl")


def problems(result) -> list[tuple[str, int, str]]:
    return [(p.file, p.record, p.reason) for p in result.problems]


def assert_tool_round(call: dict, call_id: str) -> None:
    """A call whose history is: user, tool call (JSON string arguments), tool result."""
    calls = [m for m in call["messages"] if m.get("tool_calls")]
    assert calls[0]["tool_calls"][0]["function"] == {
        "name": "get_weather",
        "arguments": calls[0]["tool_calls"][0]["function"]["arguments"],
    }
    assert orjson.loads(calls[0]["tool_calls"][0]["function"]["arguments"]) == {"city": "Rome"}
    results = [m for m in call["messages"] if m["role"] == "tool"]
    assert results[0]["tool_call_id"] == call_id == calls[0]["tool_calls"][0]["id"]
    assert orjson.loads(results[0]["content"]) == {"sky": "sunny"}


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("openai_chat.jsonl", "openai_chat"),
        ("batch_input.jsonl", "openai_batch"),
        ("batch_output.jsonl", "openai_batch"),
        ("otel_spans.jsonl", "otel_genai"),
        ("otel_legacy.json", "otel_genai"),
        ("langfuse_traces.json", "langfuse"),
        ("langsmith_runs.jsonl", "langsmith"),
        ("inspect_log.json", "inspect"),
        ("inspect_log.eval", "inspect"),
        ("sharegpt.json", "sharegpt"),
        ("wrapped_trace.jsonl", "wrapped"),
    ],
)
def test_every_fixture_is_detected(name: str, expected: str) -> None:
    assert detect_format(FIXTURES / name) == expected


def test_openai_chat_keeps_messages_tools_and_weights(tmp_path: Path) -> None:
    result, lines = run_import(tmp_path, "openai_chat", "openai_chat.jsonl")
    source = [
        orjson.loads(line)
        for line in (FIXTURES / "openai_chat.jsonl").read_bytes().splitlines()[:3]
    ]
    assert [line["messages"] for line in lines] == [record["messages"] for record in source]
    assert lines[2]["tools"] == source[2]["tools"] and lines[2]["parallel_tool_calls"] is False
    assert lines[1]["messages"][2]["weight"] == 0
    assert [line["metadata"]["source"]["record"] for line in lines] == [1, 2, 3]
    assert [(f, r) for f, r, _ in problems(result)] == [
        ("openai_chat.jsonl", 4),
        ("openai_chat.jsonl", 5),
    ]
    assert "not valid JSON" in problems(result)[0][2]


def test_openai_batch_joins_requests_and_responses(tmp_path: Path) -> None:
    result, lines = run_import(tmp_path, "openai_batch", "batch_input.jsonl", "batch_output.jsonl")
    assert [line["metadata"]["custom_id"] for line in lines] == ["req-2", "req-1"]
    rome, paris = lines
    assert rome["messages"][-1]["tool_calls"][0]["function"]["name"] == "get_weather"
    assert rome["messages"][-1]["content"] is None and "refusal" not in rome["messages"][-1]
    assert rome["tools"][0]["function"]["name"] == "get_weather"
    assert paris["messages"][1] == {"role": "user", "content": "Weather in Paris?"}
    assert paris["metadata"]["usage"] == {"prompt_tokens": 20, "completion_tokens": 9}
    assert paris["metadata"]["timestamp"] == "2026-01-01T10:00:00Z"
    reasons = {(f, r): why for f, r, why in problems(result)}
    assert "HTTP 429 Rate limit reached" in reasons[("batch_output.jsonl", 3)]
    assert "no request in the input files" in reasons[("batch_output.jsonl", 4)]
    assert "no response in the output files" in reasons[("batch_input.jsonl", 4)]


def test_otel_spans_one_trace_one_run(tmp_path: Path) -> None:
    result, lines = run_import(tmp_path, "otel_genai", "otel_spans.jsonl")
    assert [line["metadata"]["run_id"] for line in lines] == [
        "5b8efff798038103d269b633813fc60c",
        "5b8efff798038103d269b633813fc60c",
        "0af7651916cd43dd8448eb211c80319c",
    ]
    first, second, legacy = lines
    assert first["messages"][0] == {"role": "system", "content": "You answer with one JSON object."}
    assert first["messages"][-1]["tool_calls"][0]["id"] == "call_7"
    assert first["tools"][0]["function"]["parameters"]["required"] == ["city"]
    assert_tool_round(second, "call_7")
    # the second span records no tool definitions: it takes its trace's, so it extends the first
    assert second["tools"] == first["tools"]
    assert second["messages"][: len(first["messages"])] == first["messages"]
    assert "tools" not in legacy  # no tool in its history: none invented
    assert second["messages"][-1] == {
        "role": "assistant",
        "content": '{"city": "Rome", "sky": "sunny"}',
    }
    assert second["metadata"]["task"] == "weather"
    assert second["metadata"]["latency_ms"] == 900
    assert second["metadata"]["usage"] == {"prompt_tokens": 31, "completion_tokens": 12}
    assert second["metadata"]["model"] == "gpt-4o-mini-2024-07-18"
    assert [m["role"] for m in legacy["messages"]] == ["system", "user", "assistant"]
    assert legacy["metadata"]["usage"] == {"prompt_tokens": 15, "completion_tokens": 6}
    assert [(r, why.split(":")[0]) for _, r, why in problems(result)] == [
        (3, "span bb00000000000002"),
        (4, "not valid JSON"),
    ]


def test_langfuse_generations_grouped_by_trace_in_time_order(tmp_path: Path) -> None:
    result, lines = run_import(tmp_path, "langfuse", "langfuse_traces.json")
    assert [(line["metadata"]["run_id"], line["metadata"]["observation_id"]) for line in lines] == [
        ("trace-a", "obs-1"),
        ("trace-a", "obs-2"),
        ("trace-b", "obs-3"),
    ]
    assert [line["metadata"]["task"] for line in lines] == ["weather", "weather", "greeting"]
    assert_tool_round(lines[1], "call_a")
    assert lines[0]["tools"][0]["function"]["name"] == "get_weather"
    assert lines[2]["messages"][-1] == {"role": "assistant", "content": '{"reply": "hi"}'}
    assert lines[0]["metadata"]["latency_ms"] == 500
    assert [(r, why) for _, r, why in problems(result)] == [
        (2, "generation obs-4: the generation failed: upstream timeout"),
        (3, "observation: type: field required"),
    ]
    assert {p.unit for p in result.problems} == {"record"}


def test_langsmith_llm_runs_grouped_by_trace(tmp_path: Path) -> None:
    result, lines = run_import(tmp_path, "langsmith", "langsmith_runs.jsonl")
    assert [line["metadata"]["langsmith_run_id"] for line in lines] == [
        "t1-llm1",
        "t1-llm2",
        "t2-llm",
    ]
    assert [line["metadata"]["run_id"] for line in lines] == ["t1", "t1", "t2"]
    assert lines[0]["metadata"]["task"] == "weather_agent"
    assert "task" not in lines[2]["metadata"]  # the trace's root is the llm run itself
    assert lines[0]["messages"][-1]["tool_calls"][0]["id"] == "call_ls1"
    assert_tool_round(lines[1], "call_ls1")
    assert lines[1]["metadata"]["usage"] == {"prompt_tokens": 50, "completion_tokens": 11}
    assert lines[1]["metadata"]["latency_ms"] == 1000
    reasons = {r: why for _, r, why in problems(result)}
    assert reasons[6].startswith("run t3-llm: the run failed: openai.APITimeoutError")
    assert reasons[7] == "run_type: field required"


@pytest.mark.parametrize("name", ["inspect_log.json", "inspect_log.eval"])
def test_inspect_one_sample_one_run(tmp_path: Path, name: str) -> None:
    result, lines = run_import(tmp_path, "inspect", name)
    assert [line["metadata"]["run_id"] for line in lines] == [
        "RUN1/1/1",
        "RUN1/1/1",
        "RUN1/2/1",
        "RUN1/3/1",
    ]
    assert {line["metadata"]["task"] for line in lines} == {"weather"}
    first, second = lines[:2]
    # the .eval fixture is condensed: inputs in a message pool, the system prompt an attachment
    assert first["messages"][0] == {"role": "system", "content": "You answer with one JSON object."}
    assert [m["role"] for m in second["messages"]] == [
        "system",
        "user",
        "assistant",
        "tool",
        "assistant",
    ]
    assert lines[2]["messages"][0] == {"role": "user", "content": "Say hi as JSON"}
    assert first["messages"][-1]["tool_calls"][0]["function"]["arguments"] == '{"city":"Rome"}'
    assert first["tools"][0]["function"]["parameters"]["required"] == ["city"]
    assert_tool_round(second, "call_i1")
    # the reasoning part is dropped, the text kept
    assert second["messages"][-1] == {
        "role": "assistant",
        "content": '{"city": "Rome", "sky": "sunny"}',
    }
    assert second["metadata"]["usage"] == {"prompt_tokens": 30, "completion_tokens": 8}
    assert lines[3]["messages"][0] == {"role": "user", "content": "Weather in Oslo?"}
    reasons = [(p.record, p.unit, p.reason) for p in result.problems]
    assert reasons[0] == (2, "sample", "id 2 epoch 1, model call 2: model returned no choices")
    if name.endswith(".eval"):
        assert reasons[1][:2] == (4, "sample") and "not valid JSON" in reasons[1][2]


def test_sharegpt_turns_and_function_calls(tmp_path: Path) -> None:
    result, lines = run_import(tmp_path, "sharegpt", "sharegpt.json")
    assert len(lines) == 2
    assert lines[0]["messages"][0]["role"] == "system"
    assert lines[0]["metadata"]["conversation_id"] == "conv-1"
    multi = lines[1]
    assert [m["role"] for m in multi["messages"]] == [
        "user",
        "assistant",
        "tool",
        "assistant",
        "user",
        "assistant",
    ]
    assert_tool_round(multi, "call_2_0")
    assert multi["tools"][0]["function"]["name"] == "get_weather"
    assert [(r, why) for _, r, why in problems(result)] == [
        (3, "turn 1: unknown speaker \"from\": 'narrator'"),
        (4, "no assistant reply (the call has no output)"),
    ]


def test_wrapped_trace_steps_share_the_record_run(tmp_path: Path) -> None:
    result, lines = run_import(tmp_path, "wrapped", "wrapped_trace.jsonl")
    assert [line["metadata"].get("run_id") for line in lines] == ["sess-1", "sess-1", None]
    assert [line["metadata"].get("step") for line in lines] == [1, 2, None]
    assert lines[0]["metadata"]["task"] == "weather"
    assert_tool_round(lines[1], "c1")
    assert lines[2]["metadata"]["id"] == 7
    assert problems(result) == [("wrapped_trace.jsonl", 3, 'no "trace" list')]


def test_import_is_deterministic(tmp_path: Path) -> None:
    for name, fmt in [("otel_spans.jsonl", "otel_genai"), ("inspect_log.eval", "inspect")]:
        first = write_import(fmt, [(FIXTURES / name, name)], tmp_path / "a.jsonl")
        second = write_import(fmt, [(FIXTURES / name, name)], tmp_path / "b.jsonl")
        assert first.calls == second.calls > 0
        assert (tmp_path / "a.jsonl").read_bytes() == (tmp_path / "b.jsonl").read_bytes()


def test_otel_document_with_older_conventions(tmp_path: Path) -> None:
    """One OTLP document: content events (gen_ai.content.prompt/completion), indexed
    gen_ai.prompt.N/completion.N attributes (OpenLLMetry), and a non-GenAI span skipped."""
    result, lines = run_import(tmp_path, "otel_genai", "otel_legacy.json")
    assert result.problems == []
    content, indexed = lines
    assert [m["role"] for m in content["messages"]] == ["system", "user", "assistant"]
    assert content["messages"][-1]["content"] == '{"city": "Lima", "sky": "fog"}'
    assert content["metadata"]["latency_ms"] == 650
    assert content["metadata"]["usage"] == {"prompt_tokens": 18, "completion_tokens": 7}
    assert indexed["messages"][-1]["tool_calls"] == [
        {
            "id": "call_x",
            "type": "function",
            "function": {"name": "get_weather", "arguments": '{"city": "Rome"}'},
        }
    ]
    assert {line["metadata"]["run_id"] for line in lines} == {"4bf92f3577b34da6a3ce929d0e0e4736"}


def test_inspect_archive_with_an_unreadable_compression(tmp_path: Path) -> None:
    """A zstd-compressed .eval (method 93) on a Python without zstd: one problem line."""
    import zipfile

    path = tmp_path / "zstd.eval"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_STORED) as archive:
        archive.writestr("header.json", orjson.dumps({"version": 2, "eval": {"task": "t"}}))
        archive.writestr("samples/1_epoch_1.json", b"{}")
    data = bytearray(path.read_bytes())
    name = b"samples/1_epoch_1.json"
    for signature, method_at in ((b"PK\x03\x04", 8), (b"PK\x01\x02", 10)):
        start = data.find(signature)
        while start >= 0:
            name_at = start + (30 if signature == b"PK\x03\x04" else 46)
            if data[name_at : name_at + len(name)] == name:
                data[start + method_at : start + method_at + 2] = (93).to_bytes(2, "little")
            start = data.find(signature, start + 4)
    path.write_bytes(bytes(data))
    result = write_import("inspect", [(path, "zstd.eval")], tmp_path / "out.jsonl")
    assert result.calls == 0
    assert [(p.record, p.reason) for p in result.problems] == [
        (1, "samples/1_epoch_1.json: zip compression method 93 is not supported by this Python")
    ]
