"""Why a model scores zero: group its unusable outputs and map each group to the likely cause.

The causes are the ones PROVIDERS.md lists for a freshly tuned model: not deployed (404), LoRA
failed to load (412), billing (402), called like ``/completions``, chat-template mismatch,
thinking with empty content, ``max_tokens`` exhausted, a scale-to-zero cold start timing out,
and JSON mode without a JSON instruction (whitespace); for tool-call examples, a model answering
in text (tools not rendered, or the server's tool-call parser off), calling tools the request
did not offer, or sending arguments that are not a JSON object.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from core.eval.outputs import TEXT_PREFIX, Output
from core.eval.results import Cause, Diagnosis
from core.eval.settings import EvalSettings
from core.eval.specs import ModelTarget
from core.eval.taxonomy import TOOL_CALL_AS_TEXT
from core.providers.advice import status_advice

MAX_CAUSES = 5
_LABELS = {
    "bad_response": "not a chat completion",
    "thinking_only": "only reasoning, empty content",
    "empty": "empty content",
    "not_json": "not JSON",
    "wrong_shape": "JSON of the wrong shape",
    "truncated": "truncated (finish_reason length)",
    "no_tool_call": "text instead of a tool call",
    "unknown_tool": "a tool the request did not offer",
    "bad_arguments": "tool-call arguments not a JSON object",
}
_DETAILED = ("wrong_shape", "not_json", "no_tool_call", "unknown_tool", "bad_arguments")


def diagnose(
    side: str, target: ModelTarget, outputs: Iterable[Output], settings: EvalSettings
) -> Diagnosis | None:
    """A diagnosis when more than ``settings.unusable_share`` of the outputs are unusable."""
    outputs = list(outputs)
    unusable = [o for o in outputs if not o.usable]
    if not outputs or len(unusable) / len(outputs) <= settings.unusable_share:
        return None
    groups = Counter(_cause_key(o) for o in unusable)
    sample = {_cause_key(o): o.detail for o in reversed(unusable)}  # first detail wins
    causes = [
        Cause(count, label(kind, sample[(kind, key)]), advice(kind, key, target, settings))
        for (kind, key), count in groups.most_common(MAX_CAUSES)
    ]
    rest = sum(count for _, count in groups.most_common()[MAX_CAUSES:])
    if rest:
        causes.append(Cause(rest, "other problems", "see the error taxonomy and the examples"))
    return Diagnosis(side, target.spec, len(unusable), len(outputs), causes)


def _cause_key(output: Output) -> tuple[str, str]:
    """Outputs with the same cause: free text collapses to one group, one sample shown."""
    if output.detail.startswith(TEXT_PREFIX):
        return output.kind, TEXT_PREFIX
    return output.kind, output.detail


def label(kind: str, detail: str) -> str:
    """What the outputs were: ``HTTP 404 Model not found, ...``, ``timeout``, ``empty content``."""
    if kind.startswith("http_"):
        return f"HTTP {kind.removeprefix('http_')} {detail}".strip()
    if kind == "timeout":
        return "timeout"
    if kind == "connection":
        return f"connection failed ({detail})" if detail else "connection failed"
    text = _LABELS.get(kind, kind)
    if detail.startswith(TEXT_PREFIX):
        return f"{text}, text such as “{detail.removeprefix(TEXT_PREFIX)}”"
    return f"{text} ({detail})" if detail and kind in _DETAILED else text


def advice(kind: str, detail: str, target: ModelTarget, settings: EvalSettings) -> str:
    """The likely cause and what to do, in one clause."""
    lowered = detail.lower()
    if kind == "http_404":
        if "deploy" in lowered:
            return "deploy it with `curator deploy` (a tuned LoRA is served only from a deployment)"
        if "model" in lowered:
            return f"{target.endpoint} does not know model {target.model!r}: check the model id"
        return f"nothing at {target.endpoint}/chat/completions: check the base URL (ends in /v1)"
    if kind == "http_429":
        return f"{status_advice(429)} (--concurrency; serverless: 10 RPM unpaid)"
    if kind in ("http_400", "http_422"):
        return (
            f"{status_advice(400)}; see the request with `curator probe`: an unsupported "
            "response_format or a max_tokens above the model's limit are common causes"
        )
    if kind.startswith("http_5") or kind == "http_408":
        status = int(kind.removeprefix("http_"))
        return f"{status_advice(status)} (a scale-to-zero deployment may still be waking)"
    if kind.startswith("http_") and kind.removeprefix("http_").isdigit():
        return status_advice(int(kind.removeprefix("http_")), target.key_env)
    if kind == "timeout":
        return (
            f"no answer within {settings.timeout_s:g} s: a deployment waking from zero or a slow "
            "model; warm it with `curator probe`, or raise [eval] timeout_s"
        )
    if kind == "connection":
        return f"cannot reach {target.endpoint}: is the server running and the base URL right?"
    if kind == "bad_response":
        if "completions-style" in detail:
            return "answered like /completions: call a chat-trained model on /chat/completions"
        return "the server is not speaking OpenAI chat completions"
    if kind == "thinking_only":
        return "the answer stayed in reasoning: turn thinking off or raise [eval] max_tokens"
    if kind == "truncated":
        return f"max_tokens ({target.max_tokens}) exhausted: raise [eval] max_tokens"
    if kind == "empty":
        if target.response_format is not None:
            return "JSON mode without a JSON instruction in the prompt streams whitespace"
        return "a chat-template mismatch between training and serving, or /completions training"
    if kind == "not_json" and detail.startswith("JSON after a <think>"):
        return "reasoning before the JSON (valid_json_lenient counts it): turn thinking off"
    if kind == "not_json" and detail.startswith("JSON inside"):
        return "wrappers around the JSON (valid_json_lenient counts it): train on bare JSON"
    if kind == "not_json":
        return "text instead of JSON: a chat-template mismatch, or the base model answering"
    if kind == "no_tool_call" and detail == TOOL_CALL_AS_TEXT:
        return (
            "the server did not parse the model's tool calls: turn its tool-call parser on "
            "(vLLM: --enable-auto-tool-choice --tool-call-parser ...)"
        )
    if kind == "no_tool_call":
        return (
            "the model answered in text: check the chat template renders `tools` and the model "
            "was tuned on tool-call targets"
        )
    if kind == "unknown_tool":
        return "the model calls tools it was not offered: tuned on other tools, or names changed"
    if kind == "bad_arguments":
        return "arguments not a JSON object (text or double-encoded): see it with `curator probe`"
    if kind == "wrong_shape":
        return "the model was tuned on another output format, or the prompt lost its schema"
    return "see the examples"
