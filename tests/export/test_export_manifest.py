"""The written set: file format, manifest truth, byte-identical re-export, store records."""

from __future__ import annotations

import gzip
import hashlib
from pathlib import Path

import orjson
from export_corpus import Corpus, read_ids, read_jsonl

from core.check.run import run_check
from core.config import CuratorConfig
from core.corpus.records import trace_id
from core.export import ExportOptions, export_dataset, find_exports, list_exports, read_manifest
from core.export.manifest import manifest_hash
from core.export.model import FileEntry
from core.store.db import connect

OPTIONS = ExportOptions(heldout_per_task=3, combine=True, seed=11)


def test_manifest_matches_the_files(store, tmp_path: Path):
    result = export_dataset(store, CuratorConfig(), OPTIONS, tmp_path / "ds")
    manifest = read_manifest(result.out_dir)
    assert manifest == result.manifest
    assert manifest["version"] == 1 and manifest["hash"] == result.manifest_hash
    assert manifest["seed"] == 11 and manifest["selection"] == "auto"
    assert manifest["heldout_per_task"] == 3
    assert manifest["config"]["bands"]["coverage_threshold"] == 0.65
    assert manifest["config_fingerprint"] == CuratorConfig().fingerprint()
    paths = [f["path"] for f in manifest["files"]]
    assert paths == [
        "enrichment/train.jsonl",
        "enrichment/heldout.jsonl",
        "extraction/train.jsonl",
        "extraction/heldout.jsonl",
        "planning/train.jsonl",
        "planning/heldout.jsonl",
        "train.jsonl",
    ]
    for entry in manifest["files"]:
        data = (result.out_dir / entry["path"]).read_bytes()
        ids = read_ids(result.out_dir / entry["ids_file"])
        assert entry["bytes"] == len(data)
        assert entry["sha256"] == hashlib.sha256(data).hexdigest()
        assert entry["examples"] == data.count(b"\n") == len(ids)
        ids_bytes = (result.out_dir / entry["ids_file"]).read_bytes()
        assert entry["ids_sha256"] == hashlib.sha256(ids_bytes).hexdigest()
        assert entry["est_tokens"] > 0
        if entry["path"] != "train.jsonl":
            assert (entry["task"], entry["split"]) == tuple(entry["path"][:-6].split("/"))
    combined = manifest["files"][-1]
    assert (combined["task"], combined["split"]) == ("all", "train")
    assert combined["examples"] == sum(
        f["examples"] for f in manifest["files"][:-1] if f["split"] == "train"
    )
    for task, counts in manifest["tasks"].items():
        assert counts["heldout"] == 3
        train = next(f for f in manifest["files"] if f["path"] == f"{task}/train.jsonl")
        assert train["examples"] == counts["train"]
    assert manifest["totals"]["examples"] == sum(
        f["examples"] for f in manifest["files"] if f["task"] != "all"
    )


def test_lines_hold_only_messages_and_tools_in_utf8(store, corpus: Corpus, tmp_path: Path):
    result = export_dataset(store, CuratorConfig(), OPTIONS, tmp_path / "ds")
    found_unicode = False
    for path in result.out_dir.rglob("*.jsonl"):
        raw = path.read_bytes()
        raw.decode("utf-8")
        found_unicode |= "Zürich".encode() in raw
        ids = read_ids(path.with_suffix(".ids"))
        for record, tid in zip(read_jsonl(path), ids, strict=True):
            assert set(record) <= {"messages", "tools"}
            assert trace_id(record) == tid, "ids file order follows the jsonl"
    assert found_unicode, "non-ASCII text is written as UTF-8, not escaped"


def test_manifest_hash_recipe(store, tmp_path: Path):
    result = export_dataset(store, CuratorConfig(), OPTIONS, tmp_path / "ds")
    entries = [FileEntry(**f) for f in result.manifest["files"]]
    assert manifest_hash(entries, CuratorConfig().fingerprint(), 11, "auto") == result.manifest_hash
    assert manifest_hash(entries, CuratorConfig().fingerprint(), 12, "auto") != result.manifest_hash


def test_byte_identical_reexport(store, corpus: Corpus, tmp_path: Path):
    def files(root: Path) -> dict[Path, bytes]:
        return {p.relative_to(root): p.read_bytes() for p in root.rglob("*") if p.is_file()}

    first = export_dataset(store, CuratorConfig(), OPTIONS, tmp_path / "one")
    snapshot = files(first.out_dir)
    second = export_dataset(store, CuratorConfig(), OPTIONS, tmp_path / "two")
    again = export_dataset(store, CuratorConfig(), OPTIONS, tmp_path / "one")  # replaces
    assert files(second.out_dir) == snapshot
    assert files(again.out_dir) == snapshot
    assert first.manifest_hash == second.manifest_hash == again.manifest_hash
    manifest_text = (first.out_dir / "manifest.json").read_text()
    assert str(tmp_path) not in manifest_text, "no absolute paths in the manifest"
    # a fresh workspace over the same corpus gives the same bytes too
    conn = connect(tmp_path / "other-workspace")
    run_check(conn, [corpus.root], CuratorConfig())
    fresh = export_dataset(conn, CuratorConfig(), OPTIONS, tmp_path / "three")
    assert files(fresh.out_dir) == snapshot
    other_seed = export_dataset(
        conn, CuratorConfig(), OPTIONS.model_copy(update={"seed": 12}), tmp_path / "four"
    )
    assert other_seed.manifest_hash != first.manifest_hash
    conn.close()


def test_export_recorded_in_store(store, tmp_path: Path):
    result = export_dataset(store, CuratorConfig(), OPTIONS, tmp_path / "ds")
    (record,) = list_exports(store)
    assert record.id == result.export_id
    assert record.manifest_hash == result.manifest_hash
    assert record.out_dir == str(result.out_dir)
    assert record.seed == 11 and record.selection == "auto" and record.provider == "fireworks"
    assert record.examples == result.manifest["totals"]["examples"]
    assert record.counts["duplicates"]["exact_dropped"] == 1
    assert record.created_at.endswith("+00:00")
    assert find_exports(store, result.manifest_hash[:12]) == [record]
    rows = store.execute(
        "SELECT path, split, examples, sha256 FROM export_files WHERE export_id = ? ORDER BY path",
        (record.id,),
    ).fetchall()
    by_path = {f["path"]: f for f in result.manifest["files"]}
    assert len(rows) == len(by_path)
    for path, split, examples, sha in rows:
        assert (split, examples, sha) == (
            by_path[path]["split"],
            by_path[path]["examples"],
            by_path[path]["sha256"],
        )


def test_migration_three_creates_export_tables(tmp_path: Path):
    conn = connect(tmp_path / "ws")
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    assert version >= 3
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"exports", "export_files"} <= tables
    columns = {r[1] for r in conn.execute("PRAGMA table_info(exports)")}
    assert {"id", "out_dir", "manifest_hash", "created_at", "counts"} <= columns
    conn.close()


def test_manifest_is_sorted_json_with_final_newline(store, tmp_path: Path):
    result = export_dataset(store, CuratorConfig(), OPTIONS, tmp_path / "ds")
    raw = (result.out_dir / "manifest.json").read_bytes()
    assert raw.endswith(b"}\n")
    assert list(orjson.loads(raw))[:3] == ["version", "tool_version", "hash"]


def test_gzip_corpus_exports_the_same_bytes(store, corpus: Corpus, tmp_path: Path):
    plain = export_dataset(store, CuratorConfig(), OPTIONS, tmp_path / "plain")
    zipped = tmp_path / "zipped"
    zipped.mkdir()
    for path in corpus.root.iterdir():
        (zipped / f"{path.name}.gz").write_bytes(gzip.compress(path.read_bytes(), mtime=0))
    conn = connect(tmp_path / "zipped-workspace")
    run_check(conn, [zipped], CuratorConfig())
    from_gzip = export_dataset(conn, CuratorConfig(), OPTIONS, tmp_path / "from-gzip")
    conn.close()
    assert from_gzip.manifest == plain.manifest
    for entry in plain.manifest["files"]:
        assert (tmp_path / "from-gzip" / entry["path"]).read_bytes() == (
            tmp_path / "plain" / entry["path"]
        ).read_bytes()
