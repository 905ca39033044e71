"""The error taxonomy: one kind per output, provider messages in every documented shape."""

from __future__ import annotations

import orjson
import pytest

from core.eval.client import Exchange
from core.eval.outputs import classify, provider_message, read_output


def _chat(content, finish="stop", **message) -> Exchange:
    body = {
        "choices": [
            {
                "message": {"role": "assistant", "content": content, **message},
                "finish_reason": finish,
            }
        ],
        "usage": {"prompt_tokens": 12, "completion_tokens": 3},
    }
    return Exchange(200, orjson.dumps(body).decode(), 5.0, 1)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (  # Fireworks inference, flat
            {
                "message": "Model not found, inaccessible, and/or not deployed",
                "code": "NOT_FOUND",
                "type": "error",
            },
            "Model not found, inaccessible, and/or not deployed",
        ),
        (
            {"error": {"type": "invalid_request_error", "message": "LoRA failed to load"}},
            "LoRA failed to load",
        ),  # nested
        (
            {"code": 5, "message": "model accounts/a/models/x not found", "details": []},
            "model accounts/a/models/x not found",
        ),  # gRPC-style control plane
        ({"code": 14, "details": []}, "UNAVAILABLE"),  # gRPC code only
        (
            {"error": "model 'x' not found, try pulling it first"},
            "model 'x' not found, try pulling it first",
        ),  # Ollama
    ],
)
def test_provider_message_shapes(body: dict, message: str) -> None:
    assert provider_message(orjson.dumps(body).decode()) == message


def test_provider_message_of_text_and_nothing() -> None:
    assert provider_message("<html>Bad Gateway</html>\n") == "<html>Bad Gateway</html>"
    assert provider_message(None) == ""


def test_read_output_kinds() -> None:
    plan = '{"entity_type": "cafe"}'
    assert (
        read_output(Exchange(None, None, 200.0, 3, "timeout", "ReadTimeout"), "planning").kind
        == "timeout"
    )
    assert (
        read_output(Exchange(None, None, 1.0, 3, "connection", "refused"), "planning").kind
        == "connection"
    )
    not_found = read_output(Exchange(404, '{"message": "gone", "code": "NOT_FOUND"}', 3.0, 1), "x")
    assert (not_found.kind, not_found.detail) == ("http_404", "gone")
    assert read_output(Exchange(200, "ok", 1.0, 1), "planning").kind == "bad_response"
    ok = read_output(_chat(plan), "planning")
    assert (ok.kind, ok.usable, ok.prompt_tokens, ok.completion_tokens) == ("ok", True, 12, 3)
    assert read_output(_chat(plan, "length"), "planning").usable  # truncated but valid JSON
    assert not read_output(_chat(plan[:8], "length"), "planning").usable
    thinking = read_output(_chat(None, reasoning_content="first I..."), "planning")
    assert thinking.kind == "thinking_only"
    assert read_output(_chat(None, tool_calls=[{"id": "1"}]), "planning").detail.startswith(
        "tool_calls"
    )


@pytest.mark.parametrize(
    ("content", "finish", "kind", "detail"),
    [
        ('{"a": 1}', "stop", "ok", ""),
        ('{"a": 1', "length", "truncated", "finish_reason length"),
        (
            "<think>only thoughts</think>",
            "stop",
            "thinking_only",
            "content empty; the answer stayed in reasoning",
        ),
        (
            "<think>cut off while thinking",
            "stop",
            "thinking_only",
            "content empty; the answer stayed in reasoning",
        ),
        ("   \n", "stop", "empty", "blank content"),
        ("", "stop", "empty", "no content"),
        ('<think>x</think>{"a": 1}', "stop", "not_json", "JSON after a <think> block"),
        ('```json\n{"a": 1}\n```', "stop", "not_json", "JSON inside a code fence"),
        ('Sure! {"a": 1}', "stop", "not_json", "JSON inside prose"),
        ("I cannot help.", "stop", "not_json", "text: I cannot help."),
        ("[]", "stop", "wrong_shape", "array, expected object"),
    ],
)
def test_classify(content: str, finish: str, kind: str, detail: str) -> None:
    assert classify(content, finish, None, "enrichment") == (kind, detail)


def test_shapes_per_task() -> None:
    assert classify('{"a": 1}', "stop", None, "extraction")[0] == "wrong_shape"
    assert classify("[1, 2]", "stop", None, "extraction")[0] == "wrong_shape"
    assert classify('[{"a": 1}]', "stop", None, "extraction")[0] == "ok"
    assert classify('"text"', "stop", None, "summaries")[0] == "ok"  # other tasks: any JSON


def test_diagnosis_groups_free_text_and_caps_causes() -> None:
    from core.eval.diagnosis import diagnose
    from core.eval.outputs import Output
    from core.eval.settings import EvalSettings
    from core.eval.specs import resolve_model

    target = resolve_model("http://127.0.0.1:1/v1#m", EvalSettings(), {}, {})
    outputs = [Output(f"prose {i}", "not_json", f"text: prose {i}") for i in range(6)]
    outputs += [Output("", f"http_{500 + i}", "oops") for i in range(6)]
    outputs += [Output("{}", "ok", usable=True)] * 2
    diagnosis = diagnose("candidate", target, outputs, EvalSettings())
    lines = diagnosis.lines()
    # 12 of 14 unusable; the 6 prose answers are one cause shown with the first sample
    assert (diagnosis.unusable, diagnosis.total) == (12, 14)
    assert lines[0] == (
        "6/14 requests: not JSON, text such as “prose 0” — text instead of JSON: "
        "a chat-template mismatch, or the base model answering"
    )
    assert len(lines) == 6 and lines[-1].startswith("2/14 requests: other problems")
    assert (
        diagnose(
            "candidate", target, outputs[:5] + [Output("{}", "ok", usable=True)] * 6, EvalSettings()
        )
        is None
    )
