"""The providers' own validators, run over exported files as they are written.

- **Together**: ``check_file`` of the ``together`` SDK. Since 2.15 the SDK only checks that
  each line is a JSON object ("semantic checks run on the server after upload"); 2.14.0 is the
  last release whose checker validates the conversation format locally (roles, tool turns,
  weights, "all in multimodal or all in text-only", extra columns). It is installed once,
  without dependencies but ``tqdm``, into ``.validators/`` at the repository root (git
  ignores it) and run in a subprocess, so it never meets the installed ``together`` 3.x.
- **Fireworks**: ``fireworks.lib.dataset_upload`` of the installed ``fireworks-ai`` SDK: the
  folder and file checks its upload helper runs before sending anything (the format itself is
  validated by the server).
- **OpenAI**: no package ships the checks of the data-preparation cookbook, so
  ``openai_format_errors`` re-implements them as an oracle, extended as the current format
  reference allows (tool role and calls, ``weight``, ``tools``, ``parallel_tool_calls``).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[2]
TOGETHER_VERSION = "2.14.0"
TOGETHER_TARGET = REPO / ".validators" / f"together-{TOGETHER_VERSION}"
_CHECK_SCRIPT = """
import json, sys
from together.lib.utils.files import check_file
print(json.dumps([check_file(path, purpose="fine-tune") for path in sys.argv[1:]]))
"""


def together_checker() -> Path:
    """The folder holding together 2.14.0 (installed on first use); skips when pip cannot."""
    if not (TOGETHER_TARGET / "together" / "lib" / "utils" / "files.py").is_file():
        command = [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            "--no-deps",
            "--target",
            str(TOGETHER_TARGET),
            f"together=={TOGETHER_VERSION}",
            "tqdm",
        ]
        # A constraints file (CI pins the test install) would refuse this older release.
        env = {key: value for key, value in os.environ.items() if key != "PIP_CONSTRAINT"}
        # CI must run the real checker, never skip it quietly.
        missing = pytest.fail if os.environ.get("CURATOR_REQUIRE_VALIDATORS") else pytest.skip
        try:
            subprocess.run(command, check=True, capture_output=True, timeout=300, env=env)
        except (subprocess.SubprocessError, OSError) as exc:
            missing(f"cannot install together=={TOGETHER_VERSION} for its checker: {exc}")
    return TOGETHER_TARGET


def together_reports(files: list[Path]) -> list[dict[str, Any]]:
    """``check_file`` reports of Together's SDK 2.14.0, one per file."""
    env = {**os.environ, "PYTHONPATH": str(together_checker()), "TOGETHER_DISABLE_TQDM": "true"}
    done = subprocess.run(
        [sys.executable, "-c", _CHECK_SCRIPT, *map(str, files)],
        check=True,
        capture_output=True,
        text=True,
        env=env,
        cwd=TOGETHER_TARGET,
        timeout=300,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


OPENAI_TOP_LEVEL = {"messages", "tools", "parallel_tool_calls", "functions"}
OPENAI_MESSAGE_KEYS = {"role", "content", "name", "function_call", "tool_calls", "tool_call_id"}
OPENAI_MESSAGE_KEYS |= {"weight"}
OPENAI_ROLES = {"system", "developer", "user", "assistant", "tool", "function"}
OPENAI_MIN_EXAMPLES = 10


def openai_format_errors(path: Path) -> Counter[str]:
    """The cookbook's format error counts for one file (empty when the file is fine)."""
    errors: Counter[str] = Counter()
    lines = path.read_text(encoding="utf-8").splitlines()
    if len(lines) < OPENAI_MIN_EXAMPLES:
        errors["fewer_than_10_examples"] += 1
    for line in lines:
        example = json.loads(line)
        if not isinstance(example, dict):
            errors["data_type"] += 1
            continue
        if set(example) - OPENAI_TOP_LEVEL:
            errors["example_unrecognized_key"] += 1
        messages = example.get("messages")
        if not messages:
            errors["missing_messages_list"] += 1
            continue
        for message in messages:
            if "role" not in message or ("content" not in message and not _calls(message)):
                errors["message_missing_key"] += 1
            if set(message) - OPENAI_MESSAGE_KEYS:
                errors["message_unrecognized_key"] += 1
            if message.get("role") not in OPENAI_ROLES:
                errors["unrecognized_role"] += 1
            content = message.get("content")
            if (not content and not _calls(message)) or not isinstance(content, str | None):
                if not _text_parts(content):
                    errors["missing_content"] += 1
            if "weight" in message and message["weight"] not in (0, 1):
                errors["invalid_weight"] += 1
        if not any(m.get("role") == "assistant" for m in messages):
            errors["example_missing_assistant_message"] += 1
    return errors


def _calls(message: dict[str, Any]) -> bool:
    return bool(message.get("tool_calls") or message.get("function_call"))


def _text_parts(content: Any) -> bool:
    return isinstance(content, list) and all(
        isinstance(p, dict) and p.get("type") in ("text", "image_url") for p in content
    )
