"""A real check that pauses inside its first write transaction until a gate file appears.

    python -m tests.safety.paused_check CORPUS WORKSPACE HELD GATE

Writes HELD once it holds the write lock (mid-load), then waits for GATE before going on: the
tests run other commands against the workspace at exactly that point.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from core.check.run import run_check
from core.config import CuratorConfig
from core.store.db import connect


def main() -> int:
    corpus, workspace, held, gate = (Path(arg) for arg in sys.argv[1:5])

    def progress(done: int, total: int, detail: str = "") -> None:
        if not held.exists():
            held.write_text("holding the write lock\n")
        deadline = time.monotonic() + 60
        while not gate.exists() and time.monotonic() < deadline:
            time.sleep(0.01)

    run_check(connect(workspace), [corpus], CuratorConfig(), progress=progress)
    return 0


if __name__ == "__main__":
    sys.exit(main())
