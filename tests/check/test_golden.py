"""Golden output of ``curator check sample_traces --json``.

Regenerate after an intended change with ``UPDATE_GOLDEN=1 pytest tests/check/test_golden.py``
and review the diff.
"""

from __future__ import annotations

import io
import os
from contextlib import redirect_stdout
from pathlib import Path

import orjson

from core.cli import main

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = ROOT / "tests" / "golden" / "check_sample_traces.json"


def test_check_json_matches_golden(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(ROOT)  # relative PATH, as a user types it
    buffer = io.StringIO()
    with redirect_stdout(buffer):
        code = main(["check", "sample_traces", "--json", "--workspace", str(tmp_path / "ws")])
    assert code == 0
    report = orjson.loads(buffer.getvalue())
    report["summary"]["workspace"] = "<workspace>"
    actual = orjson.dumps(report, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS) + b"\n"
    if os.environ.get("UPDATE_GOLDEN"):
        GOLDEN.write_bytes(actual)
    assert actual == GOLDEN.read_bytes()
