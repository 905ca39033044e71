"""Fireworks: datasets, supervised fine-tuning jobs and LoRA deployments over REST.

Every path lives under ``/v1/accounts/{account_id}``; custom verbs keep their colon
(``:cancel``). Ids we create travel in the query string, bodies are camelCase with unset fields
left out, and a 409 on something we create is resolved by fetching it.
"""

from __future__ import annotations

import threading
from typing import Any

import httpx

from core.progress import Progress
from core.providers.credentials import Credentials
from core.providers.errors import InvalidRequest, ProviderError
from core.providers.fireworks_datasets import FireworksDatasets
from core.providers.http import ApiClient
from core.providers.ids import derived_id, fresh_id, is_valid_id, last_segment
from core.providers.models import (
    DatasetUpload,
    Deployment,
    DeployOptions,
    Job,
    JobSpec,
    UploadedDataset,
)
from core.providers.responses import (
    FireworksDeploymentBody,
    FireworksJobBody,
    FireworksJobPage,
    checked,
)
from core.providers.settings import ProviderSettings
from core.providers.states import DEPLOYMENT_DEAD, map_job_state
from core.providers.streams import PhaseHook
from core.providers.values import as_float, as_int

PAGE_SIZE = 200
MAX_LORA_RANK = 64


class FireworksProvider:
    """The Fireworks control plane (first-class provider)."""

    name = "fireworks"

    def __init__(self, credentials: Credentials, settings: ProviderSettings) -> None:
        self.api = ApiClient(credentials, settings)
        self.account_id = credentials.account_id
        self.datasets = FireworksDatasets(self.api, self.account_id)
        self._prefix = f"/accounts/{self.account_id}"

    def __repr__(self) -> str:
        return f"FireworksProvider(account_id={self.account_id!r})"

    def close(self) -> None:
        self.api.close()

    def _create(
        self, collection: str, id_param: str, resource_id: str, body: dict[str, Any]
    ) -> httpx.Response:
        """POST a resource whose id travels in the query string; unset fields are omitted
        (Fireworks takes no nulls) and 409 (it exists) is returned, not raised."""
        return self.api.request(
            "POST",
            f"{self._prefix}/{collection}",
            params={id_param: resource_id},
            json={key: value for key, value in body.items() if value is not None},
            accept=(409,),
        )

    # datasets

    def upload_dataset(
        self,
        upload: DatasetUpload,
        *,
        progress: Progress | None = None,
        cancel: threading.Event | None = None,
        on_phase: PhaseHook | None = None,
    ) -> UploadedDataset:
        return self.datasets.upload(upload, progress=progress, cancel=cancel, on_phase=on_phase)

    # names

    def model_name(self, model: str) -> str:
        """``accounts/{a}/models/{id}`` for a bare id; full names pass through."""
        return (
            model if model.startswith("accounts/") else f"accounts/{self.account_id}/models/{model}"
        )

    def base_model_name(self, model: str) -> str:
        """A base model: bare ids are Fireworks' public models (``accounts/fireworks/...``)."""
        return model if "/" in model else f"accounts/fireworks/models/{model}"

    def inference_model_id(self, model: str) -> str:
        return self.model_name(model)

    # jobs

    def create_job(self, spec: JobSpec) -> Job:
        job_id = spec.job_id or fresh_id("tc", last_segment(spec.base_model))
        self._check_spec(spec, job_id)
        body: dict[str, Any] = {
            "dataset": self.datasets.full_name(spec.dataset),
            "baseModel": self.base_model_name(spec.base_model),
            "evaluationDataset": spec.eval_dataset and self.datasets.full_name(spec.eval_dataset),
            "epochs": spec.epochs,
            "learningRate": spec.learning_rate,
            "loraRank": spec.lora_rank,
            "maxContextLength": spec.max_context_length,
            "batchSize": spec.batch_size,
            "outputModel": spec.output_model,
            "displayName": spec.display_name,
        }
        response = self._create(
            "supervisedFineTuningJobs", "supervisedFineTuningJobId", job_id, body
        )
        if response.status_code != 409:
            return self._job(self.api.parse(response))
        existing = self.get_job(job_id)  # an earlier attempt of ours got through, or a clash
        if existing.dataset and existing.dataset != body["dataset"]:
            raise ProviderError(
                "fireworks",
                f"job {job_id} already exists and trains on {existing.dataset}",
                status=409,
                code="ALREADY_EXISTS",
                hint="choose another --job-id, or leave it out to get a fresh one",
            )
        return existing

    def _check_spec(self, spec: JobSpec, job_id: str) -> None:
        rank = spec.lora_rank
        if rank is not None and (rank > MAX_LORA_RANK or rank & (rank - 1)):
            raise InvalidRequest(
                "fireworks",
                f"LoRA rank {rank} is not allowed",
                hint=f"use a power of 2 up to {MAX_LORA_RANK} (default 8)",
            )
        if not is_valid_id(job_id):
            raise InvalidRequest(
                "fireworks",
                f"job id {job_id!r} is not valid",
                hint="use 2-63 chars of a-z, 0-9 and '-', starting with a letter",
            )

    def get_job(self, job_id: str) -> Job:
        path = f"{self._prefix}/supervisedFineTuningJobs/{last_segment(job_id)}"
        return self._job(self.api.json("GET", path))

    def list_jobs(self, *, limit: int | None = None) -> list[Job]:
        jobs: list[Job] = []
        token: str | None = None
        while True:
            page = self.api.json(
                "GET",
                f"{self._prefix}/supervisedFineTuningJobs",
                params={"pageSize": PAGE_SIZE, "pageToken": token},
            )
            listed = checked(FireworksJobPage, page, "fireworks", "list of jobs")
            jobs.extend(self._job(item) for item in listed.supervisedFineTuningJobs or [])
            token = listed.nextPageToken or None
            if not token or (limit is not None and len(jobs) >= limit):
                return jobs[:limit] if limit is not None else jobs

    def cancel_job(self, job_id: str) -> Job:
        path = f"{self._prefix}/supervisedFineTuningJobs/{last_segment(job_id)}:cancel"
        self.api.request("POST", path, json={})
        return self.get_job(job_id)

    def _job(self, data: dict[str, Any]) -> Job:
        data = checked(FireworksJobBody, data, "fireworks", "fine-tuning job").model_dump()
        raw = str(data.get("state") or "")
        state, terminal, known = map_job_state("fireworks", raw)
        progress = data.get("jobProgress") or {}
        status = data.get("status") or {}
        error = None
        if status.get("message") and status.get("code") not in (None, "OK", 0):
            error = str(status["message"])
        output = data.get("outputModel")
        return Job(
            provider="fireworks",
            job_id=last_segment(str(data.get("name") or "")),
            name=str(data.get("name") or ""),
            state=state,
            raw_state=raw,
            terminal=terminal,
            known_state=known,
            percent=as_float(progress.get("percent")),
            epoch=as_int(progress.get("epoch")),
            base_model=str(data.get("baseModel") or data.get("warmStartFrom") or ""),
            dataset=str(data.get("dataset") or ""),
            eval_dataset=data.get("evaluationDataset") or None,
            output_model=self.model_name(str(output)) if output else None,
            error=error,
            created_at=data.get("createTime"),
        )

    # deployments

    def deploy(self, model: str, options: DeployOptions) -> Deployment:
        full = self.model_name(model)
        deployment_id = options.deployment_id or derived_id("dep", last_segment(full), full)
        body: dict[str, Any] = {
            "baseModel": full,
            "minReplicaCount": options.min_replicas,
            "maxReplicaCount": options.max_replicas,
            "acceleratorType": options.accelerator_type,
            "displayName": options.display_name,
        }
        response = self._create("deployments", "deploymentId", deployment_id, body)
        if response.status_code == 409:
            return self.get_deployment(deployment_id)
        return self._deployment(self.api.parse(response))

    def get_deployment(self, deployment_id: str) -> Deployment:
        path = f"{self._prefix}/deployments/{last_segment(deployment_id)}"
        return self._deployment(self.api.json("GET", path))

    def _deployment(self, data: dict[str, Any]) -> Deployment:
        data = checked(FireworksDeploymentBody, data, "fireworks", "deployment").model_dump()
        state = str(data.get("state") or "STATE_UNSPECIFIED")
        model = str(data.get("baseModel") or "")
        return Deployment(
            provider="fireworks",
            deployment_id=last_segment(str(data.get("name") or "")),
            name=str(data.get("name") or ""),
            model=model,
            state=state,
            ready=state == "READY",
            failed=state in DEPLOYMENT_DEAD,
            min_replicas=as_int(data.get("minReplicaCount")) or 0,
            max_replicas=as_int(data.get("maxReplicaCount")) or 1,
            inference_model=self.model_name(model) if model else "",
            message=str((data.get("status") or {}).get("message") or ""),
        )
