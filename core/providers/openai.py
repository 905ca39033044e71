"""OpenAI: files and fine-tuning jobs over REST (supported, never the default).

OpenAI is winding down self-serve fine-tuning; this client stays for accounts that still have
it. A tuned OpenAI model is served as soon as the job succeeds, so "deploy" only reports the
model name. ``learning_rate`` is sent as OpenAI's ``learning_rate_multiplier``.
"""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime
from typing import Any

from core.progress import Progress, check_cancel
from core.providers.credentials import Credentials
from core.providers.errors import InvalidRequest, ProviderError
from core.providers.http import ApiClient
from core.providers.ids import slug
from core.providers.models import (
    DatasetUpload,
    Deployment,
    DeployOptions,
    Job,
    JobSpec,
    UploadedDataset,
)
from core.providers.pacing import pause
from core.providers.responses import JobList, OpenAIFileBody, OpenAIJobBody, checked
from core.providers.settings import ProviderSettings
from core.providers.states import map_job_state
from core.providers.streams import PhaseHook, ReopeningFile
from core.providers.values import as_int

MIN_EXAMPLES = 10
MAX_SUFFIX = 64
PAGE_SIZE = 100


class OpenAIProvider:
    """OpenAI's files and fine-tuning API."""

    name = "openai"

    def __init__(self, credentials: Credentials, settings: ProviderSettings) -> None:
        self.api = ApiClient(credentials, settings)

    def __repr__(self) -> str:
        return "OpenAIProvider()"

    def close(self) -> None:
        self.api.close()

    def upload_dataset(
        self,
        upload: DatasetUpload,
        *,
        progress: Progress | None = None,
        cancel: threading.Event | None = None,
        on_phase: PhaseHook | None = None,
    ) -> UploadedDataset:
        hook = on_phase or (lambda phase, remote_id: None)
        if upload.examples < MIN_EXAMPLES:
            raise InvalidRequest(
                "openai",
                f"{upload.path.name} has {upload.examples} examples; OpenAI needs {MIN_EXAMPLES}",
                hint="export more accepted examples before uploading",
            )
        if upload.previous_remote_id:
            response = self.api.request("GET", f"/files/{upload.previous_remote_id}", accept=(404,))
            if response.status_code != 404:
                data = self.api.parse(response)
                if data.get("status") != "error" and as_int(data.get("bytes")) == upload.bytes:
                    hook("ready", upload.previous_remote_id)
                    return self._result(upload, data, "reused")
        if progress is not None:
            progress(0, upload.bytes, "uploading")
        name = upload.path.name.lower()
        with ReopeningFile(upload.path) as source:
            data = self.api.json(
                "POST",
                "/files",
                body=lambda: {
                    "files": {"file": (name, source.open(), "application/jsonl")},
                    "data": {"purpose": "fine-tune"},
                },
                upload=True,
                cancel=cancel,
            )
        file_id = str(data.get("id") or "")
        hook("sent", file_id)
        data = self._wait_processed(file_id, data, cancel)
        hook("ready", file_id)
        if progress is not None:
            progress(upload.bytes, upload.bytes, "uploaded")
        return self._result(upload, data, "uploaded")

    def _wait_processed(
        self, file_id: str, data: dict[str, Any], cancel: threading.Event | None
    ) -> dict[str, Any]:
        settings = self.api.settings
        deadline = time.monotonic() + settings.ready_timeout_seconds
        data = checked(OpenAIFileBody, data, "openai", "file").model_dump()
        while data.get("status") == "uploaded" and time.monotonic() < deadline:
            check_cancel(cancel)
            pause(settings.poll_delay(), cancel)
            answer = self.api.json("GET", f"/files/{file_id}")
            data = checked(OpenAIFileBody, answer, "openai", "file").model_dump()
        if data.get("status") == "error":
            raise ProviderError(
                "openai",
                f"file {file_id} failed processing: {data.get('status_details') or 'no details'}",
                hint="fix the file format named in the message and upload again",
            )
        return data

    def _result(self, upload: DatasetUpload, data: dict[str, Any], outcome: Any) -> UploadedDataset:
        data = checked(OpenAIFileBody, data, "openai", "file").model_dump()
        file_id = str(data.get("id") or "")
        return UploadedDataset(
            provider="openai",
            dataset_id=file_id,
            dataset_ref=file_id,
            examples=upload.examples,
            bytes=as_int(data.get("bytes")) or upload.bytes,
            state=str(data.get("status") or ""),
            outcome=outcome,
        )

    def inference_model_id(self, model: str) -> str:
        return model

    def create_job(self, spec: JobSpec) -> Job:
        for flag, value in (
            ("lora rank", spec.lora_rank),
            ("max context", spec.max_context_length),
        ):
            if value is not None:
                raise InvalidRequest(
                    "openai", f"OpenAI fine-tuning takes no {flag}", hint=f"leave out the {flag}"
                )
        hyper = {
            "n_epochs": spec.epochs,
            "batch_size": spec.batch_size,
            "learning_rate_multiplier": spec.learning_rate,
        }
        suffix = spec.output_model or spec.display_name
        body: dict[str, Any] = {
            "model": spec.base_model,
            "training_file": spec.dataset,
            "validation_file": spec.eval_dataset,
            "suffix": slug(suffix, MAX_SUFFIX) if suffix else None,
            "method": {
                "type": "supervised",
                "supervised": {
                    "hyperparameters": {k: v for k, v in hyper.items() if v is not None}
                },
            },
        }
        body = {key: value for key, value in body.items() if value is not None}
        return self._job(self.api.json("POST", "/fine_tuning/jobs", json=body))

    def get_job(self, job_id: str) -> Job:
        return self._job(self.api.json("GET", f"/fine_tuning/jobs/{job_id}"))

    def list_jobs(self, *, limit: int | None = None) -> list[Job]:
        jobs: list[Job] = []
        after: str | None = None
        while True:
            page = self.api.json(
                "GET", "/fine_tuning/jobs", params={"limit": PAGE_SIZE, "after": after}
            )
            listed = checked(JobList, page, "openai", "list of jobs")
            items = listed.data or []
            jobs.extend(self._job(item) for item in items)
            if not items or not listed.has_more or (limit and len(jobs) >= limit):
                return jobs[:limit] if limit is not None else jobs
            after = str(items[-1].get("id"))

    def cancel_job(self, job_id: str) -> Job:
        return self._job(self.api.json("POST", f"/fine_tuning/jobs/{job_id}/cancel"))

    def _job(self, data: dict[str, Any]) -> Job:
        data = checked(OpenAIJobBody, data, "openai", "fine-tuning job").model_dump()
        raw = str(data.get("status") or "")
        state, terminal, known = map_job_state("openai", raw)
        error = data.get("error") or {}
        created = data.get("created_at")
        return Job(
            provider="openai",
            job_id=str(data.get("id") or ""),
            name=str(data.get("id") or ""),
            state=state,
            raw_state=raw,
            terminal=terminal,
            known_state=known,
            percent=100.0 if state.value == "succeeded" else None,
            base_model=str(data.get("model") or ""),
            dataset=str(data.get("training_file") or ""),
            eval_dataset=data.get("validation_file") or None,
            output_model=data.get("fine_tuned_model") or None,
            error=str(error.get("message")) if isinstance(error, dict) and error else None,
            created_at=datetime.fromtimestamp(created, UTC).isoformat()
            if isinstance(created, int | float)
            else None,
        )

    def deploy(self, model: str, options: DeployOptions) -> Deployment:
        return Deployment(
            provider="openai",
            deployment_id="",
            name="",
            model=model,
            state="READY",
            ready=True,
            inference_model=model,
            message="OpenAI serves fine-tuned models directly; no deployment is needed",
        )

    def get_deployment(self, deployment_id: str) -> Deployment:
        return self.deploy(deployment_id, DeployOptions())
