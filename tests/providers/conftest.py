"""Fixtures for provider tests: the fake server, fast settings, keys, exports, a store."""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path

import orjson
import pytest

from core.cli import main
from core.providers.settings import ProviderSettings
from core.store.db import connect
from tests.providers.fake_server import FakeProviderServer

KEYS = {
    "fireworks": "fw-SECRET-4f9a1c2b7e",
    "together": "tg-SECRET-8d3e5a6f01",
    "openai": "sk-SECRET-2b7c9e4d13",
}
ACCOUNT = "demo"


@pytest.fixture
def fake_server() -> Iterator[FakeProviderServer]:
    server = FakeProviderServer().start()
    server.state.keys.update(KEYS)
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def settings(fake_server: FakeProviderServer) -> ProviderSettings:
    """Real policy, tiny delays: every retry and poll sleep is scaled by 1/1000."""
    return ProviderSettings(
        fireworks_base_url="http://127.0.0.1:9",  # the env override must win over these
        together_base_url="http://127.0.0.1:9",
        openai_base_url="http://127.0.0.1:9",
        delay_scale=0.001,
        ready_timeout_seconds=5,
        connect_timeout_seconds=2,
        read_timeout_seconds=5,
        upload_timeout_seconds=5,
    )


@pytest.fixture
def env(fake_server: FakeProviderServer) -> dict[str, str]:
    return fake_server.env(KEYS, ACCOUNT)


@pytest.fixture
def monkeyenv(env: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """The fake server's variables in ``os.environ`` (for the CLI and the SDKs)."""
    for name in ("FIREWORKS", "TOGETHER", "OPENAI"):
        for suffix in ("API_KEY", "BASE_URL"):
            monkeypatch.delenv(f"{name}_{suffix}", raising=False)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    return env


@pytest.fixture
def conn(tmp_path: Path) -> Iterator[sqlite3.Connection]:
    connection = connect(tmp_path / "ws")
    try:
        yield connection
    finally:
        connection.close()


def example_line(index: int, task: str) -> bytes:
    record = {
        "messages": [
            {"role": "system", "content": f"You do {task}."},
            {"role": "user", "content": f"input {index}"},
            {"role": "assistant", "content": orjson.dumps({"n": index}).decode()},
        ]
    }
    return orjson.dumps(record) + b"\n"


ExportFactory = Callable[..., Path]


@pytest.fixture
def make_export(tmp_path: Path) -> ExportFactory:
    """Build an export folder (manifest + files) following the export contract."""

    def build(
        tasks: dict[str, int] | None = None,
        *,
        heldout: int = 3,
        combine: bool = False,
        name: str = "export",
        pad: int = 0,
    ) -> Path:
        root = tmp_path / name
        files = []
        plan = [(task, "train", n) for task, n in (tasks or {"planning": 12}).items()]
        plan += [(task, "heldout", heldout) for task in (tasks or {"planning": 12})]
        if combine:
            plan.append(("all", "train", sum(n for _, split, n in plan if split == "train")))
        for task, split, count in plan:
            relative = f"{split}.jsonl" if task == "all" else f"{task}/{split}.jsonl"
            if pad:
                lines = _padded(count, pad)
            else:
                lines = b"".join(example_line(i, task) for i in range(count))
            target = root / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(lines)
            files.append(
                {
                    "path": relative,
                    "task": task,
                    "split": split,
                    "examples": count,
                    "bytes": len(lines),
                    "sha256": hashlib.sha256(lines).hexdigest(),
                }
            )
        digest = hashlib.sha256(orjson.dumps(files)).hexdigest()
        manifest = {"version": 1, "hash": digest, "seed": 7, "files": files}
        (root / "manifest.json").write_bytes(orjson.dumps(manifest))
        return root

    return build


def _padded(count: int, pad: int) -> bytes:
    """Lines made bigger with a long system prompt, to cross a lowered size threshold."""
    out = []
    for i in range(count):
        record = {
            "messages": [
                {"role": "system", "content": "x" * pad},
                {"role": "user", "content": f"input {i}"},
                {"role": "assistant", "content": "{}"},
            ]
        }
        out.append(orjson.dumps(record) + b"\n")
    return b"".join(out)


def assert_no_key(text: str | bytes, *, where: str) -> None:
    """No provider key appears in ``text``."""
    data = text.encode() if isinstance(text, str) else text
    for key in KEYS.values():
        assert key.encode() not in data, f"a key leaked into {where}"


def assert_requests_keep_keys_in_auth_only(server: FakeProviderServer) -> None:
    """Keys appear only in the Authorization header of requests to that provider's API."""
    for call in server.calls:
        assert_no_key(call.body, where=f"body of {call.method} {call.path}")
        assert_no_key(call.raw_path, where=f"URL of {call.method} {call.path}")
        for name, value in call.headers.items():
            if name != "authorization":
                assert_no_key(value, where=f"header {name} of {call.path}")


def dump_store(conn: sqlite3.Connection) -> str:
    """Every row of every table, as text, to search for leaked keys."""
    tables = [row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
    lines = []
    for table in tables:
        for row in conn.execute(f"SELECT * FROM {table}"):  # noqa: S608 - names from sqlite
            lines.append(repr(tuple(row)))
    return "\n".join(lines)


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, monkeyenv, capsys):
    """Run ``curator`` in a temporary cwd with fast provider settings; return (code, out, err)."""
    monkeypatch.chdir(tmp_path)
    config = tmp_path / "curator.toml"
    config.write_text("[providers]\ndelay_scale = 0.001\nready_timeout_seconds = 5\n")

    def run(*argv: str) -> tuple[int, str, str]:
        code = main([*argv, "--workspace", str(tmp_path / "ws"), "--config", str(config)])
        out, err = capsys.readouterr()
        return code, out, err

    return run
