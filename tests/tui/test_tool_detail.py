"""The detail pane on the real-world corpus: tools folded, tool calls pretty, image placeholders,
tool results with their call ids, the context gauge counting tools, and "n/a" bands."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot

from core.check.run import run_check
from core.config import CuratorConfig
from core.store.db import connect
from tests.realworld.generate import CORPUS
from tests.tui.conftest import move_to, screen_of, settle
from tui.app import CuratorApp
from tui.screens.run_screen import RunScreen
from tui.widgets.band_gauge import BandGauge, band_text


def at(file: str, line: int) -> str:
    return f"c.file_id = (SELECT id FROM files WHERE relpath = '{file}') AND c.line = {line}"


@pytest.fixture
def realworld_workspace(tmp_path: Path) -> Path:
    folder = tmp_path / "realworld_ws"
    store = connect(folder)
    run_check(store, [CORPUS], CuratorConfig())
    store.close()
    return folder


async def detail_lines(pilot: Pilot, where: str) -> str:
    await move_to(pilot, where)
    await settle(pilot)
    return "\n".join(screen_of(pilot).detail_view.plain_lines())


async def test_tool_trajectory_detail(realworld_workspace: Path) -> None:
    app = CuratorApp(realworld_workspace, CuratorConfig())
    async with app.run_test(size=(120, 60)) as pilot:
        await settle(pilot)
        text = await detail_lines(pilot, at("airline-env.jsonl", 3))
        assert "tools 2 schemas — m: show schemas" in text
        assert "ƒ search_flights  Flights between two airports on a date." in text
        assert "ƒ book_flight" in text
        assert '"required"' not in text  # folded: one line per tool
        assert "→ search_flights  t1a" in text and "→ book_flight  t1b" in text
        assert '"origin": "LIS",' in text  # arguments pretty-printed, one key per line
        assert "tool answers t1a" in text and "tool answers t1b" in text
        assert "incl. tools" in text
        view = screen_of(pilot).detail_view
        view.focus()
        await pilot.press("m")
        await settle(pilot)
        expanded = "\n".join(view.plain_lines())
        assert '"required": [' in expanded and "m: show schemas" not in expanded


async def test_broken_tool_call_and_image_parts(realworld_workspace: Path) -> None:
    app = CuratorApp(realworld_workspace, CuratorConfig())
    async with app.run_test(size=(120, 60)) as pilot:
        await settle(pilot)
        text = await detail_lines(pilot, at("tools.jsonl", 3))
        assert "→ get_weather  call_3  ✗ arguments are double-encoded" in text
        assert '"{\\"city\\":\\"Porto\\"}"' in text  # shown as it is
        text = await detail_lines(pilot, at("images.jsonl", 1))
        assert "[image: image/png, 34 KB]" in text
        text = await detail_lines(pilot, at("images.jsonl", 4))
        assert "[image part with a path, not in the chat format: photos/scratch.png]" in text


async def test_bands_of_a_chat_run_are_not_applicable(realworld_workspace: Path) -> None:
    app = CuratorApp(realworld_workspace, CuratorConfig())
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await move_to(pilot, at("airline-steps.jsonl", 1))
        await pilot.press("g")
        await settle(pilot)
        run = pilot.app.screen
        assert isinstance(run, RunScreen) and run.run_id == "airline-steps.jsonl#3"
        texts = [band_text(g.band, 80).plain for g in run.query(BandGauge)]
        assert len(texts) == 8 and all(" n/a" in t and "unknown" not in t for t in texts)
        assert len(run.calls_list.call_ids) == 3


def test_tool_trajectory_snapshot(snap_compare, realworld_workspace: Path) -> None:  # noqa: ANN001
    async def highlight_last_step(pilot: Pilot) -> None:
        await settle(pilot)
        await move_to(pilot, at("airline-env.jsonl", 3))
        await settle(pilot)

    app = CuratorApp(realworld_workspace, CuratorConfig())
    assert snap_compare(app, terminal_size=(120, 40), run_before=highlight_last_step)
