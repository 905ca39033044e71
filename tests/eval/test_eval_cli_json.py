"""``--json`` the same way on every command: ``eval --json`` alone and ``probe --json``."""

from __future__ import annotations

from pathlib import Path

import orjson

from core.cli import main


def test_eval_json_without_a_path_writes_the_report_to_stdout(
    heldout_dir: Path, tmp_path: Path, capsys
) -> None:
    argv = ["eval", "--heldout", str(heldout_dir), "--candidate", "gold", "--baseline", "gold"]
    code = main([*argv, "--n", "2", "--workspace", str(tmp_path / "ws"), "--json"])
    assert code == 0
    data = orjson.loads(capsys.readouterr().out)
    assert data["tasks"]["planning"]["n"] == 2
    assert not (Path.cwd() / "-").exists()


def test_probe_json_is_the_exchange_as_data(heldout_dir: Path, capsys) -> None:
    code = main(["probe", "gold", "--heldout", str(heldout_dir), "--task", "planning", "--json"])
    assert code == 0
    data = orjson.loads(capsys.readouterr().out)
    assert data["model"] == "gold" and data["task"] == "planning" and data["index"] == 0
    assert data["usable"] is True and data["advice"] is None and data["response"] is None
    assert orjson.loads(data["output"])["city"] == "Lisbon"
    assert data["request"]["messages"][-1]["role"] == "user"
