"""Keep the fake server honest: drive it with the official SDKs, strictly validated.

Each SDK runs with ``_strict_response_validation=True``, so every answer of the fake must
parse into the SDK's own pydantic types; the fake in turn enforces the request contract
(camelCase, no nulls, ids in the query, signed-PUT headers), so an SDK request it rejected
would fail here. Last, every key our clients send must be a field the SDK knows.
"""

from __future__ import annotations

import typing
from pathlib import Path
from typing import Any

import httpx
import pytest

from core.providers import JobSpec, open_provider
from tests.providers.conftest import ACCOUNT, KEYS, ExportFactory
from tests.providers.fake_server import FakeProviderServer

fireworks_sdk = pytest.importorskip("fireworks", reason="fireworks-ai is a test extra")
openai_sdk = pytest.importorskip("openai", reason="openai is a test extra")
together_sdk = pytest.importorskip("together", reason="together is a test extra")


def wire_names(typed_dict: type) -> set[str]:
    """The JSON names of a Stainless TypedDict's fields (aliases where declared)."""
    names = set()
    for name, hint in typing.get_type_hints(typed_dict, include_extras=True).items():
        while typing.get_origin(hint) in (typing.Required, typing.NotRequired):
            hint = typing.get_args(hint)[0]
        alias = next(
            (m.alias for m in getattr(hint, "__metadata__", ()) if getattr(m, "alias", None)), None
        )  # noqa: E501
        names.add(alias or name)
    return names


@pytest.fixture
def train_file(make_export: ExportFactory) -> Path:
    return make_export({"planning": 12}) / "planning/train.jsonl"


@pytest.fixture
def fw(fake_server: FakeProviderServer):
    return fireworks_sdk.Fireworks(
        api_key=KEYS["fireworks"],
        account_id=ACCOUNT,
        base_url=fake_server.base_urls["fireworks"],
        max_retries=0,
        _strict_response_validation=True,
    )


def test_fireworks_sdk_datasets_both_upload_paths_and_pages(
    fake_server: FakeProviderServer, fw, train_file: Path
) -> None:
    size = train_file.stat().st_size
    created = fw.datasets.create(
        dataset_id="sdk-small", dataset={"user_uploaded": {}, "example_count": "12"}
    )  # noqa: E501
    assert created.state == "UPLOADING" and created.example_count == "12"
    fw.datasets.upload("sdk-small", file=train_file.open("rb"))
    assert fw.datasets.get("sdk-small").state == "READY"

    fw.datasets.create(dataset_id="sdk-large", dataset={"user_uploaded": {}, "example_count": "12"})
    urls = fw.datasets.get_upload_endpoint("sdk-large", filename_to_size={"train.jsonl": str(size)})
    url = urls.filename_to_signed_urls["train.jsonl"]
    headers = {
        "Content-Type": "application/octet-stream",
        "X-Goog-Content-Length-Range": f"{size},{size}",
    }  # noqa: E501
    assert httpx.put(url, content=train_file.read_bytes(), headers=headers).status_code == 200
    fw.datasets.validate_upload("sdk-large", body={})
    ready = fw.datasets.get("sdk-large")
    assert ready.state == "READY" and ready.example_count == "12"

    fake_server.state.page_size = 1
    names = [d.name for d in fw.datasets.list(page_size=1)]
    assert names == [
        f"accounts/{ACCOUNT}/datasets/sdk-large",
        f"accounts/{ACCOUNT}/datasets/sdk-small",
    ]  # noqa: E501
    with pytest.raises(fireworks_sdk.ConflictError):
        fw.datasets.create(
            dataset_id="sdk-small", dataset={"user_uploaded": {}, "example_count": "12"}
        )  # noqa: E501


def test_fireworks_sdk_jobs_and_deployments(
    fake_server: FakeProviderServer, fw, train_file
) -> None:
    fw.datasets.create(dataset_id="sdk-ds", dataset={"user_uploaded": {}, "example_count": "12"})
    fw.datasets.upload("sdk-ds", file=train_file.open("rb"))
    fw.datasets.get("sdk-ds")
    job = fw.supervised_fine_tuning_jobs.create(
        dataset=f"accounts/{ACCOUNT}/datasets/sdk-ds",
        base_model="accounts/fireworks/models/qwen3-8b",
        supervised_fine_tuning_job_id="sdk-job",
        epochs=1,
        lora_rank=8,
        learning_rate=1e-4,
        max_context_length=4096,
        display_name="sdk",
    )
    [call] = fake_server.calls_to("POST", "/supervisedFineTuningJobs")
    assert call.query == {"supervisedFineTuningJobId": "sdk-job"}  # same as our client
    assert job.state == "JOB_STATE_CREATING"
    assert fw.supervised_fine_tuning_jobs.get("sdk-job").state == "JOB_STATE_VALIDATING"
    assert [j.name for j in fw.supervised_fine_tuning_jobs.list()] == [job.name]
    fw.supervised_fine_tuning_jobs.cancel("sdk-job", body={})
    assert fw.supervised_fine_tuning_jobs.get("sdk-job").state == "JOB_STATE_CANCELLING"
    model = f"accounts/{ACCOUNT}/models/sdk-job"
    deployment = fw.deployments.create(
        base_model=model, deployment_id="sdk-dep", min_replica_count=0, max_replica_count=1
    )
    assert deployment.state == "CREATING"
    assert [fw.deployments.get("sdk-dep").state for _ in range(2)] == ["CREATING", "READY"]


def test_our_fireworks_requests_use_only_sdk_field_names(
    fake_server: FakeProviderServer, settings, env, conn, make_export: ExportFactory
) -> None:
    from fireworks.types import (
        dataset_create_params,
        dataset_param,
        deployment_create_params,
        supervised_fine_tuning_job_create_params,
    )

    from core.providers import DeployOptions
    from core.providers.workflow import upload_export

    client = open_provider("fireworks", settings, env)
    [uploaded] = upload_export(conn, client, make_export({"planning": 12}))
    spec = JobSpec(base_model="m", dataset=uploaded.dataset_id, eval_dataset=uploaded.dataset_id,
                   epochs=1, learning_rate=1e-4, lora_rank=8, max_context_length=2048,
                   batch_size=4096, output_model="o", display_name="d", job_id="job-1")  # fmt: skip
    client.create_job(spec)
    client.deploy("o", DeployOptions(accelerator_type="NVIDIA_H100_80GB", display_name="x"))
    client.close()
    create = [c for c in fake_server.calls if c.path.endswith("/datasets")][0].json()
    assert set(create) <= wire_names(dataset_create_params.DatasetCreateParams)
    assert set(create["dataset"]) <= wire_names(dataset_param.DatasetParam)
    [job] = fake_server.calls_to("POST", "/supervisedFineTuningJobs")
    job_names = wire_names(
        supervised_fine_tuning_job_create_params.SupervisedFineTuningJobCreateParams
    )  # noqa: E501
    assert set(job.json()) <= job_names and set(job.query) <= job_names
    [deploy] = fake_server.calls_to("POST", "/deployments")
    deploy_names = wire_names(deployment_create_params.DeploymentCreateParams)
    assert set(deploy.json()) <= deploy_names and set(deploy.query) <= deploy_names


@pytest.fixture
def oa(fake_server: FakeProviderServer):
    return openai_sdk.OpenAI(
        api_key=KEYS["openai"],
        base_url=fake_server.base_urls["openai"],
        max_retries=0,
        _strict_response_validation=True,
    )


def test_openai_sdk_files_and_jobs(fake_server: FakeProviderServer, oa, train_file) -> None:
    uploaded = oa.files.create(file=train_file.open("rb"), purpose="fine-tune")
    assert uploaded.status == "uploaded"
    assert oa.files.retrieve(uploaded.id).status == "processed"
    created = [
        oa.fine_tuning.jobs.create(
            model="gpt-4o-mini-2024-07-18",
            training_file=uploaded.id,
            suffix="planner",
            method={"type": "supervised", "supervised": {"hyperparameters": {"n_epochs": 2}}},
        )
        for _ in range(3)
    ]
    assert created[0].status == "validating_files"
    assert oa.fine_tuning.jobs.retrieve(created[0].id).status == "queued"
    listed = [job.id for job in oa.fine_tuning.jobs.list(limit=2)]  # auto-pages with `after`
    assert listed == [job.id for job in created]
    assert oa.fine_tuning.jobs.cancel(created[1].id).status == "cancelled"


def test_openai_sdk_honours_the_fakes_429(fake_server: FakeProviderServer) -> None:
    client = openai_sdk.OpenAI(
        api_key=KEYS["openai"], base_url=fake_server.base_urls["openai"], max_retries=1
    )
    fake_server.fail(r"/fine_tuning/jobs$", status=429, headers={"retry-after-ms": "10"},
                     payload={"error": {"message": "slow down", "type": "rate_limit"}})  # fmt: skip
    assert list(client.fine_tuning.jobs.list()) == []
    assert len(fake_server.calls_to("GET", "/fine_tuning/jobs")) == 2


def test_our_openai_job_body_uses_sdk_field_names(fake_server, settings, env) -> None:
    from openai.types.fine_tuning import job_create_params, supervised_hyperparameters_param

    fake_server.state.files[("openai", "file-x1")] = {"id": "file-x1"}
    client = open_provider("openai", settings, env)
    spec = JobSpec(base_model="m", dataset="file-x1", eval_dataset="file-x1", epochs=1,
                   batch_size=8, learning_rate=0.3, output_model="s")  # fmt: skip
    client.create_job(spec)
    client.close()
    body: dict[str, Any] = fake_server.calls_at("POST", "/openai/v1/fine_tuning/jobs")[0].json()
    assert set(body) <= wire_names(job_create_params.JobCreateParams)
    hyper = body["method"]["supervised"]["hyperparameters"]
    assert set(hyper) <= wire_names(supervised_hyperparameters_param.SupervisedHyperparametersParam)


@pytest.fixture
def tg(fake_server: FakeProviderServer):
    return together_sdk.Together(
        api_key=KEYS["together"],
        base_url=fake_server.base_urls["together"],
        max_retries=0,
        _strict_response_validation=True,
    )


def test_together_sdk_upload_redirect_dedupe_and_jobs(
    fake_server: FakeProviderServer, tg, train_file: Path
) -> None:
    uploaded = tg.files.upload(train_file, purpose="fine-tune", check=True)  # their validator too
    assert uploaded.processing_status == "COMPLETED"
    assert "authorization" not in fake_server.calls_to("PUT", "/together/upload/")[0].headers
    again = tg.files.upload(train_file, purpose="fine-tune", check=False)  # 409 → same file
    assert again.id == uploaded.id
    assert tg.files.retrieve(uploaded.id).bytes == train_file.stat().st_size
    job = tg.fine_tuning.create(
        training_file=uploaded.id,
        model="meta-llama/Llama-3.2-3B-Instruct-Reference",
        n_epochs=2,
        lora=True,
        lora_r=8,
    )
    assert job.status == "pending"
    states = [tg.fine_tuning.retrieve(job.id).status for _ in range(5)]
    assert states[-1] == "completed"
    done = tg.fine_tuning.retrieve(job.id)
    assert done.x_model_output_name == "demo/Llama-3.2-3B-Instruct-Reference-ft"
    assert [j.id for j in tg.fine_tuning.list().data] == [job.id]
    second = tg.fine_tuning.create(training_file=uploaded.id, model="m", lora=True)
    assert tg.fine_tuning.cancel(second.id).status == "cancel_requested"


def test_our_together_job_body_uses_sdk_field_names(fake_server, settings, env, tg) -> None:
    from together.lib.types.fine_tuning import FinetuneRequest, LoRATrainingType

    fake_server.state.files[("together", "file-1")] = {"id": "file-1"}
    client = open_provider("together", settings, env)
    spec = JobSpec(base_model="m", dataset="file-1", eval_dataset="file-1", epochs=1,
                   learning_rate=1e-5, lora_rank=16, batch_size=8, max_context_length=2048,
                   output_model="planner")  # fmt: skip
    job = client.create_job(spec)
    client.close()
    body = fake_server.calls_at("POST", "/together/v1/fine-tunes")[0].json()
    assert set(body) <= set(FinetuneRequest.model_fields)
    assert set(body["training_type"]) <= set(LoRATrainingType.model_fields)
    assert tg.fine_tuning.retrieve(job.job_id).training_file == "file-1"  # SDK reads our job
