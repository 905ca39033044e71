"""Output kinds in call rules: JSON rules only on json calls; tool-call and reasoning targets."""

from __future__ import annotations

from core.config import CuratorConfig
from core.rules.calls import call_kind
from core.rules.kinds import OutputKind


def _tool_call_target(line):
    line["messages"][-1] = {
        "role": "assistant",
        "content": None,
        "tool_calls": [
            {"id": "c1", "type": "function", "function": {"name": "f", "arguments": "{}"}}
        ],
    }
    return line


def test_plain_text_reply_is_text_and_gets_no_json_rules(check, make_record):
    line = make_record("Sure! Your order ships on Monday.")
    assert call_kind(line, "unknown", CuratorConfig()) is OutputKind.TEXT
    assert check(line) == []


def test_the_same_reply_in_a_story_task_is_json_and_fails(check, make_record):
    line = make_record("Sure! Your order ships on Monday.")
    assert call_kind(line, "planning", CuratorConfig()) is OutputKind.JSON
    assert check(line, "planning").ids == ["output.invalid_json"]


def test_tool_call_target_with_null_content_is_not_empty(check, make_record):
    line = _tool_call_target(make_record("{}"))
    assert call_kind(line, "unknown", CuratorConfig()) is OutputKind.TOOL_CALL
    assert check(line) == []
    assert check(line, "planning") == []  # a tool call even in a story task


def test_blank_text_reply_is_still_empty(check, make_record):
    assert check(make_record("   ")).ids == ["output.empty"]


def test_reasoning_task_keeps_its_think_block(check, make_record, make_config):
    line = make_record("<think>The user wants tacos.</think>\nTry Casa Verde.")
    reasoning = make_config(solve={"kind": "reasoning"})
    assert call_kind(line, "solve", reasoning) is OutputKind.REASONING
    assert check(line, "solve", reasoning) == []
    json_task = make_config(solve={"kind": "json"})
    assert {"output.invalid_json", "output.reasoning"} <= set(check(line, "solve", json_task).ids)


def test_fenced_json_reply_is_inferred_json_and_still_fenced(check, make_record):
    line = make_record('```json\n{"a": 1}\n```')
    assert call_kind(line, "unknown", CuratorConfig()) is OutputKind.JSON
    assert set(check(line).ids) == {"output.invalid_json", "output.fenced"}


def test_declared_kind_wins_over_inference(make_record, make_config):
    line = make_record('{"a": 1}')
    assert call_kind(line, "chat", make_config(chat={"kind": "text"})) is OutputKind.TEXT
