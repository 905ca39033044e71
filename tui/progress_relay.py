"""Core progress callbacks for workers: coalesced to a few UI messages a second.

Core functions call ``progress(done, total, detail)`` as often as they like; a relay forwards
the latest update at most every :data:`INTERVAL` seconds (and always the last one), so a fast
loop never floods the message queue.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

INTERVAL = 0.25


class ProgressRelay:
    """A thread-safe :class:`core.progress.Progress` that calls ``post`` at most ~4 times/s."""

    def __init__(self, post: Callable[[int, int, str], None], interval: float = INTERVAL) -> None:
        self._post = post
        self._interval = interval
        self._last = 0.0
        self._lock = threading.Lock()

    def __call__(self, done: int, total: int, detail: str = "") -> None:
        now = time.monotonic()
        with self._lock:
            finished = total > 0 and done >= total
            if not finished and now - self._last < self._interval:
                return
            self._last = now
        self._post(done, total, detail)
