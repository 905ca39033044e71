"""``curator check sample_traces --json`` reports exactly what the generator planted.

The expectations come from scripts/make_sample_traces.py, which computes each planted defect's
position as it writes the corpus, so neither side can drift silently.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import orjson
import pytest

from core.cli import main
from core.rules.registry import RUN_RULE_IDS

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "sample_traces"


def _generator():
    spec = importlib.util.spec_from_file_location(
        "make_sample_traces", ROOT / "scripts" / "make_sample_traces.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def generator():
    return _generator()


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> dict:
    workspace = tmp_path_factory.mktemp("ws")
    import io
    from contextlib import redirect_stdout

    buffer = io.StringIO()
    with redirect_stdout(buffer):
        assert main(["check", str(SAMPLES), "--json", "--workspace", str(workspace)]) == 0
    return orjson.loads(buffer.getvalue())


def reported_findings(report: dict) -> set[tuple[str, str]]:
    found = set()
    for call in report["calls"]:
        for finding in call["findings"]:
            if finding["rule"] in RUN_RULE_IDS:
                found.add((finding["rule"], f"run:{call['run_id']}"))
            else:
                found.add((finding["rule"], f"{call['file']}:{call['line']}"))
    return found


def test_every_planted_defect_is_reported_and_nothing_else(report, generator) -> None:
    assert reported_findings(report) == generator.expected_findings()


def test_clean_runs_have_no_finding_and_pass(report, generator) -> None:
    runs = {run["run_id"]: run for run in report["runs"]}
    for run_id in generator.CLEAN_RUN_IDS:
        assert runs[run_id]["verdict"] == "pass", run_id
        assert runs[run_id]["findings"] == []
    for call in report["calls"]:
        if call["run_id"] in generator.CLEAN_RUN_IDS:
            assert (call["verdict"], call["findings"]) == ("pass", []), call


def test_malformed_lines_are_reported_at_their_lines(report, generator) -> None:
    reported = [(e["file"], e["line"]) for e in report["errors"]]
    assert reported == [(file, line) for file, line, _ in generator.MALFORMED]


def test_bare_lines_are_unknown(report, generator) -> None:
    verdicts = {(c["file"], c["line"]): c["verdict"] for c in report["calls"]}
    for file, line in generator.BARE:
        assert verdicts[(file, line)] == "unknown"


def test_sample_traces_are_what_the_generator_writes(generator) -> None:
    for relative, data in generator.CORPUS.files.items():
        assert (SAMPLES / relative).read_bytes() == data, relative
