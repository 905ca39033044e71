"""Export verification before upload, migration 4 and the export → job → model chain."""

from __future__ import annotations

import hashlib

import orjson
import pytest

from core.providers import DeployOptions, JobSpec, open_provider, records
from core.providers.exports import (
    ExportError,
    dataset_id_for,
    load_manifest,
    select_files,
    verify_file,
)
from core.providers.workflow import deploy_model, start_finetune, upload_export, watch_jobs
from core.store.db import connect
from tests.providers.conftest import ExportFactory


def test_selection_by_task_split_and_combined(make_export: ExportFactory) -> None:
    export = make_export({"planning": 12, "extraction": 11}, combine=True)
    manifest = load_manifest(export)
    assert [f.path for f in select_files(manifest)] == [
        "planning/train.jsonl",
        "extraction/train.jsonl",
        "train.jsonl",
    ]
    assert [f.path for f in select_files(manifest, ["all"])] == ["train.jsonl"]
    heldout = select_files(manifest, ["planning"], heldout=True)
    assert [f.split for f in heldout] == ["train", "heldout"]
    with pytest.raises(ExportError, match="tasks in this export: all, extraction, planning"):
        select_files(manifest, ["enrichment"])


def test_dataset_ids_are_valid_stable_and_distinct(make_export: ExportFactory) -> None:
    manifest = load_manifest(make_export({"planning": 12, "extraction": 11}, combine=True))
    ids = [dataset_id_for(manifest, entry) for entry in manifest.files]
    assert len(set(ids)) == len(ids)
    assert ids == [dataset_id_for(manifest, entry) for entry in manifest.files]
    assert ids[0].startswith("tc-planning-train-")


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (lambda p: p.write_bytes(p.read_bytes() + b'{"messages": []}\n'), "manifest says"),
        (lambda p: p.write_bytes(p.read_bytes().replace(b"input 1", b"input 7")), "sha256"),
        (lambda p: p.write_bytes(p.read_bytes() + b"\n"), "blank line"),
        (lambda p: p.unlink(), "missing"),
    ],
)
def test_changed_files_are_refused(make_export: ExportFactory, damage, message: str) -> None:
    export = make_export({"planning": 12})
    manifest = load_manifest(export)
    damage(export / "planning/train.jsonl")
    with pytest.raises(ExportError, match=message):
        verify_file(export, manifest.files[0])


def test_bad_manifests(tmp_path) -> None:
    with pytest.raises(ExportError, match="no manifest"):
        load_manifest(tmp_path)
    (tmp_path / "manifest.json").write_bytes(b"{")
    with pytest.raises(ExportError, match="not valid JSON"):
        load_manifest(tmp_path)
    bad = {"version": 1, "hash": "h", "files": [{"path": "../x.jsonl", "task": "t",
           "split": "train", "examples": 1, "bytes": 1, "sha256": "0"}]}  # fmt: skip
    (tmp_path / "manifest.json").write_bytes(orjson.dumps(bad))
    with pytest.raises(ExportError, match="files.0.path"):
        load_manifest(tmp_path)
    bad["version"] = 2
    bad["files"] = []
    (tmp_path / "manifest.json").write_bytes(orjson.dumps(bad))
    with pytest.raises(ExportError, match="version 2"):
        load_manifest(tmp_path)


def test_nothing_is_sent_when_any_file_fails_verification(
    fake_server, settings, env, conn, make_export: ExportFactory
) -> None:
    export = make_export({"planning": 12, "extraction": 11})
    path = export / "extraction/train.jsonl"
    path.write_bytes(path.read_bytes().replace(b"input 3", b"input 9"))
    client = open_provider("fireworks", settings, env)
    with pytest.raises(ExportError):
        upload_export(conn, client, export)
    client.close()
    assert not fake_server.calls


def test_migration_4_tables(tmp_path) -> None:
    conn = connect(tmp_path / "ws")
    assert conn.execute("PRAGMA user_version").fetchone()[0] >= 4
    tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"provider_uploads", "provider_jobs", "provider_deployments"} <= tables
    conn.close()
    again = connect(tmp_path / "ws")  # reopening does not re-run migrations
    assert again.execute("SELECT count(*) FROM provider_uploads").fetchone()[0] == 0
    again.close()


def test_chain_export_dataset_job_model_deployment(
    fake_server, settings, env, conn, make_export: ExportFactory
) -> None:
    export = make_export({"planning": 12, "extraction": 11})
    manifest = load_manifest(export)
    client = open_provider("fireworks", settings, env)
    uploaded = upload_export(conn, client, export)
    job = start_finetune(
        conn, client, JobSpec(base_model="qwen3-8b", dataset=uploaded[0].dataset_id, epochs=1)
    )
    watch_jobs(conn, client, [job.job_id], settings, on_update=lambda j: None)
    deploy_model(conn, client, job.job_id, DeployOptions(), settings)
    client.close()

    chain = records.lineage(conn, manifest.hash)
    assert [(row.file_path, row.job_id) for row in chain] == [
        ("planning/train.jsonl", job.job_id),
        ("extraction/train.jsonl", None),
    ]
    first = chain[0]
    assert first.provider == "fireworks" and first.job_state == "succeeded"
    assert first.output_model == f"accounts/demo/models/{job.job_id}"
    assert first.deployment_state == "READY"
    [recorded] = records.list_jobs(conn)
    assert orjson.loads(recorded.spec)["epochs"] == 1 and recorded.terminal
    upload_rows = records.list_uploads(conn, "fireworks")
    assert {row.phase for row in upload_rows} == {"ready"}
    assert hashlib.sha256(b"").hexdigest() not in {row.sha256 for row in upload_rows}
