"""Fake Together API: files with the presigned-redirect upload, fine-tunes, model limits."""

from __future__ import annotations

import secrets
import time
from typing import Any

from tests.providers.fake_server.http_core import Call, FakeHTTPServer, Reply
from tests.providers.fake_server.state import FakeState, ScriptedJob, count_examples

JOB_FIELDS = {
    "training_file", "validation_file", "model", "n_epochs", "learning_rate", "batch_size",
    "max_seq_length", "suffix", "training_type", "training_method", "packing", "lr_scheduler",
    "warmup_ratio", "max_grad_norm", "weight_decay", "n_checkpoints", "n_evals",
    "train_on_inputs", "random_seed", "early_stopping_enabled", "wandb_key",
    "gradient_accumulation_steps", "from_checkpoint", "lora", "lora_r",
}  # fmt: skip


def error(status: int, message: str, kind: str = "invalid_request_error") -> Reply:
    return Reply(status, {"error": {"message": message, "type": kind, "param": None, "code": None}})


PREFIX = "/together"


def register(server: FakeHTTPServer, state: FakeState, base_url: str) -> None:
    """Add every Together route to ``server``, under ``/together`` (base URL
    ``http://host:port/together``), so it can share one port with OpenAI's ``/v1/files``."""

    def guarded(handler: Any) -> Any:
        def wrapper(call: Call, **params: str) -> Reply:
            if not state.authorized("together", call.headers.get("authorization", "")):
                return error(401, "Invalid API key provided", "authentication_error")
            return handler(call, **params)

        return wrapper

    def file_view(file_id: str) -> dict[str, Any]:
        return dict(state.files[("together", file_id)])

    def post_file(call: Call) -> Reply:
        fields = {key: value.decode() for key, (_, value) in call.form().items() if key != "file"}
        if fields.get("purpose") != "fine-tune" or not fields.get("file_name"):
            return error(400, "purpose=fine-tune and file_name are required")
        checksum = fields.get("checksum")
        for (provider, file_id), record in state.files.items():
            if provider == "together" and checksum and record.get("_checksum") == checksum:
                return Reply(409, {"message": "file already exists", "file_id": file_id})
        file_id = "file-" + state.next_id("")
        token = secrets.token_hex(8)
        state.files[("together", file_id)] = {
            "id": file_id,
            "object": "file",
            "bytes": 0,
            "created_at": int(time.time()),
            "filename": fields["file_name"],
            "FileType": fields.get("file_type", "jsonl"),
            "purpose": "fine-tune",
            "processing_status": "PENDING",
            "_checksum": checksum,
        }
        state.pending_puts[token] = ("together", file_id)
        headers = {"Location": f"{base_url}{PREFIX}/upload/{token}", "X-Together-File-Id": file_id}
        return Reply(302, {"message": "upload to Location"}, headers)

    def presigned_put(call: Call, token: str) -> Reply:
        if token not in state.pending_puts:
            return Reply(403, raw=b"<Error><Code>AccessDenied</Code></Error>")
        if "authorization" in call.headers:
            return Reply(400, raw=b"<Error><Code>InvalidArgument</Code></Error>")
        key = state.pending_puts.pop(token)
        state.file_content[key] = call.body
        state.files[key]["bytes"] = len(call.body)
        return Reply(200, raw=b"")

    def preprocess(call: Call, file_id: str) -> Reply:
        key = ("together", file_id)
        if key not in state.file_content:
            return error(400, "file has no content yet")
        state.files[key]["processing_status"] = "COMPLETED"
        lines = count_examples(state.file_content[key])
        state.files[key]["validation_report"] = {"valid": True, "nlines": lines}
        return Reply(200, public(file_view(file_id)))

    def get_file(call: Call, file_id: str) -> Reply:
        if ("together", file_id) not in state.files:
            return error(404, f"file {file_id} not found")
        return Reply(200, public(file_view(file_id)))

    def list_files(call: Call) -> Reply:
        items = [public(dict(v)) for k, v in state.files.items() if k[0] == "together"]
        return Reply(200, {"data": items, "object": "list"})

    def limits(call: Call) -> Reply:
        return Reply(200, {
            "model_name": call.query.get("model_name", ""),
            "default_gradient_accumulation_steps": 1,
            "lora_training": {"default_rank": 8, "max_batch_size": 96, "max_batch_size_dpo": 48,
                              "max_rank": 64, "min_batch_size": 8,
                              "target_modules": ["q_proj", "v_proj"]},
            "max_learning_rate": 1.0, "min_learning_rate": 0.0, "max_num_checkpoints": 10,
            "max_num_epochs": 20, "max_num_evals": 10, "max_seq_length_dpo": 8192,
            "max_seq_length_sft": 8192, "merge_output_lora": False, "min_max_seq_length": 512,
            "supports_full_training": False, "supports_reasoning": False,
            "supports_tools": True, "supports_vision": False,
        })  # fmt: skip

    def estimate(call: Call) -> Reply:
        estimate = {"estimation_available": True, "allowed_to_proceed": True}
        estimate.update(estimated_total_price=1.5, estimated_train_token_count=1000)
        return Reply(200, estimate)

    def job_view(job: ScriptedJob) -> dict[str, Any]:
        raw, percent = job.step
        resource = dict(job.resource, status=raw, updated_at="2026-11-25T12:05:00Z")
        epochs = int(resource.get("n_epochs") or 1)
        if not isinstance(resource.get("batch_size"), int):
            resource["batch_size"] = 96  # the API answers the resolved size for "max"
        if percent is not None:
            resource["epochs_completed"] = int(epochs * percent / 100)
        # The SDK's FinetuneResponse requires both keys; the names appear only when done.
        resource["model_output_name"] = resource["adapter_output_name"] = None
        if raw == "completed":
            resource["model_output_name"] = f"demo/{resource['model'].split('/')[-1]}-ft"
        if raw == "error" and job.error:
            resource["events"] = [{"message": job.error, "type": "job_error"}]
        return resource

    def create_job(call: Call) -> Reply:
        body = call.json() or {}
        unknown = set(body) - JOB_FIELDS
        if unknown:
            return error(400, f"unknown fields {sorted(unknown)}")
        if ("together", str(body.get("training_file"))) not in state.files:
            return error(400, "training_file not found")
        if not body.get("model"):
            return error(400, "model is required")
        job_id = "ft-" + state.next_id("")
        steps, failure = state.take_script("together")
        resource = dict(body, id=job_id, user_id="user-1", created_at="2026-11-25T12:00:00Z")
        state.jobs[("together", job_id)] = ScriptedJob("together", resource, steps, failure)
        return Reply(200, job_view(state.jobs[("together", job_id)]))

    def get_job(call: Call, job_id: str) -> Reply:
        job = state.jobs.get(("together", job_id))
        if job is None:
            return error(404, f"fine-tune {job_id} not found")
        job.advance()
        return Reply(200, job_view(job))

    def list_jobs(call: Call) -> Reply:
        items = [job_view(j) for k, j in state.jobs.items() if k[0] == "together"]
        return Reply(200, {"data": items})

    def cancel_job(call: Call, job_id: str) -> Reply:
        job = state.jobs.get(("together", job_id))
        if job is None:
            return error(404, f"fine-tune {job_id} not found")
        job.steps = job.steps[: job.position] + [("cancel_requested", None), ("cancelled", None)]
        return Reply(200, job_view(job))

    server.route("POST", PREFIX + "/v1/files", guarded(post_file))
    server.route("GET", PREFIX + "/v1/files", guarded(list_files))
    server.route("GET", PREFIX + r"/v1/files/(?P<file_id>file-[0-9]+)", guarded(get_file))
    server.route(
        "POST", PREFIX + r"/v1/files/(?P<file_id>file-[0-9]+)/preprocess", guarded(preprocess)
    )
    server.route("PUT", PREFIX + r"/upload/(?P<token>[0-9a-f]+)", presigned_put)
    server.route("GET", PREFIX + "/v1/fine-tunes/models/limits", guarded(limits))
    server.route("POST", PREFIX + "/v1/fine-tunes/estimate-price", guarded(estimate))
    server.route("POST", PREFIX + "/v1/fine-tunes", guarded(create_job))
    server.route("GET", PREFIX + "/v1/fine-tunes", guarded(list_jobs))
    server.route("GET", PREFIX + r"/v1/fine-tunes/(?P<job_id>ft-[0-9]+)", guarded(get_job))
    server.route(
        "POST", PREFIX + r"/v1/fine-tunes/(?P<job_id>ft-[0-9]+)/cancel", guarded(cancel_job)
    )


def public(record: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in record.items() if not key.startswith("_")}
