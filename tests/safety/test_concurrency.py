"""``check``, ``decide`` and ``export`` against one workspace at once, in real processes."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest

from core.cli import main
from tests.factories import call, summary, write_jsonl
from tests.safety.processes import (
    curator,
    distinct_call,
    finish,
    long_file,
    paused_check,
    wait_for_line,
)


@pytest.fixture
def busy(tmp_path: Path, capsys) -> tuple[Path, Path, str]:
    """A checked workspace whose corpus then gains a file that takes a while to index."""
    corpus, workspace = tmp_path / "traces", tmp_path / "ws"
    write_jsonl(corpus / "extraction.jsonl", [distinct_call(i, f"r-{i}") for i in range(4)])
    write_jsonl(corpus / "runs.jsonl", [summary(f"r-{i}") for i in range(4)])
    assert main(["check", str(corpus), "--workspace", str(workspace)]) == 0
    capsys.readouterr()
    assert main(["decisions", "--all", "--json", "--workspace", str(workspace)]) == 0
    trace_id = orjson.loads(capsys.readouterr().out)[0]["trace_id"]
    long_file(corpus / "late" / "extraction.jsonl")
    return corpus, workspace, trace_id


def one_line_errors(err: str) -> None:
    assert "Traceback" not in err, err
    assert all(line.startswith("curator: ") for line in err.splitlines()), err


def report(workspace: Path, corpus: Path, capsys) -> dict:
    capsys.readouterr()
    assert main(["check", str(corpus), "--json", "--workspace", str(workspace)]) == 0
    data = orjson.loads(capsys.readouterr().out)
    del data["summary"]["workspace"]
    return data


def test_decide_export_and_a_second_check_wait_for_a_running_check(busy, tmp_path, capsys):
    corpus, workspace, trace_id = busy
    ws = ("--workspace", str(workspace))
    gate = tmp_path / "go"
    check = paused_check(corpus, workspace, gate)  # holds the write lock mid-load
    decide = curator("decide", trace_id, "--accept", *ws)
    note = wait_for_line(decide, "waiting for the workspace")
    assert note.startswith("curator: note: waiting for the workspace: a check started at ")
    assert f"by pid {check.pid} is running (up to 30 s)" in note
    export = curator("export", "--out", str(tmp_path / "ds"), "--heldout", "0", *ws)
    second = curator("check", str(corpus), *ws)
    gate.touch()

    code, _, err = finish(check)
    assert code == 0, err
    code, out, err = finish(decide)
    assert (code, out) == (0, "recorded: accept 1 call\n"), err
    one_line_errors(err)
    code, _, err = finish(export)
    one_line_errors(err)
    assert code in (0, 1, 2), err  # 1: too few examples; 2: a decision landed mid-export
    code, _, err = finish(second)
    assert code == 0, err
    one_line_errors(err)

    main(["decisions", "--json", *ws])
    decided = orjson.loads(capsys.readouterr().out)
    assert [(d["trace_id"], d["decision"]) for d in decided] == [(trace_id, "accept")]
    assert report(workspace, corpus, capsys) == report(tmp_path / "clean", corpus, capsys)
    assert not list(workspace.glob("*.check-running"))


def test_a_bounded_wait_ends_in_one_line_naming_the_check(busy, tmp_path, capsys):
    corpus, workspace, trace_id = busy
    ws = ("--workspace", str(workspace))
    gate = tmp_path / "go"
    check = paused_check(corpus, workspace, gate)
    decide = curator("decide", trace_id, "--accept", *ws, env={"CURATOR_BUSY_TIMEOUT": "0.3"})
    code, out, err = finish(decide)
    gate.touch()
    assert finish(check)[0] == 0
    assert (code, out) == (2, "")
    assert err.count("\n") == 1, err
    assert err.startswith(f"curator: error: {workspace}: workspace busy: a check started at ")
    assert f"by pid {check.pid} is running; gave up after 0.3 s" in err
    main(["decisions", *ws])
    assert capsys.readouterr().out == "no decisions yet\n"  # refused, not half-recorded


def test_everything_at_once_ends_as_a_clean_run(busy, tmp_path, capsys):
    """No pauses: real commands race on a check of a big file; no traceback, nothing lost."""
    corpus, workspace, trace_id = busy
    ws = ("--workspace", str(workspace))
    processes = [
        curator("check", str(corpus), *ws),
        curator("check", str(corpus), *ws),
        curator("decide", trace_id, "--reject", "--reason", "racing", *ws),
        curator("export", "--out", str(tmp_path / "ds"), "--heldout", "0", *ws),
        curator("decisions", "--all", *ws),
    ]
    for process in processes:
        code, _, err = finish(process)
        one_line_errors(err)
        assert code in (0, 1, 2), err
    assert finish(curator("decide", trace_id, "--accept", *ws))[0] == 0
    main(["decisions", "--json", *ws])
    decided = orjson.loads(capsys.readouterr().out)
    assert [(d["trace_id"], d["decision"]) for d in decided] == [(trace_id, "accept")]
    assert report(workspace, corpus, capsys) == report(tmp_path / "clean", corpus, capsys)


def test_a_bad_busy_timeout_is_one_line(tmp_path: Path, monkeypatch, capsys) -> None:
    monkeypatch.setenv("CURATOR_BUSY_TIMEOUT", "soon")
    corpus = write_jsonl(tmp_path / "extraction.jsonl", [call(run_id="r-1")])
    assert main(["check", str(corpus), "--workspace", str(tmp_path / "ws")]) == 2
    err = capsys.readouterr().err
    assert err == (
        "curator: error: CURATOR_BUSY_TIMEOUT='soon': not a number of seconds from 0 to 86400\n"
    )


async def test_the_app_keeps_deciding_while_a_check_runs(busy, tmp_path, monkeypatch):
    """A keystroke during a check's load waits (bounded); past the bound it is a notification,
    the app lives on, and the same key records once the check lets go."""
    from tests.tui.conftest import current_trace, decision_in_store, settle
    from tui.app import CuratorApp

    corpus, workspace, _ = busy
    monkeypatch.setenv("CURATOR_BUSY_TIMEOUT", "0.3")
    app = CuratorApp(workspace)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        trace = current_trace(pilot)
        gate = tmp_path / "go"
        check = paused_check(corpus, workspace, gate)
        await pilot.press("a")
        await settle(pilot)
        notice = list(pilot.app._notifications)[-1]
        assert notice.title == "Workspace busy"
        assert notice.message.startswith(f"not recorded: {workspace}: workspace busy: a check")
        assert f"by pid {check.pid} is running" in notice.message
        assert decision_in_store(workspace, trace) == (None, None)
        gate.touch()
        assert finish(check)[0] == 0
        assert current_trace(pilot) == trace  # not recorded: the cursor did not advance
        await pilot.press("a")
        await settle(pilot)
        assert decision_in_store(workspace, trace) == ("accept", None)


def test_a_killed_checks_marker_is_stale_and_swept(tmp_path: Path) -> None:
    from core.store.activity import busy_holder, check_marker, running_checks

    workspace = tmp_path / "ws"
    workspace.mkdir()
    dead = curator("--version")
    finish(dead)  # a pid that no longer runs
    marker = workspace / f"{dead.pid}.check-running"
    marker.write_bytes(orjson.dumps({"pid": dead.pid, "started": "2026-12-03T09:00:00+00:00"}))
    assert running_checks(workspace) == []
    assert not marker.exists()
    assert busy_holder(workspace) == "another curator process is writing to it"
    with check_marker(workspace):
        assert busy_holder(workspace).startswith("a check started at ")
    assert list(workspace.iterdir()) == []
