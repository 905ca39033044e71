"""The Evals screen's "last turn only" box: every step of a trajectory by default, one
example per line when ticked, and a stored eval fills the box back."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Checkbox

from tests.eval.conftest import write_heldout
from tests.eval.test_eval_steps import trajectory
from tests.tui.conftest import settle
from tests.tui.eval_helpers import eval_config, fill_form, open_evals
from tui.app import CuratorApp
from tui.widgets.eval_form import EvalForm


async def test_the_form_scores_every_step_or_only_the_last_turn(tmp_path: Path) -> None:
    heldout = write_heldout(tmp_path / "agent", {"airline": [trajectory()]})
    app = CuratorApp(tmp_path / "ws", eval_config())
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_evals(pilot)
        fill_form(screen, heldout, "gold", "gold")
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert screen.result is not None
        assert screen.result.tasks["airline"].n == 3  # both tool-call steps and the reply
        assert not screen.result.run.last_turn_only

        form = screen.query_one(EvalForm)
        form.query_one("#last-turn-only", Checkbox).value = True
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert screen.result.tasks["airline"].n == 1
        assert screen.result.run.last_turn_only
        assert screen.result.tasks["airline"].examples[0].example.id == "L1#3"
