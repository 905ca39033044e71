"""The app: config, theme, one mode per top-level screen, help and the command palette.

Each mode keeps its own screen stack, so switching away from a running eval and back finds it
where it was. Nothing else lives here: each screen owns its workers and state.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial
from pathlib import Path

from textual.actions import parse
from textual.app import App, SystemCommand
from textual.notifications import SeverityLevel
from textual.screen import Screen

from core.config import CuratorConfig
from core.textsafe import safe_line, safe_text
from tui.keys import key_commands, verb
from tui.modals.keys_help import KeysHelp
from tui.navigation import DATASETS, EVALS, JOBS, REVIEW, SCREEN_TABS, tab_bindings
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
        verb("q", "quit", "Quit", "app: Quit", show=False),
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
        titles: set[str] = set()
        for command in key_commands(screen):
            if command.enabled:
                titles.add(command.title)
                yield SystemCommand(
                    command.title,
                    f"key: {command.keys}",
                    partial(self.run_action, command.action, command.node),
                )
        # The other screens' own keys too: choosing one goes to that screen and does it there.
        for tab in SCREEN_TABS:
            if tab.mode == self.current_mode:
                continue
            for key, binding in SCREEN_CLASSES[tab.mode]._merged_bindings:
                title = binding.tooltip or ""
                if ":" not in title or title in titles:
                    continue
                titles.add(title)
                yield SystemCommand(
                    title,
                    f"on {tab.key} {tab.label}, key: {binding.key_display or key}",
                    partial(self._run_on_screen, tab.mode, binding.action),
                )

    async def _run_on_screen(self, mode: str, action: str) -> None:
        await self.switch_mode(mode)
        _namespace, name, parameters = parse(action)
        if self.screen.check_action(name, parameters):
            await self.run_action(action, self.screen)
