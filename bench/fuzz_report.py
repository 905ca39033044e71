"""The fuzz suite at a larger scale, with its figures: cases tried, crashes, killed checks.

    python bench/fuzz_report.py [--examples 300] [--kills 10] [--json out.json]

Runs the same cases as ``tests/safety/test_fuzz.py`` (fuzzed corpora through ``check``, the
detail renderer, ``decide`` and ``export``; no exception may escape and nothing printed may
hold a raw control character), counting crashes instead of stopping at the first, then kills
``curator check`` at random points and compares the next run's report with a clean run's.
Exits 1 when anything crashed or differed.
"""

from __future__ import annotations

import argparse
import random
import signal
import sys
import tempfile
import time
import traceback
from pathlib import Path

import orjson

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from hypothesis import HealthCheck, given, settings  # noqa: E402

from tests.safety.fuzz_cases import Figures, cli, corpus_files, run_case, runs_lines  # noqa: E402
from tests.safety.processes import curator, long_file  # noqa: E402


def fuzz(examples: int, figures: Figures) -> None:
    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(files=corpus_files, runs=runs_lines)
    def case(files: dict[str, list[bytes]], runs: list[bytes]) -> None:
        with tempfile.TemporaryDirectory() as folder:
            try:
                run_case(files, runs, Path(folder), figures)
            except Exception:  # counted, not raised: the report says how many and which
                figures.crashes.append(traceback.format_exc(limit=3))

    case()


def kills(count: int, seed: int) -> tuple[int, int]:
    """Kill ``count`` checks at random points; (killed mid-run, reports that differed)."""
    rng = random.Random(seed)
    differed = killed = 0
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        corpus = root / "traces"
        long_file(corpus / "extraction.jsonl", calls=4000)
        long_file(corpus / "more" / "extraction.jsonl", calls=2000)
        started = time.monotonic()
        process = curator("check", str(corpus), "--json", "--workspace", str(root / "clean"))
        out, _ = process.communicate(timeout=300)
        clean = _report((process.returncode, out, ""))
        duration = time.monotonic() - started  # start-up included, as for the killed ones
        for index in range(count):
            # Every second kill hits the workspace the previous one killed: a check killed
            # again while recovering from a kill.
            workspace = root / f"ws{index // 2}"
            process = curator("check", str(corpus), "--workspace", str(workspace))
            time.sleep(rng.uniform(0.1, 0.95) * duration)
            if process.poll() is None:
                process.send_signal(signal.SIGKILL)
                killed += 1
            process.communicate(timeout=120)
            again = cli("check", str(corpus), "--json", "--workspace", str(workspace))
            differed += _report(again) != clean
    return killed, differed


def _report(result: tuple[int, str, str]) -> bytes:
    data = orjson.loads(result[1])
    del data["summary"]["workspace"]
    return orjson.dumps(data)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--examples", type=int, default=300, help="fuzzed corpora (300)")
    parser.add_argument("--kills", type=int, default=10, help="killed checks (10)")
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--json", type=Path, metavar="OUT", help="write the figures as JSON")
    args = parser.parse_args(argv)
    figures = Figures()
    started = time.monotonic()
    fuzz(args.examples, figures)
    fuzz_seconds = time.monotonic() - started
    killed, differed = kills(args.kills, args.seed)
    result = {
        "corpora": figures.cases + len(figures.crashes),
        "lines": figures.lines,
        "calls": figures.calls,
        "details_rendered": figures.details,
        "exports_written": figures.exports_written,
        "crashes": len(figures.crashes),
        "fuzz_seconds": round(fuzz_seconds, 1),
        "checks_killed": killed,
        "kill_runs": args.kills,
        "reports_differing_after_kill": differed,
    }
    for crash in figures.crashes[:3]:
        print(crash, file=sys.stderr)
    print(
        f"fuzz: {result['corpora']} corpora ({result['lines']} lines, {result['calls']} calls),"
        f" {result['details_rendered']} details rendered, {result['exports_written']} exports"
        f" written, {result['crashes']} crashes in {result['fuzz_seconds']} s; kills:"
        f" {killed} of {args.kills} checks killed mid-run, {differed} next-run reports differing"
        " from a clean run"
    )
    if args.json:
        args.json.write_bytes(orjson.dumps(result, option=orjson.OPT_INDENT_2) + b"\n")
    return 1 if figures.crashes or differed else 0


if __name__ == "__main__":
    sys.exit(main())
