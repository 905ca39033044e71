"""Uploading the highlighted export and starting a fine-tune on it, from the Datasets screen.

A mixin of :class:`~tui.screens.datasets_screen.DatasetsScreen`. The workers call the same
``core.providers.workflow`` functions as ``curator upload`` and ``curator finetune``; a started
job switches the app to the Jobs screen, which follows it.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from textual import work
from textual.message import Message
from textual.worker import get_current_worker

from core.export import ExportRecord
from core.progress import Cancelled
from core.providers.models import Job
from core.providers.records import UploadRecord, list_jobs, list_uploads
from core.providers.registry import DEFAULT_PROVIDER, open_client
from core.providers.workflow import UploadedFile, start_finetune, upload_export
from tui.errors import user_message
from tui.keys import verb
from tui.modals.finetune_form import FinetuneForm, FinetuneRequest
from tui.modals.upload_picker import UploadChoice, UploadPicker
from tui.navigation import JOBS
from tui.provider_client import provider_problems
from tui.widgets.exports_table import shown_folder

if TYPE_CHECKING:
    from textual.app import App

    from tui.progress_relay import ProgressRelay
    from tui.session import ReviewSession

# Textual only merges BINDINGS of DOM classes, so the screen lists these in its own.
UPLOAD_BINDINGS = [
    verb("u", "upload_export", "Upload", "upload: Upload the selected export…"),
    verb("f", "finetune", "Fine-tune", "finetune: Start a fine-tune on the selected export…"),
]


class WorkProgressed(Message):
    """Long work (write, upload) moved on; coalesced by a :class:`ProgressRelay`."""

    def __init__(self, done: int, total: int, detail: str) -> None:
        super().__init__()
        self.done, self.total, self.detail = done, total, detail


class WorkFailed(Message):
    def __init__(self, what: str, error: str) -> None:
        super().__init__()
        self.what, self.error = what, error


class UploadsFinished(Message):
    """Every file of an export is on the provider (uploaded, resumed or reused)."""

    def __init__(self, record: ExportRecord, uploaded: list[UploadedFile]) -> None:
        super().__init__()
        self.record, self.uploaded = record, uploaded


class JobStarted(Message):
    def __init__(self, job: Job) -> None:
        super().__init__()
        self.job = job


class FinetuneRefused(Message):
    """The job was not created; the form reopens with the reason."""

    def __init__(self, request: FinetuneRequest, error: str) -> None:
        super().__init__()
        self.request, self.error = request, error


class UploadActions:
    """Keys: ``u`` upload the highlighted export, ``f`` start a fine-tune on its uploads."""

    if TYPE_CHECKING:
        session: ReviewSession
        busy: str | None

        @property
        def app(self) -> App: ...
        def notify(self, message: str, **kwargs: object) -> None: ...
        def post_message(self, message: Message) -> bool: ...
        def start_work(self, what: str) -> None: ...
        def finish_work(self) -> None: ...
        def work_relay(self) -> ProgressRelay: ...
        def show_exports(self) -> None: ...
        def current_export(self) -> ExportRecord | None: ...

    def ready_uploads(self, record: ExportRecord) -> list[UploadRecord]:
        """This export's files that are ready on a provider, newest first."""
        return [
            u
            for u in list_uploads(self.session.conn)
            if u.manifest_hash == record.manifest_hash and u.phase == "ready" and u.dataset_ref
        ]

    # --- upload ---------------------------------------------------------------------------

    def action_upload_export(self) -> None:
        record = self.current_export()
        if record is None or self.busy:
            return
        problems = provider_problems(self.session.config.providers)
        default = record.provider if record.provider in problems else DEFAULT_PROVIDER
        picker = UploadPicker(shown_folder(record.out_dir), problems, default)

        def chosen(choice: UploadChoice | None) -> None:
            if choice is not None:
                self.start_work(f"Uploading to {choice.provider}")
                self.upload_files(record, choice)

        self.app.push_screen(picker, chosen)

    @work(thread=True, exclusive=True, group="long", exit_on_error=False)
    def upload_files(self, record: ExportRecord, choice: UploadChoice) -> None:
        worker = get_current_worker()
        conn = self.session.connect()
        try:
            with open_client(choice.provider, self.session.config.providers) as client:
                uploaded = upload_export(
                    conn,
                    client,
                    Path(record.out_dir),
                    heldout=choice.heldout,
                    progress=self.work_relay(),
                    cancel=worker.cancelled_event,
                )
        except Cancelled:
            self.post_message(WorkFailed("Upload", "cancelled; upload again to resume"))
            return
        except Exception as exc:  # reported, not raised: the screen must survive it
            self.post_message(WorkFailed("Upload", user_message(exc)))
            return
        finally:
            conn.close()
        self.post_message(UploadsFinished(record, uploaded))

    def on_uploads_finished(self, message: UploadsFinished) -> None:
        self.finish_work()
        outcomes: dict[str, int] = {}
        for item in message.uploaded:
            outcomes[item.outcome] = outcomes.get(item.outcome, 0) + 1
        summary = ", ".join(f"{count} {outcome}" for outcome, count in sorted(outcomes.items()))
        provider = message.uploaded[0].provider if message.uploaded else ""
        self.notify(f"{summary} on {provider} · f starts a fine-tune", title="Upload done")
        self.show_exports()

    # --- fine-tune ------------------------------------------------------------------------

    def action_finetune(self) -> None:
        record = self.current_export()
        if record is None or self.busy:
            return
        uploads = self.ready_uploads(record)
        if not uploads:
            self.notify("Upload this export first (u).", severity="warning")
            return
        provider = uploads[0].provider
        mine = [u for u in uploads if u.provider == provider]
        train = [u for u in mine if u.split == "train"]
        if not train:
            self.notify("Only held-out files are uploaded; upload the train files (u).")
            return
        # One model for every task wants the combined file; else the largest task's.
        dataset = next((u for u in train if u.task == "all"), max(train, key=lambda u: u.examples))
        held_out = next((u for u in mine if u.split == "heldout" and u.task == dataset.task), None)
        last_job = next((j for j in list_jobs(self.session.conn, provider)), None)
        values = {
            "base_model": last_job.base_model if last_job else "",
            "dataset": dataset.dataset_ref,
            "eval_dataset": held_out.dataset_ref if held_out else "",
        }
        note = ""
        if dataset.task != "all":
            note = (
                f"Prefilled with {dataset.file_path}; for one model over every task, export "
                "with Combine and upload that."
            )
        self.open_finetune_form(provider, values, [u.dataset_ref for u in mine], note=note)

    def open_finetune_form(
        self,
        provider: str,
        values: dict[str, str],
        datasets: list[str],
        *,
        error: str = "",
        note: str = "",
    ) -> None:
        def chosen(request: FinetuneRequest | None) -> None:
            if request is not None:
                self.start_work(f"Starting a fine-tune on {request.provider}")
                self.start_job(request)

        form = FinetuneForm(provider, values, datasets, error=error, note=note)
        self.app.push_screen(form, chosen)

    @work(thread=True, exclusive=True, group="long", exit_on_error=False)
    def start_job(self, request: FinetuneRequest) -> None:
        conn = self.session.connect()
        try:
            with open_client(request.provider, self.session.config.providers) as client:
                job = start_finetune(conn, client, request.spec)
        except Exception as exc:  # reported, not raised: the form shows it
            self.post_message(FinetuneRefused(request, user_message(exc)))
            return
        finally:
            conn.close()
        self.post_message(JobStarted(job))

    def on_finetune_refused(self, message: FinetuneRefused) -> None:
        self.finish_work()
        request = message.request
        record = self.current_export()
        uploads = self.ready_uploads(record) if record else []
        datasets = [u.dataset_ref for u in uploads if u.provider == request.provider]
        self.open_finetune_form(request.provider, request.values, datasets, error=message.error)

    def on_job_started(self, message: JobStarted) -> None:
        self.finish_work()
        job = message.job
        self.notify(f"{job.job_id} on {job.provider}: {job.label}", title="Fine-tune started")
        self.app.switch_mode(JOBS.mode)

    def check_upload_action(self, action: str) -> bool | None:
        if action in ("upload_export", "finetune"):
            record = self.current_export()
            if record is None or self.busy:
                return None
            if action == "finetune":
                return bool(self.ready_uploads(record)) or None
        return True
