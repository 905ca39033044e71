"""Snapshots of the Evals screen's results and of the drill-down at 120×40.

The eval runs once against the scripted server through profiles (``tuned`` is its fenced model,
``base`` its gold), so no port is on screen; the store's clock is fixed, stored latencies are set
to 120 ms, and paths are relative to the test's folder. The screen reopens the stored eval, which
is also what a user sees after picking a past eval. Update with ``pytest --snapshot-update`` after
an intended change, and look at them.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot

from core.eval import store
from core.eval.heldout import load_heldout
from core.eval.runner import EvalPlan, run_eval
from core.eval.settings import ModelProfile
from core.store.db import connect
from tests.eval.conftest import ScriptedServer
from tests.eval.kind_sets import call
from tests.tui.conftest import settle
from tests.tui.eval_helpers import eval_config, open_evals
from tui.app import CuratorApp
from tui.widgets.past_evals_list import PastEvalsList

EXTRACTION_FIRST_ROW = 8  # planning has 8 rows in the table


@pytest.fixture
def stored_eval(
    server: ScriptedServer, heldout_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """A workspace holding one finished eval, tuned vs base, with fixed times and latencies."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(store, "_now", lambda: "2025-01-02T09:30:00+00:00")
    workspace = tmp_path / "ws"
    plan = EvalPlan(Path("heldout"), "tuned", "base")
    run_eval(plan, workspace=workspace, config=eval_config(server))
    conn = connect(workspace)
    try:
        with conn:
            conn.execute("UPDATE eval_responses SET latency_ms = 120")
    finally:
        conn.close()
    return workspace


async def reopen(pilot: Pilot) -> None:
    screen = await open_evals(pilot)
    screen.query_one(PastEvalsList).focus()
    await pilot.press("enter")
    await settle(pilot)


def test_results_table(snap_compare, stored_eval: Path, server: ScriptedServer) -> None:  # noqa: ANN001
    app = CuratorApp(stored_eval, eval_config(server))
    assert snap_compare(app, terminal_size=(120, 40), run_before=reopen)


def test_drill_down(snap_compare, stored_eval: Path, server: ScriptedServer) -> None:  # noqa: ANN001
    async def open_extraction(pilot: Pilot) -> None:
        await reopen(pilot)
        await pilot.press(*["down"] * EXTRACTION_FIRST_ROW, "enter")
        await settle(pilot)

    app = CuratorApp(stored_eval, eval_config(server))
    assert snap_compare(app, terminal_size=(120, 40), run_before=open_extraction)


@pytest.fixture
def stored_tool_eval(
    kinds_server: ScriptedServer, kinds_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """A finished eval of the tool-calling agent: the candidate names the wrong city once."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(store, "_now", lambda: "2025-01-02T09:30:00+00:00")
    examples = load_heldout(kinds_dir, ["weather_agent"]).examples["weather_agent"]
    for example in examples[1:]:  # the gold calls, except for the first example
        calls = example.record["messages"][-1]["tool_calls"]
        kinds_server.script(example.prompt, {"content": None, "tool_calls": calls})
    lisboa = call("get_weather", {"city": "Lisboa", "unit": "celsius"})
    kinds_server.script(examples[0].prompt, {"content": None, "tool_calls": [lisboa]})
    workspace = tmp_path / "ws"
    config = eval_config().model_copy(
        update={"models": {"agent": ModelProfile(model="scripted", base_url=kinds_server.url)}}
    )
    run_eval(EvalPlan(Path("kinds"), "agent", "gold", tasks=["weather_agent"]),
             workspace=workspace, config=config)  # fmt: skip
    conn = connect(workspace)
    try:
        with conn:
            conn.execute("UPDATE eval_responses SET latency_ms = 120")
    finally:
        conn.close()
    return workspace


def test_tool_call_drill_down(snap_compare, stored_tool_eval: Path) -> None:  # noqa: ANN001
    async def open_examples(pilot: Pilot) -> None:
        await reopen(pilot)
        await pilot.press("enter")
        await settle(pilot)

    app = CuratorApp(stored_tool_eval, eval_config())
    assert snap_compare(app, terminal_size=(120, 40), run_before=open_examples)
