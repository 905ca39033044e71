"""CPU seconds of a first ``curator check`` for several checkouts, alternating, on one corpus.

    python bench/check_cpu_ab.py CORPUS --core /tmp/before --core /tmp/after --repeat 4

Each round runs every checkout once (the order reversed on every other round, ABBA), each on a
fresh workspace, and takes user+sys CPU seconds of the process and its workers from
``getrusage(RUSAGE_CHILDREN)``: on a shared machine CPU time moves far less with the load than
wall time. Prints every run and the median and minimum per checkout, and the ratios to the first.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from run_check_bench import compile_core


def check_cpu(core: Path, corpus: Path, scratch: Path) -> tuple[float, float]:
    """(CPU s, wall s) of one first check of ``corpus`` with ``core`` first on the path."""
    workspace = scratch / "workspace"
    shutil.rmtree(workspace, ignore_errors=True)
    env = dict(os.environ, PYTHONPATH=str(core))
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    command = [sys.executable, "-m", "core.cli", "check", str(corpus)]
    command += ["--workspace", str(workspace)]
    done = subprocess.run(command, env=env, cwd=scratch, capture_output=True, check=False)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode not in (0, 1):
        raise SystemExit(f"{core}: check exited {done.returncode}: {done.stderr.decode()[-400:]}")
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    return cpu, wall


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--core", type=Path, action="append", required=True, help="a checkout")
    parser.add_argument("--repeat", type=int, default=3, help="rounds (default 3)")
    args = parser.parse_args()
    cores: list[Path] = [core.resolve() for core in args.core]
    for core in cores:
        compile_core(core)
    runs: dict[Path, list[tuple[float, float]]] = {core: [] for core in cores}
    with tempfile.TemporaryDirectory(prefix="check-cpu-ab-") as tmp:
        for round_index in range(args.repeat):
            order = cores if round_index % 2 == 0 else cores[::-1]
            for core in order:
                cpu, wall = check_cpu(core, args.corpus, Path(tmp))
                runs[core].append((cpu, wall))
                print(f"{core}: CPU {cpu:.3f} s, wall {wall:.2f} s", flush=True)
    first = statistics.median(cpu for cpu, _ in runs[cores[0]])
    for core, measured in runs.items():
        cpus = [cpu for cpu, _ in measured]
        median = statistics.median(cpus)
        print(
            f"{core}: CPU median {median:.3f} s (min {min(cpus):.3f}),"
            f" {median / first:.3f}× the first; wall median"
            f" {statistics.median(wall for _, wall in measured):.2f} s"
        )


if __name__ == "__main__":
    main()
