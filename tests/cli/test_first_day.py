"""The CLI as a new user meets it: pipes, no terminal, workspace discovery, global options.

Subprocess tests where the behaviour lives in the process (pipes, TTYs, exit at shutdown);
in-process ``main`` where a plain call shows it.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import orjson
import pytest

from core.cli import main
from tests.factories import call, summary, write_jsonl

ROOT = Path(__file__).resolve().parents[2]
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}


def curator(*argv: str, cwd: Path, **kwargs) -> subprocess.CompletedProcess[str]:
    kwargs.setdefault("stdout", subprocess.PIPE)
    kwargs.setdefault("stderr", subprocess.PIPE)
    kwargs.setdefault("env", ENV)
    return subprocess.run(
        [sys.executable, "-m", "core.cli", *argv], cwd=cwd, text=True, timeout=60, **kwargs
    )


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A project folder with a small corpus, checked once (its workspace is ./.curator)."""
    folder = tmp_path / "project"
    write_jsonl(
        folder / "traces" / "extraction.jsonl",
        [call(run_id="good", round=1), call(run_id="bad", output="[]", round=1)],
    )
    write_jsonl(folder / "traces" / "runs.jsonl", [summary("good"), summary("bad")])
    (folder / "src" / "deep").mkdir(parents=True)
    return folder


def _checked(project: Path, monkeypatch, capsys) -> Path:
    monkeypatch.chdir(project)
    assert main(["check", "traces"]) == 0
    capsys.readouterr()
    return project / ".curator"


def test_a_reader_that_closes_the_pipe_early_gets_no_traceback(project: Path) -> None:
    read_end, write_end = os.pipe()
    os.close(read_end)  # `| head` that has already gone: every write is EPIPE
    try:
        done = curator("check", "traces", cwd=project, stdout=write_end, stderr=subprocess.PIPE)
    finally:
        os.close(write_end)
    assert done.returncode == 141, done.stderr
    assert done.stderr == ""


def test_review_without_a_terminal_says_so_instead_of_drawing_into_the_pipe(
    project: Path,
) -> None:
    done = curator("review", "traces", cwd=project, stdin=subprocess.DEVNULL)
    assert done.returncode == 2
    assert "needs a terminal" in done.stderr and done.stdout == ""
    assert not (project / ".curator").exists()  # refused before anything was written


def test_bare_curator_in_a_workspace_without_a_terminal_does_not_hang(
    project: Path, monkeypatch, capsys
) -> None:
    _checked(project, monkeypatch, capsys)
    done = curator(cwd=project / "src", stdin=subprocess.DEVNULL)
    assert done.returncode == 2
    assert "needs a terminal" in done.stderr


def test_bare_curator_outside_a_workspace_says_how_to_start(tmp_path: Path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main([]) == 2
    out = capsys.readouterr().out
    assert "No curator workspace here" in out and "curator check sample_traces" in out
    assert not (tmp_path / ".curator").exists()


@pytest.mark.parametrize(
    "argv",
    [
        ["decisions"],
        ["decide", "abcdef", "--accept"],
        ["check", "nonexistent"],
        ["export", "nonexistent", "--out", "ds"],
        ["review"],
    ],
)
def test_read_only_and_failing_commands_leave_no_workspace_behind(
    argv: list[str], tmp_path: Path, monkeypatch, capsys
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith("curator: error: ") and "Traceback" not in err
    assert not (tmp_path / ".curator").exists()


def test_jobs_outside_a_workspace_leave_none_behind(tmp_path: Path, monkeypatch, capsys) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("FIREWORKS_API_KEY", raising=False)
    main(["jobs"])
    assert not (tmp_path / ".curator").exists()


def test_a_sub_folder_finds_the_project_workspace_as_git_does(
    project: Path, monkeypatch, capsys
) -> None:
    _checked(project, monkeypatch, capsys)
    monkeypatch.chdir(project / "src" / "deep")
    assert main(["decisions", "--all", "--json"]) == 0
    assert len(orjson.loads(capsys.readouterr().out)) == 2
    assert not (project / "src" / "deep" / ".curator").exists()


def test_workspace_option_before_the_command(project: Path, tmp_path: Path, capsys) -> None:
    workspace = tmp_path / "elsewhere"
    assert main(["--workspace", str(workspace), "check", str(project / "traces")]) == 0
    assert f"workspace: {workspace / 'curator.db'}" in capsys.readouterr().out
    assert main(["--workspace", str(workspace), "decisions", "--all", "--json"]) == 0
    assert len(orjson.loads(capsys.readouterr().out)) == 2


def test_decide_json(project: Path, monkeypatch, capsys) -> None:
    _checked(project, monkeypatch, capsys)
    assert main(["decide", "good", "--run", "--reject", "--reason", "slow", "--json"]) == 0
    payload = orjson.loads(capsys.readouterr().out)
    assert payload["decision"] == "reject" and payload["reason"] == "slow"
    assert payload["targets"] == [{"kind": "run", "id": "good"}]
    assert payload["problems"] == [] and payload["op_id"] >= 1


def test_quiet_silences_warnings_but_not_errors(tmp_path: Path, capsys) -> None:
    argv = ["export", str(ROOT / "sample_traces"), "--out", str(tmp_path / "ds"), "--dry-run"]
    argv += ["--heldout", "45", "--workspace", str(tmp_path / "ws")]
    main(argv)
    assert "curator: warning:" in capsys.readouterr().err
    main(["-q", *argv])
    assert "curator: warning:" not in capsys.readouterr().err


def test_export_of_nothing_selected_says_so_plainly(project: Path, monkeypatch, capsys) -> None:
    _checked(project, monkeypatch, capsys)
    assert main(["decide", "good", "bad", "--run", "--reject"]) == 0
    capsys.readouterr()
    assert main(["export", "--out", "ds", "--dry-run"]) == 1
    captured = capsys.readouterr()
    assert captured.err.splitlines() == [
        "curator: error: nothing to export: no call is accepted, or undecided and passing"
        " (selection 'auto'); accept calls in `curator review` or with `curator decide`"
    ]  # no "-: -:", no "nothing written" on a dry run
    assert "nothing to export: no call is selected" in captured.out
    assert "problems" not in captured.out and "fireworks checks" not in captured.out


def test_completion_bash_completes_commands_options_and_choices(tmp_path: Path) -> None:
    script = curator("completion", "bash", cwd=tmp_path)
    assert script.returncode == 0, script.stderr
    probe = tmp_path / "probe.sh"
    probe.write_text(
        script.stdout + 't() { COMP_WORDS=("$@"); COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); _curator;'
        ' echo "${COMPREPLY[*]}"; }\n'
        "t curator de\nt curator check --js\nt curator export --provider ''\n"
        "t curator --workspace /tmp dec\n"
    )
    done = subprocess.run(["bash", str(probe)], capture_output=True, text=True, timeout=30)
    assert done.stdout.splitlines() == [
        "decisions decide deploy",
        "--json",
        "fireworks openai together",
        "decisions decide",
    ], done.stderr


def test_completion_zsh_goes_through_bashcompinit(capsys) -> None:
    assert main(["completion", "zsh"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("#compdef curator\n") and "bashcompinit" in out


LOADED = """
import sys
from core.cli import main
code = main(sys.argv[1:])
print("loaded:" + ",".join(sorted(m for m in sys.modules if m.startswith("core.cli.") and
      m.endswith("_cmd"))))
"""


def _command_modules_after(*argv: str, cwd: Path) -> list[str]:
    done = subprocess.run(
        [sys.executable, "-c", LOADED, *argv], cwd=cwd, env=ENV, capture_output=True, text=True
    )
    last = done.stdout.strip().splitlines()[-1]
    return [m for m in last.removeprefix("loaded:").split(",") if m]


def test_help_imports_no_command_module(tmp_path: Path) -> None:
    assert _command_modules_after("--help", cwd=tmp_path) == []


def test_decide_imports_only_its_own_module(tmp_path: Path) -> None:
    assert _command_modules_after("decide", "abcdef", "--accept", cwd=tmp_path) == [
        "core.cli.decisions_cmd"
    ]


def test_help_summaries_match_each_command_parser() -> None:
    from core.cli import SUMMARIES, build_parser
    from core.cli.completion_cmd import _subparsers

    full = build_parser(None)
    helps = {
        action.dest: action.help
        for action in next(
            a for a in full._actions if hasattr(a, "_choices_actions")
        )._choices_actions
    }
    assert {name: helps[name] for name in SUMMARIES} == SUMMARIES
    assert set(_subparsers(full)) == set(SUMMARIES)


def test_verbose_logs_each_http_request_to_stderr(tmp_path: Path) -> None:
    from tests.providers.fake_server import FakeProviderServer

    server = FakeProviderServer().start()
    try:
        env = {**ENV, "FIREWORKS_BASE_URL": server.url, "FIREWORKS_API_KEY": "k"}
        env["FIREWORKS_ACCOUNT_ID"] = "demo"
        quiet = curator("jobs", cwd=tmp_path, env=env)
        loud = curator("-v", "jobs", cwd=tmp_path, env=env)
    finally:
        server.stop()
    assert quiet.returncode == loud.returncode == 0, loud.stderr
    assert "HTTP Request: GET" not in quiet.stderr
    assert "HTTP Request: GET" in loud.stderr and "/supervisedFineTuningJobs" in loud.stderr
    assert "Bearer" not in loud.stderr and loud.stdout == quiet.stdout
