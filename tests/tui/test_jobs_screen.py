"""Upload, fine-tune, follow, cancel and deploy from the app, against the local fake provider
server the provider tests use (real client code over HTTP on 127.0.0.1)."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import OptionList, ProgressBar

from core.config import CuratorConfig
from core.providers.models import Job, JobSpec
from core.providers.records import list_deployments, list_jobs, list_uploads, save_job
from core.providers.registry import open_provider
from core.providers.states import JobState
from core.providers.workflow import BILLING_NOTICE, start_finetune, upload_export
from core.review.decisions import Target, decide
from core.store.db import connect
from tests.providers.conftest import ACCOUNT, ExportFactory, fake_server, make_export  # noqa: F401
from tests.providers.fake_server import FakeProviderServer
from tests.providers.fake_server.state import ScriptedJob
from tests.tui.screens_support import (
    FAST_PROVIDERS,
    fast_app,
    open_datasets,
    open_jobs,
    settle_screens,
    shown_text,
    use_fake_server,
    wait_for,
    write_export,
)
from tui.app import CuratorApp
from tui.modals.confirm import Confirm
from tui.modals.finetune_form import FinetuneForm
from tui.modals.upload_picker import UploadPicker
from tui.screens.jobs_screen import JobsScreen
from tui.widgets.export_detail import ExportDetail
from tui.widgets.jobs_table import JobsTable

HOLD_AT_70 = [("JOB_STATE_CREATING", None), ("JOB_STATE_RUNNING", 40), ("JOB_STATE_RUNNING", 70)]


@pytest.fixture
def fake(
    fake_server: FakeProviderServer,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> FakeProviderServer:
    """The fake server in the environment; the working folder (for datasets/vN) in tmp."""
    use_fake_server(monkeypatch, fake_server)
    monkeypatch.chdir(tmp_path)
    return fake_server


@pytest.fixture
def accepted(workspace: Path) -> Path:
    """The workspace with every call accepted: enough examples per file for Fireworks (3)."""
    conn = connect(workspace)
    trace_ids = [row[0] for row in conn.execute("SELECT trace_id FROM calls")]
    decide(conn, [Target("call", trace_id) for trace_id in trace_ids], "accept")
    conn.close()
    return workspace


def percent_of(screen: JobsScreen) -> float | None:
    job = screen.current_job()
    return job.percent if job else None


def running_job(workspace: Path, export: Path, job_id: str) -> str:
    """Upload ``export`` and start a job through the core, as an earlier session would have."""
    conn = connect(workspace)
    client = open_provider("fireworks", FAST_PROVIDERS)
    try:
        [uploaded] = upload_export(conn, client, export)
        spec = JobSpec(base_model="qwen3-8b", dataset=uploaded.dataset_id, job_id=job_id)
        return start_finetune(conn, client, spec).job_id
    finally:
        client.close()
        conn.close()


def status_text(screen: JobsScreen) -> str:
    return shown_text(screen.query_one("#jobs-status"))


async def test_upload_finetune_follow_copy_and_deploy(accepted: Path, fake) -> None:  # noqa: ANN001
    fake.state.script_next_job("fireworks", list(HOLD_AT_70))
    app = fast_app(accepted)
    async with app.run_test(size=(120, 40)) as pilot:
        datasets = await open_datasets(pilot)
        await write_export(pilot, datasets)
        await pilot.press("u")
        await pilot.pause()
        picker = app.screen
        assert isinstance(picker, UploadPicker)
        picker.query_one(OptionList).highlighted = 0  # fireworks
        await pilot.press("enter")
        await settle_screens(pilot)

        uploads = list_uploads(datasets.session.conn)
        assert len(uploads) == 3  # the train file of each task
        assert {(u.phase, u.outcome) for u in uploads} == {("ready", "uploaded")}
        detail = shown_text(datasets.query_one(ExportDetail).query_one("#export-detail-body"))
        assert "On fireworks" in detail and "accounts/demo/datasets/tc-" in detail

        await pilot.press("f")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, FinetuneForm)
        train = form.query_one("#dataset").value
        assert train.startswith("accounts/demo/datasets/tc-") and "-train-" in train
        form.query_one("#epochs").value = "2"
        form.query_one("#base_model").value = "qwen3-8b"
        await pilot.press("enter")
        await settle_screens(pilot)

        jobs = app.screen
        assert isinstance(jobs, JobsScreen) and app.current_mode == "jobs"
        [sent] = fake.calls_to("POST", "/supervisedFineTuningJobs")
        assert sent.json()["epochs"] == 2 and sent.json()["dataset"] == train
        await wait_for(pilot, lambda: percent_of(jobs) == 70)
        assert jobs.query_one("#job-progress", ProgressBar).progress == 70
        assert "following 1 job live" in status_text(jobs)
        assert jobs.check_action("copy_model", ()) is None  # no model until it succeeds

        job = jobs.current_job()
        fake.state.jobs[(ACCOUNT, job.job_id)].steps.append(("JOB_STATE_COMPLETED", 100))
        await wait_for(pilot, lambda: jobs.current_job().state == "succeeded")
        await wait_for(pilot, lambda: not jobs.followed)
        assert "no unfinished jobs" in status_text(jobs)

        await pilot.press("c")
        model = jobs.current_job().output_model
        assert app.clipboard == f"fireworks:{model}"

        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, Confirm)
        assert BILLING_NOTICE in app.screen.body
        await pilot.press("y")
        await settle_screens(pilot)
        [deployment] = list_deployments(jobs.session.conn)
        assert deployment.state == "READY" and deployment.job_row == job.id
        assert jobs.check_action("deploy_model", ()) is None  # deployed already


async def test_cancel_a_running_job(
    workspace: Path,
    fake,  # noqa: ANN001
    make_export: ExportFactory,  # noqa: F811
) -> None:
    fake.state.script_next_job("fireworks", list(HOLD_AT_70))
    job_id = running_job(workspace, make_export({"planning": 12}), "tc-cancel-me")
    async with fast_app(workspace).run_test(size=(120, 40)) as pilot:
        jobs = await open_jobs(pilot)
        await wait_for(pilot, lambda: percent_of(jobs) == 70)
        await pilot.press("x")
        await pilot.pause()
        assert isinstance(pilot.app.screen, Confirm)
        assert job_id in pilot.app.screen.body
        await pilot.press("y")
        await wait_for(pilot, lambda: jobs.current_job().state == "cancelled")
        assert fake.calls_to("POST", f"{job_id}:cancel")
        assert jobs.check_action("cancel_job", ()) is None


async def test_a_missing_key_names_the_variable(
    workspace: Path,
    fake,  # noqa: ANN001
    make_export: ExportFactory,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    running_job(workspace, make_export({"planning": 12}), "tc-no-key")
    monkeypatch.delenv("FIREWORKS_API_KEY")
    async with fast_app(workspace).run_test(size=(120, 40)) as pilot:
        jobs = await open_jobs(pilot)
        await wait_for(pilot, lambda: "fireworks" in jobs.poll_errors)
        assert "FIREWORKS_API_KEY is not set" in status_text(jobs)

        datasets = await open_datasets(pilot)
        await write_export(pilot, datasets)
        await pilot.press("u")
        await pilot.pause()
        picker = pilot.app.screen
        assert isinstance(picker, UploadPicker)
        assert "FIREWORKS_API_KEY is not set" in picker.providers["fireworks"]
        picker.query_one(OptionList).highlighted = 0
        await pilot.press("enter")
        await settle_screens(pilot)
        error = shown_text(datasets.query_one(ExportDetail).query_one("#export-detail-error"))
        assert "Upload failed: fireworks: FIREWORKS_API_KEY is not set" in error
        assert datasets.busy is None


async def test_the_providers_refusal_reopens_the_form_with_its_message(
    accepted: Path,
    fake,  # noqa: ANN001
) -> None:
    app = fast_app(accepted)
    async with app.run_test(size=(120, 40)) as pilot:
        datasets = await open_datasets(pilot)
        await write_export(pilot, datasets)
        await pilot.press("u")
        await pilot.pause()
        app.screen.query_one(OptionList).highlighted = 0
        await pilot.press("enter")
        await settle_screens(pilot)

        await pilot.press("f")
        await pilot.pause()
        app.screen.query_one("#lora_rank").value = "12"
        app.screen.query_one("#base_model").value = "qwen3-8b"
        await pilot.press("enter")
        await settle_screens(pilot)
        form = app.screen
        assert isinstance(form, FinetuneForm)
        assert "LoRA rank 12 is not allowed" in form.error
        assert form.query_one("#base_model").value == "qwen3-8b"  # the values are kept

        form.query_one("#lora_rank").value = "16"
        fake.fail(r"/supervisedFineTuningJobs$", method="POST", status=403,
                  payload={"code": 7, "message": "account suspended", "details": []})  # fmt: skip
        await pilot.press("enter")
        await settle_screens(pilot)
        form = app.screen
        assert isinstance(form, FinetuneForm)
        assert "HTTP 403" in form.error and "account suspended" in form.error
        assert list_jobs(datasets.session.conn) == []


def test_jobs_screen_snapshot(snap_compare, workspace: Path, fake) -> None:  # noqa: ANN001
    """A running job at 70%, followed live (the provider keeps it there)."""
    name = f"accounts/{ACCOUNT}/supervisedFineTuningJobs/tc-qwen3-8b-demo"
    resource = {
        "name": name,
        "baseModel": "accounts/fireworks/models/qwen3-8b",
        "dataset": f"accounts/{ACCOUNT}/datasets/tc-all-train-demo",
        "outputModel": f"accounts/{ACCOUNT}/models/tc-qwen3-8b-demo",
    }
    fake.state.jobs[(ACCOUNT, "tc-qwen3-8b-demo")] = ScriptedJob(
        "fireworks", resource, [("JOB_STATE_RUNNING", 70)]
    )
    job = Job(
        provider="fireworks",
        job_id="tc-qwen3-8b-demo",
        name=name,
        state=JobState.RUNNING,
        raw_state="JOB_STATE_RUNNING",
        terminal=False,
        percent=70,
        base_model=resource["baseModel"],
        dataset=resource["dataset"],
        output_model=resource["outputModel"],
    )
    spec = JobSpec(base_model="qwen3-8b", dataset=resource["dataset"], epochs=2, lora_rank=16)
    conn = connect(workspace)
    save_job(conn, job, spec)
    conn.close()

    async def show_jobs(pilot) -> None:  # noqa: ANN001
        screen = await open_jobs(pilot)
        await wait_for(pilot, lambda: fake.calls_to("GET", "tc-qwen3-8b-demo"))
        await pilot.pause(0.1)
        assert screen.query_one(JobsTable).row_count == 1
        assert screen.followed and not screen.poll_errors

    # Real settings (a poll every 5 s): the screen shows what a user sees.
    app = CuratorApp(workspace, CuratorConfig())
    assert snap_compare(app, terminal_size=(120, 40), run_before=show_jobs)
