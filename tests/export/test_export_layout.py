"""Layouts: the provider layout is what the upload helpers take; no layout writes empty files;
upload reads both."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import orjson
import pytest
from fireworks.lib.dataset_upload import collect_dataset_shards, count_dataset_examples

from core.config import CuratorConfig
from core.export import ExportOptions, export_dataset
from core.providers.exports import load_manifest, select_files, verify_file


def export(store: sqlite3.Connection, out: Path, **options) -> dict:
    result = export_dataset(store, CuratorConfig(), ExportOptions(**options), out)
    return result.manifest


def test_provider_layout_is_one_flat_folder_the_fireworks_helper_takes(store, tmp_path: Path):
    out = tmp_path / "datasets"
    manifest = export(store, out, heldout_per_task=2, layout="provider", combine=True)
    names = sorted(p.name for p in out.iterdir())
    assert names == sorted(f["path"] for f in manifest["files"])
    assert all(name.endswith(".jsonl") and "/" not in name for name in names)
    assert "planning-train.jsonl" in names and "planning-heldout.jsonl" in names
    assert "all-train.jsonl" in names
    meta = tmp_path / "datasets.meta"
    assert (meta / "manifest.json").is_file()
    assert sorted(p.name for p in meta.iterdir()) == sorted(
        ["manifest.json", *(f["ids_file"] for f in manifest["files"])]
    )
    # the SDK's own folder and file checks (it raises on anything it would refuse)
    assert [Path(p).name for p in collect_dataset_shards(str(out))] == names
    for entry in manifest["files"]:
        assert count_dataset_examples(str(out / entry["path"])) == entry["examples"]


def test_default_layout_is_refused_by_the_fireworks_helper(store, tmp_path: Path):
    # why the provider layout exists: sub-folders and sidecars in the export folder
    out = tmp_path / "datasets"
    export(store, out, heldout_per_task=2)
    with pytest.raises(ValueError, match="subdirectories are not supported"):
        collect_dataset_shards(str(out))


@pytest.mark.parametrize("layout", ["tasks", "provider"])
def test_heldout_zero_writes_no_empty_file(store, tmp_path: Path, layout: str):
    out = tmp_path / "datasets"
    manifest = export(store, out, heldout_per_task=0, layout=layout)
    assert {f["split"] for f in manifest["files"]} == {"train"}
    written = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert not [p for p in written if "heldout" in p.name]
    assert all(p.stat().st_size > 0 for p in written)


@pytest.mark.parametrize("layout", ["tasks", "provider"])
def test_upload_reads_both_layouts(store, tmp_path: Path, layout: str):
    out = tmp_path / "datasets"
    manifest = export(store, out, heldout_per_task=2, layout=layout)
    folders = [out, tmp_path / "datasets.meta"] if layout == "provider" else [out]
    for folder in folders:
        loaded = load_manifest(folder)
        assert loaded.hash == manifest["hash"]
        entries = select_files(loaded, heldout=True)
        paths = [verify_file(folder, entry) for entry in entries]
        assert len(paths) == len(manifest["files"])
        assert all(p.is_file() and out in p.parents for p in paths)


def test_provider_layout_replaces_its_previous_export(store, tmp_path: Path):
    out = tmp_path / "datasets"
    first = export(store, out, heldout_per_task=2, layout="provider")
    second = export(store, out, heldout_per_task=0, layout="provider")
    assert first["hash"] != second["hash"]
    assert not list(out.glob("*-heldout.jsonl"))
    meta = orjson.loads((tmp_path / "datasets.meta" / "manifest.json").read_bytes())
    assert meta["hash"] == second["hash"] and meta["layout"] == "provider"
    assert meta["data_dir"] == "datasets"
