"""Screen switches in the app (keys ``1``-``4``), timed from the key to the painted screen.

Indexes ``sample_traces/`` into a temporary workspace, then drives :class:`tui.app.CuratorApp`
with Pilot: first visits (each of Datasets, Jobs, Evals once, in a fresh app per round) and
later visits (cycling through all four screens) are timed separately, in milliseconds, and
reported as medians per target screen and overall. Run: ``python -m bench.screen_switch_bench``;
``--core DIR`` times another checkout's ``core/`` and ``tui/`` (before/after in one sitting).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

SAMPLE_TRACES = Path(__file__).resolve().parents[1] / "sample_traces"


def make_workspace(folder: Path) -> Path:
    from core.check.run import run_check
    from core.config import CuratorConfig
    from core.store.db import connect

    store = connect(folder)
    run_check(store, [SAMPLE_TRACES], CuratorConfig())
    store.close()
    return folder


async def _switch(app, pilot, key: str, mode: str) -> float:  # noqa: ANN001
    """Press ``key`` and return the milliseconds until the new screen's frame is painted."""
    start = time.perf_counter()
    await pilot.press(key)
    await pilot.pause()
    assert app.current_mode == mode, (app.current_mode, mode)
    app.screen._on_timer_update()  # noqa: SLF001 - the frame the user would see
    return (time.perf_counter() - start) * 1000


async def run_rounds(workspace: Path, rounds: int, later: int, size: tuple[int, int]) -> dict:
    from core.config import CuratorConfig
    from tui.app import CuratorApp
    from tui.navigation import SCREEN_TABS

    first: dict[str, list[float]] = {tab.label: [] for tab in SCREEN_TABS[1:]}
    after: dict[str, list[float]] = {tab.label: [] for tab in SCREEN_TABS}
    for round_index in range(rounds):
        app = CuratorApp(workspace, CuratorConfig())
        async with app.run_test(size=size) as pilot:
            await pilot.pause(0.3)
            for tab in SCREEN_TABS[1:]:
                first[tab.label].append(await _switch(app, pilot, tab.key, tab.mode))
                await pilot.pause(0.05)
            if round_index:
                continue
            await _switch(app, pilot, SCREEN_TABS[0].key, SCREEN_TABS[0].mode)
            for index in range(later):
                tab = SCREEN_TABS[(index + 1) % len(SCREEN_TABS)]
                after[tab.label].append(await _switch(app, pilot, tab.key, tab.mode))
                await pilot.pause(0.05)
    return {"first": first, "later": after}


def _summary(samples: dict[str, list[float]]) -> dict[str, object]:
    every = [value for values in samples.values() for value in values]
    return {
        "n": len(every),
        "median_ms": round(statistics.median(every), 1),
        "by_screen_ms": {k: round(statistics.median(v), 1) for k, v in samples.items() if v},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7, help="fresh apps for first visits")
    parser.add_argument("--later", type=int, default=20, help="later switches timed")
    parser.add_argument("--size", default="160x50", help="terminal size, COLSxROWS")
    parser.add_argument("--core", type=Path, help="a checkout whose core/ and tui/ to time")
    args = parser.parse_args()
    if args.core:
        sys.path.insert(0, str(args.core.resolve()))
    cols, rows = (int(part) for part in args.size.split("x"))
    with tempfile.TemporaryDirectory() as tmp:
        workspace = make_workspace(Path(tmp) / "ws")
        results = asyncio.run(run_rounds(workspace, args.rounds, args.later, (cols, rows)))
    import core

    report = {
        "core": str(Path(core.__file__).parent.parent),
        "size": args.size,
        "first_visit": _summary(results["first"]),
        "later_visit": _summary(results["later"]),
    }
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
