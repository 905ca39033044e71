"""Kill figures: SIGKILL checks with workers and exports at random moments; count what is left.

    python bench/kill_figures.py --checks 20 --exports 30

For each killed check: worker processes still alive 5 s later (must be 0). For each killed
export: instants the output folder was missing (a watcher thread stats it in a loop), sets on
disk that do not match their manifest, and temp folders left after the next export (all 0).
"""

from __future__ import annotations

import argparse
import hashlib
import random
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import orjson

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.factories import call, summary, write_jsonl  # noqa: E402
from tests.hardening.test_kills import (  # noqa: E402
    CHECK_WITH_WORKERS,
    _alive,
    _children,
    kill_export,
)


def killed_checks(count: int, folder: Path, rng: random.Random) -> tuple[int, int]:
    """(checks killed with workers running, workers that outlived their check)."""
    killed = survivors = 0
    for n in range(count):
        check = subprocess.Popen(
            [sys.executable, "-c", CHECK_WITH_WORKERS, "check", str(ROOT / "sample_traces"),
             "--workspace", str(folder / f"check-{n}")],
            cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        workers: set[int] = set()
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and len(workers) < 2 and check.poll() is None:
            workers = _children(check.pid)
            time.sleep(0.02)
        time.sleep(rng.uniform(0.05, 0.6))
        if check.poll() is None and workers:
            check.send_signal(signal.SIGKILL)
            killed += 1
        check.wait()
        time.sleep(5)
        alive = [pid for pid in workers if _alive(pid)]
        survivors += len(alive)
        for pid in alive:
            subprocess.run(["kill", "-9", str(pid)], check=False)
    return killed, survivors


def _intact(out: Path) -> bool:
    manifest = orjson.loads((out / "manifest.json").read_bytes())
    return all(
        hashlib.sha256((out / f["path"]).read_bytes()).hexdigest() == f["sha256"]
        for f in manifest["files"]
    )


def killed_exports(count: int, folder: Path, rng: random.Random) -> dict[str, int]:
    corpus = folder / "corpus"
    runs = [f"r-{n}" for n in range(1500)]
    for task in ("extraction", "planning"):
        lines = [call(task, run_id=run, round=1, new_entities=2) for run in runs]
        for run, line in zip(runs, lines, strict=True):
            line["messages"][0]["content"] += f" Run {run}. " + "Be exact. " * 200
        write_jsonl(corpus / f"{task}.jsonl", lines)
    write_jsonl(corpus / "runs.jsonl", [summary(run) for run in runs])
    out = folder / "exports" / "out"

    def export(seed: int, target: Path = out) -> subprocess.Popen[bytes]:
        return subprocess.Popen(
            [sys.executable, "-m", "core.cli", "export", str(corpus), "--out", str(target),
             "--workspace", str(folder / "ws"), "--heldout", "3", "--near-dup", "0",
             "--seed", str(seed)],
            cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip

    export(0).wait()  # indexes the corpus
    missing: list[float] = []
    stop = threading.Event()

    def watch() -> None:
        while not stop.is_set():
            if not (out / "manifest.json").exists():
                missing.append(time.monotonic())

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    started = time.monotonic()
    export(100).wait()
    whole = time.monotonic() - started
    killed = corrupt = mid_write = 0
    for seed in range(1, count + 1):
        running = export(seed)
        if seed % 2:  # in the write or the swap, else anywhere (past the end: no kill)
            killed += kill_export(running, out, rng.uniform(0, 0.02), while_writing=True)
        else:
            killed += kill_export(running, out, rng.uniform(0.2, 1.1) * whole, while_writing=False)
        running.wait()
        corrupt += not _intact(out)
        mine = f".out.tmp-{running.pid}-"  # its own staging folder: killed mid-write or -swap
        mid_write += any(p.name.startswith(mine) for p in out.parent.iterdir())
    stop.set()
    watcher.join()
    export(999, folder / "exports" / "other").wait()
    debris = sum(1 for p in out.parent.iterdir() if p.name.startswith("."))
    return {"exports": count, "killed": killed, "killed while writing or swapping": mid_write,
            "missing instants": len(missing), "corrupt sets": corrupt,
            "temp folders left": debris}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--checks", type=int, default=20)
    parser.add_argument("--exports", type=int, default=30)
    parser.add_argument("--seed", type=int, default=14)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory() as tmp:
        killed, survivors = killed_checks(args.checks, Path(tmp), rng)
        print(f"checks: {args.checks} run, {killed} killed with workers, {survivors} workers left")
        figures = killed_exports(args.exports, Path(tmp), rng)
        print("exports: " + ", ".join(f"{value} {name}" for name, value in figures.items()))


if __name__ == "__main__":
    main()
