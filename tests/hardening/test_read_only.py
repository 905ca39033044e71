"""A read-only workspace: reading commands work, writing ones say so in one line."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "sample_traces"


def curator(*argv: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "core.cli", *map(str, argv)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture
def read_only_workspace(tmp_path: Path) -> Iterator[Path]:
    """A checked workspace seen through a read-only bind mount (root only; skipped elsewhere)."""
    source, view = tmp_path / "rw", tmp_path / "ro"
    view.mkdir()
    assert curator("check", SAMPLES, "--workspace", source / "ws").returncode == 0
    listed = curator("decisions", "--all", "--json", "--workspace", source / "ws").stdout
    first = listed.split('"trace_id": "', 1)[1].split('"', 1)[0]
    assert curator("decide", first, "--accept", "--workspace", source / "ws").returncode == 0
    mounted = subprocess.run(["mount", "--bind", str(source), str(view)], capture_output=True)
    if mounted.returncode != 0:
        pytest.skip("cannot bind-mount here (needs root)")
    try:
        subprocess.run(["mount", "-o", "remount,ro,bind", str(view)], check=True)
        yield view / "ws"
    finally:
        subprocess.run(["umount", "--lazy", str(view)], check=True)


def test_reading_commands_work_on_a_read_only_workspace(read_only_workspace: Path) -> None:
    listed = curator("decisions", "--workspace", read_only_workspace)
    assert listed.returncode == 0 and "accept" in listed.stdout, listed.stderr
    checked = curator("check", SAMPLES, "--workspace", read_only_workspace)
    assert checked.returncode == 0 and checked.stdout.startswith("266 calls"), checked.stderr
    health = curator("workspace", "check", "--workspace", read_only_workspace)
    assert health.returncode == 0 and ": ok (decision journal: 1 events)" in health.stdout


def test_writing_commands_say_the_workspace_is_read_only(
    read_only_workspace: Path, tmp_path: Path
) -> None:
    config = tmp_path / "other.toml"
    config.write_text("[bands]\nmax_discovery_rounds = 5\n")
    for argv in (
        ("check", SAMPLES, "--config", config),  # another config: the index must change
        ("export", SAMPLES, "--out", tmp_path / "ds"),
    ):
        done = curator(*argv, "--workspace", read_only_workspace)
        assert done.returncode == 2 and "Traceback" not in done.stderr, done.stderr
        assert done.stderr.count("\n") == 1
        assert f"the workspace is read-only; `curator {argv[0]}` needs to write" in done.stderr


async def test_the_app_on_a_read_only_workspace_says_a_decision_was_not_recorded(
    read_only_workspace: Path,
) -> None:
    from core.config import CuratorConfig
    from tests.tui.conftest import screen_of, settle
    from tui.app import CuratorApp

    app = CuratorApp(read_only_workspace, CuratorConfig())
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("j", "a")
        await settle(pilot)
        notes = [n.message for n in pilot.app._notifications]
        assert any("the workspace is read-only" in note for note in notes), notes
        assert screen_of(pilot).calls_list.cursor == 1, "nothing recorded: the cursor stays"
    app.session.conn.close()  # the mount can go
