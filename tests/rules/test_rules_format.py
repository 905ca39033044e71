"""format.messages: what a valid chat example is, and not piling on when there is no output."""

from __future__ import annotations

import pytest


def test_plain_chat_example_passes(check, make_record, plan):
    assert check(make_record(plan), "planning") == []


def test_tool_turns_and_null_content_tool_calls_pass(check, make_record, plan):
    tool_turns = [
        {
            "role": "assistant",
            "content": None,
            "tool_calls": [
                {
                    "id": "call_1",
                    "type": "function",
                    "function": {"name": "web_search", "arguments": '{"q": "taquerias"}'},
                }
            ],
        },
        {"role": "tool", "tool_call_id": "call_1", "name": "web_search", "content": "3 results"},
    ]
    line = make_record(plan, before_output=tool_turns)
    line["tools"] = [{"type": "function", "function": {"name": "web_search"}}]
    line["messages"][-1]["weight"] = 1
    assert check(line, "planning") == []


def test_list_of_parts_content_passes(check, make_record, plan):
    line = make_record(plan, user=[{"type": "text", "text": "Plan the search."}])
    line["messages"][-1]["content"] = [{"type": "text", "text": '{"entity_type": "x"}'}]
    findings = check(line)
    assert "format.messages" not in findings.ids
    assert findings == []


@pytest.mark.parametrize(
    ("messages", "words"),
    [
        ({"role": "user"}, ["messages is an object", "non-empty array"]),
        ([], ["messages is an empty array"]),
        ([{"role": "user", "content": "hi"}, "assistant: {}"], ["messages[1] is a string"]),
        ([{"role": "user", "content": "hi"}, {"content": "{}"}], ["messages[1] has no role"]),
        (
            [{"role": "user", "content": "hi"}, {"role": "function", "content": "{}"}],
            ['unknown role "function"'],
        ),
        (
            [{"role": ["user"], "content": "hi"}, {"role": "assistant", "content": "{}"}],
            ['messages[0] has unknown role ["user"]', "(+1 more)"],
        ),
        ([{"role": "system", "content": "x"}, {"role": "assistant", "content": "{}"}], ["no user"]),
        (
            [{"role": "user", "content": "hi"}, {"role": "assistant", "content": 42}],
            ["messages[1] (assistant) content is a number"],
        ),
        (
            [{"role": "user", "content": None}, {"role": "assistant", "content": "{}"}],
            ["messages[0] (user) content is null"],
        ),
        (
            [
                {"role": "user", "content": [{"text": "no type"}]},
                {"role": "assistant", "content": "{}"},
            ],
            ["content[0] is not a content part"],
        ),
    ],
)
def test_broken_messages_fail_with_a_precise_message(check, messages, words):
    message = check({"messages": messages}).only("format.messages").message
    for word in words:
        assert word in message


def test_last_message_must_be_the_assistant(check, make_record):
    line = make_record("{}")
    line["messages"].append({"role": "user", "content": "and?"})
    assert "last message is user, not assistant" in check(line).only("format.messages").message


def test_assistant_null_content_without_tool_calls_fails(check, make_record):
    findings = check(make_record(None))
    assert "content is null without tool_calls" in findings.only("format.messages").message


def test_several_problems_are_counted_in_one_finding(check):
    messages = [{"role": "robot", "content": "x"}, 7, {"role": "user", "content": "hi"}]
    message = check({"messages": messages}).only("format.messages").message
    assert message.startswith('messages[0] has unknown role "robot"')
    assert "(+2 more)" in message


@pytest.mark.parametrize(
    "line",
    [
        {"messages": "hello"},
        {"metadata": {"task": "planning"}},
        {"messages": [{"role": "user", "content": "hi"}]},
        {"messages": [{"role": "user", "content": "hi"}, {"role": "assistant", "content": 3}]},
        {"messages": [{"role": "user", "content": "hi"}, {"role": "assistant", "content": None}]},
        ["not", "an", "object"],
    ],
)
def test_no_assistant_output_means_no_other_findings(check, line):
    """Without an assistant output, output and task rules would only restate format.messages."""
    assert check(line, "extraction").ids == ["format.messages"]


def test_final_tool_call_target_is_neither_empty_nor_a_format_error(check, make_record):
    line = make_record(None)
    call = {"id": "c", "type": "function", "function": {"name": "f", "arguments": "{}"}}
    line["messages"][-1]["tool_calls"] = [call]
    assert check(line, "planning") == []
    call["function"] = {}
    assert check(line, "planning").ids == ["tool.arguments_json"]
