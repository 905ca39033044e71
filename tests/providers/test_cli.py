"""The provider commands in process: stdout, stderr, exit codes, and no key anywhere."""

from __future__ import annotations

import logging
from pathlib import Path

import orjson
import pytest

from core.store.db import connect
from tests.providers.conftest import (
    KEYS,
    ExportFactory,
    assert_no_key,
    assert_requests_keep_keys_in_auth_only,
    dump_store,
)
from tests.providers.fake_server import FakeProviderServer


def test_upload_prints_one_line_per_file_and_reuses_on_rerun(
    cli, make_export: ExportFactory
) -> None:
    export = make_export({"planning": 12, "extraction": 11})
    code, out, err = cli("upload", str(export), "--provider", "fireworks")
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert len(lines) == 2
    assert lines[0].startswith("uploaded planning/train.jsonl")
    assert "12 examples  fireworks accounts/demo/datasets/tc-planning-train-" in lines[0]

    code, out, _ = cli("upload", str(export), "--json", "--with-heldout", "--task", "planning")
    assert code == 0
    listed = orjson.loads(out)
    assert [(u["path"], u["outcome"]) for u in listed] == [
        ("planning/train.jsonl", "reused"),
        ("planning/heldout.jsonl", "uploaded"),
    ]


def test_full_dry_run_finetune_jobs_watch_cancel_deploy(
    cli, fake_server: FakeProviderServer, make_export: ExportFactory, tmp_path: Path, caplog
) -> None:
    caplog.set_level(logging.DEBUG)
    export = make_export({"planning": 12})
    code, out, _ = cli("upload", str(export), "--json")
    dataset = orjson.loads(out)[0]["dataset_id"]

    code, out, err = cli(
        "finetune", "--dataset", dataset, "--base-model", "qwen3-8b", "--epochs", "2",
        "--lora-rank", "16", "--output-model", "planner-v1", "--json",
    )  # fmt: skip
    assert (code, err) == (0, "")
    job = orjson.loads(out)
    assert job["state"] == "queued" and job["provider"] == "fireworks"

    code, out, err = cli("jobs", job["job_id"], "--watch")
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0].startswith("JOB")
    assert any("running" in line and "[######" in line and "30%" in line for line in lines)
    assert "succeeded" in lines[-1] and "accounts/demo/models/planner-v1" in lines[-1]

    code, out, _ = cli("jobs", "--json")
    assert code == 0
    assert [j["job_id"] for j in orjson.loads(out)] == [job["job_id"]]

    code, out, err = cli("deploy", job["job_id"])
    assert code == 0
    assert "bill per GPU-second" in err
    assert out.strip().endswith("READY  model: accounts/demo/models/planner-v1")

    fake_server.state.script_next_job("fireworks", [("JOB_STATE_RUNNING", 5)] * 3)
    code, out, _ = cli("finetune", "--dataset", dataset, "--base-model", "qwen3-8b", "--json")
    second = orjson.loads(out)["job_id"]
    code, out, err = cli("cancel", second)
    assert (code, err) == (0, "")
    assert out.strip() == f"{second}  fireworks  cancelled"

    texts = [out, err, caplog.text, dump_store(connect(tmp_path / "ws"))]
    for text in texts:
        assert_no_key(text, where="CLI output, logs or store")
    assert_requests_keep_keys_in_auth_only(fake_server)
    exported = b"".join(p.read_bytes() for p in export.rglob("*") if p.is_file())
    assert_no_key(exported, where="the export folder")


def test_watch_exits_1_when_a_job_fails(cli, fake_server, make_export: ExportFactory) -> None:
    _, out, _ = cli("upload", str(make_export({"planning": 12})), "--json")
    dataset = orjson.loads(out)[0]["dataset_id"]
    fake_server.state.script_next_job(
        "fireworks", [("JOB_STATE_PENDING", None), ("JOB_STATE_FAILED", None)], error="OOM"
    )
    code, out, err = cli("finetune", "--dataset", dataset, "--base-model", "m", "--watch")
    assert code == 1
    assert "failed" in out.splitlines()[-1] and "OOM" in out.splitlines()[-1]


def test_missing_key_is_one_line_naming_the_variable(
    cli, monkeypatch: pytest.MonkeyPatch, make_export: ExportFactory
) -> None:
    monkeypatch.delenv("FIREWORKS_API_KEY")
    code, out, err = cli("upload", str(make_export({"planning": 12})))
    assert code == 2 and out == ""
    assert err == (
        "curator: error: fireworks: FIREWORKS_API_KEY is not set; export your API key in it\n"
    )
    monkeypatch.delenv("OPENAI_API_KEY")
    code, _, err = cli("jobs", "--provider", "openai")
    assert code == 2 and "OPENAI_API_KEY is not set" in err


def test_provider_errors_are_one_line_with_status_and_advice(cli) -> None:
    code, out, err = cli("cancel", "no-such-job")
    assert code == 1 and out == ""
    assert err.count("\n") == 1 and "Traceback" not in err
    assert err.startswith(
        "curator: error: fireworks: HTTP 404 NOT_FOUND: job no-such-job not found"
    )
    assert " — check the id" in err


def test_unreachable_server_is_one_line(cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FIREWORKS_BASE_URL", "http://127.0.0.1:9")
    code, _, err = cli("jobs")
    assert code == 1
    assert err.startswith("curator: error: fireworks: no answer from 127.0.0.1 after 3 attempts")
    assert "FIREWORKS_BASE_URL" in err


def test_usage_errors(cli, fake_server, make_export: ExportFactory) -> None:
    code, _, err = cli("finetune", "--dataset", "d", "--base-model", "m", "--epochs", "0")
    assert code == 2 and err.startswith("curator: error: --epochs: ")
    code, _, err = cli("finetune", "--dataset", "d", "--base-model", "m", "--lora-rank", "3")
    assert code == 2 and "LoRA rank 3 is not allowed" in err
    assert not fake_server.calls
    export = make_export({"planning": 12})
    (export / "planning/train.jsonl").write_bytes(b'{"messages": []}\n')
    code, _, err = cli("upload", str(export))
    assert code == 1 and "the file changed since export" in err


def test_together_and_openai_through_the_cli(cli, make_export: ExportFactory) -> None:
    export = make_export({"planning": 12})
    for provider in ("together", "openai"):
        code, out, err = cli("upload", str(export), "--provider", provider, "--json")
        assert (code, err) == (0, "")
        file_id = orjson.loads(out)[0]["dataset_ref"]
        code, out, err = cli(
            "finetune", "--provider", provider, "--dataset", file_id,
            "--base-model", "base-model", "--json",
        )  # fmt: skip
        assert (code, err) == (0, ""), err
        job_id = orjson.loads(out)["job_id"]
        code, out, _ = cli("jobs", job_id, "--watch", "--json")
        assert code == 0 and orjson.loads(out)[0]["state"] == "succeeded"
    code, out, err = cli("jobs")  # every provider the workspace has jobs on
    assert code == 0 and {"together", "openai"} <= set(out.split())
    code, _, err = cli("deploy", "demo/model", "--provider", "together")
    assert code == 1 and "dedicated endpoint" in err


def test_keys_never_reach_any_output(cli, make_export: ExportFactory, monkeypatch) -> None:
    monkeypatch.setenv("FIREWORKS_API_KEY", "fw-wrong-" + KEYS["fireworks"])
    code, out, err = cli("upload", str(make_export({"planning": 12})))
    assert code == 1 and "HTTP 401" in err
    assert "fw-wrong-" not in out + err
