"""The Datasets screen: export options, a live preview of the counts, writing, past exports.

Every option change re-computes the preview in a worker (debounced); ``w`` writes the previewed
plan after a confirmation, with a progress bar. Uploading and fine-tuning the highlighted export
live in :class:`~tui.screens.dataset_uploads.UploadActions`.
"""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.timer import Timer
from textual.worker import get_current_worker

from core.check.run import corpus_roots
from core.export import (
    ExportError,
    ExportPlan,
    ExportRecord,
    ExportResult,
    list_exports,
    preview_export,
)
from core.export import write_export as write_plan
from core.export.layout import check_out_dir
from core.export.selection import store_mark
from core.progress import Cancelled
from core.providers.records import list_uploads
from tui.errors import user_message
from tui.keys import verb
from tui.modals.confirm import Confirm
from tui.navigation import DATASETS
from tui.progress_relay import ProgressRelay
from tui.screens.dataset_uploads import (
    UPLOAD_BINDINGS,
    UploadActions,
    WorkFailed,
    WorkProgressed,
)
from tui.screens.quick_resume import QuickResume
from tui.session import ReviewSession
from tui.widgets.export_detail import ExportDetail
from tui.widgets.export_form import ExportChoice, ExportForm
from tui.widgets.export_preview import ExportPreview
from tui.widgets.exports_table import ExportsTable, shown_folder
from tui.widgets.screen_header import ScreenHeader
from tui.widgets.steady_footer import SteadyFooter
from tui.widgets.work_progress import WorkProgress

DEBOUNCE_SECONDS = 0.3


def next_out_dir(base: Path) -> str:
    """``datasets/v1``, or the first ``datasets/vN`` under ``base`` that does not exist yet."""
    number = 1
    while (base / "datasets" / f"v{number}").exists():
        number += 1
    return f"datasets/v{number}"


class DatasetsScreen(QuickResume, UploadActions, Screen[None]):
    """Build datasets from the reviewed corpus, then upload and fine-tune them."""

    TITLE = "Datasets"
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]

    BINDINGS = [
        verb("w", "write_export", "Write", "export: Write the dataset…"),
        *UPLOAD_BINDINGS,
        verb("o", "edit_options", "Options", "export: Edit the export options", show=False),
        verb("escape", "cancel_work", "Cancel", "export: Cancel the running work"),
    ]

    class PreviewProgressed(Message):
        def __init__(self, done: int, total: int) -> None:
            super().__init__()
            self.done, self.total = done, total

    class PreviewReady(Message):
        def __init__(self, choice: ExportChoice, plan: ExportPlan, problem: str | None) -> None:
            super().__init__()
            self.choice, self.plan, self.problem = choice, plan, problem

    class PreviewFailed(Message):
        def __init__(self, choice: ExportChoice, error: str) -> None:
            super().__init__()
            self.choice, self.error = choice, error

    class ExportWritten(Message):
        def __init__(self, result: ExportResult) -> None:
            super().__init__()
            self.result = result

    def __init__(self, session: ReviewSession) -> None:
        super().__init__()
        self.session = session
        self.proposed_out_dir = next_out_dir(Path.cwd())
        self.choice: ExportChoice | None = None
        self.previewed: ExportChoice | None = None  # what the shown plan was computed for
        self.busy: str | None = None  # "Writing", "Uploading"... while long work runs
        self._preview_timer: Timer | None = None

    def compose(self) -> ComposeResult:
        yield ScreenHeader(tab=DATASETS.mode, id="ds-header")
        with Horizontal(id="ds-top"):
            with VerticalScroll(id="form-pane") as pane:
                pane.border_title = "Export options"
                yield ExportForm(self.proposed_out_dir, id="export-form")
            preview = ExportPreview(id="preview")
            preview.border_title = "Preview"
            yield preview
        yield WorkProgress(id="ds-work")
        with Horizontal(id="ds-bottom"):
            table = ExportsTable(id="exports")
            table.border_title = "Exports"
            yield table
            detail = ExportDetail(id="export-detail")
            detail.border_title = "Selected export"
            yield detail
        yield SteadyFooter()

    def on_mount(self) -> None:
        self.show_exports()
        self.query_one(ExportsTable).focus()
        self.choice = self.query_one(ExportForm).choice
        if self.choice is not None:
            self.compute_preview(self.choice)

    def on_screen_resume(self) -> None:
        # Decisions made on the Review screen change what an export selects.
        plan = self.query_one(ExportPreview).plan
        if plan is not None and self.choice is not None and self.busy is None:
            if store_mark(self.session.conn) != plan.store_mark:
                self.compute_preview(self.choice)
        self.show_exports()

    # --- preview --------------------------------------------------------------------------

    @on(ExportForm.Changed)
    def _options_changed(self, event: ExportForm.Changed) -> None:
        self.choice = event.choice
        if self._preview_timer is not None:
            self._preview_timer.stop()
        self._set_preview_title("Preview · waiting for valid options" if not event.choice else "")
        if event.choice is not None:
            choice = event.choice
            self._preview_timer = self.set_timer(
                DEBOUNCE_SECONDS, lambda: self.compute_preview(choice)
            )
        self.refresh_bindings()

    @on(ExportForm.Left)
    def _form_left(self) -> None:
        self.query_one(ExportsTable).focus()

    @work(thread=True, exclusive=True, group="preview", exit_on_error=False)
    def compute_preview(self, choice: ExportChoice) -> None:
        worker = get_current_worker()
        relay = ProgressRelay(
            lambda done, total, _: self.post_message(self.PreviewProgressed(done, total))
        )
        self.post_message(self.PreviewProgressed(0, 0))
        conn = self.session.connect()
        try:
            plan = preview_export(
                conn,
                self.session.config,
                choice.options,
                progress=relay,
                cancel=worker.cancelled_event,
            )
            problem = None
            try:  # the CLI's check, before anything long: is the folder safe to replace?
                out_dir = Path(choice.out_dir).resolve()
                check_out_dir(out_dir, choice.options.layout, corpus_roots(conn))
            except ExportError as exc:
                problem = str(exc)
        except Cancelled:
            return
        except Exception as exc:  # reported, not raised: the screen must survive it
            self.post_message(self.PreviewFailed(choice, user_message(exc)))
            return
        finally:
            conn.close()
        if not worker.is_cancelled:
            self.post_message(self.PreviewReady(choice, plan, problem))

    @on(PreviewProgressed)
    def _preview_progressed(self, message: PreviewProgressed) -> None:
        share = f" {message.done / message.total:.0%}" if message.total else ""
        self._set_preview_title(f"Preview · updating{share}…")

    @on(PreviewReady)
    def _preview_ready(self, message: PreviewReady) -> None:
        if message.choice != self.choice:
            return  # the options moved on; a newer preview is coming
        self.previewed = message.choice
        self.query_one(ExportPreview).show_plan(message.plan, message.problem)
        self._set_preview_title("")
        self.refresh_bindings()

    @on(PreviewFailed)
    def _preview_failed(self, message: PreviewFailed) -> None:
        if message.choice == self.choice:
            self.previewed = None
            self.query_one(ExportPreview).show_message(message.error, error=True)
            self._set_preview_title("Preview · failed")
            self.refresh_bindings()

    def _set_preview_title(self, title: str) -> None:
        preview = self.query_one(ExportPreview)
        plan = preview.plan
        if not title and plan is not None:
            title = f"Preview · {plan.options.provider} checks · {plan.options.include}"
        preview.border_title = title or "Preview"

    def current_plan(self) -> ExportPlan | None:
        """The shown plan when it matches the options and nothing blocks writing it."""
        preview = self.query_one(ExportPreview)
        plan = preview.plan
        if plan is None or self.previewed != self.choice or self.choice is None:
            return None
        return plan if plan.ok and preview.problem is None else None

    # --- write ----------------------------------------------------------------------------

    def action_write_export(self) -> None:
        plan, choice = self.current_plan(), self.choice
        if plan is None or choice is None or self.busy:
            return
        examples = sum(c.train + c.heldout for c in plan.tasks.values())
        target = Path(choice.out_dir).resolve()
        body = f"{examples:,} examples of {len(plan.tasks)} tasks, with a manifest, to\n{target}"
        if target.exists():
            body += "\n\nThe export already in that folder is replaced."

        def confirmed(yes: bool | None) -> None:
            if yes:
                self.start_work("Writing")
                self.write_export(plan, target)

        self.app.push_screen(Confirm("Write this export?", body, "Write"), confirmed)

    @work(thread=True, exclusive=True, group="long", exit_on_error=False)
    def write_export(self, plan: ExportPlan, target: Path) -> None:
        worker = get_current_worker()
        conn = self.session.connect()
        try:
            result = write_plan(
                conn, plan, target, progress=self.work_relay(), cancel=worker.cancelled_event
            )
        except Cancelled:
            self.post_message(WorkFailed("Write", "cancelled: nothing was written"))
            return
        except Exception as exc:  # reported, not raised: the screen must survive it
            self.post_message(WorkFailed("Write", user_message(exc)))
            return
        finally:
            conn.close()
        self.post_message(self.ExportWritten(result))

    @on(ExportWritten)
    def _export_written(self, message: ExportWritten) -> None:
        result = message.result
        self.finish_work()
        manifest = result.out_dir / "manifest.json"
        examples = result.manifest["totals"]["examples"]
        self.notify(
            f"{examples:,} examples · manifest {shown_folder(str(manifest))} · hash "
            f"{result.manifest_hash[:16]}",
            title="Export written",
        )
        form = self.query_one(ExportForm)
        if form.out_dir == self.proposed_out_dir:  # still ours: propose the next free folder
            self.proposed_out_dir = next_out_dir(Path.cwd())
            form.out_dir = self.proposed_out_dir
        table = self.query_one(ExportsTable)
        self.show_exports()
        table.move_cursor(row=0)

    # --- long work: one at a time, with a progress line and escape to cancel ----------------

    def start_work(self, what: str) -> None:
        self.busy = what
        self.query_one(WorkProgress).start(what)
        self.query_one(ExportDetail).show_error("")
        self.refresh_bindings()

    def finish_work(self) -> None:
        self.busy = None
        self.query_one(WorkProgress).stop()
        self.refresh_bindings()

    def work_relay(self) -> ProgressRelay:
        """A progress callback for a worker: posts :class:`WorkProgressed` a few times a second."""
        return ProgressRelay(
            lambda done, total, detail: self.post_message(WorkProgressed(done, total, detail))
        )

    @on(WorkProgressed)
    def _work_progressed(self, message: WorkProgressed) -> None:
        if self.busy is not None:
            self.query_one(WorkProgress).advance(message.done, message.total, message.detail)

    @on(WorkFailed)
    def _work_failed(self, message: WorkFailed) -> None:
        self.finish_work()
        self.notify(message.error, title=f"{message.what} failed", severity="error", timeout=15)
        self.query_one(ExportDetail).show_error(f"{message.what} failed: {message.error}")
        if message.what == "Write" and self.choice is not None:
            self.compute_preview(self.choice)  # the store may have moved on since the preview

    def action_cancel_work(self) -> None:
        self.workers.cancel_group(self, "long")

    # --- the exports list -----------------------------------------------------------------

    def show_exports(self) -> None:
        """Reload the exports and their uploads from the store (a few rows: UI thread)."""
        conn = self.session.conn
        records = list_exports(conn)
        uploads = list_uploads(conn)
        uploaded: dict[str, list[str]] = {}
        for upload in reversed(uploads):
            providers = uploaded.setdefault(upload.manifest_hash, [])
            if upload.phase == "ready" and upload.provider not in providers:
                providers.append(upload.provider)
        self.query_one(ExportsTable).show_exports(records, uploaded)
        noun = "export" if len(records) == 1 else "exports"
        self.query_one(ScreenHeader).show_status(Text(f"  {len(records)} {noun}", style="dim"))
        self._show_detail()

    @on(ExportsTable.Highlighted)
    def _export_highlighted(self, event: ExportsTable.Highlighted) -> None:
        self._show_detail()
        self.refresh_bindings()

    def _show_detail(self) -> None:
        record = self.query_one(ExportsTable).current
        uploads = []
        if record is not None:
            uploads = [
                u
                for u in list_uploads(self.session.conn)
                if u.manifest_hash == record.manifest_hash
            ]
            uploads.sort(key=lambda u: (u.provider, u.split != "train", u.file_path))
        self.query_one(ExportDetail).show_export(record, uploads)

    def current_export(self) -> ExportRecord | None:
        return self.query_one(ExportsTable).current

    def action_edit_options(self) -> None:
        self.query_one(ExportForm).query_one("#out_dir").focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if not self.is_mounted:
            return None
        if action == "write_export":
            return (self.busy is None and self.current_plan() is not None) or None
        if action == "cancel_work":
            return self.busy is not None
        return self.check_upload_action(action)
