"""Coming back to a screen without restyling every widget on it.

Textual restyles a resumed screen's whole tree (``ScreenResume.refresh_styles``), which is most
of a screen switch's time on the busier screens. A suspended screen's own widgets keep their
styles current (a class change restyles at once, on any screen), so the tree can only be stale
when something above it changed while it was away: the app's classes or pseudo-classes (focus,
theme, ``NO_COLOR``) or the stylesheet. :class:`QuickResume` notes those on suspend and lets
Textual restyle on resume only when one of them differs.
"""

from __future__ import annotations

from collections.abc import Hashable

from textual import events
from textual.app import App


def app_style_state(app: App[object]) -> Hashable:
    """What a screen's styles depend on from outside it: app classes, pseudo-classes, CSS."""
    return (
        frozenset(app.classes),
        frozenset(app.get_pseudo_classes()),
        app.theme,
        getattr(app, "_css_update_count", None),
    )


class QuickResume:
    """A screen mix-in (list it before ``Screen``): skip the full restyle when nothing changed.

    Textual calls each class's own handler along the MRO, so this one runs before
    ``Screen._on_screen_resume`` and can tell it the restyle is not needed.
    """

    _suspended_style_state: Hashable = None

    def _on_screen_suspend(self) -> None:
        self._suspended_style_state = app_style_state(self.app)  # type: ignore[attr-defined]

    def _on_screen_resume(self, event: events.ScreenResume) -> None:
        state, self._suspended_style_state = self._suspended_style_state, None
        if state is not None and state == app_style_state(self.app):  # type: ignore[attr-defined]
            event.refresh_styles = False
