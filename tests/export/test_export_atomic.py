"""Atomic writes: a failed or cancelled export leaves the output folder exactly as it was."""

from __future__ import annotations

import hashlib
import os
import threading
from pathlib import Path

import pytest
from export_corpus import Corpus

from core.config import CuratorConfig
from core.export import ExportError, ExportOptions, export_dataset, preview_export, write_export
from core.export.writer import HashingFile, recover_interrupted
from core.progress import Cancelled
from core.review.decisions import Target, decide

OPTIONS = ExportOptions(heldout_per_task=3, combine=True)


def snapshot(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def siblings(out: Path) -> list[str]:
    return sorted(p.name for p in out.parent.iterdir() if p.name.startswith(f".{out.name}."))


def corpus_hashes(corpus: Corpus) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in corpus.root.iterdir()}


@pytest.fixture
def previous(store, tmp_path: Path) -> dict[str, bytes]:
    """An earlier export (another seed) already in ``ds``."""
    export_dataset(store, CuratorConfig(), OPTIONS.model_copy(update={"seed": 99}), tmp_path / "ds")
    return snapshot(tmp_path / "ds")


def test_writer_failure_mid_write_leaves_previous_export(
    store, tmp_path: Path, previous, monkeypatch, corpus: Corpus
):
    before = corpus_hashes(corpus)
    written = 0
    original = HashingFile.write_line

    def failing_write(self: HashingFile, line: bytes) -> None:
        nonlocal written
        written += 1
        if written == 10:
            raise OSError(28, "No space left on device")
        original(self, line)

    monkeypatch.setattr(HashingFile, "write_line", failing_write)
    with pytest.raises(ExportError, match="No space left"):
        export_dataset(store, CuratorConfig(), OPTIONS, tmp_path / "ds")
    assert written == 10
    assert snapshot(tmp_path / "ds") == previous
    assert siblings(tmp_path / "ds") == []
    assert store.execute("SELECT COUNT(*) FROM exports").fetchone()[0] == 1
    assert corpus_hashes(corpus) == before, "trace files are never modified"


def test_cancel_during_write_leaves_previous_export(store, tmp_path: Path, previous):
    plan = preview_export(store, CuratorConfig(), OPTIONS)
    cancel = threading.Event()
    seen: list[str] = []

    def progress(done: int, total: int, detail: str = "") -> None:
        seen.append(detail)
        if detail.startswith("writing"):
            cancel.set()

    with pytest.raises(Cancelled):
        write_export(store, plan, tmp_path / "ds", progress=progress, cancel=cancel)
    assert any(d.startswith("writing") for d in seen)
    assert snapshot(tmp_path / "ds") == previous
    assert siblings(tmp_path / "ds") == []


def test_cancel_during_preview(store):
    cancel = threading.Event()
    cancel.set()
    with pytest.raises(Cancelled):
        preview_export(store, CuratorConfig(), OPTIONS, cancel=cancel)


def test_failure_on_a_new_folder_leaves_nothing(store, tmp_path: Path, monkeypatch):
    def broken_manifest(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr("core.export.api.build_manifest", broken_manifest)
    with pytest.raises(RuntimeError):
        export_dataset(store, CuratorConfig(), OPTIONS, tmp_path / "new" / "ds")
    assert not (tmp_path / "new" / "ds").exists()
    assert siblings(tmp_path / "new" / "ds") == []


def test_failed_swap_puts_the_old_export_back(store, tmp_path: Path, previous, monkeypatch):
    monkeypatch.setattr("core.export.writer._renameat2", None)  # the two-rename fallback
    real_rename = os.rename

    def rename(src, dst):
        if ".tmp-" in str(src):
            raise OSError("rename failed")
        return real_rename(src, dst)

    monkeypatch.setattr("core.export.writer.os.rename", rename)
    with pytest.raises(ExportError, match="rename failed"):
        export_dataset(store, CuratorConfig(), OPTIONS, tmp_path / "ds")
    assert snapshot(tmp_path / "ds") == previous
    assert siblings(tmp_path / "ds") == []


def test_replacing_leaves_no_aside_folder(store, tmp_path: Path, previous):
    result = export_dataset(store, CuratorConfig(), OPTIONS, tmp_path / "ds")
    assert snapshot(tmp_path / "ds") != previous
    assert (tmp_path / "ds" / "manifest.json").read_bytes().count(result.manifest_hash.encode())
    assert siblings(tmp_path / "ds") == []


def test_leftovers_of_a_killed_export_are_recovered(tmp_path: Path):
    out = tmp_path / "ds"
    dead = 2**22 + 12345  # above the default pid_max: no such process
    stale_tmp = tmp_path / f".ds.tmp-{dead}-abcd"
    stale_tmp.mkdir()
    (stale_tmp / "half.jsonl").write_text("{}\n")
    old = tmp_path / f".ds.old-{dead}-abcd"
    old.mkdir()
    (old / "manifest.json").write_text("{}")
    recover_interrupted(out)
    assert not stale_tmp.exists()
    assert (out / "manifest.json").read_text() == "{}", "killed between the renames: restored"
    alive = tmp_path / f".ds.tmp-{os.getpid()}-beef"
    alive.mkdir()
    recover_interrupted(out)
    assert alive.exists(), "a running writer's folder is left alone"


def test_refuses_a_folder_that_is_not_an_export(store, tmp_path: Path):
    target = tmp_path / "documents"
    target.mkdir()
    (target / "thesis.txt").write_text("precious")
    with pytest.raises(ExportError, match="not an export"):
        export_dataset(store, CuratorConfig(), OPTIONS, target)
    (target / "manifest.json").write_text('{"name": "a web app", "version": 1}')
    with pytest.raises(ExportError, match="not an export"):
        export_dataset(store, CuratorConfig(), OPTIONS, target)
    assert (target / "thesis.txt").read_text() == "precious"
    empty = tmp_path / "empty"
    empty.mkdir()
    export_dataset(store, CuratorConfig(), OPTIONS, empty)
    assert (empty / "manifest.json").is_file()


def test_refuses_folders_that_hold_or_sit_in_the_corpus(store, corpus: Corpus):
    with pytest.raises(ExportError, match="inside the corpus folder"):
        export_dataset(store, CuratorConfig(), OPTIONS, corpus.root / "ds")
    with pytest.raises(ExportError, match="holds the corpus"):
        export_dataset(store, CuratorConfig(), OPTIONS, corpus.root.parent)
    assert not (corpus.root / "ds").exists()


def test_refuses_a_file(store, tmp_path: Path):
    target = tmp_path / "file"
    target.write_text("x")
    with pytest.raises(ExportError, match="not a folder"):
        export_dataset(store, CuratorConfig(), OPTIONS, target)


def test_changed_corpus_is_detected(store, corpus: Corpus, tmp_path: Path):
    plan = preview_export(store, CuratorConfig(), OPTIONS)
    planning = corpus.root / "planning.jsonl"
    planning.write_bytes(planning.read_bytes().replace(b"Plan the search", b"Plan the SEARCH"))
    with pytest.raises(ExportError, match="changed since"):
        write_export(store, plan, tmp_path / "ds")
    assert not (tmp_path / "ds").exists()


def test_stale_plan_is_refused(store, corpus: Corpus, tmp_path: Path):
    plan = preview_export(store, CuratorConfig(), OPTIONS)
    decide(store, [Target("run", corpus.runs[0])], "reject")
    with pytest.raises(ExportError, match="changed since the preview"):
        write_export(store, plan, tmp_path / "ds")
    assert not (tmp_path / "ds").exists()
