"""The Datasets screen on a real indexed workspace: the preview is the core's, follows the
options, writes the files and the store row, and a provider violation blocks writing."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from core.config import CuratorConfig
from core.export import ExportOptions, preview_export
from tests.tui.screens_support import (
    fast_app,
    open_datasets,
    recorded_exports,
    set_option,
    settle_screens,
    shown_text,
)
from tui.keys import key_commands
from tui.modals.confirm import Confirm
from tui.widgets.export_form import ExportForm
from tui.widgets.export_preview import ExportPreview
from tui.widgets.exports_table import ExportsTable


@pytest.fixture(autouse=True)
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # the default out dir, datasets/vN, is relative to it


def preview_text(screen) -> str:  # noqa: ANN001
    return shown_text(screen.query_one(ExportPreview).query_one("#preview-body"))


async def test_preview_counts_are_the_cores_and_follow_the_options(
    workspace: Path, conn: sqlite3.Connection
) -> None:
    async with fast_app(workspace).run_test(size=(120, 40)) as pilot:
        screen = await open_datasets(pilot)
        preview = screen.query_one(ExportPreview)
        expected = preview_export(conn, CuratorConfig(), ExportOptions())
        assert preview.plan is not None
        assert preview.plan.counts() == expected.counts()
        assert preview.plan.decisions == expected.decisions
        assert "enrichment" in preview_text(screen)

        await set_option(pilot, screen, "heldout_per_task", "1")
        await set_option(pilot, screen, "near_dup_threshold", "0")
        options = ExportOptions(heldout_per_task=1, near_dup_threshold=0)
        assert preview.plan.options == options
        assert preview.plan.counts() == preview_export(conn, CuratorConfig(), options).counts()
        assert preview.plan.duplicates.near_dup_groups == 0


async def test_an_invalid_option_shows_its_error_and_stops_writing(workspace: Path) -> None:
    async with fast_app(workspace).run_test(size=(120, 40)) as pilot:
        screen = await open_datasets(pilot)
        form = screen.query_one(ExportForm)
        form.query_one("#near_dup_threshold").value = "1.5"
        await pilot.pause()
        error = form.query_one("#near_dup_threshold-error")
        assert "less than or equal to 1" in shown_text(error)
        assert screen.choice is None
        assert screen.check_action("write_export", ()) is None


async def test_write_produces_the_files_and_a_store_row(workspace: Path, tmp_path: Path) -> None:
    async with fast_app(workspace).run_test(size=(120, 40)) as pilot:
        screen = await open_datasets(pilot)
        await set_option(pilot, screen, "provider", "together")
        assert "together checks pass: w writes 8 examples" in preview_text(screen)
        await pilot.press("w")
        await pilot.pause()
        assert isinstance(pilot.app.screen, Confirm)
        assert "datasets/v1" in pilot.app.screen.body
        await pilot.press("y")
        await settle_screens(pilot)

        out = tmp_path / "datasets" / "v1"
        assert (out / "manifest.json").is_file()
        plan = screen.query_one(ExportPreview).plan
        for task, counts in plan.counts().items():
            lines = (out / task / "train.jsonl").read_bytes().count(b"\n")
            assert lines == counts["train"]
        [record] = recorded_exports(workspace)
        assert Path(record.out_dir) == out.resolve()
        assert record.examples == sum(c["train"] + c["heldout"] for c in plan.counts().values())
        table = screen.query_one(ExportsTable)
        assert table.row_count == 1 and table.current == record
        assert form_value(screen, "out_dir") == "datasets/v2"  # the next write will not replace it
        assert screen.busy is None
        assert screen.check_action("cancel_work", ()) is False  # escape is hidden when idle


async def test_a_provider_violation_blocks_write_and_names_task_file_and_trace(
    workspace: Path, tmp_path: Path
) -> None:
    async with fast_app(workspace).run_test(size=(120, 40)) as pilot:
        screen = await open_datasets(pilot)
        await set_option(pilot, screen, "provider", "fireworks")
        text = preview_text(screen)
        assert "Write blocked" in text
        assert "fireworks: planning: planning/train.jsonl:" in text
        assert "Fireworks needs at least 3" in text
        assert screen.check_action("write_export", ()) is None
        commands = {c.title: c.enabled for c in key_commands(screen)}
        assert commands["export: Write the dataset…"] is False  # greyed in help and palette
        assert commands["app: Go to 3 Jobs"] is True
        await pilot.press("w")
        await pilot.pause()
        assert not isinstance(pilot.app.screen, Confirm)
        assert not (tmp_path / "datasets").exists()
        assert recorded_exports(workspace) == []


async def test_decisions_made_on_review_refresh_the_preview(workspace: Path) -> None:
    async with fast_app(workspace).run_test(size=(120, 40)) as pilot:
        screen = await open_datasets(pilot)
        before = screen.query_one(ExportPreview).plan.decisions.accepted
        await pilot.press("1")
        await settle_screens(pilot)
        await pilot.press("a")  # accept the first call
        await settle_screens(pilot)
        await pilot.press("2")
        await settle_screens(pilot)
        assert screen.query_one(ExportPreview).plan.decisions.accepted == before + 1


async def test_preview_rows_add_up_with_a_left_out_column(
    workspace: Path, conn: sqlite3.Connection, tmp_path: Path
) -> None:
    async with fast_app(workspace).run_test(size=(120, 40)) as pilot:
        screen = await open_datasets(pilot)
        await set_option(pilot, screen, "provider", "together")
        plan = screen.query_one(ExportPreview).plan
        text = preview_text(screen)
        assert "left out" in text.splitlines()[0]
        for task, row in plan.counts().items():
            assert row["selected"] == (
                row["train"] + row["heldout"] + row["left_out"] + row["duplicates"]
            )
            shown = next(line.split() for line in text.splitlines() if line.startswith(task))
            assert shown[1:] == [
                str(row[key]) for key in ("selected", "train", "heldout", "left_out", "duplicates")
            ]
        await set_option(pilot, screen, "keep_heldout_runs", True)
        await set_option(pilot, screen, "layout", "provider")
        options = ExportOptions(provider="together", keep_heldout_runs=True, layout="provider")
        assert screen.query_one(ExportPreview).plan.options == options
        assert screen.query_one(ExportPreview).plan.totals()["left_out"] == 0
        await pilot.press("w", "y")
        await settle_screens(pilot)
        out = tmp_path / "datasets" / "v1"
        assert all(p.suffix == ".jsonl" for p in out.iterdir())
        assert (tmp_path / "datasets" / "v1.meta" / "manifest.json").is_file()


def form_value(screen, field: str) -> str:  # noqa: ANN001
    return screen.query_one(ExportForm).query_one(f"#{field}").value


def test_datasets_screen_snapshot(snap_compare, workspace: Path) -> None:  # noqa: ANN001
    """The default options' preview: Fireworks' minimum blocks writing, and says where."""

    async def show_preview(pilot) -> None:  # noqa: ANN001
        screen = await open_datasets(pilot)
        assert screen.query_one(ExportPreview).plan is not None

    assert snap_compare(fast_app(workspace), terminal_size=(120, 40), run_before=show_preview)
