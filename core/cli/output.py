"""Writing to the terminal: data lines to stdout, one-line errors to stderr, TTY progress.

``-q`` silences progress lines and warnings (errors and data are always written); ``-v`` logs
each HTTP request and the library's debug lines to stderr.

Every line written here passes through :mod:`core.textsafe`: corpus text (tasks, run ids, file
names, model answers quoted in messages) never reaches the terminal with its control characters.
"""

from __future__ import annotations

import argparse
import sys
import time
from typing import IO, Any

from core.textsafe import safe_json_bytes, safe_line, safe_text

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
    print(f"curator: error: {safe_line(message)}", file=sys.stderr)


def print_warning(message: str) -> None:
    """One plain warning line on stderr (none with ``-q``)."""
    if QUIET:
        return
    print(f"curator: warning: {safe_line(message)}", file=sys.stderr)


def print_note(message: str) -> None:
    """One plain note line on stderr (flushed: notes tell what a long wait is for)."""
    print(f"curator: note: {safe_line(message)}", file=sys.stderr, flush=True)


def print_text(text: str) -> None:
    """A multi-line block on stdout, newlines kept and every other control made visible."""
    sys.stdout.write(safe_text(text, newlines=True))


def print_line(*fields: object, sep: str = "  ") -> None:
    """One line on stdout: each field made safe on its own, joined with ``sep``."""
    sys.stdout.write(sep.join(safe_line(field) for field in fields).rstrip() + "\n")


def print_json(payload: Any) -> None:
    """One JSON document on stdout."""
    import orjson  # here: ``--version``, ``--help`` and most errors print no JSON

    data = safe_json_bytes(orjson.dumps(payload, option=orjson.OPT_INDENT_2)) + b"\n"
    binary = getattr(sys.stdout, "buffer", None)
    if binary is None:  # stdout replaced by a text stream (an embedding script, a test)
        sys.stdout.write(data.decode())
    else:
        sys.stdout.flush()
        binary.write(data)
    sys.stdout.flush()


class SafeArgumentParser(argparse.ArgumentParser):
    """argparse, whose usage errors quote the arguments given (a script may pass corpus ids
    such as ``-\\x1b[2J``): printed through the sanitiser like every other line."""

    def _print_message(self, message: str, file: IO[str] | None = None) -> None:
        super()._print_message(safe_text(message, newlines=True), file)


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
        sys.stderr.write(f"\r{self.label} {percent} {safe_line(detail)}"[:120].ljust(80))
        sys.stderr.flush()

    def close(self) -> None:
        if self.enabled:
            sys.stderr.write("\r" + " " * 80 + "\r")
            sys.stderr.flush()
