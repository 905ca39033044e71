"""Differential: the part and tool rules run only on lines whose messages can trip them.

``check_chat_format`` says which of the rules over a line's extras have something to look at;
before, both ran on any line with extras. Their findings must be the same either way.
"""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from core.config import CuratorConfig
from core.rules.chat_format import PARTS, ROLES, TOOLS, _full_scan, _scan, check_chat_format
from core.rules.chat_parts import check_chat_parts
from core.rules.findings import FindingList
from core.rules.settings import call_rule_settings
from core.rules.tools import check_tools

ROLE = st.sampled_from([*ROLES, "bot", None, ["user"]])
PART = st.fixed_dictionaries(
    {"type": st.sampled_from(["text", "image", "image_url", "audio", 3])},
    optional={"text": st.sampled_from(["t", None, 1]), "image_url": st.sampled_from(["/a", {}])},
)
CONTENT = st.sampled_from(["hi", "", None, 3, {"a": 1}]) | st.lists(PART | st.just(1), max_size=2)
CALL = st.fixed_dictionaries(
    {},
    optional={
        "id": st.sampled_from(["c1", "c2", 7]),
        "function": st.fixed_dictionaries(
            {}, optional={"name": st.sampled_from(["f", "g", 1]), "arguments": CONTENT}
        )
        | st.just("f"),
    },
)
MESSAGE = st.fixed_dictionaries(
    {},
    optional={
        "role": ROLE,
        "content": CONTENT,
        "weight": st.sampled_from([0, 1, 2, "1", None]),
        "tool_calls": st.lists(CALL, max_size=2) | st.sampled_from([None, "x"]),
        "tool_call_id": st.sampled_from(["c1", "c9", None]),
        "name": st.just("n"),
    },
)
PLAIN = st.fixed_dictionaries({"role": ROLE, "content": st.sampled_from(["a", "b"])})
MESSAGES = st.lists(PLAIN | MESSAGE | st.sampled_from([1, "m", None]), max_size=6)
TOOLS_VALUE = st.sampled_from([None, [], [{"type": "function", "function": {"name": "f"}}]])


def _old_extras(messages: Any) -> bool:
    """The flag the rules ran on before: some message holds more than a role and a string."""
    if not isinstance(messages, list) or not messages:
        return False
    extras = False
    for message in messages:
        if not isinstance(message, dict):
            continue
        if len(message) != 2:
            extras = True
        role = message.get("role")
        if type(role) is not str or role not in ROLES:
            continue
        if type(message.get("content")) is not str:
            extras = True
    return extras


def _findings(findings: FindingList) -> list[tuple[str, str]]:
    return [(f.rule, f.message) for f in findings.findings]


@settings(max_examples=1500, suppress_health_check=[HealthCheck.too_slow])
@given(messages=MESSAGES, tools=TOOLS_VALUE)
def test_extras_flags_skip_only_rules_that_find_nothing(messages, tools) -> None:
    severities = call_rule_settings(CuratorConfig()).severities
    record = {"messages": messages, "tools": tools}
    before = FindingList(severities)
    if _old_extras(messages):
        check_chat_parts(messages, before)
        check_tools(record, messages, before)
    after = FindingList(severities)
    needs = check_chat_format(messages, FindingList(severities))
    if needs & PARTS:
        check_chat_parts(messages, after)
    if needs & TOOLS:
        check_tools(record, messages, after)
    assert _findings(after) == _findings(before)


def test_a_tool_turn_skips_the_part_rules_and_plain_chat_skips_both() -> None:
    severities = call_rule_settings(CuratorConfig()).severities
    tool_turn = [
        {"role": "user", "content": "u"},
        {"role": "assistant", "content": None, "tool_calls": [{"id": "1"}]},
        {"role": "tool", "tool_call_id": "1", "content": "page"},
        {"role": "assistant", "content": "{}"},
    ]
    assert check_chat_format(tool_turn, FindingList(severities)) == TOOLS
    plain = [{"role": "user", "content": "u"}, {"role": "assistant", "content": "{}"}]
    assert check_chat_format(plain, FindingList(severities)) == 0
    weighted = [
        {"role": "user", "content": "u"},
        {"role": "assistant", "content": "a", "weight": 0},
    ]
    assert check_chat_format(weighted, FindingList(severities)) == PARTS


# The two shapes of an agent's tool turns the fast path takes, and near misses of them.
CALL_TURN = st.fixed_dictionaries(
    {
        "role": st.sampled_from(["assistant", "assistant", "tool", None]),
        "content": CONTENT,
        "tool_calls": st.lists(CALL, max_size=2) | st.sampled_from([None, "x", 0]),
    }
)
TOOL_RESULT = st.fixed_dictionaries(
    {
        "role": st.sampled_from(["tool", "tool", "assistant", ["tool"]]),
        "tool_call_id": st.sampled_from(["c1", None, 3]),
        "content": CONTENT,
    }
)
AGENT_TURNS = st.lists(PLAIN | CALL_TURN | TOOL_RESULT, min_size=1, max_size=6)


@settings(max_examples=2500, suppress_health_check=[HealthCheck.too_slow])
@given(messages=MESSAGES | st.lists(PLAIN, min_size=1, max_size=4) | AGENT_TURNS)
@example([{"role": "assistant", "content": None, "tool_calls": []}])
@example([{"role": "assistant", "content": 3, "tool_calls": [{"id": "c1"}]}])
@example([{"role": "tool", "tool_call_id": "c1", "content": None}])
@example([{"role": "user", "tool_call_id": "c1", "content": "x"}])
@example([{"role": "assistant", "content": "a", "weight": 1}])
@example([{"role": "assistant", "weight": 0, "tool_calls": "x"}])
@example([{"role": "tool", "tool_call_id": "c1", "weight": 0}])
def test_the_fast_path_agrees_with_the_full_scan(messages) -> None:
    assert _scan(messages) == _full_scan(messages)


@settings(max_examples=2500, suppress_health_check=[HealthCheck.too_slow])
@given(messages=AGENT_TURNS)
def test_the_fast_path_agrees_with_the_full_scan_on_agent_turns(messages) -> None:
    assert _scan(messages) == _full_scan(messages)
