"""Fireworks jobs and deployments against the fake server: fields, states, pages, faults."""

from __future__ import annotations

import time

import pytest

from core.providers import DeployOptions, JobSpec, JobState, ProviderError, open_provider
from core.providers.errors import InvalidRequest
from core.providers.fireworks import FireworksProvider
from core.providers.settings import ProviderSettings
from core.providers.workflow import deploy_model, start_finetune, upload_export, watch_jobs
from tests.providers.conftest import ExportFactory, assert_requests_keep_keys_in_auth_only
from tests.providers.fake_server import FakeProviderServer


@pytest.fixture
def fireworks(settings, env):
    client = open_provider("fireworks", settings, env)
    yield client
    client.close()


@pytest.fixture
def dataset(fireworks, conn, make_export: ExportFactory) -> str:
    [uploaded] = upload_export(conn, fireworks, make_export({"planning": 12}))
    return uploaded.dataset_id


def test_create_job_sends_id_in_query_and_camelcase_without_nulls(
    fake_server: FakeProviderServer, fireworks, dataset
) -> None:
    spec = JobSpec(
        base_model="qwen3-8b",
        dataset=dataset,
        epochs=2,
        learning_rate=1e-4,
        lora_rank=16,
        max_context_length=4096,
        output_model="planner-v1",
        display_name="planner v1",
        job_id="planner-job-1",
    )
    job = fireworks.create_job(spec)

    [call] = fake_server.calls_to("POST", "/supervisedFineTuningJobs")
    assert call.query == {"supervisedFineTuningJobId": "planner-job-1"}
    assert "supervisedFineTuningJobId=planner-job-1" in call.raw_path
    assert call.json() == {
        "dataset": f"accounts/demo/datasets/{dataset}",
        "baseModel": "accounts/fireworks/models/qwen3-8b",
        "epochs": 2,
        "learningRate": 1e-4,
        "loraRank": 16,
        "maxContextLength": 4096,
        "outputModel": "planner-v1",
        "displayName": "planner v1",
    }
    assert job.job_id == "planner-job-1"
    assert job.state is JobState.QUEUED
    assert job.output_model == "accounts/demo/models/planner-v1"


def test_minimal_job_omits_every_unset_field(
    fake_server: FakeProviderServer, fireworks, dataset
) -> None:
    job = fireworks.create_job(JobSpec(base_model="accounts/fireworks/models/x", dataset=dataset))
    [call] = fake_server.calls_to("POST", "/supervisedFineTuningJobs")
    assert set(call.json()) == {"dataset", "baseModel"}
    assert job.job_id.startswith("tc-x-")
    assert fake_server.state.jobs[("demo", job.job_id)]


def test_job_follows_states_and_progress_to_the_model(
    fake_server: FakeProviderServer, fireworks, dataset, conn, settings
) -> None:
    job = start_finetune(conn, fireworks, JobSpec(base_model="qwen3-8b", dataset=dataset))
    seen = []
    [final] = watch_jobs(conn, fireworks, [job.job_id], settings, on_update=seen.append)
    assert [j.raw_state.removeprefix("JOB_STATE_") for j in seen] == [
        "VALIDATING",
        "RUNNING",
        "RUNNING",
        "WRITING_RESULTS",
        "COMPLETED",
    ]
    assert [j.percent for j in seen] == [None, 30, 70, 100, 100]
    assert final.state is JobState.SUCCEEDED and final.terminal
    assert final.output_model == f"accounts/demo/models/{job.job_id}"
    assert fireworks.inference_model_id(final.output_model) == final.output_model


def test_failed_job_reports_the_providers_reason(
    fake_server: FakeProviderServer, fireworks, dataset
) -> None:
    fake_server.state.script_next_job(
        "fireworks",
        [("JOB_STATE_RUNNING", 10), ("JOB_STATE_FAILED", None)],
        error="CUDA out of memory",
    )
    job = fireworks.create_job(JobSpec(base_model="qwen3-8b", dataset=dataset))
    failed = fireworks.get_job(job.job_id)
    assert failed.state is JobState.FAILED and failed.terminal
    assert failed.error == "CUDA out of memory"


def test_unknown_state_is_running_with_its_name(
    fake_server: FakeProviderServer, fireworks, dataset
) -> None:
    fake_server.state.script_next_job(
        "fireworks", [("JOB_STATE_PENDING", None), ("JOB_STATE_QUANTUM_ANNEALING", 40)]
    )
    job = fireworks.create_job(JobSpec(base_model="qwen3-8b", dataset=dataset))
    odd = fireworks.get_job(job.job_id)
    assert odd.state is JobState.RUNNING and not odd.terminal and not odd.known_state
    assert odd.label == "running (state JOB_STATE_QUANTUM_ANNEALING)"


def test_list_follows_next_page_token(fake_server: FakeProviderServer, fireworks, dataset) -> None:
    for index in range(5):
        fireworks.create_job(JobSpec(base_model="m", dataset=dataset, job_id=f"job-{index}"))
    jobs = fireworks.list_jobs()
    assert sorted(j.job_id for j in jobs) == [f"job-{i}" for i in range(5)]
    pages = fake_server.calls_to("GET", "/supervisedFineTuningJobs")
    assert [c.query.get("pageToken") for c in pages] == [None, "2", "4"]
    assert all(c.query["pageSize"] == "200" for c in pages)


def test_cancel_posts_colon_verb_and_reaches_cancelled(
    fake_server: FakeProviderServer, fireworks, dataset
) -> None:
    job = fireworks.create_job(JobSpec(base_model="m", dataset=dataset))
    cancelling = fireworks.cancel_job(job.job_id)
    [call] = fake_server.calls_to("POST", ":cancel")
    assert call.path.endswith(f"/supervisedFineTuningJobs/{job.job_id}:cancel")
    assert call.json() == {}
    assert cancelling.state is JobState.CANCELLED and not cancelling.terminal
    assert fireworks.get_job(job.job_id).terminal


def test_create_whose_answer_was_lost_is_retried_idempotently(
    fake_server: FakeProviderServer, fireworks, dataset
) -> None:
    fake_server.fail(r"/supervisedFineTuningJobs$", method="POST", status=0, process=True)
    job = fireworks.create_job(JobSpec(base_model="m", dataset=dataset, job_id="same-id"))
    assert job.job_id == "same-id"
    assert len(fake_server.calls_to("POST", "/supervisedFineTuningJobs")) == 2  # 2nd got 409
    assert len([k for k in fake_server.state.jobs if k[1] == "same-id"]) == 1


def test_job_id_taken_by_another_dataset_is_an_error(
    fake_server: FakeProviderServer, fireworks, dataset
) -> None:
    fireworks.create_job(JobSpec(base_model="m", dataset=dataset, job_id="same-id"))
    fake_server.state.datasets[("demo", "other")] = {"name": "x", "state": "READY"}
    other = JobSpec(base_model="m", dataset="other", job_id="same-id")
    with pytest.raises(ProviderError, match="already exists and trains on"):
        fireworks.create_job(other)


def test_bad_lora_rank_is_refused_locally(fake_server: FakeProviderServer, fireworks) -> None:
    with pytest.raises(InvalidRequest, match="LoRA rank 12"):
        fireworks.create_job(JobSpec(base_model="m", dataset="d", lora_rank=12))
    assert not fake_server.calls


def test_missing_job_is_a_404_with_advice(fake_server: FakeProviderServer, fireworks) -> None:
    with pytest.raises(ProviderError) as caught:
        fireworks.get_job("nope")
    assert str(caught.value).startswith("fireworks: HTTP 404 NOT_FOUND: job nope not found — ")


def test_429_waits_for_retry_after(fake_server: FakeProviderServer, settings, env) -> None:
    client = open_provider("fireworks", settings, env)
    assert isinstance(client, FireworksProvider)
    slept: list[float] = []
    client.api._sleep = slept.append
    fake_server.fail(r"/supervisedFineTuningJobs$", status=429, headers={"retry-after": "2"})
    fake_server.fail(r"/supervisedFineTuningJobs$", status=429, headers={"retry-after-ms": "1500"})
    assert client.list_jobs() == []
    assert slept == [
        pytest.approx(2 * settings.delay_scale),
        pytest.approx(1.5 * settings.delay_scale),
    ]
    client.close()


def test_429_retry_after_is_really_slept(fake_server: FakeProviderServer, env) -> None:
    settings = ProviderSettings(delay_scale=0.1)
    client = open_provider("fireworks", settings, env)
    fake_server.fail(r"/supervisedFineTuningJobs$", status=429, headers={"retry-after": "1"})
    started = time.monotonic()
    client.list_jobs()
    assert time.monotonic() - started >= 0.1
    client.close()


def test_deploy_scale_to_zero_and_follow_to_ready(
    fake_server: FakeProviderServer, fireworks, dataset, conn, settings
) -> None:
    job = start_finetune(conn, fireworks, JobSpec(base_model="m", dataset=dataset, job_id="j1"))
    states = []
    deployment = deploy_model(
        conn, fireworks, "j1", DeployOptions(), settings, on_update=lambda d: states.append(d.state)
    )
    [call] = fake_server.calls_to("POST", "/deployments")
    assert call.query["deploymentId"] == deployment.deployment_id
    assert call.json() == {
        "baseModel": "accounts/demo/models/j1",
        "minReplicaCount": 0,
        "maxReplicaCount": 1,
    }
    assert states[0] == "CREATING" and states[-1] == "READY"
    assert deployment.inference_model == "accounts/demo/models/j1"
    again = deploy_model(conn, fireworks, "j1", DeployOptions(), settings)
    assert again.deployment_id == deployment.deployment_id  # 409 resolved to the same one
    assert job.job_id == "j1"
    assert_requests_keep_keys_in_auth_only(fake_server)


def test_watch_stops_promptly_when_cancelled(fake_server, fireworks, dataset, conn) -> None:
    import threading

    from core.progress import Cancelled

    slow = ProviderSettings(poll_interval_seconds=30)  # would wait 30 s between polls
    fake_server.state.script_next_job("fireworks", [("JOB_STATE_RUNNING", 5)] * 2)
    job = fireworks.create_job(JobSpec(base_model="m", dataset=dataset))
    stop = threading.Event()
    threading.Timer(0.1, stop.set).start()
    started = time.monotonic()
    with pytest.raises(Cancelled):
        watch_jobs(conn, fireworks, [job.job_id], slow, on_update=lambda j: None, cancel=stop)
    assert time.monotonic() - started < 5
