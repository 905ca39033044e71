"""Hostile trace input: huge numbers, odd file names, loops, pipes and devices, unreadable folders.

Each used to abort the whole check with a traceback; now each is one line and the rest loads.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import orjson
import pytest

from core.check.run import run_check
from core.config import CuratorConfig
from core.corpus.discover import discover
from core.store.db import connect
from tests.factories import call, write_jsonl

ROOT = Path(__file__).resolve().parents[2]


def _check(*argv: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "core.cli", "check", *map(str, argv)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_numbers_past_64_bits_are_a_finding_on_their_line(tmp_path: Path) -> None:
    corpus = write_jsonl(
        tmp_path / "extraction.jsonl",
        [  # the standard library writes integers orjson would refuse
            json.dumps(line).encode()
            for line in (
                call(round=2**63, queries=1),
                call(seq=1e19, output="[]"),
                call(new_entities=-(2**64), queries=2, output='[{"name": "Smile Dental Studio"}]'),
                call(run_id="r-2", round=1),
            )
        ],
    )
    done = _check(corpus, "--workspace", tmp_path / "ws", "--json")
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    report = orjson.loads(done.stdout)
    assert report["summary"]["calls"] == 4 and report["errors"] == []
    problems = {
        (c["line"], f["message"].split(":")[0])
        for c in report["calls"]
        for f in c["findings"]
        if f["rule"] == "format.metadata" and f["severity"] == "warn"
    }
    assert problems == {(1, "metadata.round"), (2, "metadata.seq"), (3, "metadata.new_entities")}


def test_a_file_name_that_is_not_utf8_is_shown_escaped(tmp_path: Path) -> None:
    folder = tmp_path / "corpus"
    folder.mkdir()
    write_jsonl(folder / "good.jsonl", [call()])
    write_jsonl(Path(os.fsdecode(bytes(folder) + b"/odd\xff.jsonl")), [call(run_id="r-2")])
    done = _check(folder, "--workspace", tmp_path / "ws")
    assert done.returncode == 0 and "Traceback" not in done.stderr
    assert "odd\\xff.jsonl: file name is not valid UTF-8" in done.stderr
    assert done.stdout.startswith("1 calls in 1 files")


def test_a_symlink_loop_is_reported_and_skipped(tmp_path: Path) -> None:
    (tmp_path / "a").symlink_to(tmp_path / "b")
    (tmp_path / "b").symlink_to(tmp_path / "a")
    good = write_jsonl(tmp_path / "corpus" / "extraction.jsonl", [call()])
    (good.parent / "loop.jsonl").symlink_to(good.parent / "loop.jsonl")  # a loop inside it
    done = _check(tmp_path / "a", good.parent, "--workspace", tmp_path / "ws")
    assert done.returncode == 0 and "Traceback" not in done.stderr
    assert f"{tmp_path / 'a'}: a symlink loop; skipped" in done.stderr
    assert f"{good.parent / 'loop.jsonl'}: a symlink loop; skipped" in done.stderr
    assert done.stdout.startswith("1 calls in 1 files")


def test_a_fifo_or_a_device_is_named_for_what_it_is(tmp_path: Path) -> None:
    fifo = tmp_path / "calls.jsonl"
    os.mkfifo(fifo)
    _, problems = discover([fifo, Path("/dev/zero")])
    assert problems == [
        f"{fifo}: a named pipe (FIFO), not a file or folder; skipped",
        "/dev/zero: a character device, not a file or folder; skipped",
    ]


def test_an_unreadable_folder_is_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    corpus = tmp_path / "corpus"
    write_jsonl(corpus / "ok" / "extraction.jsonl", [call()])
    write_jsonl(corpus / "locked" / "extraction.jsonl", [call(run_id="r-2")])
    locked = corpus / "locked"
    if os.geteuid() == 0:  # root reads any folder: make the OS refuse this one as it would
        real_scandir = os.scandir

        def refusing(path: str | os.PathLike[str] = ".") -> object:
            if Path(path) == locked:
                raise PermissionError(13, "Permission denied", str(path))
            return real_scandir(path)

        monkeypatch.setattr(os, "scandir", refusing)
    else:
        locked.chmod(0)
    try:
        conn = connect(tmp_path / "ws")
        outcome = run_check(conn, [corpus], CuratorConfig())
    finally:
        locked.chmod(0o755)
    assert outcome.path_problems == [
        f"{locked}: cannot read this folder (Permission denied); skipped"
    ]
    assert conn.execute("SELECT COUNT(*) FROM calls").fetchone()[0] == 1
