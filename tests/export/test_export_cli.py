"""``curator export`` in process: summary on stdout, errors on stderr, exit codes."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest
from export_corpus import Corpus, plan_messages, write_corpus, write_simple_corpus

from core.cli import main
from core.cli.exit_codes import ExitCode
from core.config import CuratorConfig
from core.rules.calls import check_call

SAMPLE_TRACES = Path(__file__).parents[2] / "sample_traces"
# The samples plant calls with no assistant turn last; the content rules (format.messages) keep
# them out of auto selection. Until those rules land, the README command would export them.
RULES_LANDED = bool(
    check_call({"messages": [{"role": "user", "content": "hi"}]}, "planning", CuratorConfig())
)


@pytest.fixture
def traces(tmp_path: Path) -> Corpus:
    return write_corpus(tmp_path / "traces", runs=12)


def run(tmp_path: Path, *argv: str) -> int:
    return main([*argv, "--workspace", str(tmp_path / "ws")])


def test_export_writes_and_summarises(tmp_path: Path, traces: Corpus, capsys):
    out = tmp_path / "ds"
    code = run(
        tmp_path,
        "export",
        str(traces.root),
        "--out",
        str(out),
        "--heldout",
        "3",
        "--combine",
        "--seed",
        "4",
    )
    captured = capsys.readouterr()
    assert code == ExitCode.OK, captured.err
    manifest = orjson.loads((out / "manifest.json").read_bytes())
    examples = manifest["totals"]["examples"]
    assert captured.out.startswith(f"exported {examples} examples to {out}\n")
    assert "planning" in captured.out and "all (combined)" in captured.out
    assert "duplicates: 1 exact dropped, 1 near-duplicate groups" in captured.out
    assert "fireworks checks: ok" in captured.out
    assert f"(hash {manifest['hash'][:16]})" in captured.out
    assert manifest["seed"] == 4 and manifest["combine"] is True
    assert (out / "train.jsonl").is_file()
    assert "left out of both files" in captured.err  # warnings go to stderr


def test_export_without_path_reuses_the_checked_corpus(tmp_path: Path, traces: Corpus, capsys):
    assert run(tmp_path, "check", str(traces.root)) == ExitCode.OK
    capsys.readouterr()
    code = run(tmp_path, "export", "--out", str(tmp_path / "ds"), "--heldout", "2")
    assert code == ExitCode.OK
    assert "exported" in capsys.readouterr().out


def test_export_without_path_or_corpus_is_usage(tmp_path: Path, capsys):
    code = run(tmp_path, "export", "--out", str(tmp_path / "ds"))
    assert code == ExitCode.USAGE
    assert "no corpus in this workspace yet" in capsys.readouterr().err


def test_missing_path_is_usage(tmp_path: Path, capsys):
    code = run(tmp_path, "export", str(tmp_path / "nope"), "--out", str(tmp_path / "ds"))
    assert code == ExitCode.USAGE
    assert "no such file or folder" in capsys.readouterr().err


def test_provider_violation_exits_one_and_writes_nothing(tmp_path: Path, capsys):
    root = tmp_path / "small"
    write_simple_corpus(root, [plan_messages(f"City {i}") for i in range(5)])
    out = tmp_path / "ds"
    code = run(
        tmp_path, "export", str(root), "--out", str(out), "--provider", "openai", "--heldout", "1"
    )
    captured = capsys.readouterr()
    assert code == ExitCode.GATE_FAILED
    assert (
        "curator: error: openai: planning: planning/train.jsonl: 4 examples;"
        " OpenAI needs at least 10" in captured.err
    )
    assert "curator: error: nothing written" in captured.err
    assert captured.out.startswith("not exported: 1 problem (see above)")
    assert not out.exists()


def test_violation_names_the_trace(tmp_path: Path, capsys):
    root = tmp_path / "small"
    bad = plan_messages("Oslo")
    bad[-1] = {**bad[-1], "weight": 3}
    ids = write_simple_corpus(root, [plan_messages(f"City {i}") for i in range(4)] + [bad])
    assert run(tmp_path, "check", str(root)) == ExitCode.OK
    assert run(tmp_path, "decide", ids[4], "--accept") == ExitCode.OK
    capsys.readouterr()
    code = run(tmp_path, "export", "--out", str(tmp_path / "ds"), "--heldout", "0")
    err = capsys.readouterr().err
    assert code == ExitCode.GATE_FAILED
    assert f"planning/train.jsonl: trace {ids[4]}: messages[2]: weight 3" in err


def test_dry_run_writes_nothing(tmp_path: Path, traces: Corpus, capsys):
    out = tmp_path / "ds"
    code = run(tmp_path, "export", str(traces.root), "--out", str(out), "--dry-run")
    assert code == ExitCode.OK
    assert "(dry run: nothing written)" in capsys.readouterr().out
    assert not out.exists()


def test_json_output(tmp_path: Path, traces: Corpus, capsys):
    out = tmp_path / "ds"
    code = run(
        tmp_path,
        "export",
        str(traces.root),
        "--out",
        str(out),
        "--json",
        "--heldout",
        "2",
        "--include",
        "accepted",
    )
    payload = orjson.loads(capsys.readouterr().out)
    assert code == ExitCode.GATE_FAILED  # nothing is accepted yet
    assert payload["written"] is False and payload["violations"]
    code = run(tmp_path, "export", str(traces.root), "--out", str(out), "--json", "--heldout", "2")
    payload = orjson.loads(capsys.readouterr().out)
    assert code == ExitCode.OK
    assert payload["written"] is True
    assert payload["counts"]["planning"]["heldout"] == 2
    assert payload["manifest_hash"] == orjson.loads((out / "manifest.json").read_bytes())["hash"]
    assert [f["path"] for f in payload["files"]][0] == "enrichment/train.jsonl"


@pytest.mark.parametrize(
    ("flag", "value", "message"),
    [
        ("--near-dup", "1.5", "--near-dup: Input should be less than or equal to 1"),
        ("--heldout", "-1", "--heldout: Input should be greater than or equal to 0"),
        ("--max-heldout-share", "2", "--max-heldout-share: Input should be less than"),
        ("--seed", "-1", "--seed: Input should be greater than or equal to 0"),
    ],
)
def test_bad_options_are_usage(tmp_path: Path, traces: Corpus, capsys, flag, value, message):
    code = run(tmp_path, "export", str(traces.root), "--out", str(tmp_path / "ds"), flag, value)
    assert code == ExitCode.USAGE
    assert message in capsys.readouterr().err


def test_unsafe_out_is_usage(tmp_path: Path, traces: Corpus, capsys):
    code = run(tmp_path, "export", str(traces.root), "--out", str(traces.root / "ds"))
    assert code == ExitCode.USAGE
    assert "inside the corpus folder" in capsys.readouterr().err


@pytest.mark.skipif(not SAMPLE_TRACES.is_dir(), reason="sample_traces/ has not landed yet")
@pytest.mark.skipif(not RULES_LANDED, reason="the content rules have not landed yet")
def test_readme_command_on_sample_traces(tmp_path: Path, capsys, monkeypatch):
    before = {p: p.read_bytes() for p in SAMPLE_TRACES.rglob("*") if p.is_file()}
    monkeypatch.chdir(tmp_path)
    code = main(["export", str(SAMPLE_TRACES), "--out", str(tmp_path / "ds")])
    captured = capsys.readouterr()
    assert code == ExitCode.OK, captured.err
    manifest = orjson.loads((tmp_path / "ds" / "manifest.json").read_bytes())
    assert {f["task"] for f in manifest["files"]} == {"planning", "extraction", "enrichment"}
    assert all(f["examples"] > 0 for f in manifest["files"])
    assert {p: p.read_bytes() for p in SAMPLE_TRACES.rglob("*") if p.is_file()} == before


def test_json_counts_add_up_and_provider_layout(tmp_path: Path, traces: Corpus, capsys):
    out = tmp_path / "ds"
    argv = ["export", str(traces.root), "--out", str(out), "--heldout", "3", "--json"]
    code = run(tmp_path, *argv, "--layout", "provider", "--keep-heldout-runs")
    captured = capsys.readouterr()
    assert code == ExitCode.OK, captured.err
    report = orjson.loads(captured.out)
    totals = report["totals"]
    assert totals["left_out"] == 0, "--keep-heldout-runs leaves nothing out"
    for row in [*report["counts"].values(), totals]:
        assert (
            row["selected"] == row["train"] + row["heldout"] + row["left_out"] + row["duplicates"]
        )
    assert totals["selected"] == report["decisions"]["selected"]
    assert report["removed"] == {}
    assert sorted(p.name for p in out.iterdir()) == sorted(f["path"] for f in report["files"])
    manifest = orjson.loads((tmp_path / "ds.meta" / "manifest.json").read_bytes())
    assert manifest["totals"]["left_out"] == 0 and manifest["keep_heldout_runs"] is True


def test_summary_shows_left_out_per_task(tmp_path: Path, traces: Corpus, capsys):
    code = run(
        tmp_path, "export", str(traces.root), "--out", str(tmp_path / "ds"), "--heldout", "3"
    )
    captured = capsys.readouterr()
    assert code == ExitCode.OK, captured.err
    header = captured.out.splitlines()[2].split()
    assert header == ["task", "selected", "train", "heldout", "left", "out", "dup"]
    manifest = orjson.loads((tmp_path / "ds" / "manifest.json").read_bytes())
    for task, counts in manifest["tasks"].items():
        row = next(line.split() for line in captured.out.splitlines() if line.startswith(task))
        assert int(row[4]) == counts["heldout_left_out"]
    assert manifest["totals"]["left_out"] == sum(
        c["heldout_left_out"] for c in manifest["tasks"].values()
    )
