"""``curator jobs``: local jobs without a key, and ``--watch`` rows updated in place."""

from __future__ import annotations

import io
import sys

import orjson

from tests.providers.conftest import ExportFactory


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def _started_job(cli, make_export: ExportFactory) -> str:
    code, out, _ = cli("upload", str(make_export({"planning": 12})), "--json")
    dataset = orjson.loads(out)[0]["dataset_id"]
    code, out, _ = cli(
        "finetune", "--dataset", dataset, "--base-model", "qwen3-8b", "--json",
        "--output-model", "planner-v1",
    )  # fmt: skip
    assert code == 0
    return orjson.loads(out)["job_id"]


def test_jobs_without_a_key_lists_the_jobs_recorded_here(
    cli, make_export: ExportFactory, monkeypatch
) -> None:
    job_id = _started_job(cli, make_export)
    monkeypatch.delenv("FIREWORKS_API_KEY")
    code, out, err = cli("jobs")
    assert code == 0
    assert err == (
        "curator: warning: FIREWORKS_API_KEY is not set: fireworks jobs as last seen here\n"
    )
    assert job_id in out and "queued" in out
    code, _, err = cli("jobs", "--watch")  # following needs the provider
    assert code == 2 and "FIREWORKS_API_KEY is not set" in err


def test_watch_on_a_terminal_rewrites_the_job_row_in_place(
    cli, make_export: ExportFactory, monkeypatch
) -> None:
    job_id = _started_job(cli, make_export)
    terminal = Terminal()
    monkeypatch.setattr(sys, "stdout", terminal)
    code, _, _ = cli("jobs", "--watch")
    assert code == 0
    text = terminal.getvalue()
    assert text.count("\n") == 2  # header and one row: every change rewrote that row
    assert text.count("\x1b[1F\x1b[2K") >= 3  # queued → validating → running … → succeeded
    assert text.rstrip().endswith("\x1b[1E") and "succeeded" in text.split("\x1b[1F")[-1]
    assert job_id in text
