"""Fake OpenAI files and fine-tuning jobs, under ``/openai`` (base ``http://host:port/openai/v1``)."""

from __future__ import annotations

import time
from typing import Any

from tests.providers.fake_server.http_core import Call, FakeHTTPServer, Reply
from tests.providers.fake_server.state import FakeState, ScriptedJob, count_examples

PREFIX = "/openai/v1"
JOB_FIELDS = {
    "model", "training_file", "validation_file", "suffix", "seed", "method", "metadata",
    "integrations", "hyperparameters",
}  # fmt: skip


def error(status: int, message: str, code: str | None = None, param: str | None = None) -> Reply:
    kind = "invalid_request_error" if status < 500 else "server_error"
    return Reply(
        status, {"error": {"message": message, "type": kind, "param": param, "code": code}}
    )


def register(server: FakeHTTPServer, state: FakeState, base_url: str) -> None:
    """Add every OpenAI route to ``server``."""

    def guarded(handler: Any) -> Any:
        def wrapper(call: Call, **params: str) -> Reply:
            if not state.authorized("openai", call.headers.get("authorization", "")):
                return error(401, "Incorrect API key provided", "invalid_api_key")
            return handler(call, **params)

        return wrapper

    def post_file(call: Call) -> Reply:
        fields = call.form()
        purpose = fields.get("purpose", (None, b""))[1].decode()
        if "file" not in fields or purpose != "fine-tune":
            return error(400, "file and purpose=fine-tune are required", param="purpose")
        filename, content = fields["file"]
        file_id = "file-" + state.next_id("oa")
        state.file_content[("openai", file_id)] = content
        state.files[("openai", file_id)] = {
            "id": file_id,
            "object": "file",
            "bytes": len(content),
            "created_at": int(time.time()),
            "filename": filename or "upload.jsonl",
            "purpose": "fine-tune",
            "status": "uploaded",
        }
        return Reply(200, dict(state.files[("openai", file_id)]))

    def get_file(call: Call, file_id: str) -> Reply:
        record = state.files.get(("openai", file_id))
        if record is None:
            return error(404, f"No such File object: {file_id}", param="id")
        if record["status"] == "uploaded":
            lines = count_examples(state.file_content[("openai", file_id)])
            record["status"] = "processed" if lines >= 10 else "error"
            if lines < 10:
                record["status_details"] = f"only {lines} examples; at least 10 are required"
        return Reply(200, dict(record))

    def job_view(job: ScriptedJob) -> dict[str, Any]:
        raw, _ = job.step
        resource = dict(job.resource, status=raw)
        if raw == "succeeded":
            suffix = resource.get("_suffix") or ""
            resource["fine_tuned_model"] = f"ft:{resource['model']}:demo-org:{suffix}:abc123"
            resource["finished_at"] = resource["created_at"] + 60
            resource["trained_tokens"] = 12345
        if raw == "failed" and job.error:
            resource["error"] = {"code": "invalid_training_file", "message": job.error,
                                 "param": "training_file"}  # fmt: skip
        return {key: value for key, value in resource.items() if not key.startswith("_")}

    def create_job(call: Call) -> Reply:
        body = call.json() or {}
        unknown = set(body) - JOB_FIELDS
        if unknown:
            return error(400, f"Unrecognized request argument supplied: {sorted(unknown)[0]}")
        if ("openai", str(body.get("training_file"))) not in state.files:
            return error(400, "invalid training_file", "invalid_training_file", "training_file")
        suffix = body.get("suffix") or ""
        if len(suffix) > 64:
            return error(400, "suffix is longer than 64 characters", param="suffix")
        method = body.get("method") or {"type": "supervised", "supervised": {}}
        hyper = (method.get("supervised") or {}).get("hyperparameters") or {}
        job_id = "ftjob-" + state.next_id("")
        steps, failure = state.take_script("openai")
        resource = {
            "id": job_id, "object": "fine_tuning.job", "created_at": int(time.time()),
            "model": body.get("model"), "training_file": body["training_file"],
            "validation_file": body.get("validation_file"), "organization_id": "org-demo",
            "result_files": [], "seed": body.get("seed", 42), "error": None,
            "fine_tuned_model": None, "finished_at": None, "trained_tokens": None,
            "hyperparameters": {"n_epochs": hyper.get("n_epochs", "auto"),
                                "batch_size": hyper.get("batch_size", "auto"),
                                "learning_rate_multiplier":
                                    hyper.get("learning_rate_multiplier", "auto")},
            "method": method, "_suffix": suffix,
        }  # fmt: skip
        state.jobs[("openai", job_id)] = ScriptedJob("openai", resource, steps, failure)
        return Reply(200, job_view(state.jobs[("openai", job_id)]))

    def get_job(call: Call, job_id: str) -> Reply:
        job = state.jobs.get(("openai", job_id))
        if job is None:
            return error(404, f"Could not find fine-tune job: {job_id}", param="id")
        job.advance()
        return Reply(200, job_view(job))

    def list_jobs(call: Call) -> Reply:
        jobs = [j for k, j in sorted(state.jobs.items()) if k[0] == "openai"]
        after = call.query.get("after")
        if after:
            ids = [j.resource["id"] for j in jobs]
            jobs = jobs[ids.index(after) + 1 :] if after in ids else []
        limit = min(int(call.query.get("limit") or 20), state.page_size)
        chunk = jobs[:limit]
        return Reply(200, {"object": "list", "data": [job_view(j) for j in chunk],
                           "has_more": len(jobs) > limit})  # fmt: skip

    def cancel_job(call: Call, job_id: str) -> Reply:
        job = state.jobs.get(("openai", job_id))
        if job is None:
            return error(404, f"Could not find fine-tune job: {job_id}", param="id")
        job.steps = job.steps[: job.position] + [("cancelled", None)]
        job.position = len(job.steps) - 1
        return Reply(200, job_view(job))

    server.route("POST", PREFIX + "/files", guarded(post_file))
    server.route("GET", PREFIX + r"/files/(?P<file_id>file-[a-z0-9]+)", guarded(get_file))
    server.route("POST", PREFIX + "/fine_tuning/jobs", guarded(create_job))
    server.route("GET", PREFIX + "/fine_tuning/jobs", guarded(list_jobs))
    server.route("GET", PREFIX + r"/fine_tuning/jobs/(?P<job_id>ftjob-[0-9]+)", guarded(get_job))
    server.route(
        "POST", PREFIX + r"/fine_tuning/jobs/(?P<job_id>ftjob-[0-9]+)/cancel", guarded(cancel_job)
    )
