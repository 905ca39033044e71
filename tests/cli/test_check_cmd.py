"""``curator check`` in process: human output, --json shape, exit codes, one-line errors."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import orjson
import pytest

from core.cli import main
from tests.factories import call, summary, write_jsonl


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "traces"
    write_jsonl(
        folder / "extraction.jsonl",
        [
            call(run_id="good", round=1, new_entities=2, queries=1),
            call(run_id="bad", output="[]", round=1, new_entities=2, queries=1),
            b"{oops",
        ],
    )
    write_jsonl(folder / "runs.jsonl", [summary("good"), summary("bad", status="aborted")])
    return folder


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_human_output(capsys, corpus: Path, tmp_path: Path) -> None:
    code, out, err = run(capsys, "check", str(corpus), "--workspace", str(tmp_path / "ws"))
    assert code == 0, err
    assert "2 calls in 2 files, 2 runs (config: defaults)" in out
    assert "extraction" in out and "run.status" in out
    assert "extraction.jsonl:3: not valid JSON" in out
    assert f"workspace: {tmp_path / 'ws' / 'curator.db'}" in out


def test_json_output_shape(capsys, corpus: Path, tmp_path: Path) -> None:
    code, out, _ = run(capsys, "check", str(corpus), "--json", "--workspace", str(tmp_path / "ws"))
    report = orjson.loads(out)
    assert code == 0
    assert set(report) == {"summary", "calls", "runs", "errors"}
    assert [(c["file"], c["line"], c["run_id"], c["verdict"]) for c in report["calls"]] == [
        ("extraction.jsonl", 1, "good", "pass"),
        ("extraction.jsonl", 2, "bad", "fail"),
    ]
    bad = report["calls"][1]
    assert set(bad) == {"file", "line", "trace_id", "task", "kind", "run_id", "verdict", "findings"}
    assert bad["kind"] == "json"
    assert bad["findings"] == [
        {"rule": "run.status", "severity": "error", "message": "run aborted: target reached"}
    ]
    assert report["errors"][0]["file"] == "extraction.jsonl"
    assert report["errors"][0]["line"] == 3
    assert {r["run_id"]: r["verdict"] for r in report["runs"]} == {"bad": "fail", "good": "pass"}


def test_strict_exits_1_when_any_call_fails(capsys, corpus: Path, tmp_path: Path) -> None:
    code, _, _ = run(capsys, "check", str(corpus), "--strict", "--workspace", str(tmp_path / "w"))
    assert code == 1


def test_strict_exits_0_when_all_pass(capsys, tmp_path: Path) -> None:
    write_jsonl(tmp_path / "t" / "extraction.jsonl", [call(round=1, new_entities=1, queries=1)])
    write_jsonl(tmp_path / "t" / "runs.jsonl", [summary("r-1")])
    code, _, err = run(
        capsys, "check", str(tmp_path / "t"), "--strict", "--workspace", str(tmp_path / "w")
    )
    assert code == 0, err


def test_bad_config_is_exit_2_with_one_line(capsys, corpus: Path, tmp_path: Path) -> None:
    config = tmp_path / "c.toml"
    config.write_text("[bands]\nmax_discovery_rounds = -1\n")
    code, out, err = run(
        capsys, "check", str(corpus), "--config", str(config), "--workspace", str(tmp_path / "w")
    )
    assert code == 2 and out == ""
    assert err.startswith(f"curator: error: {config}: bands.max_discovery_rounds:")
    assert err.count("\n") == 1


def test_missing_path_is_exit_2(capsys, tmp_path: Path) -> None:
    code, _, err = run(capsys, "check", str(tmp_path / "nope"), "--workspace", str(tmp_path / "w"))
    assert code == 2
    assert err == f"curator: error: {tmp_path / 'nope'}: no such file or folder\n"


def test_usage_error_is_exit_2(capsys) -> None:
    code, _, err = run(capsys, "check")
    assert code == 2 and "usage:" in err


def test_corrupt_workspace_is_one_line_not_a_traceback(capsys, corpus: Path, tmp_path) -> None:
    workspace = tmp_path / "ws"
    workspace.mkdir()
    (workspace / "curator.db").write_bytes(b"garbage, not sqlite" * 100)
    code, out, err = run(capsys, "check", str(corpus), "--workspace", str(workspace))
    assert code == 2 and out == ""
    assert err.startswith(f"curator: error: {workspace / 'curator.db'}: not a usable workspace")
    assert err.count("\n") == 1


def test_pre_release_workspace_is_one_line_not_a_traceback(capsys, corpus: Path, tmp_path) -> None:
    workspace = tmp_path / "ws"
    conn = sqlite3.connect(workspace.mkdir() or workspace / "curator.db")
    conn.executescript("CREATE TABLE runs (run_id TEXT PRIMARY KEY); PRAGMA user_version = 6;")
    conn.close()
    code, out, err = run(capsys, "check", str(corpus), "--workspace", str(workspace))
    assert code == 2 and out == ""
    assert err.startswith("curator: error: workspace from a pre-release curator")
    assert err.count("\n") == 1


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[bandz]\nx = 1\n", "bandz: unknown key"),
        ("[bands]\nmax_rounds = 1\n", "bands.max_rounds: unknown key"),
        ("[providers]\napi_key = 'x'\n", "providers.api_key: unknown key"),
        ("[eval]\nmax_token = 1\n", "eval.max_token: unknown key"),
        ("[bands]\nmax_discovery_rounds = 1\n[models.m]\ncolour = 1\n", "models.m.model: Field"),
    ],
)
def test_bad_key_in_any_section_is_one_line(
    capsys, corpus: Path, tmp_path: Path, text: str, message: str
) -> None:
    # check reads only the checking settings, yet validates the whole file as before
    config = tmp_path / "curator.toml"
    config.write_text(text)
    argv = ("check", str(corpus), "--config", str(config), "--workspace", str(tmp_path / "ws"))
    code, out, err = run(capsys, *argv)
    assert (code, out) == (2, "")
    assert err.startswith(f"curator: error: {config}: {message}") and err.count("\n") == 1
