"""``curator eval`` and ``curator probe`` in process through ``core.cli.main``."""

from __future__ import annotations

from pathlib import Path

import orjson

from core.cli import main


def _eval(heldout: Path, tmp_path: Path, candidate: str, *extra: str) -> int:
    return main(
        [
            "eval",
            "--heldout", str(heldout),
            "--candidate", candidate,
            "--baseline", "gold",
            "--workspace", str(tmp_path / "ws"),
            *extra,
        ]
    )  # fmt: skip


def test_eval_writes_table_markdown_and_json(
    server, heldout_dir: Path, tmp_path: Path, capsys
) -> None:
    report, payload = tmp_path / "out" / "eval.md", tmp_path / "out" / "eval.json"
    code = _eval(
        heldout_dir, tmp_path, server.model("fenced"),
        "--n", "2", "--tasks", "planning,extraction", "--concurrency", "2",
        "--report", str(report), "--json", str(payload),
    )  # fmt: skip
    assert code == 1  # every candidate output unusable: the gate fails, the report says why
    out = capsys.readouterr().out
    assert out.startswith("DIAGNOSIS candidate")
    assert "task        metric" in out and "planning    valid_json" in out
    data = orjson.loads(payload.read_bytes())
    assert list(data["tasks"]) == ["planning", "extraction"]
    assert data["tasks"]["planning"]["n"] == 2
    markdown = report.read_text()
    assert "| task | metric | candidate | baseline | Δ | 95% CI of Δ |" in markdown
    assert "## Verdicts" in markdown and "examples the candidate lost" in markdown
    assert len(server.log) == 4


def test_eval_of_gold_server_passes_and_json_to_stdout(
    server, heldout_dir: Path, tmp_path: Path, capsys
) -> None:
    assert _eval(heldout_dir, tmp_path, server.model("gold"), "--json", "-") == 0
    data = orjson.loads(capsys.readouterr().out)
    assert data["baseline"] == "gold"
    assert data["tasks"]["enrichment"]["metrics"]["null_rate"]["delta"] == 0.0
    # the stored eval re-scores with no request
    assert main(["eval", "--rescore", "1", "--workspace", str(tmp_path / "ws")]) == 0
    assert len(server.log) == 8


def test_eval_usage_errors(heldout_dir: Path, tmp_path: Path, capsys, monkeypatch) -> None:
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    assert _eval(heldout_dir, tmp_path, "openai:gpt-4o-mini") == 2
    assert capsys.readouterr().err == (
        "curator: error: openai:gpt-4o-mini: OPENAI_API_KEY is not set; "
        "export it to call this model\n"
    )
    assert _eval(tmp_path / "nowhere", tmp_path, "gold") == 2
    assert "held-out folder not found" in capsys.readouterr().err
    assert _eval(heldout_dir, tmp_path, "gold", "--tasks", "summaries") == 2
    assert "no held-out file for task summaries" in capsys.readouterr().err
    (heldout_dir / "planning" / "heldout.jsonl").write_text('{"messages": []}\n')
    assert _eval(heldout_dir, tmp_path, "gold") == 2
    assert "planning/heldout.jsonl:1: the last message must be the assistant gold" in (
        capsys.readouterr().err
    )
    assert main(["eval", "--candidate", "gold"]) == 2
    assert main(["eval", "--rescore", "99", "--workspace", str(tmp_path / "ws")]) == 2
    assert "no eval #99" in capsys.readouterr().err


def test_eval_reads_profiles_from_config(server, heldout_dir: Path, tmp_path: Path, capsys) -> None:
    config = tmp_path / "curator.toml"
    config.write_text(
        f'[eval]\nmax_tokens = 64\n\n[models.local]\nbase_url = "{server.url}"\nmodel = "gold"\n'
    )
    assert _eval(heldout_dir, tmp_path, "local", "--config", str(config), "--n", "1") == 0
    assert server.log[0]["body"]["max_tokens"] == 64 and server.log[0]["body"]["temperature"] == 0
    assert server.log[0]["body"]["messages"][-1]["role"] == "user"  # the gold is not sent
    assert "weight" not in str(server.log[0]["body"])


def test_probe_prints_the_raw_exchange(server, heldout_dir: Path, capsys, monkeypatch) -> None:
    monkeypatch.setenv("FIREWORKS_API_KEY", "fw-probe-secret")
    monkeypatch.setenv("FIREWORKS_BASE_URL", server.url)
    code = main(["probe", "fireworks:not-deployed", "--heldout", str(heldout_dir)])
    out = capsys.readouterr().out
    assert code == 1
    assert f"POST {server.url}/chat/completions" in out
    assert '"model": "not-deployed"' in out and '"temperature": 0' in out
    assert "HTTP 404 in" in out and "Model not found, inaccessible, and/or not deployed" in out
    assert "deploy it with `curator deploy`" in out.splitlines()[-1]
    assert "fw-probe-secret" not in out
    assert len(server.log) == 1  # one attempt, no retries


def test_probe_of_a_working_model_and_of_gold(server, heldout_dir: Path, capsys) -> None:
    args = ["--heldout", str(heldout_dir), "--task", "extraction", "--index", "1"]
    assert main(["probe", server.model("gold"), *args]) == 0
    out = capsys.readouterr().out
    assert "extraction example #1 (line 2)" in out and "HTTP 200" in out
    assert out.splitlines()[-1].startswith("result: ok")
    assert main(["probe", "gold", *args]) == 0
    assert "gold answer:" in capsys.readouterr().out
    assert main(["probe", "gold", "--heldout", str(heldout_dir), "--index", "9"]) == 2
