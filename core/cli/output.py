"""Writing to the terminal: data lines to stdout, one-line errors to stderr, TTY progress.

``-q`` silences progress lines and warnings (errors and data are always written); ``-v`` logs
each HTTP request and the library's debug lines to stderr.
"""

from __future__ import annotations

import sys
import time
from typing import Any

import orjson

QUIET = False  # set once per command by configure()


def configure(*, verbose: bool = False, quiet: bool = False) -> None:
    """Apply the top-level ``-v`` / ``-q`` options."""
    global QUIET
    QUIET = quiet
    if verbose:
        import logging

        logging.basicConfig(
            level=logging.DEBUG, stream=sys.stderr, format="curator: %(name)s: %(message)s"
        )
        for noisy in ("httpcore", "asyncio"):  # connection-level chatter, not requests
            logging.getLogger(noisy).setLevel(logging.INFO)


def print_error(message: str) -> None:
    """One plain error line on stderr."""
    print(f"curator: error: {message}", file=sys.stderr)


def print_warning(message: str) -> None:
    """One plain warning line on stderr (none with ``-q``)."""
    if QUIET:
        return
    print(f"curator: warning: {message}", file=sys.stderr)


def print_json(payload: Any) -> None:
    """One JSON document on stdout."""
    data = orjson.dumps(payload, option=orjson.OPT_INDENT_2) + b"\n"
    binary = getattr(sys.stdout, "buffer", None)
    if binary is None:  # stdout replaced by a text stream (an embedding script, a test)
        sys.stdout.write(data.decode())
    else:
        sys.stdout.flush()
        binary.write(data)
    sys.stdout.flush()


class ProgressLine:
    """A single self-rewriting progress line on stderr, shown only on a TTY, ~4 updates/s."""

    def __init__(self, label: str) -> None:
        self.label = label
        self.enabled = sys.stderr.isatty() and not QUIET
        self._last = 0.0

    def __call__(self, done: int, total: int, detail: str = "") -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        if now - self._last < 0.25 and done < total:
            return
        self._last = now
        percent = f"{100 * done / total:5.1f}%" if total else ""
        sys.stderr.write(f"\r{self.label} {percent} {detail}"[:120].ljust(80))
        sys.stderr.flush()

    def close(self) -> None:
        if self.enabled:
            sys.stderr.write("\r" + " " * 80 + "\r")
            sys.stderr.flush()
