"""The Evals screen against a real OpenAI-compatible server on 127.0.0.1 (the scripted one of
tests/eval): launching from the form, progress, the table equal to ``run_eval``'s, the 404
diagnosis, the drill-down and its lost filter, cancel and resume, reopening without requests,
reports, and inline validation."""

from __future__ import annotations

from asyncio import to_thread
from collections import Counter
from pathlib import Path

import orjson
import pytest
from textual.widgets import Input, ProgressBar, Static

from core.eval import store
from core.eval.heldout import load_heldout
from core.eval.report import render_markdown, report_json, table_rows
from core.eval.results import EvalResult
from core.eval.runner import EvalPlan, list_evals, rescore_eval, run_eval
from core.export.history import record_export
from core.store.db import connect
from tests.eval.conftest import ScriptedServer
from tests.eval.kind_sets import call
from tests.tui.conftest import settle
from tests.tui.eval_helpers import error_of, eval_config, fill_form, open_evals, shown_text
from tui.app import CuratorApp
from tui.modals.choice_picker import ChoicePicker
from tui.modals.text_prompt import TextPrompt
from tui.screens.eval_examples_screen import EvalExamplesScreen
from tui.screens.evals_screen import EvalsScreen
from tui.screens.main_screen import MainScreen
from tui.widgets.answer_pane import AnswerPane
from tui.widgets.eval_example_list import EvalExampleList
from tui.widgets.past_evals_list import PastEvalsList

N_EXAMPLES = 8  # 3 planning + 3 extraction + 2 enrichment


def table_cells(screen: EvalsScreen) -> list[tuple[str, ...]]:
    table = screen.results.table
    return [tuple(cell.plain for cell in table.get_row_at(i)) for i in range(table.row_count)]


def expected_cells(result: EvalResult) -> list[tuple[str, ...]]:
    """``table_rows`` with the task named on its first row only, as the screen shows it."""
    cells, previous = [], None
    for row in table_rows(result):
        cells.append((row[0] if row[0] != previous else "", *row[1:]))
        previous = row[0]
    return cells


def record_fake_export(workspace: Path, out_dir: Path) -> None:
    manifest = {
        "hash": "export-abc123",
        "seed": 0,
        "selection": "auto",
        "provider": "fireworks",
        "config_fingerprint": "test",
        "totals": {"examples": N_EXAMPLES},
        "tasks": {},
        "decisions": {},
        "duplicates": {},
        "files": [],
    }
    conn = connect(workspace)
    try:
        record_export(conn, out_dir, manifest)
    finally:
        conn.close()


async def test_launch_from_the_form_shows_the_table_of_run_eval(
    server: ScriptedServer, heldout_dir: Path, tmp_path: Path
) -> None:
    workspace = tmp_path / "ws"
    record_fake_export(workspace, heldout_dir)
    app = CuratorApp(workspace, eval_config(server))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_evals(pilot)
        assert screen.form.value("heldout") == str(heldout_dir)  # offered from the export
        await pilot.press("n", "ctrl+o")  # n: into the form, on candidate: profiles, gold
        assert isinstance(app.screen, ChoicePicker)
        assert [c.value for c in app.screen.choices] == ["tuned", "base", "gold"]
        await pilot.press("escape")
        await pilot.press(*"tuned", "tab", *"base")  # profiles: the server's fenced and gold
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert screen.result is not None and screen.running is None
        assert len(server.log) == 2 * N_EXAMPLES
        assert [run.status for run in screen.query_one(PastEvalsList).runs] == ["done"]

        plan = EvalPlan(heldout_dir, "tuned", "base")
        direct = await to_thread(run_eval, plan, workspace=workspace, config=eval_config(server))
        assert len(server.log) == 2 * N_EXAMPLES  # the same plan again: all from the cache
        assert table_cells(screen) == expected_cells(direct)
        verdicts = shown_text(screen.query_one("#verdicts", Static))
        for task in direct.tasks.values():
            assert task.verdict in verdicts.replace("\n", " ")
        taxonomy = shown_text(screen.query_one("#taxonomy", Static))
        assert "extraction (n=3)  candidate not_json 3  ·  baseline ok 3" in taxonomy


async def test_not_deployed_candidate_opens_with_the_diagnosis(
    server: ScriptedServer, heldout_dir: Path, tmp_path: Path
) -> None:
    app = CuratorApp(tmp_path / "ws", eval_config(server))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_evals(pilot)
        fill_form(screen, heldout_dir, server.model("not-deployed"), "gold")
        await pilot.press("ctrl+r")
        await settle(pilot)
        diagnosis = screen.query_one("#diagnosis", Static)
        assert diagnosis.display and diagnosis.has_class("-shown")
        lines = shown_text(diagnosis).splitlines()
        assert lines[0].startswith(f"DIAGNOSIS candidate {server.model('not-deployed')}")
        assert (
            lines[1]
            .strip()
            .startswith(
                f"{N_EXAMPLES}/{N_EXAMPLES} requests: HTTP 404 Model not found, inaccessible, "
                "and/or not deployed — deploy it with `curator deploy`"
            )
        )
        assert screen.result is not None
        assert screen.result.diagnoses[0].lines()[0] in " ".join(lines).replace("  ", " ")


async def test_drill_down_shows_three_answers_and_filters_lost_examples(
    server: ScriptedServer, heldout_dir: Path, tmp_path: Path
) -> None:
    # The server answers two examples wrongly, so the candidate loses those and ties the rest.
    examples = load_heldout(heldout_dir).examples
    for example in (examples["planning"][1], examples["extraction"][0]):
        server.golds[orjson.dumps(example.prompt, option=orjson.OPT_SORT_KEYS)] = "[]"
    app = CuratorApp(tmp_path / "ws", eval_config(server))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_evals(pilot)
        fill_form(screen, heldout_dir, server.model("gold"), "gold")
        await pilot.press("ctrl+r")
        await settle(pilot)
        result = screen.result
        assert result is not None
        await pilot.press("enter")  # on the first row: planning
        await settle(pilot)
        drill = app.screen
        assert isinstance(drill, EvalExamplesScreen)
        listed = drill.query_one(EvalExampleList)
        assert [e.example.position for e in listed.shown] == [0, 1, 2]

        await pilot.press("down")  # planning #1, the loss
        await settle(pilot)
        gold = shown_text(drill.query_one("#pane-gold", AnswerPane).query_one(Static))
        candidate = shown_text(drill.query_one("#pane-candidate", AnswerPane).query_one(Static))
        baseline = shown_text(drill.query_one("#pane-baseline", AnswerPane).query_one(Static))
        assert '"entity_type": "dentist"' in gold and '"city": "Porto"' in gold
        assert "wrong_shape" in candidate and "array, expected object" in candidate
        assert '"entity_type": "dentist"' in baseline
        metrics = shown_text(drill.query_one("#top-metrics").query_one(Static))
        assert "planning #1" in metrics and "LOSS" in metrics
        assert "required_fields" in metrics

        await pilot.press("l")
        await settle(pilot)
        lost = result.tasks["planning"].lost_examples()
        assert listed.shown == lost and len(lost) == 1
        await pilot.press("t", "t")  # extraction, enrichment, then every task
        await pilot.press("t")
        await settle(pilot)
        every_lost = [e for task in result.tasks.values() for e in task.lost_examples()]
        assert listed.shown == every_lost and len(every_lost) == 2
        await pilot.press("escape")
        assert isinstance(app.screen, EvalsScreen)


async def test_tool_call_drill_down_shows_calls_beside_the_gold(
    kinds_server: ScriptedServer, kinds_dir: Path, tmp_path: Path
) -> None:
    weather = load_heldout(kinds_dir, ["weather_agent"]).examples["weather_agent"]
    lisboa = call("get_weather", {"city": "Lisboa", "unit": "celsius"})
    kinds_server.script(weather[0].prompt, {"content": None, "tool_calls": [lisboa]})
    double_encoded = orjson.dumps('{"origin": "Porto"}').decode()
    bad = {"name": "search_flights", "arguments": double_encoded}
    kinds_server.script(weather[1].prompt, {"tool_calls": [{"id": "c", "function": bad}]})
    app = CuratorApp(tmp_path / "ws", eval_config())
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_evals(pilot)
        fill_form(screen, kinds_dir, kinds_server.model("scripted"), "gold", tasks="weather_agent")
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert screen.result is not None
        assert [row[1] for row in table_cells(screen)][:2] == [
            "tool_name_accuracy",
            "arguments_exact",
        ]
        taxonomy = shown_text(screen.query_one("#taxonomy", Static))
        assert "weather_agent (n=6, tool_call)" in taxonomy  # the Oslo line: 2 steps
        await pilot.press("enter")
        await settle(pilot)
        drill = app.screen
        assert isinstance(drill, EvalExamplesScreen)

        def pane(side: str) -> str:
            return shown_text(drill.query_one(f"#pane-{side}", AnswerPane).query_one(Static))

        assert "→ get_weather" in pane("gold") and '"city": "Lisbon"' in pane("gold")
        assert "→ get_weather" in pane("candidate") and '"city": "Lisboa"' in pane("candidate")
        assert "→ get_weather" in pane("baseline")
        metrics = shown_text(drill.query_one("#top-metrics").query_one(Static))
        assert "tool_call" in metrics and "LOSS" in metrics and "arguments_exact" in metrics
        await pilot.press("down")
        await settle(pilot)
        assert "bad_arguments" in pane("candidate")
        assert "→ search_flights" in pane("candidate")
        assert "arguments not a JSON object" in pane("candidate")


async def test_cancel_mid_run_keeps_the_app_usable_and_a_rerun_resumes(
    server: ScriptedServer, heldout_dir: Path, tmp_path: Path
) -> None:
    server.slow_seconds = 0.6
    workspace = tmp_path / "ws"
    app = CuratorApp(workspace, eval_config(server))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_evals(pilot)
        fill_form(
            screen, heldout_dir, server.model("slow"), "gold", tasks="planning", concurrency="1"
        )
        await pilot.press("ctrl+r")
        for _ in range(200):  # until the first answer is in and the second request is out
            await pilot.pause(0.02)
            if len(server.requests_for("slow")) >= 2:
                break
        await pilot.pause(0.1)
        assert screen.running is not None
        panel_text = shown_text(screen.query_one("#progress-detail", Static))
        assert "answers" in panel_text and "sent" in panel_text
        assert screen.query_one(ProgressBar).total == 6  # 3 examples × 2 models
        await pilot.press("c")
        await settle(pilot)

        assert screen.running is None
        assert "cancelled" in shown_text(screen.query_one("#progress-title", Static))
        stored = list_evals(workspace)[0]
        assert stored.status == "cancelled"
        conn = connect(workspace)
        try:
            answered = {
                item
                for item, exchange in store.linked_items(conn, stored.eval_id).items()
                if exchange is not None and exchange.status == 200
            }
        finally:
            conn.close()
        sent_before = len(server.requests_for("slow"))
        assert 1 <= len(answered) < 3

        await pilot.press("ctrl+r")
        await settle(pilot)
        assert screen.result is not None and screen.result.run.resumed
        assert screen.result.run.eval_id == stored.eval_id
        assert screen.result.run.requests_sent == 3 - len(answered)
        bodies = Counter(orjson.dumps(r["body"]) for r in server.requests_for("slow"))
        assert len(bodies) == 3  # three examples asked
        repeated = [body for body, count in bodies.items() if count > 1]
        # Only the request cut off in flight by the cancel is asked again, never an answered one.
        assert len(repeated) == sent_before - len(answered) <= 1
        assert all(count <= 2 for count in bodies.values())
        assert table_cells(screen)[0][2] == "1.000"


async def test_reopening_a_past_eval_sends_no_request_and_writes_reports(
    server: ScriptedServer, heldout_dir: Path, tmp_path: Path
) -> None:
    workspace = tmp_path / "ws"
    plan = EvalPlan(heldout_dir, server.model("think"), server.model("gold"))
    await to_thread(run_eval, plan, workspace=workspace, config=eval_config(server))
    assert len(server.log) == 2 * N_EXAMPLES
    app = CuratorApp(workspace, eval_config(server))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_evals(pilot)
        past = screen.query_one(PastEvalsList)
        past.focus()
        await pilot.press("enter")
        await settle(pilot)
        assert len(server.log) == 2 * N_EXAMPLES  # reopened: re-scored, nothing sent
        rescored = rescore_eval(workspace, past.runs[0].eval_id, eval_config(server))
        assert table_cells(screen) == expected_cells(rescored)
        assert screen.form.value("candidate") == server.model("think")  # ready to run again

        await pilot.press("m")
        assert isinstance(app.screen, TextPrompt)
        await pilot.press("enter")
        await settle(pilot)
        assert (tmp_path / "eval-1.md").read_text() == render_markdown(rescored)
        await pilot.press("j")
        assert isinstance(app.screen, TextPrompt)
        app.screen.query_one(Input).value = str(tmp_path / "out" / "report.json")
        await pilot.press("enter")
        await settle(pilot)
        assert orjson.loads((tmp_path / "out" / "report.json").read_bytes()) == report_json(
            rescored
        )


async def test_the_form_checks_fields_inline_and_starts_nothing_invalid(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    workspace = tmp_path / "ws"
    app = CuratorApp(workspace, eval_config())
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_evals(pilot)
        fill_form(screen, tmp_path / "missing", "nonsense", "openai:gpt-4o-mini", n="0")
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert "held-out folder not found" in error_of(screen, "heldout")
        assert error_of(screen, "candidate").startswith("✗ nonsense: unknown model; use gold")
        assert "OPENAI_API_KEY is not set" in error_of(screen, "baseline")
        assert error_of(screen, "n") == "✗ N must be at least 1"
        assert screen.running is None and list_evals(workspace) == []
        assert app.focused is screen.form.query_one("#heldout", Input)

        await pilot.press("4")  # typed into the field (focus selected its text), no switch
        assert app.screen is screen and screen.form.value("heldout") == "4"
        assert error_of(screen, "heldout") == ""  # cleared as the field changes
        screen.query_one(PastEvalsList).focus()
        await pilot.press("1")
        assert isinstance(app.screen, MainScreen)
        await pilot.press("4")
        assert app.screen is screen  # the same screen, its state kept


async def test_a_run_that_fails_says_why_and_leaves_the_screen_usable(tmp_path: Path) -> None:
    broken = tmp_path / "broken"
    (broken / "planning").mkdir(parents=True)
    (broken / "planning" / "heldout.jsonl").write_text("not json\n")
    app = CuratorApp(tmp_path / "ws", eval_config())
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_evals(pilot)
        fill_form(screen, broken, "gold", "gold")  # the folder passes; its line does not
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert screen.running is None and screen.result is None
        outcome = shown_text(screen.query_one("#progress-detail", Static))
        assert "planning/heldout.jsonl:1: not valid JSON" in outcome
        assert "not valid JSON" in error_of(screen, "heldout")  # and under its field
        assert app.focused is screen.form.query_one("#heldout", Input)
        fill_form(screen, broken.parent / "missing", "gold", "gold")
        await pilot.press("ctrl+r")  # the screen still takes keys
        await settle(pilot)
        assert "held-out folder not found" in error_of(screen, "heldout")


async def test_a_provider_layout_export_is_offered_and_runs(
    heldout_dir: Path, tmp_path: Path
) -> None:
    """``--layout provider``: flat ``<task>-heldout.jsonl`` files, the manifest in ``OUT.meta``."""
    flat = tmp_path / "flat"
    flat.mkdir()
    for task_file in heldout_dir.glob("*/heldout.jsonl"):
        (flat / f"{task_file.parent.name}-heldout.jsonl").write_bytes(task_file.read_bytes())
    workspace = tmp_path / "ws"
    record_fake_export(workspace, flat)
    app = CuratorApp(workspace, eval_config())
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_evals(pilot)
        assert screen.form.value("heldout") == str(flat)  # offered from the export
        screen.form.query_one("#heldout", Input).focus()
        await pilot.press("ctrl+o")  # on the held-out field: the past exports
        assert isinstance(app.screen, ChoicePicker)
        assert [c.value for c in app.screen.choices] == [str(flat)]
        await pilot.press("escape")
        fill_form(screen, flat, "gold", "gold")
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert error_of(screen, "heldout") == ""
        assert screen.result is not None
        assert sorted(screen.result.tasks) == ["enrichment", "extraction", "planning"]
