"""Every step of a held-out trajectory is an example: tool-call steps by the tool_call metrics,
the final reply by the text metrics; ``--last-turn-only`` keeps one example per line.

Hand-worked values: each scripted answer's arithmetic is in the comments.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson
import pytest

from core.cli import main
from core.eval.heldout import load_heldout
from core.eval.kinds import example_kind
from core.eval.runner import EvalPlan, rescore_eval, run_eval
from tests.eval.conftest import FAST_CONFIG, _serve, write_heldout
from tests.eval.kind_sets import AGENT_SYSTEM, TOOLS, call

TOOL_METRICS = (
    "tool_name_accuracy",
    "arguments_exact",
    "argument_key_precision",
    "argument_key_recall",
    "valid_arguments",
)
TEXT_METRICS = ("exact_match", "normalized_match", "token_f1")
FINAL = "TP123 at 120 EUR is the cheapest, and Lisbon is sunny."


def _assistant(*calls: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {"role": "assistant", "content": None, "tool_calls": list(calls), **extra}


def _tool(call_id: str, content: str) -> dict[str, Any]:
    return {"role": "tool", "tool_call_id": call_id, "content": content}


def trajectory(city: str = "Lisbon") -> dict[str, Any]:
    """Two tool-call steps, then the final text answer: three training targets."""
    flights = {"origin": "Oslo", "destination": city, "date": "2026-12-04"}
    return {
        "messages": [
            {"role": "system", "content": AGENT_SYSTEM},
            {"role": "user", "content": f"Cheapest flight Oslo to {city} on 2026-12-04, if dry?"},
            _assistant(call("get_weather", {"city": city})),
            _tool("call_1", '{"sky": "sun"}'),
            _assistant(call("search_flights", flights, "call_2")),
            _tool("call_2", '[{"flight": "TP123", "eur": 120}]'),
            {"role": "assistant", "content": FINAL},
        ],
        "tools": TOOLS,
    }


@pytest.fixture
def agent_dir(tmp_path: Path) -> Path:
    root = write_heldout(tmp_path / "agent", {"airline": [trajectory()]})
    (root / "airline" / "heldout.ids").write_text("trace-air-1\n")
    return root


@pytest.fixture
def agent_server(agent_dir: Path):
    yield from _serve(agent_dir)


def _json_eval(capsys, heldout: Path, workspace: Path, candidate: str, *extra: str) -> dict:
    args = ["eval", "--heldout", str(heldout), "--candidate", candidate, "--baseline", "gold"]
    code = main([*args, "--workspace", str(workspace), "--json", "-", *extra])
    out = capsys.readouterr().out
    assert code == 0, out
    return orjson.loads(out)


def test_a_trajectory_line_is_one_example_per_assistant_turn(agent_dir: Path) -> None:
    examples = load_heldout(agent_dir).examples["airline"]
    assert [str(example_kind(e)) for e in examples] == ["tool_call", "tool_call", "text"]
    assert [len(e.prompt) for e in examples] == [2, 4, 6]  # the history before each turn
    assert [e.id for e in examples] == ["trace-air-1#1", "trace-air-1#2", "trace-air-1#3"]
    assert [(e.position, e.line, e.step) for e in examples] == [(0, 1, 1), (1, 1, 2), (2, 1, 3)]
    assert all(e.tools == TOOLS for e in examples)
    assert examples[1].prompt[-1] == _tool("call_1", '{"sky": "sun"}')
    assert examples[2].gold == FINAL
    last = load_heldout(agent_dir, last_turn_only=True).examples["airline"]
    assert [e.id for e in last] == ["trace-air-1#3"] and last[0].record == trajectory()


def test_gold_vs_gold_scores_one_on_every_metric_of_both_kinds(
    agent_dir: Path, tmp_path: Path, capsys
) -> None:
    report = _json_eval(capsys, agent_dir, tmp_path / "ws", "gold")
    assert "last_turn_only" not in report  # every step was scored
    task = report["tasks"]["airline"]
    assert task["n"] == 3 and task["kinds"] == {"tool_call": 2, "text": 1}
    for name in (*TOOL_METRICS, *TEXT_METRICS, "score"):
        row = task["metrics"][name]
        assert (row["candidate"], row["baseline"], row["delta"]) == (1.0, 1.0, 0.0), name
    ids = [(e["id"], e["step"], e["kind"]) for e in task["examples"]]
    assert ids == [
        ("trace-air-1#1", 1, "tool_call"),
        ("trace-air-1#2", 2, "tool_call"),
        ("trace-air-1#3", 3, "text"),
    ]


def test_step_one_right_step_two_wrong(agent_server, agent_dir: Path, tmp_path: Path) -> None:
    steps = load_heldout(agent_dir).examples["airline"]
    # step 1: the gold call: names ✓, exact ✓, keys matched 1 / answered 1 / gold 1, valid 1/1
    agent_server.script(steps[0].prompt, {"tool_calls": [call("get_weather", {"city": "Lisbon"})]})
    # step 2: wrong destination, no date, an extra key: names ✓, exact ✗,
    # keys (origin, destination, passengers) matched 2 / answered 3 / gold 3, valid 1/1
    wrong = {"origin": "Oslo", "destination": "Porto", "passengers": 2}
    agent_server.script(steps[1].prompt, {"tool_calls": [call("search_flights", wrong, "c2")]})
    # step 3: the gold reply: exact ✓, normalized ✓, F1 1
    agent_server.script(steps[2].prompt, {"content": FINAL})
    plan = EvalPlan(agent_dir, agent_server.model("scripted"), "gold")
    result = run_eval(plan, workspace=tmp_path / "ws", config=FAST_CONFIG)
    task = result.tasks["airline"]
    assert task.kinds == {"tool_call": 2, "text": 1}
    metrics = {name: task.metrics[name].candidate for name in (*TOOL_METRICS, *TEXT_METRICS)}
    assert metrics == pytest.approx(
        {
            "tool_name_accuracy": 2 / 2,
            "arguments_exact": 1 / 2,  # step 1
            "argument_key_precision": 3 / 4,  # matched 1+2 over answered 1+3
            "argument_key_recall": 3 / 4,  # matched 1+2 over gold 1+3
            "valid_arguments": 2 / 2,
            "exact_match": 1.0,  # the text metrics count only the final reply
            "normalized_match": 1.0,
            "token_f1": 1.0,
        }
    )
    assert [e.outcome for e in task.examples] == ["tie", "loss", "tie"]
    assert [e.kind for e in task.examples] == ["tool_call", "tool_call", "text"]
    requests = agent_server.requests_for("scripted")
    assert sorted(len(r["body"]["messages"]) for r in requests) == [2, 4, 6]
    assert all(r["body"]["tools"] == TOOLS for r in requests)
    stored = rescore_eval(tmp_path / "ws", result.run.eval_id or 0)
    assert [e.example.id for e in stored.tasks["airline"].examples] == [
        "trace-air-1#1",
        "trace-air-1#2",
        "trace-air-1#3",
    ]
    assert stored.tasks["airline"].metrics["arguments_exact"].candidate == pytest.approx(0.5)


def test_last_turn_only_scores_one_example_per_line(
    agent_dir: Path, tmp_path: Path, capsys
) -> None:
    report = _json_eval(capsys, agent_dir, tmp_path / "ws", "gold", "--last-turn-only")
    assert report["last_turn_only"] is True
    task = report["tasks"]["airline"]
    assert task["n"] == 1 and task["kinds"] == {"text": 1}
    assert [e["id"] for e in task["examples"]] == ["trace-air-1#3"]
    terminal = main(
        ["eval", "--heldout", str(agent_dir), "--candidate", "gold", "--baseline", "gold",
         "--workspace", str(tmp_path / "ws"), "--last-turn-only"]
    )  # fmt: skip
    assert terminal == 0 and "airline (n=1, text)" in capsys.readouterr().out


def test_weight_zero_turns_are_not_examples(tmp_path: Path) -> None:
    line = trajectory()
    line["messages"][2]["weight"] = 0  # the first tool call is not a training target
    line["messages"][4]["weight"] = 1
    root = write_heldout(tmp_path / "w", {"airline": [line]})
    examples = load_heldout(root).examples["airline"]
    assert [e.id for e in examples] == ["L1#2", "L1#3"]  # no .ids sidecar: the line number
    assert all("weight" not in m for e in examples for m in e.prompt)


def test_n_takes_whole_lines_until_reached(tmp_path: Path) -> None:
    lines = [trajectory("Lisbon"), trajectory("Rome"), trajectory("Paris")]
    root = write_heldout(tmp_path / "n", {"airline": lines})
    counts = {n: len(load_heldout(root, n=n).examples["airline"]) for n in (1, 3, 4, 9)}
    assert counts == {1: 3, 3: 3, 4: 6, 9: 9}
    four = load_heldout(root, n=4).examples["airline"]
    assert [e.id for e in four] == [f"L{line}#{step}" for line in (1, 2) for step in (1, 2, 3)]
    assert len(load_heldout(root, n=2, last_turn_only=True).examples["airline"]) == 2


def test_provider_layout_reads_trace_ids_from_its_sidecar_folder(tmp_path: Path) -> None:
    root = tmp_path / "out"
    root.mkdir()
    (root / "airline-heldout.jsonl").write_bytes(orjson.dumps(trajectory()) + b"\n")
    meta = tmp_path / "out.meta"
    meta.mkdir()
    (meta / "airline-heldout.ids").write_text("trace-flat\n")
    examples = load_heldout(root).examples["airline"]
    assert [e.id for e in examples] == ["trace-flat#1", "trace-flat#2", "trace-flat#3"]
