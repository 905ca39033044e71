"""A workspace on a tiny filesystem, and on a read-only one: one line, state as before.

The filesystem is a real tmpfs mounted for the test (root only); elsewhere these tests skip.
"""

from __future__ import annotations

import gc
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import orjson
import pytest

from core.cli import main
from tests.factories import write_jsonl
from tests.safety.processes import distinct_call, long_file

SAMPLE_TRACES = Path(__file__).resolve().parents[2] / "sample_traces"
SQLITE_FILES = {"curator.db", "curator.db-wal", "curator.db-shm"}


def _mount(folder: Path, *options: str) -> None:
    subprocess.run(["mount", *options, folder], check=True, capture_output=True, timeout=30)


@pytest.fixture
def tiny(tmp_path: Path) -> Iterator[Path]:
    """A fresh 8 MB tmpfs (a new workspace alone takes ~2 MB: 16 KiB pages, its WAL);
    skipped where mounting is refused."""
    folder = tmp_path / "tiny"
    folder.mkdir()
    try:
        _mount(folder, "-t", "tmpfs", "-o", "size=8m", "tmpfs")
    except (OSError, subprocess.SubprocessError) as exc:
        pytest.skip(f"cannot mount a tmpfs here (needs root): {exc}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", folder], capture_output=True, timeout=30)


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def one_line(err: str, *needles: str) -> None:
    assert err.count("\n") == 1 and err.startswith("curator: error: "), err
    for needle in needles:
        assert needle in err, err


def test_a_check_that_fills_the_disk_leaves_the_workspace_as_before(tiny, tmp_path, capsys):
    corpus, workspace = tmp_path / "traces", tiny / "ws"
    write_jsonl(corpus / "extraction.jsonl", [distinct_call(i, f"r-{i}") for i in range(3)])
    ws = ("--workspace", str(workspace))
    assert run(capsys, "check", str(corpus), *ws)[0] == 0
    code, out, _ = run(capsys, "decisions", "--all", "--json", *ws)
    trace_id = orjson.loads(out)[0]["trace_id"]
    assert run(capsys, "decide", trace_id, "--reject", "--reason", "kept", *ws)[0] == 0
    before = run(capsys, "decisions", "--all", "--json", *ws)[1]

    long_file(corpus / "late" / "extraction.jsonl")  # ~3 MB of calls: more than is left
    fill(tiny, leave=1 << 20)
    code, out, err = run(capsys, "check", str(corpus), *ws)
    assert code == 2
    one_line(err, f"{workspace / 'curator.db'}: disk full", "intact")
    assert run(capsys, "decisions", "--all", "--json", *ws)[1] == before  # nothing lost
    assert {p.name for p in workspace.iterdir()} <= SQLITE_FILES  # no marker, no temp file
    (tiny / "filler").unlink()
    assert run(capsys, "decide", trace_id, "--accept", *ws)[0] == 0  # still writable


def test_eval_reports_on_a_full_disk_keep_the_previous_ones(tiny, tmp_path, capsys):
    heldout = tmp_path / "heldout"
    line = {
        "messages": [
            {"role": "user", "content": "page"},
            {"role": "assistant", "content": '{"name": "x"}'},
        ]
    }
    write_jsonl(heldout / "enrichment" / "heldout.jsonl", [line, line])
    report, payload = tiny / "out" / "eval.md", tiny / "out" / "eval.json"
    argv = ["eval", "--heldout", str(heldout), "--candidate", "gold", "--baseline", "gold",
            "--workspace", str(tmp_path / "ws")]  # fmt: skip
    assert run(capsys, *argv, "--report", str(report), "--json", str(payload))[0] == 0
    previous = report.read_bytes(), payload.read_bytes()
    fill(tiny)
    code, out, err = run(capsys, *argv, "--report", str(report), "--json", str(payload))
    assert code == 2
    one_line(err, f"{tiny / 'out'}/eval.", "disk full", "nothing was replaced")
    assert (report.read_bytes(), payload.read_bytes()) == previous
    assert sorted(p.name for p in report.parent.iterdir()) == ["eval.json", "eval.md"]


def test_a_read_only_workspace_refuses_writes_in_one_line(tiny, tmp_path, capsys):
    corpus, workspace = tmp_path / "traces", tiny / "ws"
    write_jsonl(corpus / "extraction.jsonl", [distinct_call(i, f"r-{i}") for i in range(3)])
    ws = ("--workspace", str(workspace))
    assert run(capsys, "check", str(corpus), *ws)[0] == 0
    trace_id = orjson.loads(run(capsys, "decisions", "--all", "--json", *ws)[1])[0]["trace_id"]
    gc.collect()  # the in-process commands' connections: a busy mount cannot turn read-only
    _mount(tiny, "-o", "remount,ro")
    code, out, err = run(capsys, "decide", trace_id, "--accept", *ws)
    assert code == 2
    one_line(err, f"{workspace / 'curator.db'}: the workspace is read-only")
    assert run(capsys, "check", str(corpus), *ws)[0] == 0  # unchanged corpus: a read works
    write_jsonl(corpus / "more.jsonl", [distinct_call(9, "r-9")])
    code, out, err = run(capsys, "check", str(corpus), *ws)  # a new file must be written
    assert code == 2
    one_line(err, f"{workspace / 'curator.db'}: the workspace is read-only")


def fill(folder: Path, leave: int = 0) -> None:
    """Take every free byte of the filesystem holding ``folder`` but ``leave``."""
    stat = os.statvfs(folder)
    size = max(0, stat.f_bavail * stat.f_frsize - leave)
    with (folder / "filler").open("wb") as handle:
        try:
            while size > 0:
                size -= handle.write(b"\0" * min(size, 65536))
        except OSError:
            pass


def test_an_export_onto_a_full_disk_keeps_the_previous_set(tiny, tmp_path, capsys):
    out = tiny / "ds"
    ws = ("--workspace", str(tmp_path / "ws"))
    assert run(capsys, "export", str(SAMPLE_TRACES), "--out", str(out), *ws)[0] == 0
    before = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    fill(tiny)
    code, _, err = run(capsys, "export", str(SAMPLE_TRACES), "--out", str(out), "--seed", "3", *ws)
    assert code == 2
    one_line(err, "No space left on device", f"{out} is unchanged")
    assert {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
    assert sorted(p.name for p in tiny.iterdir()) == ["ds", "filler"]  # no temp folder
