"""Who is writing the workspace: a marker a running check leaves, read by waiting processes.

A check holds SQLite's write lock for its loads; a ``decide``, ``export`` or second ``check``
started meanwhile waits (bounded) and must say what it waits for. The marker is a small JSON
file per checking process beside the database (written atomically, removed when the check
ends). A check killed
with ``kill -9`` leaves it behind: a marker whose process is gone is stale and ignored, so
crash recovery needs nothing more.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import orjson

MARKER_SUFFIX = ".check-running"  # one file per checking process: <pid>.check-running


@dataclass(frozen=True, slots=True)
class RunningCheck:
    """The check a marker describes."""

    pid: int
    started: str  # ISO 8601, UTC

    def describe(self) -> str:
        when = self.started.replace("T", " ").removesuffix("+00:00")
        return f"a check started at {when} UTC by pid {self.pid} is running"


def workspace_of(conn: sqlite3.Connection) -> Path | None:
    """The folder of the connection's main database file (None for an in-memory one)."""
    for _seq, name, file in conn.execute("PRAGMA database_list"):
        if name == "main" and file:
            return Path(file).parent
    return None


@contextmanager
def check_marker(workspace: Path | None) -> Iterator[None]:
    """Leave a marker naming this process for as long as the block runs."""
    if workspace is None:
        yield
        return
    marker = workspace / f"{os.getpid()}{MARKER_SUFFIX}"
    started = datetime.now(UTC).replace(microsecond=0).isoformat()
    temp = workspace / f".{marker.name}.tmp"
    try:
        temp.write_bytes(orjson.dumps({"pid": os.getpid(), "started": started}))
        os.replace(temp, marker)
    except OSError:  # a marker is a courtesy to waiting processes: never fail a check for it
        with suppress(OSError):
            temp.unlink(missing_ok=True)
        yield
        return
    try:
        yield
    finally:
        with suppress(OSError):
            marker.unlink(missing_ok=True)


def running_checks(workspace: Path | None) -> list[RunningCheck]:
    """The checks running on ``workspace``, oldest first; stale markers are swept."""
    if workspace is None:
        return []
    found: list[RunningCheck] = []
    for marker in workspace.glob(f"*{MARKER_SUFFIX}"):
        try:
            data = orjson.loads(marker.read_bytes())
            check = RunningCheck(pid=int(data["pid"]), started=str(data["started"]))
        except (OSError, ValueError, KeyError, TypeError):
            continue
        if _alive(check.pid):
            found.append(check)
        else:  # left by a killed check
            with suppress(OSError):
                marker.unlink(missing_ok=True)
    return sorted(found, key=lambda check: (check.started, check.pid))


def busy_holder(workspace: Path | None) -> str:
    """What holds the workspace, for a "waiting for …" or "workspace busy: …" line."""
    found = running_checks(workspace)
    if found:
        more = f" (and {len(found) - 1} more)" if len(found) > 1 else ""
        return found[0].describe() + more
    return "another curator process is writing to it"


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: alive
        return True
    return True
