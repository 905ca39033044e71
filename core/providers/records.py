"""The workspace's record of uploads, jobs and deployments (schema version 4).

Each upload row is keyed by (provider, manifest hash, file path), so the export → dataset →
job → model chain can be walked with :func:`lineage`. Rows hold ids, names, states and the job
settings; never a key. Writes are short transactions, committed before returning.
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime

import orjson
from pydantic import BaseModel, ConfigDict

from core.providers.exports import ManifestFile
from core.providers.models import Deployment, Job, JobSpec
from core.store.db import transaction


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class _Row(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")


class UploadRecord(_Row):
    """One export file on one provider, and how far its upload got."""

    id: int
    provider: str
    manifest_hash: str
    export_dir: str
    file_path: str
    task: str
    split: str
    sha256: str
    bytes: int
    examples: int
    dataset_id: str
    remote_id: str
    dataset_ref: str
    phase: str  # started, created, sent, ready, failed
    outcome: str
    error: str
    created_at: str
    updated_at: str


class JobRecord(_Row):
    """A fine-tuning job we started, as last seen."""

    id: int
    provider: str
    job_id: str
    job_name: str
    upload_id: int | None
    dataset_ref: str
    eval_dataset_ref: str | None
    base_model: str
    spec: str
    state: str
    raw_state: str
    terminal: bool
    percent: float | None
    output_model: str | None
    error: str | None
    created_at: str
    updated_at: str


class DeploymentRecord(_Row):
    """A deployment we created for a tuned model."""

    id: int
    provider: str
    deployment_id: str
    deployment_name: str
    model: str
    inference_model: str
    job_row: int | None
    min_replicas: int
    max_replicas: int
    state: str
    created_at: str
    updated_at: str


def start_upload(
    conn: sqlite3.Connection,
    *,
    provider: str,
    manifest_hash: str,
    export_dir: str,
    entry: ManifestFile,
    dataset_id: str,
) -> UploadRecord:
    """The upload row for this file (created in phase ``started`` when new)."""
    now = _now()
    with transaction(conn):
        conn.execute(
            "INSERT INTO provider_uploads (provider, manifest_hash, export_dir, file_path, task,"
            " split, sha256, bytes, examples, dataset_id, phase, created_at, updated_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'started', ?, ?)"
            " ON CONFLICT (provider, manifest_hash, file_path) DO UPDATE SET"
            " export_dir = excluded.export_dir, updated_at = excluded.updated_at",
            (provider, manifest_hash, export_dir, entry.path, entry.task, entry.split,
             entry.sha256, entry.bytes, entry.examples, dataset_id, now, now),
        )  # fmt: skip
    row = conn.execute(
        "SELECT * FROM provider_uploads WHERE provider = ? AND manifest_hash = ? AND file_path = ?",
        (provider, manifest_hash, entry.path),
    ).fetchone()
    return UploadRecord.model_validate(dict(row))


def set_upload_phase(
    conn: sqlite3.Connection,
    upload_id: int,
    phase: str,
    *,
    remote_id: str | None = None,
    dataset_ref: str | None = None,
    outcome: str | None = None,
    error: str = "",
) -> None:
    """Move an upload to ``phase``; None leaves a field as it was."""
    with transaction(conn):
        conn.execute(
            "UPDATE provider_uploads SET phase = ?, remote_id = COALESCE(?, remote_id),"
            " dataset_ref = COALESCE(?, dataset_ref), outcome = COALESCE(?, outcome),"
            " error = ?, updated_at = ? WHERE id = ?",
            (phase, remote_id, dataset_ref, outcome, error, _now(), upload_id),
        )


def note_upload_error(conn: sqlite3.Connection, upload_id: int, error: str) -> None:
    """Keep an upload's phase (so it can resume) and remember why it stopped."""
    with transaction(conn):
        conn.execute(
            "UPDATE provider_uploads SET error = ?, updated_at = ? WHERE id = ?",
            (error, _now(), upload_id),
        )


def list_uploads(conn: sqlite3.Connection, provider: str | None = None) -> list[UploadRecord]:
    """Every recorded upload, newest first."""
    rows = conn.execute(
        "SELECT * FROM provider_uploads WHERE ? IS NULL OR provider = ? ORDER BY id DESC",
        (provider, provider),
    ).fetchall()
    return [UploadRecord.model_validate(dict(row)) for row in rows]


def find_upload_by_ref(conn: sqlite3.Connection, provider: str, ref: str) -> UploadRecord | None:
    """The upload whose dataset a job names (full name, short id or file id)."""
    row = conn.execute(
        "SELECT * FROM provider_uploads WHERE provider = ? AND"
        " (dataset_ref = ? OR dataset_id = ? OR remote_id = ?) ORDER BY id DESC LIMIT 1",
        (provider, ref, ref, ref),
    ).fetchone()
    return UploadRecord.model_validate(dict(row)) if row else None


def save_job(
    conn: sqlite3.Connection, job: Job, spec: JobSpec | None = None, upload_id: int | None = None
) -> JobRecord:
    """Insert or refresh a job row from what the provider reported."""
    now = _now()
    spec_json = orjson.dumps(spec.model_dump(mode="json")).decode() if spec else "{}"
    with transaction(conn):
        conn.execute(
            "INSERT INTO provider_jobs (provider, job_id, job_name, upload_id, dataset_ref,"
            " eval_dataset_ref, base_model, spec, state, raw_state, terminal, percent,"
            " output_model, error, created_at, updated_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (provider, job_id) DO UPDATE SET state = excluded.state,"
            " raw_state = excluded.raw_state, terminal = excluded.terminal,"
            " percent = COALESCE(excluded.percent, percent),"
            " output_model = COALESCE(excluded.output_model, output_model),"
            " error = excluded.error, updated_at = excluded.updated_at",
            (job.provider, job.job_id, job.name, upload_id, job.dataset, job.eval_dataset,
             job.base_model, spec_json, job.state.value, job.raw_state, int(job.terminal),
             job.percent, job.output_model, job.error, now, now),
        )  # fmt: skip
    return find_job(conn, job.job_id, job.provider)  # type: ignore[return-value]


def find_job(
    conn: sqlite3.Connection, job_id: str, provider: str | None = None
) -> JobRecord | None:
    """A recorded job by id (or full name), optionally on one provider."""
    row = conn.execute(
        "SELECT * FROM provider_jobs WHERE (job_id = ? OR job_name = ?)"
        " AND (? IS NULL OR provider = ?) ORDER BY id DESC LIMIT 1",
        (job_id, job_id, provider, provider),
    ).fetchone()
    return JobRecord.model_validate(dict(row)) if row else None


def find_job_by_model(conn: sqlite3.Connection, model: str) -> JobRecord | None:
    """The job that produced ``model`` (full or short name)."""
    row = conn.execute(
        "SELECT * FROM provider_jobs WHERE output_model = ? OR output_model LIKE ?"
        " ORDER BY id DESC LIMIT 1",
        (model, f"%/models/{model}"),
    ).fetchone()
    return JobRecord.model_validate(dict(row)) if row else None


def list_jobs(conn: sqlite3.Connection, provider: str | None = None) -> list[JobRecord]:
    """Every recorded job, newest first."""
    rows = conn.execute(
        "SELECT * FROM provider_jobs WHERE ? IS NULL OR provider = ? ORDER BY id DESC",
        (provider, provider),
    ).fetchall()
    return [JobRecord.model_validate(dict(row)) for row in rows]


def save_deployment(
    conn: sqlite3.Connection, deployment: Deployment, job_row: int | None = None
) -> None:
    """Insert or refresh a deployment row."""
    now = _now()
    with transaction(conn):
        conn.execute(
            "INSERT INTO provider_deployments (provider, deployment_id, deployment_name, model,"
            " inference_model, job_row, min_replicas, max_replicas, state, created_at, updated_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (provider, deployment_id) DO UPDATE SET state = excluded.state,"
            " job_row = COALESCE(excluded.job_row, job_row), updated_at = excluded.updated_at",
            (deployment.provider, deployment.deployment_id, deployment.name, deployment.model,
             deployment.inference_model, job_row, deployment.min_replicas,
             deployment.max_replicas, deployment.state, now, now),
        )  # fmt: skip


def list_deployments(conn: sqlite3.Connection) -> list[DeploymentRecord]:
    """Every recorded deployment, newest first."""
    rows = conn.execute("SELECT * FROM provider_deployments ORDER BY id DESC").fetchall()
    return [DeploymentRecord.model_validate(dict(row)) for row in rows]


class LineageRow(_Row):
    """One link of the chain: export file → dataset → job → model → deployment."""

    manifest_hash: str | None
    file_path: str | None
    provider: str
    dataset_ref: str
    job_id: str | None
    job_state: str | None
    output_model: str | None
    deployment_id: str | None
    deployment_state: str | None


def lineage(conn: sqlite3.Connection, manifest_hash: str | None = None) -> list[LineageRow]:
    """Every upload with the jobs trained on it and their deployments (eval joins later)."""
    rows = conn.execute(
        "SELECT u.manifest_hash, u.file_path, u.provider, u.dataset_ref, j.job_id,"
        " j.state AS job_state, j.output_model, d.deployment_id, d.state AS deployment_state"
        " FROM provider_uploads u"
        " LEFT JOIN provider_jobs j ON j.upload_id = u.id"
        " LEFT JOIN provider_deployments d ON d.job_row = j.id"
        " WHERE ? IS NULL OR u.manifest_hash = ?"
        " ORDER BY u.id, j.id, d.id",
        (manifest_hash, manifest_hash),
    ).fetchall()
    return [LineageRow.model_validate(dict(row)) for row in rows]
