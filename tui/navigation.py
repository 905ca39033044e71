"""The app's top-level screens: which key opens which, in the order the header lists them.

Each screen is a Textual *mode* with its own stack (the run view stays open under Review while
you look at Jobs). Adding a screen is one line here and one factory in ``tui/app.py``.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.binding import Binding

from tui.keys import verb


@dataclass(frozen=True, slots=True)
class ScreenTab:
    """A top-level screen: its key, its mode name and the label the header shows."""

    key: str
    mode: str
    label: str


REVIEW = ScreenTab("1", "review", "Review")
DATASETS = ScreenTab("2", "datasets", "Datasets")
JOBS = ScreenTab("3", "jobs", "Jobs")
EVALS = ScreenTab("4", "evals", "Evals")
SCREEN_TABS: tuple[ScreenTab, ...] = (REVIEW, DATASETS, JOBS, EVALS)


def tab_bindings() -> list[Binding]:
    """``1``, ``2``, ... switch screens; navigation, so off the footer but in help and palette."""
    return [
        verb(
            tab.key,
            f"switch_mode('{tab.mode}')",
            tab.label,
            f"app: Go to {tab.key} {tab.label}",
            show=False,
        )
        for tab in SCREEN_TABS
    ]
