"""The app: config, theme, one mode per screen (``1`` Review, ``4`` Evals), help and the palette.

Each mode keeps its own screen stack, so switching away from a running eval and back finds it
where it was. Nothing else lives here.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial
from pathlib import Path

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from core.config import CuratorConfig
from tui.keys import key_commands, verb
from tui.modals.keys_help import KeysHelp
from tui.screens.evals_screen import EvalsScreen
from tui.screens.main_screen import MainScreen
from tui.session import ReviewSession


class CuratorApp(App[None]):
    """Trace Curator's review app over an indexed workspace."""

    CSS_PATH = "app.tcss"
    TITLE = "Trace Curator"
    BINDINGS = [
        verb("question_mark", "help", "Keys", "app: Show every key"),
        verb("1", "switch_mode('review')", "Review", "app: Go to Review", show=False),
        verb("4", "switch_mode('evals')", "Evals", "app: Go to Evals", show=False),
        Binding("q", "quit", "Quit", show=False),
    ]

    def __init__(self, workspace: Path, config: CuratorConfig | None = None) -> None:
        super().__init__()
        self.session = ReviewSession.open(workspace, config or CuratorConfig())
        self.add_mode("review", lambda: MainScreen(self.session))
        self.add_mode("evals", lambda: EvalsScreen(self.session))

    def on_mount(self) -> None:
        self.switch_mode("review")

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
