"""Reading upload bodies from disk in chunks, with progress and cancellation."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO

from core.progress import Progress, check_cancel

CHUNK_BYTES = 1 << 20

PhaseHook = Callable[[str, str], None]


def iter_file(
    path: Path,
    total: int,
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
    *,
    chunk_bytes: int = CHUNK_BYTES,
) -> Iterator[bytes]:
    """Yield ``path``'s bytes, reporting ``(sent, total, "uploading")`` after each chunk."""
    sent = 0
    with path.open("rb") as handle:
        while chunk := handle.read(chunk_bytes):
            check_cancel(cancel)
            sent += len(chunk)
            yield chunk
            if progress is not None:
                progress(sent, total, "uploading")


class ReopeningFile:
    """Opens a fresh handle for each attempt of a request and closes them all at the end."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._handles: list[IO[bytes]] = []

    def open(self) -> IO[bytes]:
        """A new handle positioned at the start; earlier ones are closed."""
        self.close()
        handle = self.path.open("rb")
        self._handles.append(handle)
        return handle

    def close(self) -> None:
        """Close every handle opened so far."""
        while self._handles:
            self._handles.pop().close()

    def __enter__(self) -> ReopeningFile:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
