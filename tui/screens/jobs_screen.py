"""The Jobs screen: fine-tuning jobs with live state and progress, cancel, deploy, copy model.

While the screen is shown, one worker per provider follows the unfinished jobs with
``watch_jobs`` (every ``[providers] poll_interval_seconds``), which records each change in the
store; the screen repaints from the store. Leaving the screen stops the polling.
"""

from __future__ import annotations

from functools import partial

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Static
from textual.worker import get_current_worker

from core.progress import Cancelled
from core.providers.records import DeploymentRecord, JobRecord, list_deployments, list_jobs
from core.providers.registry import open_client
from core.providers.workflow import watch_jobs
from tui.errors import user_message
from tui.keys import verb
from tui.navigation import JOBS
from tui.screens.job_actions import JOB_BINDINGS, JobActions
from tui.screens.quick_resume import QuickResume
from tui.session import ReviewSession
from tui.widgets.job_detail import JobDetail
from tui.widgets.jobs_table import JobsTable
from tui.widgets.screen_header import ScreenHeader
from tui.widgets.steady_footer import SteadyFooter

POLL_GROUP = "poll-"


def plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


class JobsScreen(QuickResume, JobActions, Screen[None]):
    """Every fine-tuning job this workspace started, followed live."""

    TITLE = "Jobs"

    BINDINGS = [
        *JOB_BINDINGS,
        verb("r", "refresh_jobs", "Refresh", "finetune: Refresh the jobs now", show=False),
    ]

    class JobsChanged(Message):
        """A followed job changed (already in the store), or a provider's polling ended."""

    class PollFailed(Message):
        def __init__(self, provider: str, error: str) -> None:
            super().__init__()
            self.provider, self.error = provider, error

    def __init__(self, session: ReviewSession) -> None:
        super().__init__()
        self.session = session
        self.jobs: list[JobRecord] = []
        self.deployments: list[DeploymentRecord] = []
        self.followed: dict[str, tuple[str, ...]] = {}  # provider → job ids being polled
        self.poll_errors: dict[str, str] = {}
        self.deploying: str | None = None  # the model being deployed

    def compose(self) -> ComposeResult:
        yield ScreenHeader(tab=JOBS.mode, id="jobs-header")
        table = JobsTable(id="jobs")
        table.border_title = "Fine-tuning jobs"
        yield table
        yield Static(id="jobs-status")
        detail = JobDetail(id="job-detail")
        detail.border_title = "Selected job"
        yield detail
        yield SteadyFooter()

    def on_mount(self) -> None:
        self.query_one(JobsTable).focus()

    def on_screen_resume(self) -> None:
        self.show_jobs()
        self.follow_jobs()

    def on_screen_suspend(self) -> None:
        if self.app.current_mode != JOBS.mode:  # left the screen (not just a dialog on top)
            self.stop_following()

    # --- the list -------------------------------------------------------------------------

    def show_jobs(self) -> None:
        """Repaint from the store (a few rows: the UI thread's connection)."""
        self.jobs = list_jobs(self.session.conn)
        self.deployments = list_deployments(self.session.conn)
        self.query_one(JobsTable).show_jobs(self.jobs, self.deployments)
        self._show_status()

    @on(JobsTable.Highlighted)
    def _job_highlighted(self, event: JobsTable.Highlighted) -> None:
        self.query_one(JobDetail).show_job(event.job, self.deployment_of(event.job))
        self.refresh_bindings()

    def current_job(self) -> JobRecord | None:
        return self.query_one(JobsTable).current

    def deployment_of(self, job: JobRecord | None) -> DeploymentRecord | None:
        if job is None:
            return None
        return next((d for d in self.deployments if d.job_row == job.id), None)

    def _show_status(self) -> None:
        parts: list[Text] = []
        followed = sum(len(ids) for ids in self.followed.values())
        if followed:
            every = f"{self.session.config.providers.poll_interval_seconds:g}"
            parts.append(
                Text(f" following {plural(followed, 'job')} live · polled every {every} s")
            )
        for error in self.poll_errors.values():
            parts.append(Text(f" {error} (r retries)", style="bold red"))
        if self.deploying:
            parts.append(Text(f" deploying {self.deploying}…", style="yellow"))
        if not parts:
            parts.append(Text(" no unfinished jobs", style="dim"))
        self.query_one("#jobs-status", Static).update(Text("\n").join(parts))
        running = sum(not job.terminal for job in self.jobs)
        count = f"  {plural(len(self.jobs), 'job')}, {running} unfinished" if self.jobs else ""
        self.query_one(ScreenHeader).show_status(Text(count, style="dim"))

    # --- polling --------------------------------------------------------------------------

    def follow_jobs(self) -> None:
        """Poll every unfinished job, one worker per provider, unless already followed."""
        pending: dict[str, list[str]] = {}
        for job in self.jobs:
            if not job.terminal:
                pending.setdefault(job.provider, []).append(job.job_id)
        for provider, job_ids in pending.items():
            ids = tuple(job_ids)
            if self.followed.get(provider) == ids or provider in self.poll_errors:
                continue
            self.followed[provider] = ids
            self.run_worker(
                partial(self.poll_provider, provider, list(ids)),
                thread=True,
                exclusive=True,
                group=f"{POLL_GROUP}{provider}",
                exit_on_error=False,
            )
        self._show_status()

    def stop_following(self) -> None:
        for provider in list(self.followed):
            self.workers.cancel_group(self, f"{POLL_GROUP}{provider}")
        self.followed.clear()

    def poll_provider(self, provider: str, job_ids: list[str]) -> None:
        """Worker: follow ``job_ids`` on one provider until they end or the screen is left."""
        worker = get_current_worker()
        settings = self.session.config.providers
        conn = self.session.connect()
        try:
            with open_client(provider, settings) as client:
                watch_jobs(
                    conn,
                    client,
                    job_ids,
                    settings,
                    on_update=lambda _job: self.post_message(self.JobsChanged()),
                    cancel=worker.cancelled_event,
                )
        except Cancelled:
            return
        except Exception as exc:  # reported, not raised: the screen must survive it
            self.post_message(self.PollFailed(provider, user_message(exc)))
            return
        finally:
            conn.close()
        self.post_message(self.JobsChanged())

    @on(JobsChanged)
    def _jobs_changed(self) -> None:
        self.show_jobs()
        # Forget providers whose followed jobs have all ended; follow jobs started since.
        for provider, ids in list(self.followed.items()):
            ended = {job.job_id for job in self.jobs if job.provider == provider and job.terminal}
            if set(ids) <= ended:
                del self.followed[provider]
        self.follow_jobs()

    @on(PollFailed)
    def _poll_failed(self, message: PollFailed) -> None:
        self.followed.pop(message.provider, None)
        self.poll_errors[message.provider] = message.error
        self.notify(message.error, title="Polling stopped", severity="error", timeout=15)
        self._show_status()

    def action_refresh_jobs(self) -> None:
        self.poll_errors.clear()
        self.stop_following()
        self.show_jobs()
        self.follow_jobs()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if not self.is_mounted:
            return None
        return self.check_job_action(action)
