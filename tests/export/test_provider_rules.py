"""One passing and one failing record per provider rule, and the target format's key stripping.

For every provider a rule applies to, the passing record, as ``to_target`` writes it, must pass
every rule of that provider, and the failing record must fail for that rule's reason (checked
raw: some failures, like extra columns or mixed content, are what ``to_target`` prevents).
"""

from __future__ import annotations

from typing import Any

import pytest

from core.export.providers import RULE_IDS, RULES, example_problems
from core.export.target import JOINED_PARTS, WRAPPED_STRING, to_target

USER = {"role": "user", "content": "Find 5 gyms in Oslo."}
ANSWER = {"role": "assistant", "content": '{"city": "Oslo"}'}
CALL = {"id": "c1", "type": "function", "function": {"name": "search", "arguments": "{}"}}
TOOL = {"type": "function", "function": {"name": "search", "parameters": {"type": "object"}}}
IMAGE = {"type": "image_url", "image_url": {"url": "data:image/png;base64,iVBORw0KGgo="}}


def chat(*messages: dict[str, Any], **top: Any) -> dict[str, Any]:
    return {"messages": list(messages), **top}


# rule id -> (passing record, failing record, words the failure names)
CASES: dict[str, tuple[dict[str, Any], dict[str, Any], str]] = {
    "roles": (chat(USER, ANSWER), chat({"role": "human", "content": "hi"}, ANSWER), "'human'"),
    "last_assistant": (chat(USER, ANSWER), chat(USER), "not the assistant's"),
    "user_content": (
        chat({"role": "system", "content": "Be brief."}, USER, ANSWER),
        chat({"role": "user", "content": ""}, ANSWER),
        "a user message without content",
    ),
    "assistant_output": (
        chat(USER, {"role": "assistant", "content": None, "tool_calls": [CALL]}, tools=[TOOL]),
        chat(USER, {"role": "assistant", "content": "  "}),
        "neither content nor tool_calls",
    ),
    "content_type": (
        chat({"role": "user", "content": [{"type": "text", "text": "What is it?"}, IMAGE]}, ANSWER),
        chat(USER, {"role": "assistant", "content": [{"type": "text", "text": "x"}, IMAGE]}),
        "only user messages take images",
    ),
    "weight": (
        chat(USER, {**ANSWER, "weight": 0}, USER, {**ANSWER, "weight": 1}),
        chat(USER, {**ANSWER, "weight": 0.5}),
        "weight 0.5",
    ),
    "tools": (
        chat(USER, ANSWER, tools=[TOOL]),
        chat(USER, ANSWER, tools=[{"name": "x"}]),
        "tools[0]",
    ),
    "tool_calls": (
        chat(USER, {"role": "assistant", "tool_calls": [CALL]}, tools=[TOOL]),
        chat(
            USER,
            {
                "role": "assistant",
                "tool_calls": [{**CALL, "function": {"name": "s", "arguments": {}}}],
            },
        ),
        "arguments as a JSON string",
    ),
    "tool_call_id": (
        chat(
            USER,
            {"role": "assistant", "tool_calls": [CALL]},
            {"role": "tool", "tool_call_id": "c1", "content": "3 gyms"},
            ANSWER,
        ),
        chat(
            USER,
            {"role": "assistant", "tool_calls": [CALL]},
            {"role": "tool", "content": "3 gyms"},
            ANSWER,
        ),
        "without a tool_call_id",
    ),
    "system_first": (
        chat({"role": "system", "content": "Be brief."}, USER, ANSWER),
        chat(USER, {"role": "system", "content": "Be brief."}, ANSWER),
        "a system message after the first",
    ),
    "top_level": (
        chat(USER, ANSWER, tools=[TOOL]),
        chat(USER, ANSWER, parallel_tool_calls=False),
        "extra columns",
    ),
    "turns": (
        chat(
            USER,
            {"role": "assistant", "tool_calls": [CALL]},
            {"role": "tool", "tool_call_id": "c1", "content": "r"},
            ANSWER,
        ),
        chat(USER, USER, ANSWER),
        "two user messages in a row",
    ),
    "uniform_content": (
        chat(
            {"role": "user", "content": [{"type": "text", "text": "What?"}, IMAGE]},
            {"role": "assistant", "content": [{"type": "text", "text": "A cat."}]},
        ),
        chat(
            {"role": "user", "content": [{"type": "text", "text": "What?"}, IMAGE]},
            {"role": "assistant", "content": "A cat."},
        ),
        "all in multimodal or all in text-only",
    ),
    "images": (
        chat({"role": "user", "content": [IMAGE]}, ANSWER),
        chat(
            {
                "role": "user",
                "content": [{"type": "image_url", "image_url": {"url": "https://x/cat.png"}}],
            },
            ANSWER,
        ),
        "base64 data URLs",
    ),
}


def test_every_rule_has_a_case():
    assert set(CASES) == set(RULE_IDS)


@pytest.mark.parametrize(
    ("rule_id", "provider"),
    [(rule.id, provider) for rule in RULES for provider in rule.providers],
)
def test_rule_passes_and_fails(rule_id: str, provider):
    good, bad, reason = CASES[rule_id]
    written, _ = to_target(good, provider)
    assert example_problems(written, provider) == ()
    problems = example_problems(bad, provider)
    assert any(reason in p for p in problems), problems


def test_records_are_checked_as_written():
    # to_target would remove parallel_tool_calls for Together and join text parts: checked
    # on the target record, neither is a problem
    raw = chat(
        {"role": "user", "content": [{"type": "text", "text": "Find gyms."}]},
        ANSWER,
        parallel_tool_calls=False,
    )
    for provider in ("fireworks", "openai", "together"):
        record, _ = to_target(raw, provider)
        assert example_problems(record, provider) == ()


def test_target_keeps_only_the_format_keys_and_counts_the_rest():
    raw = {
        "messages": [
            {"role": "system", "content": "Be brief.", "id": "m0"},
            {"role": "user", "content": "Find gyms.", "name": "ana"},
            {
                "role": "assistant",
                "content": None,
                "tool_calls": [CALL],
                "reasoning_content": "thinking...",
                "refusal": None,
                "weight": 1,
            },
            {"role": "tool", "tool_call_id": "c1", "content": "3 gyms", "name": "search"},
            {"role": "assistant", "content": "done", "reasoning_content": "more"},
        ],
        "tools": [TOOL],
        "parallel_tool_calls": False,
        "metadata": {"run_id": "r1"},
        "id": "chatcmpl-1",
        "usage": {"prompt_tokens": 3},
    }
    record, removed = to_target(raw, "openai")
    assert list(record) == ["messages", "tools", "parallel_tool_calls"]
    assert record["messages"][2] == {
        "role": "assistant",
        "content": None,
        "tool_calls": [CALL],
        "weight": 1,
    }
    assert record["messages"][1] == {"role": "user", "content": "Find gyms.", "name": "ana"}
    assert removed == {
        "messages[]: id": 1,
        "messages[]: reasoning_content": 2,
        "messages[]: refusal": 1,
        "top level: id": 1,
        "top level: usage": 1,
    }
    together, removed = to_target(raw, "together")
    assert list(together) == ["messages", "tools"]
    assert removed["top level: parallel_tool_calls"] == 1


def test_content_made_uniform_within_a_record():
    parts = {
        "role": "user",
        "content": [{"type": "text", "text": "a"}, {"type": "text", "text": "b"}],
    }
    record, changes = to_target(chat(parts, ANSWER), "together")
    assert record["messages"][0]["content"] == "a\nb"
    assert changes == {JOINED_PARTS: 1}
    with_image = {"role": "user", "content": [{"type": "text", "text": "what?"}, IMAGE]}
    record, changes = to_target(
        chat({"role": "system", "content": "Be brief."}, with_image, ANSWER), "together"
    )
    assert record["messages"][0]["content"] == [{"type": "text", "text": "Be brief."}]
    assert record["messages"][2]["content"] == [{"type": "text", "text": ANSWER["content"]}]
    assert changes == {WRAPPED_STRING: 2}
    assert example_problems(record, "together") == ()
