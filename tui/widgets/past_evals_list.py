"""Past evals from the workspace store, newest first; enter reopens one (re-scored, no requests)."""

from __future__ import annotations

from rich.text import Text
from textual.message import Message
from textual.widgets import DataTable

from core.eval.store import StoredRun
from tui.widgets.eval_render import shown_path

STATUS_STYLES = {"done": "green", "running": "yellow", "cancelled": "yellow", "failed": "red"}


class PastEvalsList(DataTable[Text]):
    """``#  status  when  candidate  baseline  held-out``; the row key is the eval id."""

    DEFAULT_CSS = """
    PastEvalsList { height: 1fr; }
    """

    class ReopenRequested(Message):
        def __init__(self, run: StoredRun) -> None:
            super().__init__()
            self.run = run

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)
        self.runs: list[StoredRun] = []

    def on_mount(self) -> None:
        for label in ("#", "status", "when", "candidate", "baseline", "held-out"):
            self.add_column(label, key=label)

    def show(self, runs: list[StoredRun]) -> None:
        """Replace the rows, keeping the cursor on the same eval when it is still listed."""
        current = self.current_run()
        self.clear()
        self.runs = runs
        for run in runs:
            self.add_row(
                Text(str(run.eval_id), justify="right"),
                Text(run.status, style=STATUS_STYLES.get(run.status, "")),
                Text(_when(run.created_at), style="dim"),
                Text(str(run.candidate.get("spec", "?")), style="cyan"),
                Text(str(run.baseline.get("spec", "?")), style="magenta"),
                Text(shown_path(run.heldout_dir), style="dim"),
                key=str(run.eval_id),
            )
        if current is not None:
            index = next((i for i, r in enumerate(runs) if r.eval_id == current.eval_id), 0)
            self.move_cursor(row=index)

    def current_run(self) -> StoredRun | None:
        if not self.runs or not 0 <= self.cursor_row < len(self.runs):
            return None
        return self.runs[self.cursor_row]

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        run = self.current_run()
        if run is not None:
            self.post_message(self.ReopenRequested(run))


def _when(created_at: str) -> str:
    """``2025-03-02 14:05`` from the store's ISO time (UTC)."""
    return created_at[:16].replace("T", " ")
