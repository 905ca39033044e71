"""Fake Fireworks supervised fine-tuning jobs and deployments."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tests.providers.fake_server.http_core import Call, FakeHTTPServer, Reply
from tests.providers.fake_server.state import FakeState, ScriptedJob, now_rfc3339

ACCT = r"/v1/accounts/(?P<account>[^/]+)"
ALLOWED_JOB_FIELDS = {
    "dataset", "baseModel", "warmStartFrom", "outputModel", "displayName", "epochs",
    "learningRate", "loraRank", "maxContextLength", "batchSize", "evaluationDataset",
    "earlyStop", "evalAutoCarveout",
}  # fmt: skip


def register_jobs(
    server: FakeHTTPServer,
    state: FakeState,
    guarded: Callable[[Any], Any],
    page: Callable[..., Reply],
    grpc: Callable[[int, str], Reply],
) -> None:
    """Add the job and deployment routes."""

    def view(job: ScriptedJob) -> dict[str, Any]:
        raw, percent = job.step
        resource = dict(job.resource, state=raw)
        if percent is not None:
            resource["jobProgress"] = {"percent": int(percent), "epoch": 0, "inputTokens": 1000}
        if raw in ("JOB_STATE_FAILED",) and job.error:
            resource["status"] = {"code": "INTERNAL", "message": job.error}
        return resource

    def create_job(call: Call, account: str) -> Reply:
        body = call.json() or {}
        unknown = set(body) - ALLOWED_JOB_FIELDS
        if unknown:
            return grpc(3, f"unknown fields {sorted(unknown)}")
        job_id = call.query.get("supervisedFineTuningJobId") or state.next_id("job")
        if "supervisedFineTuningJobId" in body:
            return grpc(3, "the job id goes in the query string")
        dataset = str(body.get("dataset") or "")
        parts = dataset.split("/")
        if len(parts) != 4 or parts[0] != "accounts" or parts[2] != "datasets":
            return grpc(3, "dataset must be a full name accounts/{a}/datasets/{id}")
        found = state.datasets.get((parts[1], parts[3]))
        if found is None:
            return grpc(5, f"dataset {dataset} not found")
        if found["state"] != "READY":
            return grpc(9, f"dataset {dataset} is not READY")
        if bool(body.get("baseModel")) == bool(body.get("warmStartFrom")):
            return grpc(3, "exactly one of baseModel or warmStartFrom is required")
        key = (account, job_id)
        if key in state.jobs:
            return grpc(6, f"job {job_id} already exists")
        output = str(body.get("outputModel") or job_id)
        if not output.startswith("accounts/"):
            output = f"accounts/{account}/models/{output}"
        steps, error = state.take_script("fireworks")
        resource = dict(body, name=f"accounts/{account}/supervisedFineTuningJobs/{job_id}")
        resource.update(outputModel=output, createTime=now_rfc3339())
        state.jobs[key] = ScriptedJob("fireworks", resource, steps, error)
        return Reply(200, view(state.jobs[key]))

    def get_job(call: Call, account: str, job_id: str) -> Reply:
        job = state.jobs.get((account, job_id))
        if job is None or job.provider != "fireworks":
            return grpc(5, f"job {job_id} not found")
        job.advance()
        return Reply(200, view(job))

    def list_jobs(call: Call, account: str) -> Reply:
        keys = sorted(
            k for k, j in state.jobs.items() if k[0] == account and j.provider == "fireworks"
        )
        return page(call, "supervisedFineTuningJobs", [view(state.jobs[k]) for k in keys])

    def cancel_job(call: Call, account: str, job_id: str) -> Reply:
        job = state.jobs.get((account, job_id))
        if job is None:
            return grpc(5, f"job {job_id} not found")
        job.steps = job.steps[: job.position + 1] + [
            ("JOB_STATE_CANCELLING", None),
            ("JOB_STATE_CANCELLED", None),
        ]
        return Reply(200, {})

    def create_deployment(call: Call, account: str) -> Reply:
        body = call.json() or {}
        deployment_id = call.query.get("deploymentId") or state.next_id("dep")
        model = str(body.get("baseModel") or "")
        if not model.startswith("accounts/") or "/models/" not in model:
            return grpc(3, "baseModel must be a model name accounts/{a}/models/{id}")
        key = (account, deployment_id)
        if key in state.deployments:
            return grpc(6, f"deployment {deployment_id} already exists")
        state.deployments[key] = dict(
            body,
            name=f"accounts/{account}/deployments/{deployment_id}",
            state="CREATING",
            createTime=now_rfc3339(),
        )
        state.deployment_gets[key] = state.deployment_ready_after_gets
        return Reply(200, dict(state.deployments[key]))

    def get_deployment(call: Call, account: str, deployment_id: str) -> Reply:
        key = (account, deployment_id)
        if key not in state.deployments:
            return grpc(5, f"deployment {deployment_id} not found")
        left = state.deployment_gets.get(key, 0) - 1
        state.deployment_gets[key] = left
        if left <= 0 and state.deployments[key]["state"] == "CREATING":
            state.deployments[key]["state"] = "READY"
        return Reply(200, dict(state.deployments[key]))

    jobs = ACCT + "/supervisedFineTuningJobs"
    one = jobs + r"/(?P<job_id>[^/:]+)"
    server.route("POST", jobs, guarded(create_job))
    server.route("GET", jobs, guarded(list_jobs))
    server.route("GET", one, guarded(get_job))
    server.route("POST", one + ":cancel", guarded(cancel_job))
    deployments = ACCT + "/deployments"
    server.route("POST", deployments, guarded(create_deployment))
    server.route("GET", deployments + r"/(?P<deployment_id>[^/:]+)", guarded(get_deployment))
