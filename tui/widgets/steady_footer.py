"""The footer, rebuilt only when the keys it would show have changed.

Textual's :class:`~textual.widgets.Footer` recomposes all its keys on every bindings update, and
a screen switch sends two or three of those (focus, stack, the list's highlight); each rebuild
mounts a dozen key widgets and restyles them. Coming back to a screen, its keys are almost
always the ones already shown, so this footer compares what it would show with what it shows
and skips the rebuild when they match. A rebuild, when needed, still reads the screen's
bindings at the time it runs, as Textual's does.
"""

from __future__ import annotations

from collections.abc import Hashable

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer


class SteadyFooter(Footer):
    """A :class:`Footer` that skips rebuilds which would show the same keys."""

    def __init__(self) -> None:
        super().__init__()
        self._shown: Hashable = None

    def _wanted(self) -> Hashable:
        """What a rebuild would show now: each key's binding, state and tooltip, in order."""
        app = self.app
        return (
            self.compact,
            self.show_command_palette,
            tuple(
                (binding.key, app.get_key_display(binding), binding.description, binding.action)
                + (binding.group, enabled, tooltip)
                for _node, binding, enabled, tooltip in self.screen.active_bindings.values()
                if binding.show or binding.key == app.COMMAND_PALETTE_BINDING
            ),
        )

    def compose(self) -> ComposeResult:
        if self._bindings_ready:
            self._shown = self._wanted()
        yield from super().compose()

    def bindings_changed(self, screen: Screen) -> None:
        if self._bindings_ready and screen is self.screen and self._wanted() == self._shown:
            return
        super().bindings_changed(screen)
