"""Helpers for the Evals screen tests: a fast eval config, model profiles that hide the test
server's port, and ways to reach the screen, fill the form and read what widgets show."""

from __future__ import annotations

import io
from pathlib import Path

from rich.console import Console
from textual.pilot import Pilot
from textual.widgets import Static

from core.config import CuratorConfig
from core.eval.settings import EvalSettings, ModelProfile
from tests.eval.conftest import ScriptedServer
from tests.tui.conftest import settle
from tui.screens.evals_screen import EvalsScreen
from tui.widgets.eval_form import EvalForm

FAST = EvalSettings(timeout_s=5, retries=1, backoff_s=0, bootstrap_resamples=200)


def eval_config(server: ScriptedServer | None = None) -> CuratorConfig:
    """Quick requests and intervals; ``tuned``/``base`` name server models without its port."""
    models = {}
    if server is not None:
        models = {
            "tuned": ModelProfile(model="fenced", base_url=server.url),
            "base": ModelProfile(model="gold", base_url=server.url),
        }
    return CuratorConfig(eval=FAST, models=models)


async def open_evals(pilot: Pilot) -> EvalsScreen:
    """Switch to the Evals screen with ``4`` and let it load what it offers."""
    await settle(pilot)
    await pilot.press("4")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, EvalsScreen), screen
    return screen


def fill_form(screen: EvalsScreen, heldout: Path | str, candidate: str, baseline: str, **more: str):
    """Put values in the form's fields (``n``, ``tasks``, ``concurrency`` by keyword)."""
    form = screen.query_one(EvalForm)
    form.set_value("heldout", str(heldout))
    form.set_value("candidate", candidate)
    form.set_value("baseline", baseline)
    for name, value in more.items():
        form.set_value(name, value)


def shown_text(widget: Static) -> str:
    """What a Static shows, as plain text (Rich renderables rendered without colour)."""
    console = Console(width=200, record=True, color_system=None, file=io.StringIO())
    console.print(widget.content)
    return console.export_text()


def error_of(screen: EvalsScreen, field: str) -> str:
    return shown_text(screen.query_one(f"#{field}-error", Static)).strip()
