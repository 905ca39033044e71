"""Waiting between polls without ignoring a cancel request."""

from __future__ import annotations

import threading
import time

from core.progress import check_cancel


def pause(seconds: float, cancel: threading.Event | None = None) -> None:
    """Sleep ``seconds``, waking at once (and raising ``Cancelled``) when ``cancel`` is set."""
    if cancel is None:
        time.sleep(seconds)
        return
    cancel.wait(seconds)
    check_cancel(cancel)
