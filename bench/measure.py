"""Run one command and measure it: wall time, CPU time and its own peak RSS.

Peak RSS needs care. ``ru_maxrss`` from ``wait4``/``RUSAGE_CHILDREN`` is not the child's own
peak: Linux carries the pre-``exec`` high-water mark over, and a child forked (or vforked)
from this runner starts as a copy of the runner, so a 300 MB runner makes ``true`` report
300 MB. We therefore let a tiny C process fork the command: GNU ``time`` (``-f %M``) reports
the ``wait4`` figure of a child that was a copy of ``time`` (~1 MB) before ``exec``, i.e. the
command's real peak. Without GNU time we poll ``VmHWM`` in ``/proc/<pid>/status`` (reset at
``exec``, monotonic) every 10 ms; that is exact for one process except for growth in its last
few milliseconds, and does not see grandchildren.

Commands that spawn workers use the sum over their processes; :mod:`tree_memory` samples the
summed PSS of the whole tree alongside (``peak_tree_pss_kib``).
"""

from __future__ import annotations

import functools
import os
import shutil
import signal
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from tree_memory import TreeSampler

POLL_SECONDS = 0.01
TAIL_BYTES = 4096


@dataclass(frozen=True, slots=True)
class Measurement:
    """One measured command run."""

    wall_s: float
    cpu_s: float | None
    peak_rss_kib: int | None
    rss_method: str
    exit_code: int
    stdout: str
    stderr_tail: str
    peak_tree_pss_kib: int | None = None  # summed over the process tree, sampled
    processes: int = 0  # the most processes of the tree seen at once


@functools.cache
def gnu_time() -> str | None:
    """Path of GNU ``time`` when installed (BSD/busybox ``time`` lack ``-f``/``-o``)."""
    for candidate in ("/usr/bin/time", shutil.which("gtime")):
        if not candidate or not os.access(candidate, os.X_OK):
            continue
        try:
            probe = subprocess.run(
                [candidate, "--version"], capture_output=True, text=True, timeout=10
            )
        except (OSError, subprocess.TimeoutExpired):
            continue
        if "GNU" in probe.stdout + probe.stderr:
            return candidate
    return None


def measure(
    argv: list[str],
    *,
    cwd: Path,
    timeout: float | None = None,
    keep_stdout: bool = True,
    env: dict[str, str] | None = None,
) -> Measurement:
    """Run ``argv`` in ``cwd`` with stdin closed; stdout kept (or discarded), stderr's tail."""
    timer = gnu_time()
    with tempfile.TemporaryDirectory(prefix="bench-measure-") as scratch:
        out_path, err_path = Path(scratch, "stdout"), Path(scratch, "stderr")
        stats_path = Path(scratch, "stats")
        command = argv
        if timer:
            command = [timer, "-f", "%M %U %S", "-o", str(stats_path), *argv]
        with out_path.open("wb") as out, err_path.open("wb") as err:
            sink = out if keep_stdout else subprocess.DEVNULL
            start = time.perf_counter()
            process = subprocess.Popen(
                command,
                cwd=cwd,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=sink,
                stderr=err,
                start_new_session=True,  # so a timeout can kill the whole process group
            )
            sampler = TreeSampler(process.pid).start()
            polled = _wait(process, timeout, poll_rss=timer is None)
            wall = time.perf_counter() - start
            tree_kib = sampler.stop()
        stdout = out_path.read_text(errors="replace")
        stderr_tail = _tail(err_path)
        rss, cpu, method = polled.peak_kib, polled.cpu_s, "proc-vmhwm"
        if timer:
            (rss, cpu), method = _read_gnu_time(stats_path), "gnu-time"
    return Measurement(
        wall,
        cpu,
        rss,
        method,
        process.returncode,
        stdout,
        stderr_tail,
        tree_kib,
        sampler.processes - (1 if timer else 0),  # GNU time itself is not the command's
    )


@dataclass(slots=True)
class _Polled:
    peak_kib: int | None = None
    cpu_s: float | None = None


def _wait(process: subprocess.Popen, timeout: float | None, *, poll_rss: bool) -> _Polled:
    """Wait for ``process``, killing its group after ``timeout``; sample VmHWM if asked.

    Without sampling this blocks in ``wait`` so the wall time is exact; sampling wakes every
    10 ms, which bounds the wall-time error by that much.
    """
    if not poll_rss:
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        return _Polled()
    polled = _Polled()
    deadline = None if timeout is None else time.monotonic() + timeout
    while True:
        sample = _vm_hwm_kib(process.pid)
        if sample is not None:
            polled.peak_kib = max(polled.peak_kib or 0, sample)
        pid, status, usage = os.wait4(process.pid, os.WNOHANG)
        if pid:
            process.returncode = os.waitstatus_to_exitcode(status)
            polled.cpu_s = usage.ru_utime + usage.ru_stime
            return polled
        if deadline is not None and time.monotonic() > deadline:
            os.killpg(process.pid, signal.SIGKILL)
        time.sleep(POLL_SECONDS)


def _vm_hwm_kib(pid: int) -> int | None:
    try:
        with open(f"/proc/{pid}/status", "rb") as status:
            for line in status:
                if line.startswith(b"VmHWM:"):
                    return int(line.split()[1])
    except (OSError, ValueError):
        return None
    return None


def _read_gnu_time(stats_path: Path) -> tuple[int | None, float | None]:
    """Parse ``%M %U %S``; GNU time puts "Command exited with ..." lines before it."""
    try:
        last = stats_path.read_text().strip().splitlines()[-1].split()
        return int(last[0]), float(last[1]) + float(last[2])
    except (OSError, IndexError, ValueError):
        return None, None


def _tail(path: Path) -> str:
    with path.open("rb") as handle:
        handle.seek(max(0, path.stat().st_size - TAIL_BYTES))
        return handle.read().decode(errors="replace")
