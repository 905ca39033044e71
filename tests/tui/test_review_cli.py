"""``curator review`` and bare ``curator``: index first, then open the app (stubbed here)."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.cli import main, review_cmd
from core.cli.exit_codes import ExitCode
from core.cli.review_cmd import known_corpus
from core.store.db import connect
from tests.review.corpus_factory import write_corpus
from tui.app import CuratorApp


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Replace running the app with recording which workspace it would open (in a terminal:
    without one, review refuses before indexing)."""
    workspaces: list[Path] = []
    monkeypatch.setattr(review_cmd, "has_terminal", lambda: True)
    monkeypatch.setattr(
        CuratorApp, "run", lambda self, **kw: workspaces.append(self.session.workspace)
    )
    return workspaces


def test_review_indexes_then_opens(tmp_path: Path, opened: list[Path]) -> None:
    corpus = write_corpus(tmp_path / "traces")
    workspace = tmp_path / "ws"
    assert main(["review", str(corpus), "--workspace", str(workspace)]) == ExitCode.OK
    assert opened == [workspace.resolve()]
    conn = connect(workspace)
    assert conn.execute("SELECT COUNT(*) FROM calls").fetchone()[0] == 21
    conn.close()
    # Without PATH the workspace's corpus is reused.
    assert main(["review", "--workspace", str(workspace)]) == ExitCode.OK
    assert len(opened) == 2


def test_review_without_a_corpus_is_a_usage_error(
    tmp_path: Path, opened: list[Path], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["review", "--workspace", str(tmp_path / "ws")]) == ExitCode.USAGE
    assert "no corpus yet" in capsys.readouterr().err
    assert main(["review", str(tmp_path / "missing")]) == ExitCode.USAGE
    assert opened == []


def test_bare_curator_opens_a_known_corpus(
    tmp_path: Path, opened: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert not known_corpus()
    assert main([]) == ExitCode.USAGE  # nothing known: usage
    write_corpus(tmp_path / "traces")
    assert main(["check", "traces"]) == ExitCode.OK
    assert known_corpus()
    assert main([]) == ExitCode.OK
    assert opened == [(tmp_path / ".curator").resolve()]
