"""Upload an export, start, follow and cancel jobs, deploy: provider calls plus store records.

These are the functions the ``curator`` commands and the Textual app call. They block (run them
in a thread worker), take a :class:`~core.progress.Progress` callback and a cancel event, and
record every step in the workspace store so an interrupted run resumes and the chain
export → dataset → job → model can be shown.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Callable
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from core.progress import Progress, check_cancel
from core.providers import records
from core.providers.base import Provider
from core.providers.errors import ProviderError
from core.providers.exports import (
    dataset_id_for,
    display_name_for,
    load_manifest,
    select_files,
    verify_file,
)
from core.providers.models import DatasetUpload, Deployment, DeployOptions, Job, JobSpec
from core.providers.pacing import pause
from core.providers.settings import ProviderSettings

BILLING_NOTICE = (
    "Fireworks deployments bill per GPU-second while a replica runs. With min replicas 0 the "
    "deployment scales to zero when idle (and is deleted after 7 idle days); waking it from "
    "zero can take minutes."
)


class UploadedFile(BaseModel):
    """One export file's upload, as the CLI and the app show it."""

    model_config = ConfigDict(frozen=True)

    provider: str
    path: str
    task: str
    split: str
    examples: int
    dataset_id: str
    dataset_ref: str
    state: str
    outcome: str


def upload_export(
    conn: sqlite3.Connection,
    provider: Provider,
    export_dir: Path,
    *,
    tasks: list[str] | None = None,
    heldout: bool = False,
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
) -> list[UploadedFile]:
    """Verify then upload an export's train files (and held-out files when asked).

    Every file is checked against the manifest before anything is sent. Re-running after an
    interruption resumes; re-running after success reuses the existing datasets.
    """
    export_dir = export_dir.resolve()
    manifest = load_manifest(export_dir)
    entries = select_files(manifest, tasks, heldout=heldout)
    paths = [verify_file(export_dir, entry) for entry in entries]
    uploaded: list[UploadedFile] = []
    for entry, path in zip(entries, paths, strict=True):
        check_cancel(cancel)
        dataset_id = dataset_id_for(manifest, entry)
        record = records.start_upload(
            conn,
            provider=provider.name,
            manifest_hash=manifest.hash,
            export_dir=str(export_dir),
            entry=entry,
            dataset_id=dataset_id,
        )
        request = DatasetUpload(
            path=path,
            dataset_id=dataset_id,
            display_name=display_name_for(manifest, entry),
            examples=entry.examples,
            bytes=entry.bytes,
            sha256=entry.sha256,
            previous_remote_id=(record.remote_id or None) if record.phase == "ready" else None,
            previously_sent=record.phase == "sent",
        )

        def on_phase(phase: str, remote_id: str, row: int = record.id) -> None:
            records.set_upload_phase(conn, row, phase, remote_id=remote_id or None)

        def file_progress(done: int, total: int, detail: str = "", name: str = entry.path) -> None:
            if progress is not None:
                progress(done, total, f"{name}: {detail}")

        try:
            result = provider.upload_dataset(
                request, progress=file_progress, cancel=cancel, on_phase=on_phase
            )
        except ProviderError as exc:
            records.note_upload_error(conn, record.id, str(exc))
            raise
        records.set_upload_phase(
            conn,
            record.id,
            "ready",
            remote_id=result.dataset_id,
            dataset_ref=result.dataset_ref,
            outcome=result.outcome,
        )
        uploaded.append(
            UploadedFile(
                provider=provider.name,
                path=entry.path,
                task=entry.task,
                split=entry.split,
                examples=result.examples,
                dataset_id=result.dataset_id,
                dataset_ref=result.dataset_ref,
                state=result.state,
                outcome=result.outcome,
            )
        )
    return uploaded


def start_finetune(conn: sqlite3.Connection, provider: Provider, spec: JobSpec) -> Job:
    """Create a job and record it, linked to the upload of its dataset when we made it."""
    upload = records.find_upload_by_ref(conn, provider.name, spec.dataset)
    job = provider.create_job(spec)
    records.save_job(conn, job, spec, upload.id if upload else None)
    return job


def refresh_jobs(
    conn: sqlite3.Connection, provider: Provider, job_ids: list[str] | None = None
) -> list[Job]:
    """Jobs by id, or every job on the account; recorded ones are updated in the store."""
    jobs = [provider.get_job(job_id) for job_id in job_ids] if job_ids else provider.list_jobs()
    for job in jobs:
        if job_ids or records.find_job(conn, job.job_id, provider.name):
            records.save_job(conn, job)
    return jobs


def watch_jobs(
    conn: sqlite3.Connection,
    provider: Provider,
    job_ids: list[str],
    settings: ProviderSettings,
    *,
    on_update: Callable[[Job], None],
    cancel: threading.Event | None = None,
) -> list[Job]:
    """Poll jobs until each is terminal, calling ``on_update`` whenever one changes."""
    latest: dict[str, Job] = {}
    pending = list(job_ids)
    while pending:
        check_cancel(cancel)
        for job_id in list(pending):
            job = provider.get_job(job_id)
            records.save_job(conn, job)
            if latest.get(job_id) != job:
                on_update(job)
            latest[job_id] = job
            if job.terminal:
                pending.remove(job_id)
        if pending:
            pause(settings.poll_delay(), cancel)
    return [latest[job_id] for job_id in job_ids]


def cancel_job(conn: sqlite3.Connection, provider: Provider, job_id: str) -> Job:
    """Ask for cancellation and record the job's state afterwards."""
    job = provider.cancel_job(job_id)
    records.save_job(conn, job)
    return job


def deploy_model(
    conn: sqlite3.Connection,
    provider: Provider,
    model: str,
    options: DeployOptions,
    settings: ProviderSettings,
    *,
    wait: bool = True,
    on_update: Callable[[Deployment], None] | None = None,
    cancel: threading.Event | None = None,
) -> Deployment:
    """Make ``model`` servable; with ``wait``, follow the deployment until READY.

    Raises:
        ProviderError: the deployment failed, or was not ready within the ready timeout.
    """
    job = records.find_job_by_model(conn, provider.inference_model_id(model))
    deployment = provider.deploy(model, options)
    deadline = time.monotonic() + settings.ready_timeout_seconds
    while True:
        if deployment.deployment_id:
            records.save_deployment(conn, deployment, job.id if job else None)
        if on_update is not None:
            on_update(deployment)
        if deployment.failed:
            raise ProviderError(
                provider.name,
                f"deployment {deployment.deployment_id} is {deployment.state}"
                + (f": {deployment.message}" if deployment.message else ""),
                hint="check the model name and the account's quota, then deploy again",
            )
        if deployment.ready or not wait:
            return deployment
        if time.monotonic() >= deadline:
            raise ProviderError(
                provider.name,
                f"deployment {deployment.deployment_id} still {deployment.state} after "
                f"{settings.ready_timeout_seconds:.0f}s",
                hint="it keeps starting in the background; run `curator deploy` again to follow",
            )
        check_cancel(cancel)
        pause(settings.poll_delay(), cancel)
        deployment = provider.get_deployment(deployment.deployment_id)
