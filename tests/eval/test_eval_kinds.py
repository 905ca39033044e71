"""Eval by output kind against the scripted server: tool-call and text held-out sets.

Hand-worked values: each test scripts the model's answer per example and shows the arithmetic
of every metric in comments.
"""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest

from core.cli import main
from core.config import CuratorConfig
from core.eval.heldout import load_heldout
from core.eval.report import render_markdown, render_terminal, report_json
from core.eval.runner import EvalPlan, run_eval
from tests.eval.conftest import FAST_CONFIG, write_heldout
from tests.eval.kind_sets import call

TOOL_METRICS = (
    "tool_name_accuracy",
    "arguments_exact",
    "argument_key_precision",
    "argument_key_recall",
    "valid_arguments",
    "score",
)
TEXT_METRICS = ("exact_match", "normalized_match", "token_f1", "score")


def _run(heldout: Path, workspace: Path, candidate: str, baseline: str = "gold", **kw) -> object:
    return run_eval(
        EvalPlan(heldout, candidate, baseline, **kw), workspace=workspace, config=FAST_CONFIG
    )


def _prompts(heldout: Path, task: str, last_turn_only: bool = False) -> list[list[dict]]:
    examples = load_heldout(heldout, [task], last_turn_only=last_turn_only).examples[task]
    return [e.prompt for e in examples]


def test_gold_vs_gold_scores_one_on_every_metric_of_every_kind(
    kinds_dir: Path, tmp_path: Path, capsys
) -> None:
    code = main(
        [
            "eval", "--heldout", str(kinds_dir), "--candidate", "gold", "--baseline", "gold",
            "--workspace", str(tmp_path / "ws"), "--json", "-",
        ]
    )  # fmt: skip
    assert code == 0
    report = orjson.loads(capsys.readouterr().out)
    tasks = report["tasks"]
    assert tasks["weather_agent"]["kinds"] == {"tool_call": 6}  # the Oslo line has 2 steps
    assert tasks["support"]["kinds"] == {"text": 3}
    assert tuple(tasks["weather_agent"]["metrics"])[: len(TOOL_METRICS)] == TOOL_METRICS
    assert tuple(tasks["support"]["metrics"])[: len(TEXT_METRICS)] == TEXT_METRICS
    for task, names in (("weather_agent", TOOL_METRICS), ("support", TEXT_METRICS)):
        for name in names:
            row = tasks[task]["metrics"][name]
            assert (row["candidate"], row["baseline"], row["delta"]) == (1.0, 1.0, 0.0), name
    example = tasks["weather_agent"]["examples"][2]
    assert example["kind"] == "tool_call" and example["gold"] == ""
    assert [c["name"] for c in example["candidate"]["tool_calls"]] == ["get_weather"] * 2


def test_server_replaying_the_gold_message_ties_gold(
    kinds_server, kinds_dir: Path, tmp_path: Path
) -> None:
    result = _run(kinds_dir, tmp_path / "ws", kinds_server.model("gold"))
    for task in result.tasks.values():
        assert task.count("tie") == task.n
        assert task.errors["candidate"] == {"ok": task.n}
        for name in TOOL_METRICS if task.task == "weather_agent" else TEXT_METRICS:
            assert task.metrics[name].candidate == 1.0, (task.task, name)
    assert result.diagnoses == []


def test_requests_carry_tools_and_history_and_tools_are_in_the_cache_key(
    kinds_server, kinds_dir: Path, tmp_path: Path
) -> None:
    _run(kinds_dir, tmp_path / "ws", kinds_server.model("gold"), tasks=["weather_agent"])
    bodies = [entry["body"] for entry in kinds_server.log]
    assert len(bodies) == 6  # 5 lines, the Oslo trajectory's 2 steps each asked
    assert all(body["tools"][0]["function"]["name"] == "get_weather" for body in bodies)
    assert all("tool_choice" not in body for body in bodies)  # left to the server's default
    history = next(b["messages"] for b in bodies if len(b["messages"]) == 4)
    assert [m["role"] for m in history] == ["system", "user", "assistant", "tool"]
    assert history[2]["tool_calls"][0]["function"]["name"] == "get_weather"
    assert history[3]["tool_call_id"] == "call_1"

    _run(kinds_dir, tmp_path / "ws", kinds_server.model("gold"), tasks=["weather_agent"])
    assert len(kinds_server.log) == 6  # same requests: all from the cache
    path = kinds_dir / "weather_agent" / "heldout.jsonl"
    lines = [orjson.loads(raw) for raw in path.read_bytes().splitlines()]
    lines[0]["tools"][0]["function"]["description"] = "Weather now, in a city."
    path.write_bytes(b"".join(orjson.dumps(line) + b"\n" for line in lines))
    _run(kinds_dir, tmp_path / "ws", kinds_server.model("gold"), tasks=["weather_agent"])
    assert len(kinds_server.log) == 7  # only the example whose tools changed is asked again


def test_hand_worked_tool_call_metrics(kinds_server, kinds_dir: Path, tmp_path: Path) -> None:
    prompts = _prompts(kinds_dir, "weather_agent", last_turn_only=True)  # one per line
    double_encoded = orjson.dumps(
        orjson.dumps({"origin": "Oslo", "destination": "Lisbon", "date": "2026-12-04"}).decode()
    ).decode()
    answers = [
        # 0: same call, keys in another order: names ✓, exact ✓, keys 2 of 2, valid 1/1
        {
            "content": None,
            "tool_calls": [call("get_weather", {"unit": "celsius", "city": "Lisbon"})],
        },
        # 1: date missing: names ✓, exact ✗, keys matched 2, answered 2, gold 3, valid 1/1
        {"tool_calls": [call("search_flights", {"origin": "Porto", "destination": "Berlin"})]},
        # 2: one call of the two: names ✗, exact ✗, keys matched 1, answered 1, gold 2, valid 1/1
        {"tool_calls": [call("get_weather", {"city": "Paris"})]},
        # 3: double-encoded arguments: names ✓, exact ✗, keys 0 / 0 / gold 3, valid 0/1
        {
            "tool_calls": [
                {
                    "id": "c",
                    "type": "function",
                    "function": {"name": "search_flights", "arguments": double_encoded},
                }
            ]
        },
        # 4: text instead of a call: names ✗, exact ✗, keys 0 / 0 / gold 1, no call to validate
        {"content": "It is sunny in Madrid."},
    ]
    for prompt, answer in zip(prompts, answers, strict=True):
        kinds_server.script(prompt, answer)
    result = _run(
        kinds_dir,
        tmp_path / "ws",
        kinds_server.model("scripted"),
        tasks=["weather_agent"],
        last_turn_only=True,
    )
    task = result.tasks["weather_agent"]
    metrics = {name: task.metrics[name].candidate for name in TOOL_METRICS}
    assert metrics == pytest.approx(
        {
            "tool_name_accuracy": 3 / 5,  # examples 0, 1, 3
            "arguments_exact": 1 / 5,  # example 0
            "argument_key_precision": 5 / 5,  # matched 2+2+1+0+0 over answered 2+2+1+0+0
            "argument_key_recall": 5 / 11,  # matched 5 over gold 2+3+2+3+1
            "valid_arguments": 3 / 4,  # 4 calls answered, the double-encoded one invalid
            "score": 1 / 5,  # the per-example score of a tool call is arguments_exact
        }
    )
    assert task.errors["candidate"] == {"ok": 3, "bad_arguments": 1, "no_tool_call": 1}
    assert (task.count("tie"), task.count("loss")) == (1, 4)
    assert [e.candidate.output.usable for e in task.examples] == [True, True, True, False, False]
    assert result.diagnoses == []  # 2 of 5 unusable: under the 0.5 share
    terminal = render_terminal(result)
    assert "weather_agent  arguments_exact" in terminal
    assert "weather_agent (n=5, tool_call): candidate bad_arguments 1, no_tool_call 1, ok 3" in (
        terminal
    )
    markdown = render_markdown(result)
    assert "| weather_agent | argument_key_recall | 0.455 | 1.000 | -0.545 |" in markdown
    assert 'candidate ok: `search_flights({"origin":"Porto","destination":"Berlin"})`' in markdown


def test_hand_worked_text_metrics(kinds_server, kinds_dir: Path, tmp_path: Path) -> None:
    answers = [
        "Open Settings, then choose Reset password.",  # exact ✓, normalized ✓, F1 1
        "yes we ship to canada within 5 days",  # exact ✗, normalized ✓, F1 1
        # exact ✗, normalized ✗; tokens we/only/accept/cards all in the gold's 5:
        # P = 4/4, R = 4/5, F1 = 2·1·0.8/1.8 = 8/9
        "We only accept cards.",
    ]
    for prompt, answer in zip(_prompts(kinds_dir, "support"), answers, strict=True):
        kinds_server.script(prompt, {"content": answer})
    result = _run(kinds_dir, tmp_path / "ws", kinds_server.model("scripted"), tasks=["support"])
    task = result.tasks["support"]
    assert {name: task.metrics[name].candidate for name in TEXT_METRICS} == pytest.approx(
        {
            "exact_match": 1 / 3,
            "normalized_match": 2 / 3,
            "token_f1": (1 + 1 + 8 / 9) / 3,
            "score": (1 + 1 + 8 / 9) / 3,  # the per-example score of text is token F1
        }
    )
    assert [e.outcome for e in task.examples] == ["tie", "tie", "loss"]
    assert task.errors["candidate"] == {"ok": 3}
    example = report_json(result)["tasks"]["support"]["examples"][2]
    assert example["candidate"]["metrics"]["token_f1"] == pytest.approx(8 / 9, abs=1e-6)


def test_tool_calls_written_as_text_are_diagnosed(
    kinds_server, kinds_dir: Path, tmp_path: Path
) -> None:
    result = _run(
        kinds_dir, tmp_path / "ws", kinds_server.model("tool-as-text"), tasks=["weather_agent"]
    )
    assert result.tasks["weather_agent"].errors["candidate"] == {"no_tool_call": 6}
    lines = result.diagnoses[0].lines()
    assert lines[0].startswith(
        "6/6 requests: text instead of a tool call (a tool call written in the content, not in "
        "tool_calls) — the server did not parse the model's tool calls"
    )
    assert "candidate unusable, 6/6 outputs (no_tool_call: 6)" in (
        result.tasks["weather_agent"].verdict
    )


def test_probe_and_eval_agree_on_a_tool_call_answer_with_null_content(
    kinds_server, kinds_dir: Path, tmp_path: Path, capsys
) -> None:
    code = main(
        [
            "probe", kinds_server.model("gold"), "--heldout", str(kinds_dir),
            "--task", "weather_agent",
        ]
    )  # fmt: skip
    out = capsys.readouterr().out
    assert code == 0
    assert '"tools": [' in out and '"content": null' in out
    assert "result: ok (usable tool calls: offered names, JSON-object arguments)" in out
    result = _run(kinds_dir, tmp_path / "ws", kinds_server.model("gold"), tasks=["weather_agent"])
    assert result.tasks["weather_agent"].examples[0].candidate.output.usable

    main(
        [
            "probe", kinds_server.model("tool-as-text"), "--heldout", str(kinds_dir),
            "--task", "weather_agent",
        ]
    )  # fmt: skip
    out = capsys.readouterr().out
    assert "result: text instead of a tool call (a tool call written in the content" in out


def test_json_mode_goes_only_with_examples_whose_answer_is_json(
    kinds_server, kinds_dir: Path, tmp_path: Path
) -> None:
    write_heldout(kinds_dir, {"summaries": [SUMMARY_LINE]})
    kinds_server.learn(kinds_dir)
    config = FAST_CONFIG.model_copy(
        update={
            "eval": FAST_CONFIG.eval.model_copy(update={"response_format": {"type": "json_object"}})
        }
    )
    plan = EvalPlan(kinds_dir, kinds_server.model("gold"), "gold")
    result = run_eval(plan, workspace=tmp_path / "ws", config=config)
    summaries = result.tasks["summaries"]
    assert summaries.kinds == {"json": 1}
    assert tuple(summaries.metrics)[:5] == (
        "valid_json",
        "valid_json_lenient",
        "value_precision",
        "value_recall",
        "score",
    )
    for name in ("valid_json", "valid_json_lenient", "value_precision", "value_recall", "score"):
        assert summaries.metrics[name].candidate == 1.0, name  # a replay of the gold
    formats = {
        entry["body"]["messages"][-1]["content"][:20]: entry["body"].get("response_format")
        for entry in kinds_server.log
    }
    assert formats["Summarize: the shop "] == {"type": "json_object"}
    assert formats["What's the weather i"] is None  # a tool call: JSON mode would forbid it
    assert formats["Do you ship to Canad"] is None  # a text reply


SUMMARY_LINE = {
    "messages": [
        {"role": "user", "content": "Summarize: the shop opens at 9 and closes at 18."},
        {"role": "assistant", "content": '{"opens": "9", "closes": "18"}'},
    ]
}


def test_a_kind_declared_in_config_is_what_eval_uses() -> None:
    from core.eval.kinds import declared_kinds, kind_for_task

    config = CuratorConfig.model_validate(
        {"tasks": {"solve": {"kind": "reasoning"}, "chat": {"match": {"file": "c.jsonl"}}}}
    )
    assert str(kind_for_task(config, "solve")) == "reasoning"
    assert kind_for_task(config, "chat") is None and kind_for_task(None, "solve") is None
    assert declared_kinds(config, ["solve", "chat", "planning"]) == {"solve": "reasoning"}
