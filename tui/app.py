"""The app: config, theme, one mode per top-level screen, help and the command palette.

Each mode keeps its own screen stack, so switching away from a running eval and back finds it
where it was. Nothing else lives here: each screen owns its workers and state.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial
from pathlib import Path

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.notifications import SeverityLevel
from textual.screen import Screen

from core.config import CuratorConfig
from core.textsafe import safe_line, safe_text
from tui.keys import key_commands, verb
from tui.modals.keys_help import KeysHelp
from tui.navigation import DATASETS, EVALS, JOBS, REVIEW, tab_bindings
from tui.screens.datasets_screen import DatasetsScreen
from tui.screens.evals_screen import EvalsScreen
from tui.screens.jobs_screen import JobsScreen
from tui.screens.main_screen import MainScreen
from tui.session import ReviewSession

SCREEN_CLASSES: dict[str, type[Screen]] = {
    REVIEW.mode: MainScreen,
    DATASETS.mode: DatasetsScreen,
    JOBS.mode: JobsScreen,
    EVALS.mode: EvalsScreen,
}


class CuratorApp(App[None]):
    """Trace Curator over an indexed workspace: Review, Datasets, Jobs and Evals screens."""

    CSS_PATH = "app.tcss"
    TITLE = "Trace Curator"
    BINDINGS = [
        verb("question_mark", "help", "Keys", "app: Show every key"),
        *tab_bindings(),
        Binding("q", "quit", "Quit", show=False),
    ]

    def __init__(self, workspace: Path, config: CuratorConfig | None = None) -> None:
        super().__init__()
        self.session = ReviewSession.open(workspace, config or CuratorConfig())
        for mode, screen_class in SCREEN_CLASSES.items():
            self.add_mode(mode, partial(screen_class, self.session))

    def on_mount(self) -> None:
        self.switch_mode(REVIEW.mode)

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        """Every notification, from every screen: its text is never markup nor raw controls.

        Notifications quote corpus text (run ids, reasons, errors naming files), so they are
        shown literally; none of the app's own notifications uses markup.
        """
        super().notify(
            safe_text(message, newlines=True),
            title=safe_line(title),
            severity=severity,
            timeout=timeout,
            markup=False,
        )

    def action_help(self) -> None:
        screen = self.screen
        title = getattr(screen, "TITLE", None) or screen.__class__.__name__
        self.push_screen(KeysHelp(list(key_commands(screen)), title))

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        for command in key_commands(screen):
            if command.enabled:
                yield SystemCommand(
                    command.title,
                    f"key: {command.keys}",
                    partial(self.run_action, command.action, command.node),
                )
