"""A damaged workspace: one line saying so (never a traceback), then check and repair.

Tests corrupt a real database: random bytes over the pages of the corpus index (its tables
and their indexes, found with SQLite's ``dbstat``), or a dropped table. The decision journal
survives a repair.
"""

from __future__ import annotations

import random
import sqlite3
import subprocess
import sys
from pathlib import Path

import orjson
import pytest

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "sample_traces"


def curator(*argv: str | Path, workspace: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "core.cli", *map(str, argv), "--workspace", str(workspace)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


def decisions(workspace: Path) -> list[tuple[str, str]]:
    done = curator("decisions", "--json", workspace=workspace)
    assert done.returncode == 0, done.stderr
    return sorted((row["trace_id"], row["decision"]) for row in orjson.loads(done.stdout))


@pytest.fixture
def reviewed(tmp_path: Path) -> tuple[Path, list[tuple[str, str]]]:
    """A checked workspace with three decisions, and those decisions."""
    workspace = tmp_path / "ws"
    assert curator("check", SAMPLES, workspace=workspace).returncode == 0
    listed = orjson.loads(curator("decisions", "--all", "--json", workspace=workspace).stdout)
    ids = [row["trace_id"] for row in listed[:3]]
    assert curator("decide", ids[0], ids[1], "--accept", workspace=workspace).returncode == 0
    assert curator("decide", ids[2], "--reject", workspace=workspace).returncode == 0
    return workspace, decisions(workspace)


def _damage_index(database: Path) -> None:
    conn = sqlite3.connect(database)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    index = ("files", "calls", "runs", "call_rules", "load_errors", "check_state")
    tables = ", ".join(f"'{name}'" for name in index)
    pages = [
        row[0]
        for row in conn.execute(
            "SELECT pageno FROM dbstat WHERE name IN"
            f" ({tables}) OR name IN (SELECT name FROM sqlite_master WHERE tbl_name IN ({tables}))"
        )
    ]
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    conn.close()
    rng = random.Random(14)
    with database.open("r+b") as handle:
        for page in pages:
            handle.seek((page - 1) * page_size)
            handle.write(rng.randbytes(page_size))


def _one_damage_line(done: subprocess.CompletedProcess[str], journal: str) -> None:
    assert done.returncode == 2 and "Traceback" not in done.stderr, done.stderr
    assert done.stderr.count("\n") == 1, done.stderr
    assert "the workspace is damaged" in done.stderr and journal in done.stderr
    assert "curator workspace repair" in done.stderr


def test_random_bytes_in_the_index_then_repair_keeps_every_decision(reviewed, tmp_path) -> None:
    workspace, before = reviewed
    _damage_index(workspace / "curator.db")
    journal = "the decision journal still reads (3 events)"
    _one_damage_line(curator("check", SAMPLES, workspace=workspace), journal)
    _one_damage_line(curator("decisions", workspace=workspace), journal)
    _one_damage_line(
        curator("export", SAMPLES, "--out", tmp_path / "ds", workspace=workspace), journal
    )

    found = curator("workspace", "check", workspace=workspace)
    assert found.returncode == 1 and "damaged (decision journal: 3 events)" in found.stdout

    repaired = curator("workspace", "repair", workspace=workspace)
    assert repaired.returncode == 0, repaired.stderr
    assert "review_events 3" in repaired.stdout and "damaged file kept at" in repaired.stdout
    assert curator("workspace", "check", workspace=workspace).returncode == 0
    assert curator("check", SAMPLES, workspace=workspace).returncode == 0
    assert decisions(workspace) == before
    again = curator("workspace", "repair", workspace=workspace)
    assert again.returncode == 0 and "nothing to repair" in again.stdout


def test_a_missing_table_is_one_line_and_repair_rebuilds_it(reviewed) -> None:
    workspace, before = reviewed
    conn = sqlite3.connect(workspace / "curator.db")
    conn.execute("DROP TABLE runs")
    conn.commit()
    conn.close()
    done = curator("decisions", workspace=workspace)
    _one_damage_line(done, "the decision journal still reads (3 events)")
    assert "table runs is missing" in done.stderr
    assert curator("workspace", "repair", workspace=workspace).returncode == 0
    assert curator("check", SAMPLES, workspace=workspace).returncode == 0
    assert decisions(workspace) == before
