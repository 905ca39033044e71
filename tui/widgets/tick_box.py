"""A ``Checkbox`` whose mark is a glyph, not only a colour: ``X`` when on, blank when off.

Textual's checkbox draws the same ``X`` either way and tells the states apart by colour, which
``NO_COLOR`` (and many a colour-blind eye) takes away.
"""

from __future__ import annotations

from textual.widgets import Checkbox


class TickBox(Checkbox):
    """A checkbox readable without colour."""

    def on_mount(self) -> None:
        self.watch_value(self.value)

    def watch_value(self, value: bool) -> None:
        self.BUTTON_INNER = "X" if value else " "
        self.refresh()
