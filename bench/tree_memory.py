"""Peak memory of a whole process tree, sampled: the sum of PSS over a process and its children.

GNU ``time`` gives one process's exact peak RSS; a command that spawns worker processes uses
the sum. RSS cannot be summed (shared libraries and copy-on-write pages would count once per
process), PSS can: each shared page is split between the processes mapping it. The sum is
sampled every ``interval`` seconds from ``/proc/<pid>/smaps_rollup``, so a peak shorter than
that may be missed; worker pools hold their memory for seconds, which sampling sees.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

PROC = Path("/proc")


def descendants(root: int) -> list[int]:
    """``root`` and every live process below it."""
    found = [root]
    index = 0
    while index < len(found):
        found.extend(_children(found[index]))
        index += 1
    return found


def _children(pid: int) -> list[int]:
    try:
        tasks = os.listdir(PROC / str(pid) / "task")
    except OSError:
        return []
    children: list[int] = []
    for task in tasks:
        try:
            listed = (PROC / str(pid) / "task" / task / "children").read_text()
            children.extend(int(child) for child in listed.split())
        except (OSError, ValueError):
            continue
    return children


def pss_kib(pid: int) -> int:
    """A process's proportional set size, 0 when it is gone or unreadable."""
    try:
        with open(PROC / str(pid) / "smaps_rollup", "rb") as rollup:
            for line in rollup:
                if line.startswith(b"Pss:"):
                    return int(line.split()[1])
    except (OSError, ValueError):
        return 0
    return 0


class TreeSampler:
    """Samples the summed PSS of ``root``'s tree in a thread until :meth:`stop`."""

    def __init__(self, root: int, interval: float = 0.05) -> None:
        self.root, self.interval = root, interval
        self.peak_kib = 0
        self.processes = 0  # the most processes seen at once
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def start(self) -> TreeSampler:
        self._thread.start()
        return self

    def stop(self) -> int | None:
        """Stop sampling; the peak in KiB, None when no sample was taken."""
        self._stopped.set()
        self._thread.join()
        return self.peak_kib or None

    def _run(self) -> None:
        while True:
            pids = descendants(self.root)
            self.peak_kib = max(self.peak_kib, sum(pss_kib(pid) for pid in pids))
            self.processes = max(self.processes, len(pids))
            if self._stopped.wait(self.interval):
                return
