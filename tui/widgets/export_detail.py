"""The highlighted export: where it is, its manifest, its counts, and its uploads per provider."""

from __future__ import annotations

from pathlib import Path

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.containers import VerticalScroll
from textual.widgets import Static

from core.export import ExportRecord
from core.providers.exports import manifest_location
from core.providers.records import UploadRecord
from tui.safe import clean_text, safe_line
from tui.widgets.exports_table import local_time, shown_folder


class ExportDetail(VerticalScroll):
    """Folder, manifest hash, train/held-out per task, and each file's upload and dataset."""

    DEFAULT_CSS = """
    ExportDetail {
        height: 1fr;
        padding: 0 1;
        & > Static { width: 1fr; }
        & > #export-detail-error { color: $error; display: none; }
        & > #export-detail-error.-shown { display: block; }
    }
    """

    def compose(self):
        yield Static(id="export-detail-error", markup=False)
        yield Static(id="export-detail-body")

    def show_error(self, text: str) -> None:
        """The last failure (a missing key, a provider's refusal), above the export."""
        error = self.query_one("#export-detail-error", Static)
        error.update(text)
        error.set_class(bool(text), "-shown")
        self.scroll_home(animate=False)

    def show_export(self, record: ExportRecord | None, uploads: list[UploadRecord]) -> None:
        body = self.query_one("#export-detail-body", Static)
        if record is None:
            body.update(
                Text("No exports yet: set the options above and press w to write one.", style="dim")
            )
            return
        body.update(export_view(record, uploads))


def export_view(record: ExportRecord, uploads: list[UploadRecord]) -> Group:
    facts = Table.grid(padding=(0, 1))
    facts.add_column(style="bold", no_wrap=True)
    facts.add_column(overflow="fold")
    # Paths, task names and provider errors: plain Text (a str cell is markup), controls shown.
    manifest, _ = manifest_location(Path(record.out_dir))  # beside the data in --layout provider
    facts.add_row("Manifest", Text(safe_line(shown_folder(str(manifest)))))
    facts.add_row("Hash", record.manifest_hash)
    facts.add_row(
        "Written",
        f"{local_time(record.created_at)} · seed {record.seed} · {record.selection} · "
        f"{record.provider} checks",
    )
    tasks = record.counts.get("tasks", {})
    if tasks:
        split = "  ".join(
            f"{task} {c.get('train', 0)}+{c.get('heldout', 0)}" for task, c in tasks.items()
        )
        facts.add_row("Examples", Text.assemble(safe_line(split), (" (train+held-out)", "dim")))
        left_out = sum(c.get("heldout_left_out", 0) for c in tasks.values())
        if left_out:
            facts.add_row("Left out", f"{left_out:,} calls of held-out runs, in neither file")
    parts: list[Text | Table] = [facts, Text()]
    if not uploads:
        parts.append(Text("Not uploaded: u uploads it to a provider.", style="dim"))
        return Group(*parts)
    provider = None
    for upload in uploads:
        if upload.provider != provider:
            provider = upload.provider
            parts.append(Text(f"On {provider}", style="bold"))
        parts.append(upload_line(upload))
    if any(u.phase == "ready" and u.split == "train" for u in uploads):
        parts.append(Text("f starts a fine-tune on an uploaded train file.", style="dim"))
    return Group(*parts)


def upload_line(upload: UploadRecord) -> Text:
    """``✓ planning/train.jsonl  uploaded`` and, below, the dataset a job names."""
    if upload.phase == "ready":
        line = Text.assemble(("✓ ", "green"), upload.file_path, (f"  {upload.outcome}", "dim"))
    else:
        line = Text.assemble(("… ", "yellow"), upload.file_path, (f"  {upload.phase}", "yellow"))
        if upload.error:
            line.append(f"  stopped: {upload.error}", style="red")
    if upload.dataset_ref:
        line.append(f"\n  {upload.dataset_ref}", style="dim")
    return clean_text(line)
