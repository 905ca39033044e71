"""Every CLI printer, fed a hostile corpus, writes no raw escape, bell, CSI or bidi override."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest

from core.cli import main
from core.cli.jobs_cmd import print_jobs
from core.providers.models import Job
from core.providers.states import JobState
from core.textsafe import safe_line, safe_text
from tests.factories import write_jsonl
from tests.safety.hostile import CLEAR, HOSTILE, OSC52, TITLE, assert_clean, hostile_corpus


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    return hostile_corpus(tmp_path / "traces")


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_sanitiser_shows_controls_visibly() -> None:
    assert safe_line(OSC52) == "\\x1b]52;c;cHduZWQ=\\x07"
    assert safe_line("a\nb\tc\rd") == "a\\nb\\tc\\rd"
    assert safe_text("a\nb\tc", newlines=True) == "a\nb\tc"
    assert safe_line("x\u202ey\u009b\x7f") == "x\\u202ey\\x9b\\x7f"
    assert safe_line("plain é ✓ 日本") == "plain é ✓ 日本"


def test_check_task_table_and_errors(capsys, corpus: Path, tmp_path: Path) -> None:
    code, out, err = run(capsys, "check", str(corpus), "--workspace", str(tmp_path / "ws"))
    assert code == 0, err
    assert_clean(out, err)
    assert "\\x1b]52;c;cHduZWQ=\\x07" in out  # the task is shown, visibly escaped
    assert f"evil{safe_line(CLEAR)}.jsonl:2:" in out  # hostile file name, escaped


def test_check_json_is_clean_and_lossless(capsys, corpus: Path, tmp_path: Path) -> None:
    code, out, err = run(capsys, "check", str(corpus), "--json", "--workspace", str(tmp_path / "w"))
    assert code == 0, err
    assert_clean(out, err)
    report = orjson.loads(out)
    assert {call["task"] for call in report["calls"]} >= set(HOSTILE)  # JSON keeps the value


def test_path_problem_error_line(capsys, tmp_path: Path) -> None:
    missing = tmp_path / f"gone{TITLE}.jsonl"
    code, out, err = run(capsys, "check", str(missing), "--workspace", str(tmp_path / "ws"))
    assert code == 2
    assert_clean(out, err)
    assert "\\x1b]0;owned title\\x07" in err


def test_decisions_and_decide(capsys, corpus: Path, tmp_path: Path) -> None:
    ws = str(tmp_path / "ws")
    run(capsys, "check", str(corpus), "--workspace", ws)
    code, out, err = run(
        capsys, "decide", f"run0{OSC52}", "--run", "--reject", "--reason", TITLE, "--workspace", ws
    )
    assert code == 0, err
    assert_clean(out, err)
    code, out, err = run(capsys, "decide", f"nope{OSC52}", "--accept", "--workspace", ws)
    assert code == 2
    assert_clean(out, err)
    code, out, err = run(capsys, "decisions", "--all", "--workspace", ws)
    assert code == 0
    assert_clean(out, err)
    assert "reason: \\x1b]0;owned title\\x07" in out
    code, out, err = run(capsys, "decisions", "--json", "--workspace", ws)
    assert_clean(out, err)
    assert orjson.loads(out)[0]["reason"] == TITLE


def test_export_human_and_json(capsys, corpus: Path, tmp_path: Path) -> None:
    ws = str(tmp_path / "ws")
    run(capsys, "check", str(corpus), "--workspace", ws)
    main(["decide", *(f"run{i}{v}" for i, v in enumerate(HOSTILE)), "--run", "--accept",
          "--workspace", ws])  # fmt: skip
    capsys.readouterr()
    for extra in ([], ["--json"]):
        out_dir = tmp_path / f"ds{len(extra)}"
        code, out, err = run(
            capsys, "export", "--out", str(out_dir), "--include", "accepted", "--heldout", "0",
            "--workspace", ws, *extra,
        )  # fmt: skip
        assert_clean(out, err)
        assert code in (0, 1), err


def test_jobs_table_from_a_hostile_provider(capsys) -> None:
    job = Job(
        provider="fireworks",
        job_id=f"job{OSC52}",
        name=TITLE,
        state=JobState.FAILED,
        raw_state=CLEAR,
        terminal=True,
        known_state=False,
        output_model=f"model{TITLE}",
        error=f"boom {CLEAR}",
    )
    print_jobs([job])
    captured = capsys.readouterr()
    assert_clean(captured.out, captured.err)
    assert "job\\x1b]52" in captured.out


def _heldout(folder: Path) -> Path:
    """A held-out set whose task name and gold answers carry escape sequences."""
    task = f"evil{CLEAR}"
    gold = orjson.dumps({"name": f"x{OSC52}", "note": TITLE}).decode()
    lines = [
        {
            "messages": [
                {"role": "user", "content": f"page {OSC52}"},
                {"role": "assistant", "content": gold},
            ]
        }
    ] * 2
    write_jsonl(folder / task / "heldout.jsonl", lines)
    return folder


def test_eval_terminal_markdown_and_json(capsys, tmp_path: Path) -> None:
    heldout = _heldout(tmp_path / "heldout")
    report, payload = tmp_path / "eval.md", tmp_path / "eval.json"
    argv = ["eval", "--heldout", str(heldout), "--candidate", "gold", "--baseline", "gold",
            "--workspace", str(tmp_path / "ws")]  # fmt: skip
    code, out, err = run(capsys, *argv, "--report", str(report), "--json", str(payload))
    assert code == 0, err
    assert_clean(out, err, report.read_text(), payload.read_text())
    assert "evil\\x1b[2J" in out
    code, out, err = run(capsys, *argv, "--json", "-")
    assert_clean(out, err)
    assert list(orjson.loads(out)["tasks"]) == [f"evil{CLEAR}"]


def test_probe_prints_the_exchange_escaped(capsys, tmp_path: Path) -> None:
    heldout = _heldout(tmp_path / "heldout")
    code, out, err = run(capsys, "probe", "gold", "--heldout", str(heldout))
    assert_clean(out, err)
    assert "evil\\x1b[2J" in out


def test_usage_errors_quote_arguments_escaped(capsys) -> None:
    code, out, err = run(capsys, "decide", "abcdef", f"-{CLEAR}", "--accept")
    assert code == 2
    assert_clean(out, err)
    assert "unrecognized arguments: -\\x1b[2J\\x1b[H" in err


def test_an_id_that_is_not_utf8_is_one_line(capsys, corpus: Path, tmp_path: Path) -> None:
    ws = ("--workspace", str(tmp_path / "ws"))
    run(capsys, "check", str(corpus), *ws)
    odd = b"\x9e\x1b[2J".decode("utf-8", "surrogateescape")  # raw bytes from a shell
    for extra in ([], ["--run"]):
        code, out, err = run(capsys, "decide", odd, "--accept", *extra, *ws)
        assert code == 2
        assert_clean(out, err)
        assert err.startswith("curator: error: \\udc9e\\x1b[2J: not valid UTF-8, no such id\n")
