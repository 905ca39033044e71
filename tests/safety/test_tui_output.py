"""The app shows a hostile trace literally: no markup read from it, no raw control character.

What is checked is what the terminal would receive: the composed screen (every layer: lists,
detail pane, facets, modals, notifications) rendered as Textual writes it.
"""

from __future__ import annotations

import io
from pathlib import Path

import orjson
import pytest
from rich.console import Console
from textual.pilot import Pilot

from core.check.run import run_check
from core.config import CuratorConfig
from core.providers.records import JobRecord
from core.store.db import connect
from tests.factories import call, summary, write_jsonl
from tests.safety.hostile import CLEAR, LINK, MARKUP, OSC52, TITLE, assert_clean
from tests.tui.conftest import settle
from tui.app import CuratorApp
from tui.modals.reject_reason import RejectReason
from tui.screens.run_screen import RunScreen
from tui.widgets.call_detail_view import CallDetailView
from tui.widgets.eval_render import answer_text
from tui.widgets.job_detail import job_table

HOSTILE_RUN = f"run{OSC52}{MARKUP}"


def hostile_record(index: int, value: str) -> dict:
    record = call(
        "extraction",
        run_id=HOSTILE_RUN if index == 0 else f"r{index}{value}",
        output=f"{MARKUP} {value}",
        model=f"{MARKUP}{value}",
        round=1,
    )
    record["metadata"]["task"] = f"t{index}{MARKUP}{value}"
    record["metadata"][f"key{MARKUP}"] = value
    record["messages"][1]["content"] += f"\n{value}\n{MARKUP}"
    record["messages"].insert(1, {"role": f"odd{MARKUP}{value}", "content": value})
    return record


@pytest.fixture
def hostile_app(tmp_path: Path) -> CuratorApp:
    corpus = tmp_path / "traces"
    values = [OSC52, TITLE, CLEAR, LINK]
    write_jsonl(corpus / "extraction.jsonl", [hostile_record(i, v) for i, v in enumerate(values)])
    write_jsonl(corpus / "runs.jsonl", [summary(HOSTILE_RUN, stop_reason=f"{TITLE}{MARKUP}")])
    workspace = tmp_path / "ws"
    conn = connect(workspace)
    run_check(conn, [corpus], CuratorConfig())
    conn.close()
    return CuratorApp(workspace, CuratorConfig())


def screen_text(pilot: Pilot) -> str:
    """The whole screen as the terminal would get it (text only, every layer composed)."""
    app = pilot.app
    console = Console(
        width=app.size.width,
        height=app.size.height,
        file=io.StringIO(),
        force_terminal=True,
        color_system="truecolor",
        record=True,
        legacy_windows=False,
        safe_box=False,
    )
    console.print(
        app.screen._compositor.render_update(full=True, screen_stack=app._background_screens)
    )
    return console.export_text(styles=False)


async def test_list_detail_and_facets_show_the_trace_literally(hostile_app: CuratorApp) -> None:
    async with hostile_app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        assert_clean(screen_text(pilot))
        detail = "\n".join(pilot.app.screen.query_one(CallDetailView).plain_lines())
        assert_clean(detail)
        assert MARKUP in detail  # shown as typed, not read as markup
        assert "\\x1b]52;c;cHduZWQ=" in detail  # (Rich drops the BEL itself)
        for _ in range(3):  # every hostile call in the detail pane
            await pilot.press("j")
            await settle(pilot)
            assert_clean(screen_text(pilot))
        await pilot.press("f")  # the facets: tasks and models from the corpus
        await settle(pilot)
        text = screen_text(pilot)
        assert_clean(text)
        assert "[bold red]" in text
        assert pilot.app.is_running  # [@click=app.quit] was not an action


async def test_run_view_notifications_and_reject_modal(hostile_app: CuratorApp) -> None:
    async with hostile_app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        await pilot.press("A")  # accept the run: a notification quoting its id
        await settle(pilot)
        assert_clean(screen_text(pilot))
        notice = list(pilot.app._notifications)[-1]  # what the toast shows
        assert not notice.markup
        assert_clean(notice.message)
        assert notice.message.startswith(f"accepted run run\\x1b]52;c;cHduZWQ=\\x07{MARKUP}")
        await pilot.press("R")  # reject the run: the modal names it
        await settle(pilot)
        assert isinstance(pilot.app.screen, RejectReason)
        assert_clean(screen_text(pilot))
        await pilot.press("tab", *"why", "enter")
        await settle(pilot)
        assert_clean(screen_text(pilot))
        await pilot.press("g")  # the run view: id, reason, summary figures
        await settle(pilot)
        assert isinstance(pilot.app.screen, RunScreen)
        text = screen_text(pilot)
        assert_clean(text)
        assert "[bold red]x[/]" in text
        assert pilot.app.is_running


def rendered(renderable: object) -> str:
    """A Rich renderable as the terminal would get it (text only)."""
    console = Console(width=100, file=io.StringIO(), force_terminal=True, record=True)
    console.print(renderable)
    return console.export_text(styles=False)


def test_model_answers_and_provider_fields_render_literally() -> None:
    hostile = f"{MARKUP}{OSC52}{CLEAR}"
    for content in (hostile, orjson.dumps({"name": hostile}).decode()):
        text = rendered(answer_text(content))
        assert_clean(text)
        assert "[bold red]" in text
    job = JobRecord(
        id=1, provider="fireworks", job_id=f"job{hostile}", job_name=hostile, upload_id=None,
        dataset_ref=hostile, eval_dataset_ref=None, base_model=hostile, spec="{}",
        state="succeeded", raw_state=hostile, terminal=True, percent=None,
        output_model=f"model{hostile}", error=f"error {hostile}", created_at="", updated_at="",
    )  # fmt: skip
    text = rendered(job_table(job, None))
    assert_clean(text)
    assert text.count("[bold red]x[/]") >= 4  # dataset, base model, error, model: all literal
