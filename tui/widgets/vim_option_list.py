"""An ``OptionList`` that also moves with ``j``/``k`` and ``g``/``G``, like every list here."""

from __future__ import annotations

from textual.binding import Binding
from textual.widgets import OptionList


class VimOptionList(OptionList):
    """The option list of the app's pickers: arrows and the vim keys both move."""

    BINDINGS = [
        Binding("j", "cursor_down", "Down", show=False),
        Binding("k", "cursor_up", "Up", show=False),
        Binding("g", "first", "First", show=False),
        Binding("G", "last", "Last", show=False),
    ]
