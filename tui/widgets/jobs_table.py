"""Fine-tuning jobs from the store, newest first: state, a progress bar, deployment, model."""

from __future__ import annotations

from rich.text import Text
from textual.binding import Binding
from textual.message import Message
from textual.widgets import DataTable

from core.providers.records import DeploymentRecord, JobRecord
from core.providers.states import JobState, map_job_state, state_label
from tui.safe import clean_text, line

STATE_STYLES = {
    "succeeded": "bold green",
    "failed": "bold red",
    "cancelled": "yellow",
    "running": "bold cyan",
    "validating": "cyan",
    "queued": "dim",
}
BAR_WIDTH = 10


class JobsTable(DataTable):
    """One row per recorded job; the row key is the job row's id."""

    BINDINGS = [
        Binding("j", "cursor_down", "Down", show=False),
        Binding("k", "cursor_up", "Up", show=False),
    ]

    DEFAULT_CSS = """
    JobsTable { height: 1fr; }
    """

    class Highlighted(Message):
        """The cursor is on another job (None: no jobs)."""

        def __init__(self, job: JobRecord | None) -> None:
            super().__init__()
            self.job = job

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)
        self.jobs: dict[int, JobRecord] = {}

    def on_mount(self) -> None:
        for label in ("job", "state", "progress", "deployment", "provider", "tuned model"):
            self.add_column(label, key=label)

    def show_jobs(self, jobs: list[JobRecord], deployments: list[DeploymentRecord]) -> None:
        """Replace the rows, keeping the cursor on the same job."""
        current = self.current
        deployed = {d.job_row: d for d in reversed(deployments) if d.job_row is not None}
        self.jobs = {job.id: job for job in jobs}
        self.clear()
        for job in jobs:
            deployment = deployed.get(job.id)
            self.add_row(  # provider answers: plain text, never markup (a str cell would be)
                line(job.job_id),
                clean_text(state_text(job)),
                progress_text(job.percent, terminal=job.terminal),
                line(deployment.state if deployment else "—"),
                line(job.provider),
                line(short_model(job.output_model)),
                key=str(job.id),
            )
        if current is not None and current.id in self.jobs:
            self.move_cursor(row=self.get_row_index(str(current.id)))
        self.post_message(self.Highlighted(self.current))

    @property
    def current(self) -> JobRecord | None:
        if not self.jobs or self.cursor_row < 0 or self.cursor_row >= self.row_count:
            return None
        key = self.coordinate_to_cell_key((self.cursor_row, 0)).row_key.value
        return self.jobs.get(int(key)) if key is not None else None

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        event.stop()
        self.post_message(self.Highlighted(self.current))


def state_text(job: JobRecord) -> Text:
    """``running``, or ``running (state X)`` when the provider's state was new to us."""
    _state, _terminal, known = map_job_state(job.provider, job.raw_state)
    label = state_label(JobState(job.state), job.raw_state, known)
    return Text(label, style=STATE_STYLES.get(job.state, ""))


def progress_text(percent: float | None, *, terminal: bool, width: int = BAR_WIDTH) -> Text:
    """``████████░░░░  70%``; dots when the provider reports no figure."""
    if percent is None:
        return Text("·" * width + ("      " if terminal else "   …  "), style="dim")
    filled = max(0, min(width, round(width * percent / 100)))
    text = Text("█" * filled, style="green" if percent >= 100 else "cyan")
    text.append("░" * (width - filled), style="dim")
    text.append(f" {percent:3.0f}%")
    return text


def short_model(model: str | None) -> str:
    """The model's id without the ``accounts/<a>/models/`` prefix."""
    if not model:
        return "—"
    return model.rsplit("/models/", 1)[-1]
