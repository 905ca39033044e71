"""What you do with a job on the Jobs screen: cancel it, deploy its model, copy the model id.

A mixin of :class:`~tui.screens.jobs_screen.JobsScreen`. Cancel and deploy ask first (deploy
states the billing plainly) and run ``core.providers.workflow`` in a worker, as ``curator
cancel`` and ``curator deploy`` do.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import work
from textual.message import Message
from textual.worker import get_current_worker

from core.progress import Cancelled
from core.providers.models import Deployment, DeployOptions
from core.providers.registry import open_client
from core.providers.workflow import BILLING_NOTICE, cancel_job, deploy_model
from tui.errors import user_message
from tui.keys import verb
from tui.modals.confirm import Confirm
from tui.widgets.job_detail import eval_model

if TYPE_CHECKING:
    from textual.app import App

    from core.providers.records import DeploymentRecord, JobRecord
    from tui.session import ReviewSession

# Textual only merges BINDINGS of DOM classes, so the screen lists these in its own.
JOB_BINDINGS = [
    verb("c", "copy_model", "Copy model", "eval: Copy the tuned model for an eval"),
    verb("d", "deploy_model", "Deploy", "deploy: Deploy the tuned model…"),
    verb("x", "cancel_job", "Cancel job", "finetune: Cancel the selected job…"),
]


class JobCancelRequested(Message):
    def __init__(self, label: str) -> None:
        super().__init__()
        self.label = label


class DeploymentChanged(Message):
    """A deployment moved to a new state (``done``: ready, or the worker stopped)."""

    def __init__(self, deployment: Deployment | None, *, done: bool, error: str = "") -> None:
        super().__init__()
        self.deployment, self.done, self.error = deployment, done, error


class JobActionFailed(Message):
    def __init__(self, what: str, error: str) -> None:
        super().__init__()
        self.what, self.error = what, error


class JobActions:
    """Keys: ``c`` copy ``provider:model``, ``d`` deploy the model, ``x`` cancel the job."""

    if TYPE_CHECKING:
        session: ReviewSession
        deploying: str | None

        @property
        def app(self) -> App: ...
        def notify(self, message: str, **kwargs: object) -> None: ...
        def post_message(self, message: Message) -> bool: ...
        def current_job(self) -> JobRecord | None: ...
        def deployment_of(self, job: JobRecord | None) -> DeploymentRecord | None: ...
        def show_jobs(self) -> None: ...
        def follow_jobs(self) -> None: ...
        def refresh_bindings(self) -> None: ...
        def _show_status(self) -> None: ...

    def action_copy_model(self) -> None:
        job = self.current_job()
        model = eval_model(job, self.deployment_of(job)) if job else None
        if job is None or model is None:
            return
        self.app.copy_to_clipboard(model)
        note = ""
        if job.provider == "fireworks" and self.deployment_of(job) is None:
            note = "\nNot deployed yet: press d to serve it before an eval."
        self.notify(f"{model}\nPass it to `curator eval`.{note}", title="Copied")

    # --- cancel ---------------------------------------------------------------------------

    def action_cancel_job(self) -> None:
        job = self.current_job()
        if job is None or job.terminal:
            return

        def confirmed(yes: bool | None) -> None:
            if yes:
                self.request_cancel(job)

        body = (
            f"{job.job_id} on {job.provider} is {job.state}. The provider stops training and "
            "keeps no model; a cancelled job cannot be resumed."
        )
        self.app.push_screen(
            Confirm("Cancel this job?", body, "Cancel job", danger=True), confirmed
        )

    @work(thread=True, exclusive=True, group="cancel", exit_on_error=False)
    def request_cancel(self, job: JobRecord) -> None:
        conn = self.session.connect()
        try:
            with open_client(job.provider, self.session.config.providers) as client:
                after = cancel_job(conn, client, job.job_id)
        except Exception as exc:  # reported, not raised: the screen must survive it
            self.post_message(JobActionFailed("Cancel", user_message(exc)))
            return
        finally:
            conn.close()
        self.post_message(JobCancelRequested(f"{after.job_id}: {after.label}"))

    def on_job_cancel_requested(self, message: JobCancelRequested) -> None:
        self.notify(message.label, title="Cancel requested")
        self.show_jobs()
        self.follow_jobs()  # until the provider confirms the cancellation

    # --- deploy ---------------------------------------------------------------------------

    def action_deploy_model(self) -> None:
        job = self.current_job()
        if job is None or not job.output_model or self.deploying:
            return
        model = job.output_model
        options = DeployOptions()
        body = (
            f"{model}\n\nA deployment with min replicas {options.min_replicas} (scale to zero) "
            f"and max {options.max_replicas}."
        )
        if job.provider == "fireworks":
            body += f"\n\n{BILLING_NOTICE}"

        def confirmed(yes: bool | None) -> None:
            if yes:
                self.deploying = model
                self._show_status()
                self.refresh_bindings()
                self.deploy(job, options)

        self.app.push_screen(Confirm(f"Deploy on {job.provider}?", body, "Deploy"), confirmed)

    @work(thread=True, exclusive=True, group="deploy", exit_on_error=False)
    def deploy(self, job: JobRecord, options: DeployOptions) -> None:
        worker = get_current_worker()
        settings = self.session.config.providers
        conn = self.session.connect()
        try:
            with open_client(job.provider, settings) as client:
                deployment = deploy_model(
                    conn,
                    client,
                    job.output_model or "",
                    options,
                    settings,
                    on_update=lambda d: self.post_message(DeploymentChanged(d, done=False)),
                    cancel=worker.cancelled_event,
                )
        except Cancelled:
            self.post_message(DeploymentChanged(None, done=True))
            return
        except Exception as exc:  # reported, not raised: the screen must survive it
            self.post_message(DeploymentChanged(None, done=True, error=user_message(exc)))
            return
        finally:
            conn.close()
        self.post_message(DeploymentChanged(deployment, done=True))

    def on_deployment_changed(self, message: DeploymentChanged) -> None:
        if message.done:
            self.deploying = None
            self.refresh_bindings()
        deployment = message.deployment
        if message.error:
            self.notify(message.error, title="Deploy failed", severity="error", timeout=15)
        elif message.done and deployment is not None:
            text = f"{deployment.provider}:{deployment.inference_model} is {deployment.state}"
            if deployment.message:
                text += f"\n{deployment.message}"
            self.notify(f"{text}\nc copies it for an eval.", title="Deployed")
        self.show_jobs()

    def on_job_action_failed(self, message: JobActionFailed) -> None:
        self.notify(message.error, title=f"{message.what} failed", severity="error", timeout=15)

    def check_job_action(self, action: str) -> bool | None:
        job = self.current_job()
        if action == "copy_model":
            return (job is not None and job.state == "succeeded" and bool(job.output_model)) or None
        if action == "deploy_model":
            ready = job is not None and job.state == "succeeded" and bool(job.output_model)
            return (ready and not self.deploying and self.deployment_of(job) is None) or None
        if action == "cancel_job":
            return (job is not None and not job.terminal) or None
        return True
