"""Together and OpenAI clients against the fake server: uploads, jobs, pages, faults."""

from __future__ import annotations

import pytest

from core.providers import (
    DeployOptions,
    JobSpec,
    JobState,
    ProviderError,
    UnsupportedOperation,
    open_provider,
)
from core.providers.errors import InvalidRequest
from core.providers.workflow import upload_export, watch_jobs
from tests.providers.conftest import ExportFactory, assert_requests_keep_keys_in_auth_only
from tests.providers.fake_server import FakeProviderServer


@pytest.fixture
def together(settings, env):
    client = open_provider("together", settings, env)
    yield client
    client.close()


@pytest.fixture
def openai_client(settings, env):
    client = open_provider("openai", settings, env)
    yield client
    client.close()


def test_together_upload_follows_the_presigned_redirect(
    fake_server: FakeProviderServer, together, conn, make_export: ExportFactory
) -> None:
    export = make_export({"planning": 12})
    [uploaded] = upload_export(conn, together, export)

    [post] = fake_server.calls_at("POST", "/together/v1/files")
    form = {key: value.decode() for key, (_, value) in post.form().items()}
    assert form["purpose"] == "fine-tune" and form["file_type"] == "jsonl"
    assert form["file_name"].endswith(".jsonl")
    [put] = fake_server.calls_to("PUT", "/together/upload/")
    assert "authorization" not in put.headers
    assert put.body == (export / "planning/train.jsonl").read_bytes()
    [pre] = fake_server.calls_to("POST", "/preprocess")
    assert pre.path == f"/together/v1/files/{uploaded.dataset_id}/preprocess"
    assert uploaded.outcome == "uploaded" and uploaded.dataset_ref.startswith("file-")
    assert_requests_keep_keys_in_auth_only(fake_server)


def test_together_409_reuses_the_existing_file(
    fake_server: FakeProviderServer, together, conn, tmp_path, make_export: ExportFactory
) -> None:
    export = make_export({"planning": 12})
    [first] = upload_export(conn, together, export)
    from core.store.db import connect

    other_workspace = connect(tmp_path / "other")  # knows nothing: must hit the 409 path
    [second] = upload_export(other_workspace, together, export)
    other_workspace.close()
    assert second.outcome == "reused" and second.dataset_id == first.dataset_id
    assert len(fake_server.calls_to("PUT", "/together/upload/")) == 1


def test_together_reupload_from_same_workspace_checks_the_recorded_file(
    fake_server: FakeProviderServer, together, conn, make_export: ExportFactory
) -> None:
    export = make_export({"planning": 12})
    [first] = upload_export(conn, together, export)
    [second] = upload_export(conn, together, export)
    assert second.outcome == "reused"
    assert fake_server.calls_to("GET", f"/files/{first.dataset_id}")


def test_together_job_lifecycle_snake_case(
    fake_server: FakeProviderServer, together, conn, settings, make_export: ExportFactory
) -> None:
    [uploaded] = upload_export(conn, together, make_export({"planning": 12}))
    spec = JobSpec(
        base_model="meta-llama/Llama-3.2-3B-Instruct-Reference",
        dataset=uploaded.dataset_ref,
        epochs=2,
        learning_rate=1e-5,
        lora_rank=8,
        output_model="planner",
    )
    job = together.create_job(spec)
    [call] = fake_server.calls_at("POST", "/together/v1/fine-tunes")
    assert call.json() == {
        "training_file": uploaded.dataset_ref,
        "model": "meta-llama/Llama-3.2-3B-Instruct-Reference",
        "n_epochs": 2,
        "learning_rate": 1e-5,
        "suffix": "planner",
        "training_type": {"type": "Lora", "lora_r": 8, "lora_alpha": 16},
    }
    assert job.state is JobState.QUEUED
    seen: list = []
    [final] = watch_jobs(conn, together, [job.job_id], settings, on_update=seen.append)
    assert [j.raw_state for j in seen] == ["queued", "running", "running", "uploading", "completed"]
    assert seen[1].output_model is None  # the model name only appears on a later poll
    assert final.state is JobState.SUCCEEDED
    assert final.output_model == "demo/Llama-3.2-3B-Instruct-Reference-ft"
    assert [j.job_id for j in together.list_jobs()] == [job.job_id]


def test_together_cancel_and_failure(fake_server: FakeProviderServer, together) -> None:
    fake_server.state.files[("together", "file-1")] = {"id": "file-1"}
    job = together.create_job(JobSpec(base_model="m", dataset="file-1"))
    cancelling = together.cancel_job(job.job_id)
    assert cancelling.raw_state == "cancelled" or cancelling.raw_state == "cancel_requested"
    assert cancelling.state is JobState.CANCELLED
    fake_server.state.script_next_job(
        "together", [("pending", None), ("error", None)], error="bad data"
    )
    failing = together.create_job(JobSpec(base_model="m", dataset="file-1"))
    failed = together.get_job(failing.job_id)
    assert failed.state is JobState.FAILED and failed.error == "bad data"


def test_together_has_no_deploy(together) -> None:
    with pytest.raises(UnsupportedOperation, match="dedicated endpoint"):
        together.deploy("demo/model", DeployOptions())


def test_together_nested_error_parses(fake_server: FakeProviderServer, together) -> None:
    with pytest.raises(ProviderError) as caught:
        together.get_job("ft-999999")
    assert str(caught.value).startswith(
        "together: HTTP 404 invalid_request_error: fine-tune ft-999999 not found"
    )


def test_openai_upload_multipart_purpose_and_processing(
    fake_server: FakeProviderServer, openai_client, conn, make_export: ExportFactory
) -> None:
    [uploaded] = upload_export(conn, openai_client, make_export({"planning": 12}))
    [post] = fake_server.calls_at("POST", "/openai/v1/files")
    form = post.form()
    assert form["purpose"] == (None, b"fine-tune")
    assert form["file"][0] == "train.jsonl"
    assert uploaded.state == "processed"
    assert fake_server.calls_to("GET", f"/openai/v1/files/{uploaded.dataset_id}")


def test_openai_refuses_fewer_than_ten_examples(
    fake_server: FakeProviderServer, openai_client, conn, make_export: ExportFactory
) -> None:
    with pytest.raises(InvalidRequest, match="OpenAI needs 10"):
        upload_export(conn, openai_client, make_export({"planning": 9}))


def test_openai_job_body_pages_and_cancel(
    fake_server: FakeProviderServer, openai_client, conn, settings, make_export: ExportFactory
) -> None:
    [uploaded] = upload_export(conn, openai_client, make_export({"planning": 12}))
    spec = JobSpec(
        base_model="gpt-4o-mini-2024-07-18",
        dataset=uploaded.dataset_ref,
        epochs=3,
        learning_rate=0.5,
        output_model="planner",
    )
    job = openai_client.create_job(spec)
    [call] = fake_server.calls_at("POST", "/openai/v1/fine_tuning/jobs")
    assert call.json() == {
        "model": "gpt-4o-mini-2024-07-18",
        "training_file": uploaded.dataset_ref,
        "suffix": "planner",
        "method": {
            "type": "supervised",
            "supervised": {"hyperparameters": {"n_epochs": 3, "learning_rate_multiplier": 0.5}},
        },
    }
    assert job.state is JobState.VALIDATING
    [final] = watch_jobs(conn, openai_client, [job.job_id], settings, on_update=lambda j: None)
    assert final.state is JobState.SUCCEEDED
    assert final.output_model.startswith("ft:gpt-4o-mini-2024-07-18:demo-org:planner")
    others = [openai_client.create_job(spec) for _ in range(3)]
    listed = openai_client.list_jobs()
    assert len(listed) == 4
    pages = fake_server.calls_to("GET", "/openai/v1/fine_tuning/jobs")
    afters = [c.query.get("after") for c in pages if c.path.endswith("/jobs")]
    assert afters == [None, listed[1].job_id]
    cancelled = openai_client.cancel_job(others[0].job_id)
    assert cancelled.state is JobState.CANCELLED and cancelled.terminal
    deployment = openai_client.deploy(final.output_model, DeployOptions())
    assert deployment.ready and deployment.inference_model == final.output_model


def test_openai_failed_job_and_lora_refusal(fake_server: FakeProviderServer, openai_client) -> None:
    with pytest.raises(InvalidRequest, match="no lora rank"):
        openai_client.create_job(JobSpec(base_model="m", dataset="f", lora_rank=8))
    fake_server.state.files[("openai", "file-x1")] = {"id": "file-x1"}
    fake_server.state.script_next_job(
        "openai", [("validating_files", None), ("failed", None)], error="bad file"
    )
    job = openai_client.create_job(JobSpec(base_model="m", dataset="file-x1"))
    failed = openai_client.get_job(job.job_id)
    assert failed.state is JobState.FAILED and failed.error == "bad file"


def test_openai_unknown_status_does_not_crash(
    fake_server: FakeProviderServer, openai_client
) -> None:
    fake_server.state.files[("openai", "file-x1")] = {"id": "file-x1"}
    fake_server.state.script_next_job("openai", [("queued", None), ("pausing", None)])
    job = openai_client.create_job(JobSpec(base_model="m", dataset="file-x1"))
    assert openai_client.get_job(job.job_id).label == "running (state pausing)"


def test_together_reads_either_output_field_name(together) -> None:
    base = {"id": "ft-1", "status": "completed", "model": "m", "training_file": "f"}
    assert together._job(dict(base, output_name="a/b")).output_model == "a/b"
    assert together._job(dict(base, model_output_name="a/c")).output_model == "a/c"
    assert together._job(dict(base, n_epochs=4, epochs_completed=1)).percent == 25.0


def test_together_file_that_failed_validation_is_an_error(
    fake_server: FakeProviderServer, together, conn, make_export: ExportFactory
) -> None:
    [uploaded] = upload_export(conn, together, make_export({"planning": 12}))
    record = fake_server.state.files[("together", uploaded.dataset_id)]
    record["processing_status"] = "INVALID_FORMAT"
    record["validation_report"] = {"valid": False, "error": "line 3: missing messages"}
    with pytest.raises(ProviderError, match="INVALID_FORMAT: line 3: missing messages"):
        upload_export(conn, together, make_export({"planning": 12}, name="again"))
