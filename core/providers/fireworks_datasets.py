"""Fireworks datasets: create, upload (multipart or signed URLs), poll until READY.

Idempotent: the dataset id is derived from the export, so a second run gets 409
``ALREADY_EXISTS``, fetches the dataset and reuses it when it matches. Resumable: a dataset
that exists but is not READY is completed (bytes re-sent unless an earlier run recorded them as
sent, then polled).
"""

from __future__ import annotations

import threading
import time
from typing import Any

from core.progress import Progress, check_cancel
from core.providers.errors import InvalidRequest, ProviderError
from core.providers.http import ApiClient
from core.providers.ids import is_valid_id
from core.providers.models import DatasetUpload, UploadedDataset, UploadOutcome
from core.providers.pacing import pause
from core.providers.responses import FireworksDatasetBody, FireworksUploadEndpoint, checked
from core.providers.states import DATASET_READY
from core.providers.streams import PhaseHook, ReopeningFile, iter_file

MIN_EXAMPLES = 3


class FireworksDatasets:
    """The datasets half of the Fireworks client."""

    def __init__(self, api: ApiClient, account_id: str) -> None:
        self.api = api
        self.account_id = account_id

    def full_name(self, dataset_id: str) -> str:
        """``accounts/{a}/datasets/{id}`` for a bare id; a full name is returned as is."""
        if dataset_id.startswith("accounts/"):
            return dataset_id
        return f"accounts/{self.account_id}/datasets/{dataset_id}"

    def get(self, dataset_id: str) -> dict[str, Any]:
        """The dataset resource."""
        data = self.api.json("GET", f"/accounts/{self.account_id}/datasets/{dataset_id}")
        return checked(FireworksDatasetBody, data, "fireworks", "dataset").model_dump()

    def upload(
        self,
        upload: DatasetUpload,
        *,
        progress: Progress | None = None,
        cancel: threading.Event | None = None,
        on_phase: PhaseHook | None = None,
    ) -> UploadedDataset:
        """Create the dataset if needed, send the bytes if needed, wait for READY."""
        self._check(upload)
        hook = on_phase or (lambda phase, remote_id: None)
        existing = self._create(upload)
        hook("created", upload.dataset_id)
        outcome: UploadOutcome = "uploaded"
        send = True
        if existing is not None:
            self._compare(upload, existing)
            if existing.get("state") == DATASET_READY:
                hook("ready", upload.dataset_id)
                return self._result(upload, existing, "reused")
            outcome = "resumed"
            send = not upload.previously_sent
        if send:
            self._send(upload, progress, cancel)
            hook("sent", upload.dataset_id)
        ready = self._wait_ready(upload, progress, cancel)
        hook("ready", upload.dataset_id)
        return self._result(upload, ready, outcome)

    def _check(self, upload: DatasetUpload) -> None:
        if not is_valid_id(upload.dataset_id):
            raise InvalidRequest(
                "fireworks",
                f"dataset id {upload.dataset_id!r} is not valid",
                hint="ids are 2-63 chars of a-z, 0-9 and '-', starting with a letter",
            )
        if upload.examples < MIN_EXAMPLES:
            raise InvalidRequest(
                "fireworks",
                f"{upload.path.name} has {upload.examples} examples; "
                f"Fireworks needs {MIN_EXAMPLES}",
                hint="export more accepted examples before uploading",
            )

    def _create(self, upload: DatasetUpload) -> dict[str, Any] | None:
        """POST the dataset; None when created, the existing resource on 409."""
        body = {
            "datasetId": upload.dataset_id,
            "dataset": {
                "userUploaded": {},
                "exampleCount": str(upload.examples),
                "displayName": upload.display_name,
            },
        }
        path = f"/accounts/{self.account_id}/datasets"
        response = self.api.request("POST", path, json=body, accept=(409,))
        if response.status_code != 409:
            return None
        return self.get(upload.dataset_id)

    def _compare(self, upload: DatasetUpload, existing: dict[str, Any]) -> None:
        count = str(existing.get("exampleCount") or "")
        if count and count != str(upload.examples):
            raise ProviderError(
                "fireworks",
                f"dataset {upload.dataset_id} already exists with {count} examples, "
                f"but {upload.path.name} has {upload.examples}",
                status=409,
                code="ALREADY_EXISTS",
                hint="delete that dataset in Fireworks or re-export, then upload again",
            )

    def _send(
        self, upload: DatasetUpload, progress: Progress | None, cancel: threading.Event | None
    ) -> None:
        if progress is not None:
            progress(0, upload.bytes, "uploading")
        if upload.bytes <= self.api.settings.upload_threshold_bytes:
            self._send_multipart(upload, cancel)
        else:
            self._send_signed(upload, progress, cancel)
        if progress is not None:
            progress(upload.bytes, upload.bytes, "uploaded")

    def _send_multipart(self, upload: DatasetUpload, cancel: threading.Event | None) -> None:
        name = upload.path.name.lower()
        path = f"/accounts/{self.account_id}/datasets/{upload.dataset_id}:upload"
        with ReopeningFile(upload.path) as source:
            self.api.request(
                "POST",
                path,
                body=lambda: {"files": {"file": (name, source.open(), "application/jsonl")}},
                upload=True,
                cancel=cancel,
            )

    def _send_signed(
        self, upload: DatasetUpload, progress: Progress | None, cancel: threading.Event | None
    ) -> None:
        name = upload.path.name.lower()
        base = f"/accounts/{self.account_id}/datasets/{upload.dataset_id}"
        answer = self.api.json(
            "POST", base + ":getUploadEndpoint", json={"filenameToSize": {name: str(upload.bytes)}}
        )
        urls = checked(FireworksUploadEndpoint, answer, "fireworks", "signed upload URL")
        url = (urls.filenameToSignedUrls or {}).get(name)
        if not url:
            raise ProviderError(
                "fireworks",
                f"no signed upload URL for {name} in the answer to getUploadEndpoint",
                hint="retry later; if it persists, report it to Fireworks",
            )
        headers = {
            "Content-Type": "application/octet-stream",
            "X-Goog-Content-Length-Range": f"{upload.bytes},{upload.bytes}",
            "Content-Length": str(upload.bytes),
        }
        self.api.request(
            "PUT",
            url,
            headers=headers,
            body=lambda: {"content": iter_file(upload.path, upload.bytes, progress, cancel)},
            upload=True,
            cancel=cancel,
        )
        self.api.request("POST", base + ":validateUpload", json={}, cancel=cancel)

    def _wait_ready(
        self, upload: DatasetUpload, progress: Progress | None, cancel: threading.Event | None
    ) -> dict[str, Any]:
        settings = self.api.settings
        deadline = time.monotonic() + settings.ready_timeout_seconds
        while True:
            check_cancel(cancel)
            dataset = self.get(upload.dataset_id)
            state = str(dataset.get("state") or "STATE_UNSPECIFIED")
            if state == DATASET_READY:
                self._check_count(upload, dataset)
                return dataset
            if progress is not None:
                progress(upload.bytes, upload.bytes, f"processing ({state})")
            if time.monotonic() >= deadline:
                raise ProviderError(
                    "fireworks",
                    f"dataset {upload.dataset_id} still {state} after "
                    f"{settings.ready_timeout_seconds:.0f}s",
                    hint="run the same upload again later: it resumes where it stopped",
                )
            pause(settings.poll_delay(), cancel)

    def _check_count(self, upload: DatasetUpload, dataset: dict[str, Any]) -> None:
        reported = str(dataset.get("exampleCount") or "")
        if reported and reported != str(upload.examples):
            raise ProviderError(
                "fireworks",
                f"dataset {upload.dataset_id} is READY with {reported} examples, "
                f"expected {upload.examples}",
                hint="the file may have been altered or cut; delete the dataset and re-upload",
            )

    def _result(
        self, upload: DatasetUpload, dataset: dict[str, Any], outcome: UploadOutcome
    ) -> UploadedDataset:
        return UploadedDataset(
            provider="fireworks",
            dataset_id=upload.dataset_id,
            dataset_ref=self.full_name(upload.dataset_id),
            examples=int(dataset.get("exampleCount") or upload.examples),
            bytes=upload.bytes,
            state=str(dataset.get("state") or ""),
            outcome=outcome,
        )
