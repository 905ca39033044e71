"""Assembles the whole corpus in memory: runs, story lines, file layout, summaries, and the
expected-findings records (planted defects, clean runs, malformed and bare lines)."""

from __future__ import annotations

import json
import random
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta

from .catalogue import RUN_SPECS
from .layout import LaidOutFile, RawLine, file_bytes, lay_out
from .model import BuiltRun, Call, Planted
from .runs import MAX_CONTEXT_CHARS, SEED, RunBuilder
from .story import story_calls

RUNS_FILE = "runs.jsonl"
FIRST_RUN_START = datetime(2026, 10, 20, 7, 30)


@dataclass(frozen=True)
class FileStats:
    path: str
    runs: int
    calls: int
    lines: int
    size: int


@dataclass
class Corpus:
    """The generated corpus: file bytes by relative path, and what a checker must find in it."""

    files: dict[str, bytes]
    stats: list[FileStats]
    runs: list[BuiltRun]
    planted: list[Planted]
    clean_run_ids: list[str]
    malformed: list[tuple[str, int, str]]
    bare: list[tuple[str, int]]
    blank: list[tuple[str, int]]


def build_runs() -> list[BuiltRun]:
    schedule = random.Random(f"{SEED}:schedule")
    runs = []
    for index, spec in enumerate(RUN_SPECS):
        started_at = FIRST_RUN_START + timedelta(hours=9 * index, minutes=schedule.randint(0, 300))
        runs.append(RunBuilder(spec, started_at).build())
    return runs


def build_corpus() -> Corpus:
    """Simulate every run, lay the calls out in files and record where each defect landed."""
    runs = build_runs()
    all_calls = [call for run in runs for call in run.calls] + story_calls()
    _check_invariants(all_calls)
    laid_out = lay_out(all_calls)
    files = {path: file_bytes(laid_out[path]) for path in sorted(laid_out)}
    files[RUNS_FILE] = _runs_file(runs)
    return Corpus(
        files=files,
        stats=_stats(laid_out, files, runs),
        runs=runs,
        planted=_planted(runs, laid_out),
        clean_run_ids=[run.run_id for run in runs if run.is_clean],
        malformed=_raw_lines(laid_out, malformed=True),
        bare=[
            (path, line)
            for path in sorted(laid_out)
            for line, call in laid_out[path].calls()
            if call.metadata is None
        ],
        blank=_raw_lines(laid_out, malformed=False),
    )


def _runs_file(runs: list[BuiltRun]) -> bytes:
    lines = [json.dumps(run.summary, ensure_ascii=False) for run in runs]
    return ("\n".join(lines) + "\n").encode()


def _planted(runs: list[BuiltRun], laid_out: dict[str, LaidOutFile]) -> list[Planted]:
    planted = [
        Planted(mark.rule, f"run:{run.run_id}", mark.note, mark.also)
        for run in runs
        for mark in run.marks
    ]
    for path in sorted(laid_out):
        for line, call in laid_out[path].calls():
            planted += [Planted(m.rule, f"{path}:{line}", m.note, m.also) for m in call.marks]
    return sorted(planted, key=lambda item: (item.rule, item.where))


def _raw_lines(laid_out: dict[str, LaidOutFile], malformed: bool) -> list:
    found = []
    for path in sorted(laid_out):
        for line, row in laid_out[path].numbered():
            if isinstance(row, RawLine) and (row.reason is not None) == malformed:
                found.append((path, line, row.reason) if malformed else (path, line))
    return found


def _stats(
    laid_out: dict[str, LaidOutFile], files: dict[str, bytes], runs: list[BuiltRun]
) -> list[FileStats]:
    stats = []
    for path in sorted(files):
        if path == RUNS_FILE:
            stats.append(FileStats(path, len(runs), 0, len(runs), len(files[path])))
            continue
        calls = laid_out[path].calls()
        run_ids = {call.run_id or f"{path}#{line}" for line, call in calls}
        size = len(files[path])
        stats.append(FileStats(path, len(run_ids), len(calls), len(laid_out[path].rows), size))
    return stats


def _check_invariants(calls: list[Call]) -> None:
    """Fail loudly if a tweak makes clean calls trip a rule by accident."""
    seen: Counter[str] = Counter()
    for call in calls:
        rules = {mark.rule for mark in call.marks}
        key = json.dumps([call.messages, call.tools], sort_keys=True, ensure_ascii=False)
        seen[key] += 1
        if seen[key] > 1 and "dup.exact" not in rules:
            raise AssertionError(f"accidental duplicate in {call.file}: {call.metadata}")
        if call.content_chars() > MAX_CONTEXT_CHARS and "band.context_chars" not in rules:
            raise AssertionError(f"accidental context overflow in {call.file}: {call.metadata}")
