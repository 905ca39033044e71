"""Trajectory steps: dup.prefix, unkeyed steps chained into one run, and re-checks that undo."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import orjson

from core.check.run import run_check
from core.config import CuratorConfig
from core.corpus.records import trace_id
from tests.factories import write_jsonl

CONFIG = CuratorConfig()
TOOLS = [{"type": "function", "function": {"name": "lookup", "parameters": {"type": "object"}}}]


def trajectory(steps: int, topic: str = "order 12") -> list[dict[str, Any]]:
    """One line per step of a multi-turn conversation: each line extends the one before."""
    messages: list[dict[str, Any]] = [{"role": "system", "content": "You help with orders."}]
    lines = []
    for step in range(steps):
        messages.append({"role": "user", "content": f"{topic}: question {step}"})
        messages.append({"role": "assistant", "content": f'{{"answer": {step}}}'})
        lines.append({"messages": list(messages), "tools": TOOLS})
    return lines


def rows(conn: sqlite3.Connection) -> dict[tuple[str, int], tuple[str, str, list[str]]]:
    """(file, line) -> (run id, verdict, rules of its findings)."""
    return {
        (relpath, line): (run_id, verdict, [f["rule"] for f in orjson.loads(findings)])
        for relpath, line, run_id, verdict, findings in conn.execute(
            "SELECT f.relpath, c.line, c.run_id, c.verdict, c.findings"
            " FROM calls c JOIN files f ON f.id = c.file_id"
        )
    }


def test_unkeyed_steps_form_one_run_named_after_the_longest(conn, tmp_path: Path) -> None:
    lines = trajectory(3)
    write_jsonl(tmp_path / "chat.jsonl", [lines[1], lines[0], lines[2], *trajectory(1, "other")])
    run_check(conn, [tmp_path], CONFIG)
    assert rows(conn) == {
        ("chat.jsonl", 1): ("chat.jsonl#3", "fail", ["dup.prefix"]),
        ("chat.jsonl", 2): ("chat.jsonl#3", "fail", ["dup.prefix"]),
        ("chat.jsonl", 3): ("chat.jsonl#3", "pass", []),
        ("chat.jsonl", 4): ("chat.jsonl#4", "pass", []),
    }
    (findings,) = conn.execute("SELECT findings FROM calls WHERE line = 2").fetchone()
    assert trace_id(lines[2]) in findings and "chat.jsonl:3" in findings
    runs = dict(conn.execute("SELECT run_id, calls FROM runs").fetchall())
    assert runs == {"chat.jsonl#3": 3, "chat.jsonl#4": 1}
    assert {r[0] for r in conn.execute("SELECT verdict FROM runs")} == {"pass"}


def test_keyed_steps_fail_dup_prefix_and_keep_their_runs(conn, tmp_path: Path) -> None:
    lines = [dict(line, env_index=7) for line in trajectory(2)]
    write_jsonl(tmp_path / "airline.jsonl", lines)
    run_check(conn, [tmp_path], CONFIG)
    assert rows(conn) == {
        ("airline.jsonl", 1): ("7", "fail", ["dup.prefix"]),
        ("airline.jsonl", 2): ("7", "pass", []),
    }


def test_other_tools_or_a_changed_step_are_not_a_prefix(conn, tmp_path: Path) -> None:
    lines = trajectory(2)
    edited = orjson.loads(orjson.dumps(lines[1]))
    edited["messages"][2]["content"] = '{"answer": "changed"}'
    other_tools = dict(lines[0], tools=[])
    write_jsonl(tmp_path / "a.jsonl", [other_tools, edited])
    run_check(conn, [tmp_path], CONFIG)
    assert {key: value[2] for key, value in rows(conn).items()} == {
        ("a.jsonl", 1): [],
        ("a.jsonl", 2): [],
    }


def test_recheck_after_the_longest_line_changes_rechains(conn, tmp_path: Path) -> None:
    lines = trajectory(3)
    write_jsonl(tmp_path / "a.jsonl", lines[:2])
    longest = write_jsonl(tmp_path / "b.jsonl", [lines[2]])
    run_check(conn, [tmp_path], CONFIG)
    assert rows(conn)[("a.jsonl", 1)][0] == "b.jsonl#1"
    assert rows(conn)[("a.jsonl", 2)] == ("b.jsonl#1", "fail", ["dup.prefix"])

    write_jsonl(longest, trajectory(1, "unrelated"))
    run_check(conn, [tmp_path], CONFIG)
    assert rows(conn) == {
        ("a.jsonl", 1): ("a.jsonl#2", "fail", ["dup.prefix"]),
        ("a.jsonl", 2): ("a.jsonl#2", "pass", []),
        ("b.jsonl", 1): ("b.jsonl#1", "pass", []),
    }
    longest.unlink()
    write_jsonl(tmp_path / "a.jsonl", [lines[0], trajectory(2, "x")[1]])
    run_check(conn, [tmp_path], CONFIG)
    assert rows(conn) == {
        ("a.jsonl", 1): ("a.jsonl#1", "pass", []),
        ("a.jsonl", 2): ("a.jsonl#2", "pass", []),
    }
    assert conn.execute("SELECT COUNT(*) FROM trajectory_calls").fetchone()[0] == 0
    assert conn.execute("SELECT COUNT(*) FROM runs").fetchone()[0] == 2


def test_branches_sharing_a_step_are_one_run(conn, tmp_path: Path) -> None:
    shared = trajectory(2)
    branch = orjson.loads(orjson.dumps(shared[1]))
    branch["messages"][3]["content"] = "order 12: a different follow-up"
    write_jsonl(tmp_path / "t.jsonl", [shared[0], shared[1], branch])
    run_check(conn, [tmp_path], CONFIG)
    assert {value[0] for value in rows(conn).values()} == {"t.jsonl#2"}
    assert rows(conn)[("t.jsonl", 3)][2] == []


def test_dup_prefix_off_still_chains_the_run(conn, tmp_path: Path) -> None:
    config = CuratorConfig.model_validate({"rules": {"dup.prefix": "off"}})
    write_jsonl(tmp_path / "t.jsonl", trajectory(2))
    run_check(conn, [tmp_path], config)
    assert rows(conn) == {
        ("t.jsonl", 1): ("t.jsonl#2", "pass", []),
        ("t.jsonl", 2): ("t.jsonl#2", "pass", []),
    }


def test_a_per_step_training_set_with_earlier_turns_at_weight_0_is_one_trajectory(
    conn, tmp_path: Path
) -> None:
    """Each line trains on its last turn only (earlier assistant turns ``weight: 0``): the
    lines extend one another, so they chain into one run, but none is redundant (a longer line
    does not train on the turns of the shorter), so none fails dup.prefix."""
    lines = trajectory(3)
    for line in lines:
        line["messages"] = [
            dict(m, weight=0) if m["role"] == "assistant" and i < len(line["messages"]) - 1 else m
            for i, m in enumerate(line["messages"])
        ]
    assert "weight" in lines[2]["messages"][2] and "weight" not in lines[0]["messages"][2]
    write_jsonl(tmp_path / "sft.jsonl", lines)
    run_check(conn, [tmp_path], CONFIG)
    assert rows(conn) == {
        ("sft.jsonl", 1): ("sft.jsonl#3", "pass", []),
        ("sft.jsonl", 2): ("sft.jsonl#3", "pass", []),
        ("sft.jsonl", 3): ("sft.jsonl#3", "pass", []),
    }
    # the weights still tell lines apart: none is a duplicate of another
    assert conn.execute("SELECT COUNT(DISTINCT trace_id) FROM calls").fetchone()[0] == 3


def test_a_step_the_longer_line_trains_on_as_written_still_fails_dup_prefix(
    conn, tmp_path: Path
) -> None:
    """Weights that match: the longer line trains on the same turns, so the step is redundant."""
    lines = trajectory(2)
    for line in lines:
        line["messages"][0]["weight"] = 1  # not a rule of ours to judge; the same on both lines
    write_jsonl(tmp_path / "sft.jsonl", lines)
    run_check(conn, [tmp_path], CONFIG)
    assert {key: value[2] for key, value in rows(conn).items()} == {
        ("sft.jsonl", 1): ["format.weight", "dup.prefix"],
        ("sft.jsonl", 2): ["format.weight"],
    }


def test_a_step_that_differs_in_more_than_weights_does_not_chain(conn, tmp_path: Path) -> None:
    lines = trajectory(2)
    longer = orjson.loads(orjson.dumps(lines[1]))
    longer["messages"][2]["weight"] = 0
    longer["messages"][2]["content"] = '{"answer": "other"}'
    write_jsonl(tmp_path / "sft.jsonl", [lines[0], longer])
    run_check(conn, [tmp_path], CONFIG)
    assert {key: value[2] for key, value in rows(conn).items()} == {
        ("sft.jsonl", 1): [],
        ("sft.jsonl", 2): [],
    }
