"""The main screens at the sizes a new user has: 60×20, 80×24 and 160×50, in colour and with
``NO_COLOR`` (where only glyphs and bold tell states apart).

Review shows the bundled sample corpus with one call accepted; Datasets its default preview;
Evals the empty form. Update with ``pytest --snapshot-update`` after an intended change, and
look at them.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot

from core.config import CuratorConfig
from tests.tui.conftest import settle
from tests.tui.screens_support import FAST_PROVIDERS, settle_screens
from tui.app import CuratorApp

SIZES = [(60, 20), (80, 24), (160, 50)]
COLOURS = ["colour", "no_color"]


@pytest.fixture(params=COLOURS)
def colour(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    if request.param == "no_color":
        monkeypatch.setenv("NO_COLOR", "1")
    else:
        monkeypatch.delenv("NO_COLOR", raising=False)
    return request.param


def _app(workspace: Path) -> CuratorApp:
    return CuratorApp(workspace, CuratorConfig(providers=FAST_PROVIDERS))


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_review(snap_compare, sample_workspace: Path, size, colour: str) -> None:  # noqa: ANN001
    async def decide_one(pilot: Pilot) -> None:
        await settle(pilot)
        await pilot.press("a", "space", "k")
        await settle(pilot)

    app = _app(sample_workspace)
    assert snap_compare(app, terminal_size=size, run_before=decide_one)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_datasets(snap_compare, sample_workspace: Path, size, colour: str) -> None:  # noqa: ANN001
    async def open_datasets(pilot: Pilot) -> None:
        await settle_screens(pilot)
        await pilot.press("2")
        await settle_screens(pilot)

    app = _app(sample_workspace)
    assert snap_compare(app, terminal_size=size, run_before=open_datasets)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_evals(snap_compare, sample_workspace: Path, size, colour: str) -> None:  # noqa: ANN001
    async def open_evals(pilot: Pilot) -> None:
        await settle(pilot)
        await pilot.press("4")
        await settle(pilot)

    app = _app(sample_workspace)
    assert snap_compare(app, terminal_size=size, run_before=open_evals)
