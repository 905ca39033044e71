"""What tool-call schema validation costs ``curator check``, on a tool-calling corpus.

    python bench/run_tool_bench.py --size 30MB [--repeat 3] [--core DIR]
    python bench/run_tool_bench.py /tmp/tools --repeat 3

Generates (or reads) a corpus of ``make_tool_corpus.py`` — every line carries 12 ``tools``
with parameter schemas and several tool calls — and times the first ``curator check`` of it,
alternating: (a) the orjson floor, (b) the default config, (c) ``tool.arguments_schema`` off.
Each is run ``--repeat`` times in turn, the fastest kept; the share of the check that schema
validation costs is ``(b - c) / b`` (target < 20 %), by wall time and by CPU time.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from pathlib import Path

from make_corpus import parse_size
from make_tool_corpus import write_tool_corpus
from measure import Measurement, measure

HERE = Path(__file__).resolve().parent
TARGET_SHARE = 0.20


def _env(core: Path | None) -> dict[str, str]:
    env = dict(os.environ)
    if core is not None:
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(core), env.get("PYTHONPATH")]))
    return env


def _check(corpus: Path, scratch: Path, config: Path | None, run: int) -> list[str]:
    workspace = scratch / f"ws-{'off' if config else 'on'}-{run}"
    command = [sys.executable, "-m", "core.cli", "check", str(corpus), "--workspace"]
    command.append(str(workspace))
    return command + (["--config", str(config)] if config else [])


def _in_process(corpus: Path, repeat: int) -> None:
    """The same share, single-threaded in this process: reading, parsing and every call rule
    (what the index workers do), without SQLite or process start-up, so with less noise."""
    import time

    from core.check.call_rows import chunk_rows
    from core.check.chunks import file_chunks
    from core.config import CuratorConfig
    from core.corpus.discover import discover

    sources = [s for s in discover([corpus])[0] if s.kind == "calls"]
    chunks = [c for s in sources for c in file_chunks(s, s.path.stat().st_size)]
    configs = {
        "schema on": CuratorConfig(),
        "schema off": CuratorConfig.model_validate({"rules": {"tool.arguments_schema": "off"}}),
    }
    best = dict.fromkeys(configs, float("inf"))
    names = list(configs)
    for run in range(repeat):
        for name in names if run % 2 == 0 else reversed(names):  # ABBA: no order advantage
            start = time.process_time()
            for chunk in chunks:
                chunk_rows(chunk, configs[name])
            best[name] = min(best[name], time.process_time() - start)
    on, off = best["schema on"], best["schema off"]
    share = (on - off) / on
    print(f"in process (CPU): rows on {on:.2f} s, off {off:.2f} s: validation {share:.1%}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", nargs="?", type=Path, help="a tool corpus folder")
    parser.add_argument("--size", type=parse_size, default="30MB", help="generate this much")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--core", type=Path, help="measure the core/ in this checkout")
    args = parser.parse_args(argv)
    scratch = Path(tempfile.mkdtemp(prefix="curator-tool-bench-"))
    try:
        corpus = args.corpus
        if corpus is None:
            corpus = scratch / "corpus"
            counts = write_tool_corpus(corpus, args.size)
            print(f"corpus: {counts['lines']} lines, {counts['bytes'] / (1 << 20):.1f} MiB")
        off = scratch / "schema-off.toml"
        off.write_text('[rules]\n"tool.arguments_schema" = "off"\n')
        cwd = scratch / "cwd"
        cwd.mkdir()
        env = _env(args.core.resolve() if args.core else None)
        files = sorted(str(p) for p in corpus.rglob("*.jsonl"))
        steps: dict[str, list[Measurement]] = {"floor": [], "schema on": [], "schema off": []}
        for run in range(args.repeat):
            floor = [sys.executable, str(HERE / "floor.py"), *files]
            steps["floor"].append(measure(floor, cwd=cwd, keep_stdout=False, env=env))
            for name, config in (("schema on", None), ("schema off", off)):
                result = measure(_check(corpus, scratch, config, run), cwd=cwd, env=env)
                if result.exit_code not in (0, 1):
                    print(f"{name}: crashed: {result.stderr_tail}", file=sys.stderr)
                    return 3
                steps[name].append(result)
        best = {name: min(runs, key=lambda m: m.wall_s) for name, runs in steps.items()}
        for name, result in best.items():
            print(f"{name:<11} wall {result.wall_s:6.2f} s   cpu {result.cpu_s or 0:6.2f} s")
        on, off_ = best["schema on"], best["schema off"]
        share = (on.wall_s - off_.wall_s) / on.wall_s
        cpu_share = ((on.cpu_s or 0) - (off_.cpu_s or 0)) / (on.cpu_s or 1)
        verdict = "PASS" if share < TARGET_SHARE else "MISS"
        print(
            f"schema validation share of check: {share:.1%} wall, {cpu_share:.1%} CPU"
            f"  target < {TARGET_SHARE:.0%}  {verdict}"
        )
        print(f"check (schema on) / floor: {best['floor'].wall_s / on.wall_s:.3f}")
        if args.core is not None:
            sys.path.insert(0, str(args.core.resolve()))  # the in-process step imports it
        _in_process(corpus, args.repeat)
        return 0
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
