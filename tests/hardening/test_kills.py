"""What a kill leaves: no idle worker after a killed check, never a missing or half export."""

from __future__ import annotations

import hashlib
import os
import random
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import orjson
import pytest

from core.check.parallel import usable_cpus
from core.export.writer import exchange
from tests.factories import call, summary, write_jsonl

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "sample_traces"

# A check whose every chunk goes to the worker pool, slowed so the kill lands mid-run.
CHECK_WITH_WORKERS = """
import sys, time
from core.check import call_rows, chunks, parallel
from core.cli import main
parallel.PARALLEL_MIN_BYTES = 0
chunks.CHUNK_BYTES = 2000
real = call_rows.chunk_rows
def slow(chunk, config):
    time.sleep(0.05)
    return real(chunk, config)
parallel.chunk_rows = slow
sys.exit(main(sys.argv[1:]))
"""


def _children(pid: int) -> set[int]:
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.add(int(entry.name))
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.skipif(sys.platform != "linux", reason="reads /proc")
@pytest.mark.skipif(usable_cpus() < 2, reason="one CPU: checks run without workers")
@pytest.mark.parametrize("start_method", ["fork", "spawn"])
def test_killing_a_check_kills_its_workers(tmp_path: Path, start_method: str) -> None:
    script = CHECK_WITH_WORKERS.replace(
        "parallel.PARALLEL_MIN_BYTES = 0",
        f"parallel.PARALLEL_MIN_BYTES = 0\nparallel.start_method = lambda: {start_method!r}",
    )
    check = subprocess.Popen(
        [sys.executable, "-c", script, "check", str(SAMPLES), "--workspace", str(tmp_path)],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    workers: set[int] = set()
    while time.monotonic() < deadline and len(workers) < 2 and check.poll() is None:
        workers = _children(check.pid)
        time.sleep(0.02)
    assert len(workers) >= 2, "the check never started its workers"
    time.sleep(0.3)  # let them take chunks
    check.send_signal(signal.SIGKILL)
    check.wait()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(_alive(pid) for pid in workers):
        time.sleep(0.05)
    survivors = [pid for pid in workers if _alive(pid)]
    for pid in survivors:  # don't leave them to the next test
        os.kill(pid, signal.SIGKILL)
    assert survivors == []


def test_exchange_swaps_two_folders_in_one_step(tmp_path: Path) -> None:
    old, new = tmp_path / "out", tmp_path / ".out.tmp-1-ab"
    old.mkdir()
    new.mkdir()
    (old / "set").write_text("old")
    (new / "set").write_text("new")
    if not exchange(new, old):
        pytest.skip("no renameat2(RENAME_EXCHANGE) here: the two-rename fallback is used")
    assert (old / "set").read_text() == "new" and (new / "set").read_text() == "old"


def kill_export(
    running: subprocess.Popen[bytes], out: Path, delay: float, *, while_writing: bool
) -> bool:
    """SIGKILL an export after ``delay`` s, counted from its start or (``while_writing``) from
    the moment its staging folder appears; False when it had already finished."""
    if while_writing:
        deadline = time.monotonic() + 120
        while running.poll() is None and time.monotonic() < deadline:
            if any(p.name.startswith(f".{out.name}.tmp-") for p in out.parent.iterdir()):
                break
            time.sleep(0.002)
    time.sleep(delay)
    if running.poll() is not None:
        return False
    running.send_signal(signal.SIGKILL)
    return True


def _intact(out: Path) -> bool:
    manifest = orjson.loads((out / "manifest.json").read_bytes())
    return all(
        hashlib.sha256((out / f["path"]).read_bytes()).hexdigest() == f["sha256"]
        for f in manifest["files"]
    )


def test_killed_exports_leave_a_whole_set_and_the_next_export_sweeps_debris(
    tmp_path: Path,
) -> None:
    corpus = tmp_path / "corpus"
    runs = [f"r-{n}" for n in range(1500)]  # enough to write that kills land mid-write
    for task in ("extraction", "planning"):
        lines = [call(task, run_id=run, round=1, new_entities=2) for run in runs]
        for run, line in zip(runs, lines, strict=True):  # distinct calls, not duplicates
            line["messages"][0]["content"] += f" Run {run}. " + "Be exact. " * 200
        write_jsonl(corpus / f"{task}.jsonl", lines)
    write_jsonl(corpus / "runs.jsonl", [summary(run) for run in runs])
    workspace, out = tmp_path / "ws", tmp_path / "exports" / "out"

    def export(seed: int, target: Path = out) -> subprocess.Popen[bytes]:
        argv = ["export", str(corpus), "--out", str(target), "--workspace", str(workspace)]
        argv += ["--heldout", "3", "--near-dup", "0", "--seed", str(seed)]
        return subprocess.Popen(
            [sys.executable, "-m", "core.cli", *argv],
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

    assert export(0).wait(timeout=120) == 0  # indexes the corpus
    started = time.monotonic()
    assert export(100).wait(timeout=120) == 0
    whole = time.monotonic() - started  # kills spread over an export's own length
    missing: list[float] = []
    stop = threading.Event()

    def watch() -> None:  # the output path must hold a set at every instant
        while not stop.is_set():
            if not (out / "manifest.json").exists():
                missing.append(time.monotonic())

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    rng = random.Random(14)
    kills = 0
    try:
        for seed in range(1, 13):
            running = export(seed)
            if seed % 2:  # in the write or the swap, else anywhere
                kills += kill_export(running, out, rng.uniform(0, 0.02), while_writing=True)
            else:
                kills += kill_export(
                    running, out, rng.uniform(0.2, 1.1) * whole, while_writing=False
                )
            running.wait(timeout=120)
            assert _intact(out), f"seed {seed}: the export on disk does not match its manifest"
    finally:
        stop.set()
        watcher.join()
    assert missing == [], "the output path was missing during a swap"
    assert kills >= 3, "too few exports were killed to prove anything"
    assert export(99, tmp_path / "exports" / "other").wait(timeout=120) == 0
    debris = sorted(p.name for p in out.parent.iterdir() if p.name.startswith("."))
    assert debris == [], "an export elsewhere in the folder sweeps dead writers' temp folders"


@pytest.fixture
def small_disk(tmp_path: Path):
    """A 1 MiB tmpfs (needs root and mount rights; skipped elsewhere)."""
    mount_point = tmp_path / "disk"
    mount_point.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(mount_point)],
        capture_output=True,
    )
    if done.returncode != 0:
        pytest.skip("cannot mount a small tmpfs here")
    yield mount_point
    subprocess.run(["umount", str(mount_point)], check=True)


def test_a_full_disk_during_the_export_is_one_line_and_keeps_the_previous_set(
    tmp_path: Path, small_disk: Path
) -> None:
    out = small_disk / "out"
    first = ["export", str(SAMPLES), "--out", str(out), "--workspace", str(tmp_path / "ws")]
    done = subprocess.run(
        [sys.executable, "-m", "core.cli", *first, "--heldout", "3"], cwd=ROOT, capture_output=True
    )
    assert done.returncode == 0, done.stderr
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    corpus = tmp_path / "big"
    runs = [f"r-{n}" for n in range(600)]
    lines = [call(run_id=run, round=1, new_entities=2) for run in runs]
    for run, line in zip(runs, lines, strict=True):
        line["messages"][0]["content"] += f" Run {run}. " + "Be exact. " * 300
    write_jsonl(corpus / "extraction.jsonl", lines)
    write_jsonl(corpus / "runs.jsonl", [summary(run) for run in runs])
    argv = ["export", str(corpus), "--out", str(out), "--workspace", str(tmp_path / "ws2")]
    done = subprocess.run(
        [sys.executable, "-m", "core.cli", *argv, "--near-dup", "0", "--heldout", "3"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert done.stderr.count("\n") == 1 and "No space left on device" in done.stderr
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
    assert sorted(p.name for p in small_disk.iterdir()) == ["out"], "no temp debris"
