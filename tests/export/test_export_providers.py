"""Provider checks: each rule's failing case names task, file and trace, and blocks writing."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from export_corpus import SYSTEM, plan_messages, write_simple_corpus

from core.check.run import run_check
from core.config import CuratorConfig
from core.export import ExportBlocked, ExportOptions, preview_export, write_export
from core.export.providers import example_problems, file_problem
from core.review.decisions import Target, decide, set_repair
from core.store.db import connect

CITIES = [f"City {i}" for i in range(12)]


@pytest.fixture
def make_plan(tmp_path: Path) -> Iterator[Any]:
    """Index message lists as accepted calls (so rules do not filter them) and preview."""
    connections: list[sqlite3.Connection] = []

    def make(messages: list[list[dict[str, Any]]], **options: Any):
        root = tmp_path / f"traces{len(connections)}"
        ids = write_simple_corpus(root, messages)
        conn = connect(tmp_path / f"ws{len(connections)}")
        connections.append(conn)
        run_check(conn, [root], CuratorConfig())
        decide(conn, [Target("call", t) for t in ids], "accept")
        opts = ExportOptions(heldout_per_task=0, **options)
        return conn, ids, preview_export(conn, CuratorConfig(), opts)

    yield make
    for conn in connections:
        conn.close()


def good(count: int) -> list[list[dict[str, Any]]]:
    return [plan_messages(city) for city in CITIES[:count]]


def test_good_examples_pass_every_provider(make_plan):
    for provider in ("fireworks", "openai", "together"):
        _, _, plan = make_plan(good(12), provider=provider)
        assert plan.ok, plan.violations


def test_fireworks_needs_three_examples(make_plan, tmp_path: Path):
    conn, _, plan = make_plan(good(2))
    (violation,) = plan.violations
    assert (violation.provider, violation.task, violation.file) == (
        "fireworks",
        "planning",
        "planning/train.jsonl",
    )
    assert "2 examples; Fireworks needs at least 3" in str(violation)
    with pytest.raises(ExportBlocked):
        write_export(conn, plan, tmp_path / "ds")
    assert not (tmp_path / "ds").exists()
    assert conn.execute("SELECT COUNT(*) FROM exports").fetchone()[0] == 0


def test_fireworks_system_only_first(make_plan):
    late_system = plan_messages("Oslo", system=False)
    late_system.insert(1, SYSTEM)
    _, ids, plan = make_plan([*good(3), late_system])
    (violation,) = plan.violations
    assert violation.trace_id == ids[3]
    assert violation.file == "planning/train.jsonl"
    assert "messages[1]: a system message after the first" in violation.message
    assert f"trace {ids[3]}" in str(violation)


def test_fireworks_roles_allowed(make_plan):
    odd = plan_messages("Oslo")
    odd[0] = {"role": "developer", "content": "be terse"}
    _, ids, plan = make_plan([*good(3), odd])
    (violation,) = plan.violations
    assert violation.trace_id == ids[3]
    assert "role 'developer' is not one of system, user, assistant, tool" in violation.message


@pytest.mark.parametrize("weight", [2, 0.5, True, "1"])
def test_fireworks_weight_only_zero_or_one(make_plan, weight):
    weighted = plan_messages("Oslo")
    weighted[-1] = {**weighted[-1], "weight": weight}
    _, ids, plan = make_plan([*good(3), weighted])
    (violation,) = plan.violations
    assert violation.trace_id == ids[3]
    assert f"weight {weight!r}; Fireworks takes 0 or 1" in violation.message


def test_fireworks_weight_zero_and_one_are_fine():
    for weight in (0, 1):
        record = {
            "messages": [
                {"role": "user", "content": "q"},
                {"role": "assistant", "content": "{}", "weight": weight},
            ]
        }
        assert example_problems(record, "fireworks") == ()
    on_user = {
        "messages": [
            {"role": "user", "content": "q", "weight": 1},
            {"role": "assistant", "content": "{}"},
        ]
    }
    assert "only assistant" in example_problems(on_user, "fireworks")[0]


def test_openai_needs_ten_examples(make_plan):
    _, _, plan = make_plan(good(9), provider="openai")
    (violation,) = plan.violations
    assert "9 examples; OpenAI needs at least 10" in str(violation)
    _, _, plan = make_plan(good(10), provider="openai")
    assert plan.ok


def test_together_first_message_system_or_user(make_plan):
    assistant_first = [
        {"role": "assistant", "content": "hello"},
        *plan_messages("Oslo", system=False),
    ]
    _, ids, plan = make_plan([*good(3), assistant_first], provider="together")
    (violation,) = plan.violations
    assert violation.trace_id == ids[3]
    assert "messages[0] is 'assistant'; Together takes system or user first" in violation.message


def test_together_turns_alternate_and_tool_turns_are_fine(make_plan):
    two_users = plan_messages("Oslo")
    two_users.insert(1, {"role": "user", "content": "first, some context"})
    with_tool = plan_messages("Rome")
    with_tool[2:2] = [
        {
            "role": "assistant",
            "content": None,
            "tool_calls": [
                {"id": "c1", "type": "function", "function": {"name": "search", "arguments": "{}"}}
            ],
        },
        {"role": "tool", "tool_call_id": "c1", "content": "results"},
    ]
    _, ids, plan = make_plan([*good(3), two_users, with_tool], provider="together")
    assert [v.trace_id for v in plan.violations] == [ids[3]], "tool turns are fine for Together"
    assert "messages[2]: two user messages in a row" in plan.violations[0].message
    _, _, fireworks_plan = make_plan([*good(3), with_tool], provider="fireworks")
    assert fireworks_plan.ok, "tool turns are fine for Fireworks"


def test_last_message_must_be_the_assistants():
    record = {"messages": [{"role": "user", "content": "q"}]}
    for provider in ("fireworks", "openai", "together"):
        assert "not the assistant's" in example_problems(record, provider)[0]


def test_file_problem_limits():
    assert file_problem("fireworks", 3) is None
    assert "at most 3000000" in file_problem("fireworks", 3_000_001)
    assert file_problem("together", 0) == "0 examples; Together needs at least 1"
    assert file_problem("fireworks", 1) == "1 example; Fireworks needs at least 3"


def test_combined_train_is_checked_too(make_plan):
    _, _, plan = make_plan(good(2), combine=True)
    assert {v.file for v in plan.violations} == {"planning/train.jsonl", "train.jsonl"}


def test_nothing_selected_blocks(tmp_path: Path):
    root = tmp_path / "traces"
    write_simple_corpus(root, good(4))
    (root / "runs.jsonl").write_bytes(b"")  # no summaries: run status unknown, nothing passes
    conn = connect(tmp_path / "ws")
    run_check(conn, [root], CuratorConfig())
    plan = preview_export(conn, CuratorConfig(), ExportOptions())
    (violation,) = plan.violations
    assert "nothing to export" in violation.message


def test_unusable_task_name_blocks(tmp_path: Path):
    root = tmp_path / "traces"
    write_simple_corpus(root, good(4), task="../escape")
    conn = connect(tmp_path / "ws")
    run_check(conn, [root], CuratorConfig())
    plan = preview_export(conn, CuratorConfig(), ExportOptions(heldout_per_task=0))
    assert any("cannot name an export folder" in v.message for v in plan.violations)


def test_accepted_call_without_user_content_is_refused_by_every_provider(make_plan):
    # the case: accepted (so no content rule filtered it), exported with "checks: ok"
    no_user_content = [SYSTEM, {"role": "user", "content": ""}, plan_messages("Oslo")[-1]]
    for provider in ("fireworks", "openai", "together"):
        _, ids, plan = make_plan([*good(10), no_user_content], provider=provider)
        (violation,) = plan.violations
        assert violation.trace_id == ids[10]
        assert "messages[1]: a user message without content" in violation.message


def test_removed_keys_are_counted_in_plan_and_manifest(make_plan, tmp_path: Path):
    with_extras = [
        {**message, "reasoning_content": "hmm"} if message["role"] == "assistant" else message
        for message in plan_messages("Oslo")
    ]
    conn, _, plan = make_plan([*good(3), with_extras], provider="together")
    assert plan.removed == {"messages[]: reasoning_content": 1}
    result = write_export(conn, plan, tmp_path / "out")
    assert result.manifest["removed"] == {"messages[]: reasoning_content": 1}
    lines = (tmp_path / "out" / "planning" / "train.jsonl").read_bytes()
    assert b"reasoning_content" not in lines


def test_a_repaired_call_goes_through_the_same_checks(make_plan):
    conn, ids, plan = make_plan(good(4), provider="openai")
    assert [v.message for v in plan.violations] == ["4 examples; OpenAI needs at least 10"]
    set_repair(conn, Target("call", ids[2]), "   ")  # a blank repair: no assistant output
    plan = preview_export(
        conn, CuratorConfig(), ExportOptions(heldout_per_task=0, provider="openai")
    )
    problems = [v for v in plan.violations if v.trace_id == ids[2]]
    assert [v.message for v in problems] == [
        "messages[2]: an assistant message with neither content nor tool_calls"
    ]
