"""``curator decide`` / ``curator decisions``: the scripted face of review decisions."""

from __future__ import annotations

from pathlib import Path

import orjson

from core.cli import main
from tests.factories import call, summary, write_jsonl


def setup_workspace(tmp_path: Path, capsys) -> tuple[str, list[str]]:
    corpus = tmp_path / "traces"
    write_jsonl(corpus / "extraction.jsonl", [call(run_id="r-1"), call(run_id="r-2", output="[]")])
    write_jsonl(corpus / "runs.jsonl", [summary("r-1"), summary("r-2")])
    workspace = str(tmp_path / "ws")
    assert main(["check", str(corpus), "--json", "--workspace", workspace]) == 0
    report = orjson.loads(capsys.readouterr().out)
    return workspace, [c["trace_id"] for c in report["calls"]]


def decisions(capsys, workspace: str) -> list[dict]:
    assert main(["decisions", "--json", "--workspace", workspace]) == 0
    return orjson.loads(capsys.readouterr().out)


def test_decide_by_prefix_and_list(tmp_path: Path, capsys) -> None:
    workspace, ids = setup_workspace(tmp_path, capsys)
    code = main(
        ["decide", ids[0][:8], "--reject", "--reason", "too short", "--workspace", workspace]
    )
    assert code == 0 and capsys.readouterr().out == "recorded: reject 1 call\n"
    listed = decisions(capsys, workspace)
    assert [(d["trace_id"], d["decision"], d["reason"], d["line"]) for d in listed] == [
        (ids[0], "reject", "too short", 1)
    ]


def test_run_decision_applies_to_its_calls_unless_a_call_has_its_own(tmp_path, capsys) -> None:
    workspace, ids = setup_workspace(tmp_path, capsys)
    assert main(["decide", "r-1", "r-2", "--run", "--accept", "--workspace", workspace]) == 0
    assert main(["decide", ids[1], "--reject", "--workspace", workspace]) == 0
    capsys.readouterr()
    listed = {d["trace_id"]: (d["decision"], d["decided_on"]) for d in decisions(capsys, workspace)}
    assert listed == {ids[0]: ("accept", "run"), ids[1]: ("reject", "call")}


def test_unknown_ids_are_reported_and_known_ones_still_recorded(tmp_path, capsys) -> None:
    workspace, ids = setup_workspace(tmp_path, capsys)
    code = main(["decide", "ffffffffff", ids[0], "--accept", "--workspace", workspace])
    captured = capsys.readouterr()
    assert code == 2
    assert (
        captured.err == "curator: error: ffffffffff: no call with this trace id in the workspace\n"
    )
    assert [d["decision"] for d in decisions(capsys, workspace)] == ["accept"]


def test_nothing_to_decide_is_an_error(tmp_path, capsys) -> None:
    workspace, _ = setup_workspace(tmp_path, capsys)
    assert main(["decide", "abc", "--accept", "--workspace", workspace]) == 2
    err = capsys.readouterr().err
    assert "give at least 6 characters" in err and "nothing decided" in err
