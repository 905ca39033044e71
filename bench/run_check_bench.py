"""Benchmark ``curator check`` against the floor and jq, on the same files in one run.

    python bench/run_check_bench.py CORPUS_DIR          # an existing corpus
    python bench/run_check_bench.py --size 100MB        # generate one into a temp folder
    python bench/run_check_bench.py --smoke             # 5 MiB, as CI runs it

Steps, each a subprocess measured the same way (see ``measure.py`` for peak RSS):
(a) the floor: read each line and ``orjson.loads`` it (``floor.py``);
(b) ``curator check CORPUS --workspace <fresh temp>``: the first run, which indexes everything;
(c) the same command again, corpus unchanged: must read no trace bytes;
(d) jq where installed: ``jq -cR 'fromjson?'`` fed by ``cat``/``gzip -dc`` — the same parse and
    compact print as ``jq -c .``, except that a malformed line is skipped where ``jq -c .``
    would stop at the first one (every generated corpus has a few);
(s) ``curator --version``: the interpreter and import start-up that every run pays, shown to
    read (c) on small corpora, where it is most of (c).
The page cache is warmed first so no step pays for the disk. Sizes are binary (MiB).

Exit codes: 0 done; 1 a target missed (only with ``--enforce``); 2 usage; 3 a step crashed.
Missed targets alone never fail a run without ``--enforce``: CI machines are noisy.
"""

from __future__ import annotations

import argparse
import os
import platform
import shlex
import shutil
import subprocess
import sys
import tempfile
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson
from bench_report import Report, Step, format_table
from make_corpus import parse_size, write_corpus
from measure import Measurement, gnu_time, measure

HERE = Path(__file__).resolve().parent
SMOKE_SIZE = 5 << 20
CRASHED = 3
MISSED = 1
JQ_PROGRAM = "fromjson?"


def corpus_files(folder: Path) -> list[Path]:
    """The corpus files under ``folder`` as curator discovers them, in sorted path order."""
    names = (".jsonl", ".jsonl.gz")
    return sorted(p for p in folder.rglob("*") if p.name.endswith(names) and p.is_file())


def warm_page_cache(files: list[Path]) -> None:
    for path in files:
        with path.open("rb") as handle:
            while handle.read(8 << 20):
                pass


def curator_command(explicit: str | None, core: Path | None) -> list[str]:
    """``--curator`` split; with ``--core``, this Python's ``-m core.cli``; else the
    ``curator`` script beside this Python, else on PATH."""
    if explicit:
        return shlex.split(explicit)
    if core is not None:
        return [sys.executable, "-m", "core.cli"]
    beside = Path(sys.executable).parent / "curator"
    if beside.exists():
        return [str(beside)]
    on_path = shutil.which("curator")
    return [on_path] if on_path else [sys.executable, "-m", "core.cli"]


def compile_core(core: Path) -> None:
    """Write the ``.pyc`` files of ``core``'s package, as an install has them.

    A ``git archive`` export has none, and with ``PYTHONDONTWRITEBYTECODE`` set (as on the
    reference machine) every run would compile every module it imports: start-up the
    user never pays, counted against one tree more than another.
    """
    subprocess.run(
        [sys.executable, "-m", "compileall", "-q", str(core / "core")],
        check=True,
        stdout=subprocess.DEVNULL,
    )


def command_env(core: Path | None) -> dict[str, str] | None:
    """The environment for measured commands: ``--core`` goes first on PYTHONPATH."""
    if core is None:
        return None
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(core), env.get("PYTHONPATH")]))
    return env


def describe_curator(
    command: list[str], cwd: Path, env: dict[str, str] | None = None
) -> dict[str, Any]:
    """Which ``core`` package the command runs, and the git commit of its checkout."""
    interpreter = command[0]
    if command[1:2] != ["-m"]:
        interpreter = _script_interpreter(command[0])
    probe = subprocess.run(
        [interpreter, "-c", "import core, pathlib; print(pathlib.Path(core.__file__).parent)"],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
    )
    info: dict[str, Any] = {"command": command, "core": probe.stdout.strip() or None}
    if info["core"]:
        checkout = str(Path(info["core"]).parent)
        log = _git(checkout, "log", "-1", "--format=%H %cI %s")
        info["commit"] = log.split(" ", 1)[0] if log else None
        info["commit_line"] = log
        info["dirty"] = bool(_git(checkout, "status", "--porcelain", "--", "core"))
    return info


def _script_interpreter(program: str) -> str:
    """The Python a console script's ``#!`` line names, else this Python."""
    try:
        with open(shutil.which(program) or program, "rb") as script:
            first = script.readline().decode(errors="replace")
    except OSError:
        return sys.executable
    named = first[2:].strip().split() if first.startswith("#!") else []
    return named[0] if named and "python" in named[0] else sys.executable


def _git(folder: str, *args: str) -> str:
    done = subprocess.run(["git", "-C", folder, *args], capture_output=True, text=True)
    return done.stdout.strip() if done.returncode == 0 else ""


def machine() -> dict[str, Any]:
    meminfo = Path("/proc/meminfo")
    total_kib = 0
    if meminfo.exists():
        for line in meminfo.read_text().splitlines():
            if line.startswith("MemTotal:"):
                total_kib = int(line.split()[1])
    return {
        "cpus": os.cpu_count(),
        "memory_gib": round(total_kib / (1 << 20), 1),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "rss_method": "gnu-time" if gnu_time() else "proc-vmhwm",
        "load_average": [round(x, 2) for x in os.getloadavg()],  # other work on the machine
        # When set, every run compiles core from source (no .pyc): ~0.1 s more start-up.
        "pythondontwritebytecode": bool(os.environ.get("PYTHONDONTWRITEBYTECODE")),
    }


def jq_command(files: list[Path]) -> list[str] | None:
    """A shell pipeline feeding every file (gz decompressed) to jq, or None without jq."""
    if not shutil.which("jq"):
        return None
    script = (
        'for f; do case "$f" in *.gz) gzip -dc -- "$f";; *) cat -- "$f";; esac; done'
        f" | jq -cR {shlex.quote(JQ_PROGRAM)} > /dev/null"
    )
    return ["sh", "-c", script, "sh", *map(str, files)]


class Bench:
    """One benchmark run over one corpus folder."""

    def __init__(self, args: argparse.Namespace, corpus: Path, scratch: Path) -> None:
        self.args, self.corpus, self.scratch = args, corpus, scratch
        self.files = corpus_files(corpus)
        self.cwd = scratch / "cwd"  # empty: no stray ./curator.toml is picked up
        self.cwd.mkdir()
        self.curator = curator_command(args.curator, args.core)
        self.env = command_env(args.core)
        self.report = Report(context={})
        self.crashed: list[str] = []
        self.corpus_bytes = 0
        self.calls = 0

    def run(self, generated: dict[str, Any] | None) -> Report:
        warm_page_cache(self.files)
        floor_label = "(a) floor: read + orjson.loads"
        floor_command = [sys.executable, str(HERE / "floor.py"), *map(str, self.files)]
        floors = self._repeat(floor_label, floor_command)
        totals = orjson.loads(floors[0].stdout) if floors[0].exit_code == 0 else {}
        self.corpus_bytes = totals.get("bytes") or sum(p.stat().st_size for p in self.files)
        self.calls = totals.get("calls", 0)
        self.report.context = self._context(generated)  # records the load average now
        self._record("a", floor_label, floor_command, floors)
        self._check_steps()
        jq = None if self.args.no_jq else jq_command(self.files)
        if jq:
            label = f"(d) jq -cR '{JQ_PROGRAM}'"
            self._record("d", label, jq, self._repeat(label, jq, quiet=True))
        startup = [*self.curator, "--version"]
        label = "(s) curator start-up: --version"
        self._record("s", label, startup, self._repeat(label, startup), reads_corpus=False)
        self.report.context["load_average_after"] = [round(x, 2) for x in os.getloadavg()]
        return self.report

    def _check_steps(self) -> None:
        """(b) on a fresh workspace, then (c) on the same one; ``--repeat`` times each."""
        workspace = self.scratch / "workspace"
        check = [*self.curator, "check", str(self.corpus), "--workspace", str(workspace)]
        first: list[Measurement] = []
        again: list[Measurement] = []
        for _ in range(self.args.repeat):
            shutil.rmtree(workspace, ignore_errors=True)
            first.append(self._measure("(b) curator check, first run", check))
            self.report.context["store_mib"] = round(_folder_bytes(workspace) / (1 << 20), 1)
            again.append(self._measure("(c) curator check, unchanged", check))
        self._record("b", "(b) curator check, first run", check, first)
        self._record("c", "(c) curator check, unchanged", check, again)

    def _repeat(self, label: str, command: list[str], *, quiet: bool = False) -> list[Measurement]:
        return [self._measure(label, command, quiet=quiet) for _ in range(self.args.repeat)]

    def _measure(self, label: str, command: list[str], *, quiet: bool = False) -> Measurement:
        print(f"running {label} ...", file=sys.stderr, flush=True)
        run = measure(
            command, cwd=self.cwd, timeout=self.args.timeout, keep_stdout=not quiet, env=self.env
        )
        if run.exit_code != 0:
            self.crashed.append(f"{label}: exit {run.exit_code}: {run.stderr_tail.strip()}")
        return run

    def _record(
        self,
        key: str,
        label: str,
        command: list[str],
        runs: list[Measurement],
        *,
        reads_corpus: bool = True,
    ) -> None:
        """Keep the fastest of the repeated runs, with the highest peak RSS of any of them."""
        best = min(runs, key=lambda run: run.wall_s)
        peaks = [run.peak_rss_kib for run in runs if run.peak_rss_kib is not None]
        trees = [run.peak_tree_pss_kib for run in runs if run.peak_tree_pss_kib is not None]
        best = replace(
            best,
            peak_rss_kib=max(peaks) if peaks else None,
            peak_tree_pss_kib=max(trees) if trees else None,
            processes=max(run.processes for run in runs),
        )
        walls = tuple(round(run.wall_s, 3) for run in runs)
        self.report.steps[key] = Step(
            key, label, command, best, self.corpus_bytes, self.calls, reads_corpus, walls
        )

    def _context(self, generated: dict[str, Any] | None) -> dict[str, Any]:
        return {
            "date": datetime.now(UTC).isoformat(timespec="seconds"),
            "machine": machine(),
            "label": self.args.label,
            "curator": describe_curator(self.curator, self.cwd, self.env),
            "corpus": {
                "path": str(self.corpus),
                "bytes": self.corpus_bytes,
                "mib": round(self.corpus_bytes / (1 << 20), 1),
                "files": len(self.files),
                "gz_files": sum(p.name.endswith(".gz") for p in self.files),
                "calls": self.calls,
                "generated": generated,
            },
        }


def _folder_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", nargs="?", type=Path, help="an existing corpus folder")
    parser.add_argument("--size", type=parse_size, help="generate a corpus of this size")
    parser.add_argument("--smoke", action="store_true", help="a 5 MiB corpus (CI)")
    parser.add_argument("--seed", type=int, default=7, help="generator seed (default 7)")
    parser.add_argument("--json", type=Path, metavar="FILE", help="write the results here")
    parser.add_argument("--enforce", action="store_true", help="exit 1 when a target is missed")
    parser.add_argument("--curator", help="curator command (default: the installed script)")
    parser.add_argument(
        "--core",
        type=Path,
        metavar="DIR",
        help="measure the core/ in this checkout or export (put first on PYTHONPATH)",
    )
    parser.add_argument("--label", help="free text kept with the results, e.g. main@abc1234")
    parser.add_argument("--no-jq", action="store_true", help="skip step (d)")
    parser.add_argument("--timeout", type=float, default=3600.0, help="seconds per step")
    parser.add_argument(
        "--repeat", type=int, default=1, help="run each step N times, keep the fastest"
    )
    parser.add_argument("--tmp", type=Path, help="folder for generated corpora and workspaces")
    parser.add_argument("--keep", action="store_true", help="keep the generated corpus")
    args = parser.parse_args(argv)
    if args.smoke and args.size is None:
        args.size = SMOKE_SIZE
    if (args.corpus is None) == (args.size is None):
        parser.error("give either a CORPUS folder or --size/--smoke")
    if args.core is not None:
        args.core = args.core.resolve()
        if not (args.core / "core").is_dir():
            parser.error(f"{args.core}: no core/ package there")
        compile_core(args.core)
    if args.corpus is not None and not args.corpus.is_dir():
        parser.error(f"{args.corpus}: not a folder")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    scratch = Path(tempfile.mkdtemp(prefix="curator-bench-", dir=args.tmp))
    try:
        corpus, generated = args.corpus, None
        if corpus is None:
            corpus = scratch / "corpus"
            print(f"generating {args.size / (1 << 20):.0f} MiB into {corpus} ...", file=sys.stderr)
            written = write_corpus(corpus, args.size, seed=args.seed)
            generated = {"size": args.size, "seed": args.seed, "runs": written["runs"]}
        bench = Bench(args, corpus.resolve(), scratch)
        report = bench.run(generated)
    finally:
        if args.keep and args.corpus is None:
            print(f"kept the corpus in {scratch / 'corpus'}", file=sys.stderr)
            shutil.rmtree(scratch / "workspace", ignore_errors=True)
        else:
            shutil.rmtree(scratch, ignore_errors=True)
    return finish(report, bench.crashed, args)


def finish(report: Report, crashed: list[str], args: argparse.Namespace) -> int:
    """Print the table, write ``--json``, and pick the exit code."""
    context = report.context
    corpus, curator = context["corpus"], context["curator"]
    print(
        f"corpus: {corpus['mib']} MiB, {corpus['files']} files ({corpus['gz_files']} gz),"
        f" {corpus['calls']} calls; store after (b): {context.get('store_mib')} MiB"
    )
    if context.get("label"):
        print(f"label: {context['label']}")
    print(f"curator: {' '.join(curator['command'])} → {curator.get('core')}")
    dirty = " (uncommitted changes in core/)" if curator.get("dirty") else ""
    if curator.get("commit_line") or not context.get("label"):
        print(f"commit: {curator.get('commit_line') or 'unknown'}{dirty}")
    print(f"machine: {context['machine']}")
    print(f"load average after: {context.get('load_average_after')}\n")
    print(format_table(report))
    if args.json:
        args.json.write_bytes(orjson.dumps(report.as_dict(), option=orjson.OPT_INDENT_2))
    for problem in crashed:
        print(f"run_check_bench: error: {problem}", file=sys.stderr)
    if crashed:
        return CRASHED
    return MISSED if args.enforce and report.missed() else 0


if __name__ == "__main__":
    sys.exit(main())
