"""Keys echoed back by a hostile server never reach stdout, stderr, the store or a report."""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path
from urllib.parse import quote

import pytest

from core.cli import main
from core.redaction import scrub_body, scrub_json, scrub_text
from tests.hardening.hostile_server import HostileServer

ROOT = Path(__file__).resolve().parents[2]
FIREWORKS_KEY = "fw-HOSTILE-7c1d9e2a44"
OPENAI_KEY = "sk-HOSTILE-0b3f8a6d19"


def _forms(key: str) -> list[bytes]:
    """How an echoed key can appear: raw, JSON ``\\u``-escaped, URL-encoded."""
    escaped = "".join(f"\\u{ord(c):04x}" for c in key)
    return [f.encode() for f in (key, escaped, escaped.upper(), quote(key, safe=""))]


def _dump(db: Path) -> bytes:
    conn = sqlite3.connect(db)
    tables = [row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
    rows = [repr(row) for table in tables for row in conn.execute(f'SELECT * FROM "{table}"')]
    conn.close()
    return "\n".join(rows).encode()


@pytest.fixture
def hostile(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    with HostileServer() as server:
        for name, value in {
            "FIREWORKS_API_KEY": FIREWORKS_KEY,
            "FIREWORKS_ACCOUNT_ID": "a",
            "FIREWORKS_BASE_URL": server.url,
            "OPENAI_API_KEY": OPENAI_KEY,
            "OPENAI_BASE_URL": f"{server.url}/v1",
        }.items():
            monkeypatch.setenv(name, value)
        monkeypatch.delenv("TOGETHER_API_KEY", raising=False)
        yield server


def test_a_server_echoing_the_key_everywhere_leaks_it_nowhere(
    hostile: HostileServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG, logger="core")  # ours; httpcore traces raw headers
    monkeypatch.chdir(tmp_path)
    workspace = tmp_path / "ws"
    config = tmp_path / "curator.toml"
    config.write_text("[providers]\ndelay_scale = 0.001\nready_timeout_seconds = 0.05\n")
    common = ["--workspace", str(workspace), "--config", str(config)]
    dataset = tmp_path / "ds"
    report, report_json = tmp_path / "eval.md", tmp_path / "eval.json"
    outputs: list[str] = []

    def run(*argv: str) -> int:
        code = main([*argv, *common])
        captured = capsys.readouterr()
        outputs.extend([captured.out, captured.err])
        return code

    assert run("export", str(ROOT / "sample_traces"), "--out", str(dataset), "--heldout", "3") == 0
    assert run("upload", str(dataset)) == 1  # the dataset "stays" in state "Bearer <key>"
    assert "still Bearer [redacted]" in outputs[-1]
    assert run("finetune", "--dataset", "d1", "--base-model", "m", "--job-id", "tc-j1") == 0
    assert run("jobs", "--json") == 0
    assert run("jobs", "tc-j1") in (0, 1)
    assert run("cancel", "tc-j1") in (0, 1)
    assert run("deploy", "accounts/a/models/tuned") == 0
    assert (
        run(
            "eval",
            "--heldout",
            str(dataset),
            "--candidate",
            "fireworks:tuned",
            "--baseline",
            "openai:gpt-4o-mini",
            "--n",
            "2",
            "--tasks",
            "planning",
            "--report",
            str(report),
            "--json",
            str(report_json),
        )  # fmt: skip
        in (0, 1)
    )
    assert any(FIREWORKS_KEY in seen for seen in hostile.seen)
    assert any(OPENAI_KEY in seen for seen in hostile.seen)
    assert "[redacted]" in "".join(outputs), "the echoes were seen and scrubbed"

    places = {
        "stdout/stderr": "\n".join(outputs).encode(),
        "logs": caplog.text.encode(),
        "every table": _dump(workspace / "curator.db"),
        "the report": report.read_bytes(),
        "the JSON report": report_json.read_bytes(),
    }
    places.update({f"file {p.name}": p.read_bytes() for p in workspace.iterdir() if p.is_file()})
    for where, data in places.items():
        for key in (FIREWORKS_KEY, OPENAI_KEY):
            for form in _forms(key):
                assert form not in data, f"{form!r} leaked into {where}"


def test_scrubbing_catches_every_form(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EXAMPLE_API_KEY", "ex-KEY-abc/123+x")
    key = "ex-KEY-abc/123+x"
    assert scrub_text(f"Bearer {key}") == "Bearer [redacted]"
    assert scrub_text(quote(key, safe="")) == "[redacted]"
    mixed = '{"a": "Bearer ex-\\u004bEY-abc\\/123+x"}'  # any mix of escapes, decoded first
    assert key not in scrub_body(mixed) and "[redacted]" in scrub_body(mixed)
    assert scrub_json({key: [key, 1]}) == {"[redacted]": ["[redacted]", 1]}
