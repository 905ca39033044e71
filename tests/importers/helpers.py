"""Shared helpers of the importer tests: fixture paths, running import and check in process."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import orjson

from core.cli import main

FIXTURES = Path(__file__).parent / "fixtures"


def copy_fixtures(folder: Path, *names: str) -> Path:
    """Copy fixtures into their own folder (a corpus of just these sources)."""
    folder.mkdir(parents=True, exist_ok=True)
    for name in names:
        shutil.copy2(FIXTURES / name, folder / name)
    return folder


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    return [orjson.loads(line) for line in path.read_bytes().splitlines() if line.strip()]


def check_json(capsys, paths: list[Path], workspace: Path) -> tuple[int, dict[str, Any], str]:
    """``curator check --json`` in process: exit code, report, stderr."""
    code = main(["check", *map(str, paths), "--workspace", str(workspace), "--json"])
    captured = capsys.readouterr()
    return code, orjson.loads(captured.out), captured.err


def rules_of(call: dict[str, Any]) -> set[str]:
    return {finding["rule"] for finding in call["findings"]}


def runs_of(calls: list[dict[str, Any]]) -> dict[str, int]:
    """Calls per run id."""
    counts: dict[str, int] = {}
    for call in calls:
        counts[call["run_id"]] = counts.get(call["run_id"], 0) + 1
    return counts
