"""Together: files (with the presigned-redirect upload) and fine-tunes over REST.

Upload follows the official SDK: ``POST /files`` as a multipart form of metadata (purpose,
file name, type, sha256); the API answers 302 with a presigned ``Location`` and the id in
``X-Together-File-Id``; we PUT the bytes there without our key, then ask for
``/files/{id}/preprocess``. A 409 means the same file is already there (its id is in the body).
A direct 2xx with a file object is also accepted. Job bodies are snake_case as in the SDK,
including the LoRA settings under ``training_type``.
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime
from typing import Any

from core.progress import Progress
from core.providers.credentials import Credentials
from core.providers.errors import ProviderError, UnsupportedOperation
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
from core.providers.responses import JobList, TogetherFileBody, TogetherJobBody, checked
from core.providers.settings import ProviderSettings
from core.providers.states import map_job_state
from core.providers.streams import PhaseHook, iter_file
from core.providers.values import as_float, as_int

MAX_SUFFIX = 40


class TogetherProvider:
    """Together's files and fine-tuning API."""

    name = "together"

    def __init__(self, credentials: Credentials, settings: ProviderSettings) -> None:
        self.api = ApiClient(credentials, settings)

    def __repr__(self) -> str:
        return "TogetherProvider()"

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
        if upload.previous_remote_id:
            existing = self._existing(upload.previous_remote_id, upload)
            if existing is not None:
                hook("ready", upload.previous_remote_id)
                return self._result(upload, existing, "reused")
        fields = {
            "purpose": "fine-tune",
            "file_name": f"{upload.dataset_id}.jsonl",
            "file_type": "jsonl",
            "checksum": upload.sha256,
        }
        form = {key: (None, value) for key, value in fields.items()}
        response = self.api.request(
            "POST", "/files", body=lambda: {"files": form}, accept=(302, 409)
        )
        if response.status_code == 409:
            file_id = str(self.api.parse(response).get("file_id") or "")
            hook("ready", file_id)
            return self._result(upload, self._get_file(file_id), "reused")
        if response.status_code != 302:
            data = self.api.parse(response)
            hook("ready", str(data.get("id") or ""))
            return self._result(upload, data, "uploaded")
        location = response.headers.get("location")
        file_id = response.headers.get("x-together-file-id")
        if not location or not file_id:
            raise ProviderError(
                "together",
                "upload redirect without Location or X-Together-File-Id",
                status=302,
                hint="retry later; if it persists, report it to Together",
            )
        hook("created", file_id)
        self.api.request(
            "PUT",
            location,
            headers={"Content-Length": str(upload.bytes)},
            body=lambda: {"content": iter_file(upload.path, upload.bytes, progress, cancel)},
            upload=True,
            cancel=cancel,
        )
        hook("sent", file_id)
        data = self.api.json("POST", f"/files/{file_id}/preprocess", cancel=cancel)
        hook("ready", file_id)
        return self._result(upload, data, "uploaded")

    def _get_file(self, file_id: str) -> dict[str, Any]:
        return self.api.json("GET", f"/files/{file_id}")

    def _existing(self, file_id: str, upload: DatasetUpload) -> dict[str, Any] | None:
        response = self.api.request("GET", f"/files/{file_id}", accept=(404,))
        if response.status_code == 404:
            return None
        data = self.api.parse(response)
        size = as_int(data.get("bytes"))
        return data if size in (None, upload.bytes) else None

    def _result(self, upload: DatasetUpload, data: dict[str, Any], outcome: Any) -> UploadedDataset:
        data = checked(TogetherFileBody, data, "together", "file").model_dump()
        file_id = str(data.get("id") or "")
        status = str(data.get("processing_status") or "")
        if status in ("FAILED", "INVALID_FORMAT"):
            report = data.get("validation_report") or {}
            raise ProviderError(
                "together",
                f"file {file_id} is {status}: {report.get('error') or 'no details'}",
                hint="fix the format named in the message, re-export and upload again",
            )
        return UploadedDataset(
            provider="together",
            dataset_id=file_id,
            dataset_ref=file_id,
            examples=upload.examples,
            bytes=as_int(data.get("bytes")) or upload.bytes,
            state=str(data.get("processing_status") or data.get("status") or "ready"),
            outcome=outcome,
        )

    def inference_model_id(self, model: str) -> str:
        return model

    def create_job(self, spec: JobSpec) -> Job:
        suffix = spec.output_model or spec.display_name
        body: dict[str, Any] = {
            "training_file": spec.dataset,
            "model": spec.base_model,
            "validation_file": spec.eval_dataset,
            "n_epochs": spec.epochs,
            "learning_rate": spec.learning_rate,
            "batch_size": spec.batch_size,
            "max_seq_length": spec.max_context_length,
            "suffix": slug(suffix, MAX_SUFFIX) if suffix else None,
        }
        if spec.lora_rank is not None:
            body["training_type"] = {
                "type": "Lora",
                "lora_r": spec.lora_rank,
                "lora_alpha": spec.lora_rank * 2,
            }
        body = {key: value for key, value in body.items() if value is not None}
        return self._job(self.api.json("POST", "/fine-tunes", json=body))

    def get_job(self, job_id: str) -> Job:
        return self._job(self.api.json("GET", f"/fine-tunes/{job_id}"))

    def list_jobs(self, *, limit: int | None = None) -> list[Job]:
        data = self.api.json("GET", "/fine-tunes")
        listed = checked(JobList, data, "together", "list of jobs")
        jobs = [self._job(item) for item in listed.data or []]
        return jobs[:limit] if limit is not None else jobs

    def cancel_job(self, job_id: str) -> Job:
        self.api.request("POST", f"/fine-tunes/{job_id}/cancel")
        return self.get_job(job_id)

    def _job(self, data: dict[str, Any]) -> Job:
        data = checked(TogetherJobBody, data, "together", "fine-tuning job").model_dump()
        raw = str(data.get("status") or "")
        state, terminal, known = map_job_state("together", raw)
        epochs = as_int(data.get("n_epochs"))
        done = as_int(data.get("epochs_completed"))
        percent = 100.0 * done / epochs if epochs and done is not None else None
        output = data.get("output_name") or data.get("model_output_name")
        created = data.get("created_at")
        return Job(
            provider="together",
            job_id=str(data.get("id") or ""),
            name=str(data.get("id") or ""),
            state=state,
            raw_state=raw,
            terminal=terminal,
            known_state=known,
            percent=as_float(percent),
            epoch=done,
            base_model=str(data.get("model") or ""),
            dataset=str(data.get("training_file") or ""),
            eval_dataset=data.get("validation_file") or None,
            output_model=str(output) if output else None,
            error=_last_error(data) if state.value == "failed" else None,
            created_at=_iso(created),
        )

    def deploy(self, model: str, options: DeployOptions) -> Deployment:
        raise UnsupportedOperation(
            "together",
            f"curator does not create Together endpoints (model {model})",
            hint="LoRA is served serverless only for *-Reference base models; otherwise create "
            "a dedicated endpoint in Together's console, then eval with that model name",
        )

    def get_deployment(self, deployment_id: str) -> Deployment:
        return self.deploy(deployment_id, DeployOptions())


def _last_error(data: dict[str, Any]) -> str | None:
    if data.get("error"):
        return str(data["error"])
    for event in reversed(data.get("events") or []):
        if isinstance(event, dict) and event.get("message"):
            return str(event["message"])
    return None


def _iso(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, int | float):
        return datetime.fromtimestamp(value, UTC).isoformat()
    return str(value)
