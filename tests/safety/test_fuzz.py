"""Fuzzed corpora through check, export and the detail renderer: no exception escapes, nothing
raw reaches the terminal; and a check killed at random points ends, on the next run, exactly as
a clean run. Bounded to run in well under a minute; ``bench/fuzz_report.py`` runs more cases.
"""

from __future__ import annotations

import os
import random
import signal
import tempfile
import time
from pathlib import Path

from hypothesis import HealthCheck, example, given, settings

from tests.safety.fuzz_cases import Figures, cli, corpus_files, run_case, runs_lines
from tests.safety.processes import curator, long_file

FIGURES = Figures()


@settings(
    max_examples=int(os.environ.get("CURATOR_FUZZ_EXAMPLES", "40")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    derandomize=True,
)
@given(files=corpus_files, runs=runs_lines)
# Found by this test: a content part whose "type" is a list aborted the whole check.
@example(
    files={"extraction.jsonl": [b'{"messages":[{"role":"user","content":[{"type":[]}]}]}']},
    runs=[],
)
def test_fuzzed_corpora_check_render_and_export(files, runs) -> None:
    with tempfile.TemporaryDirectory() as folder:
        run_case(files, runs, Path(folder), FIGURES)


def test_fuzz_figures_are_reported(capsys) -> None:
    """Runs after the fuzz test (file order): says how much was tried."""
    with capsys.disabled():
        print(
            f"\nfuzz: {FIGURES.cases} corpora, {FIGURES.lines} lines, {FIGURES.calls} calls,"
            f" {FIGURES.details} details rendered, {FIGURES.exports_written} exports written,"
            f" {len(FIGURES.crashes)} crashes"
        )
    assert not FIGURES.crashes


def test_a_check_killed_at_random_points_then_run_again_equals_a_clean_run(tmp_path) -> None:
    corpus = tmp_path / "traces"
    long_file(corpus / "extraction.jsonl", calls=3000)
    long_file(corpus / "more" / "extraction.jsonl", calls=1500)
    started = time.monotonic()
    process = curator("check", str(corpus), "--json", "--workspace", str(tmp_path / "clean"))
    clean, _ = process.communicate(timeout=300)
    duration = time.monotonic() - started  # start-up included, as for the killed ones
    rng = random.Random(13)
    killed = 0
    for index in range(4):
        workspace = tmp_path / f"ws{index // 2}"  # the second kill hits a killed workspace
        process = curator("check", str(corpus), "--workspace", str(workspace))
        time.sleep(rng.uniform(0.1, 0.95) * duration)
        if process.poll() is None:
            process.send_signal(signal.SIGKILL)
            killed += 1
        process.communicate(timeout=120)
        again = cli("check", str(corpus), "--json", "--workspace", str(workspace))
        assert again[0] == 0, again[2]
        assert _without_location(again[1]) == _without_location(clean)
    assert killed >= 1


def _without_location(report: str) -> str:
    import orjson

    data = orjson.loads(report)
    del data["summary"]["workspace"]
    return orjson.dumps(data).decode()
