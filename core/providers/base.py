"""The one interface every provider client implements.

The CLI and the Textual app call these methods (through :mod:`core.providers.workflow`), never
a provider's HTTP API directly. Methods block and may take minutes; run them in a thread worker.
"""

from __future__ import annotations

import threading
from typing import Protocol, runtime_checkable

from core.progress import Progress
from core.providers.models import (
    DatasetUpload,
    Deployment,
    DeployOptions,
    Job,
    JobSpec,
    UploadedDataset,
)
from core.providers.streams import PhaseHook


@runtime_checkable
class Provider(Protocol):
    """Upload, train, follow, cancel, serve: one provider's control plane."""

    name: str

    def upload_dataset(
        self,
        upload: DatasetUpload,
        *,
        progress: Progress | None = None,
        cancel: threading.Event | None = None,
        on_phase: PhaseHook | None = None,
    ) -> UploadedDataset:
        """Put one verified JSONL file on the provider, idempotently; return it ready.

        ``on_phase(phase, remote_id)`` is called at ``created``, ``sent`` and ``ready`` so the
        caller can record how far an upload got and resume it after an interruption.
        """
        ...

    def create_job(self, spec: JobSpec) -> Job:
        """Start a supervised fine-tuning job."""
        ...

    def get_job(self, job_id: str) -> Job:
        """The job's current state and progress."""
        ...

    def list_jobs(self, *, limit: int | None = None) -> list[Job]:
        """Jobs on the account, following every page (up to ``limit``)."""
        ...

    def cancel_job(self, job_id: str) -> Job:
        """Ask the provider to cancel; returns the job as it stands after the request."""
        ...

    def deploy(self, model: str, options: DeployOptions) -> Deployment:
        """Make a tuned model servable (or say why nothing is needed)."""
        ...

    def get_deployment(self, deployment_id: str) -> Deployment:
        """A deployment's current state."""
        ...

    def inference_model_id(self, model: str) -> str:
        """The ``model`` value a chat-completions request for this tuned model uses."""
        ...

    def close(self) -> None:
        """Release connections."""
        ...
