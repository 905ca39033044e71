"""The progress protocol long core work reports through, and cancellation.

A long function takes ``progress: Progress | None`` and ``cancel: threading.Event | None``; it
calls ``progress(done, total, detail)`` as it goes (total 0 when unknown) and stops with
:class:`Cancelled` soon after ``cancel`` is set.
"""

from __future__ import annotations

import threading
from typing import Protocol


class Progress(Protocol):
    """Receives (done, total, detail) updates; must be cheap and thread-safe."""

    def __call__(self, done: int, total: int, detail: str = "") -> None: ...


class Cancelled(Exception):
    """Raised by long work when its cancel event was set."""


def check_cancel(cancel: threading.Event | None) -> None:
    """Raise :class:`Cancelled` when the event is set."""
    if cancel is not None and cancel.is_set():
        raise Cancelled()


def no_progress(done: int, total: int, detail: str = "") -> None:
    """A progress sink that ignores updates."""
