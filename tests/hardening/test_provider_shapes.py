"""Provider answers of an unexpected shape: one line naming the provider and the field."""

from __future__ import annotations

import orjson
import pytest

from tests.providers.conftest import ExportFactory
from tests.providers.fake_server import FakeProviderServer

JOBS = r"/supervisedFineTuningJobs"


@pytest.fixture
def dataset(cli, make_export: ExportFactory) -> str:
    code, out, err = cli("upload", str(make_export({"planning": 12})), "--json")
    assert code == 0, err
    return orjson.loads(out)[0]["dataset_id"]


def _one_line(code: int, err: str, *fragments: str) -> None:
    errors = [line for line in err.splitlines() if line.startswith("curator: error:")]
    assert code == 1 and "Traceback" not in err and len(errors) == 1, err
    for fragment in fragments:
        assert fragment in errors[0], err


ODD_JOBS = [
    ({"name": "accounts/demo/supervisedFineTuningJobs/j1", "status": "FAILED"}, "'status'"),
    ({"state": "JOB_STATE_RUNNING"}, "'name' is missing"),
    ({"name": "x", "jobProgress": [1, 2]}, "'jobProgress'"),
    ({"name": "x", "state": {"nested": True}}, "'state'"),
]


@pytest.mark.parametrize(("payload", "field"), ODD_JOBS)
def test_finetune_with_an_odd_job_answer(
    cli, fake_server: FakeProviderServer, dataset: str, payload: dict, field: str
) -> None:
    fake_server.fail(JOBS, method="POST", status=200, payload=payload)
    code, _, err = cli("finetune", "--dataset", dataset, "--base-model", "qwen3-8b")
    _one_line(code, err, "fireworks: unexpected answer for a fine-tuning job", field)


def test_cancel_with_an_odd_job_answer(cli, fake_server: FakeProviderServer, dataset: str) -> None:
    code, out, _ = cli("finetune", "--dataset", dataset, "--base-model", "qwen3-8b", "--json")
    job_id = orjson.loads(out)["job_id"]
    fake_server.fail(JOBS + "/" + job_id + "$", method="GET", status=200, payload={"status": "x"})
    code, _, err = cli("cancel", job_id)
    _one_line(code, err, "fireworks: unexpected answer for a fine-tuning job", "'name'")


def test_deploy_with_an_odd_deployment_answer(cli, fake_server: FakeProviderServer) -> None:
    payload = {"name": "accounts/demo/deployments/d1", "status": "READY", "state": "READY"}
    fake_server.fail(r"/deployments", method="POST", status=200, payload=payload)
    code, _, err = cli("deploy", "accounts/demo/models/planner-v1")
    _one_line(code, err, "fireworks: unexpected answer for a deployment", "'status' should be an")


def test_jobs_with_an_odd_list(cli, fake_server: FakeProviderServer) -> None:
    fake_server.fail(JOBS, method="GET", status=200, payload={"supervisedFineTuningJobs": "all"})
    code, _, err = cli("jobs", "--provider", "fireworks")
    _one_line(code, err, "fireworks: unexpected answer for a list of jobs")


@pytest.mark.parametrize("provider", ["together", "openai"])
def test_together_and_openai_odd_jobs(
    cli, fake_server: FakeProviderServer, make_export: ExportFactory, provider: str
) -> None:
    export = make_export({"planning": 12})
    code, out, err = cli("upload", str(export), "--provider", provider, "--json")
    file_id = orjson.loads(out)[0]["dataset_ref"]
    path = "/fine-tunes" if provider == "together" else "/fine_tuning/jobs"
    fake_server.fail(path, method="POST", status=200, payload={"id": 42, "status": ["x"]})
    code, _, err = cli(
        "finetune", "--provider", provider, "--dataset", file_id, "--base-model", "b"
    )
    _one_line(code, err, f"{provider}: unexpected answer for a fine-tuning job", "'id'")


def test_upload_with_odd_dataset_and_file_answers(
    cli, fake_server: FakeProviderServer, make_export: ExportFactory
) -> None:
    export = make_export({"planning": 12})
    fake_server.fail(r"/datasets/[^/:]+$", method="GET", status=200, payload={"state": ["READY"]})
    code, _, err = cli("upload", str(export))
    _one_line(code, err, "fireworks: unexpected answer for a dataset", "'state'")
    report = {"id": "file-1", "processing_status": "FAILED", "validation_report": "bad"}
    fake_server.fail(r"/files", method="POST", status=200, payload=report)
    code, _, err = cli("upload", str(export), "--provider", "together")
    _one_line(code, err, "together: unexpected answer for a file", "'validation_report'")
