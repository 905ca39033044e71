"""The highlighted job: its settings, a progress bar, the tuned model and how to use it."""

from __future__ import annotations

import orjson
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Label, ProgressBar, Static

from core.providers.records import DeploymentRecord, JobRecord
from tui.safe import clean_text, line, plain
from tui.widgets.jobs_table import state_text

SETTING_LABELS = {
    "epochs": "epochs",
    "learning_rate": "learning rate",
    "lora_rank": "LoRA rank",
    "max_context_length": "max context",
    "batch_size": "batch size",
    "display_name": "display name",
}


class JobDetail(VerticalScroll):
    """Job, state with a progress bar, base model, datasets, settings, model, deployment."""

    DEFAULT_CSS = """
    JobDetail {
        height: 1fr;
        padding: 0 1;
        & > #job-progress-row { height: 1; }
        & #job-progress-row > Label { width: 12; text-style: bold; }
        & #job-progress-row > ProgressBar { width: 1fr; }
        & > Static { width: 1fr; }
    }
    """

    def compose(self) -> ComposeResult:
        yield Static(id="job-summary")
        with Horizontal(id="job-progress-row"):
            yield Label("Progress")
            yield ProgressBar(total=100, show_eta=False, id="job-progress")
        yield Static(id="job-body")

    def show_job(self, job: JobRecord | None, deployment: DeploymentRecord | None) -> None:
        summary = self.query_one("#job-summary", Static)
        body = self.query_one("#job-body", Static)
        row = self.query_one("#job-progress-row")
        if job is None:
            summary.update(
                Text("No fine-tuning jobs yet: start one from Datasets (2, f).", style="dim")
            )
            body.update("")
            row.display = False
            return
        summary.update(
            clean_text(Text.assemble(("Job ", "bold"), job.job_id, "  ", state_text(job)))
        )
        bar = self.query_one("#job-progress", ProgressBar)
        row.display = job.percent is not None or not job.terminal
        if job.percent is not None:
            bar.update(total=100, progress=job.percent)
        elif not job.terminal:
            bar.update(total=None)
        body.update(job_table(job, deployment))


def job_table(job: JobRecord, deployment: DeploymentRecord | None) -> Table:
    table = Table.grid(padding=(0, 1))
    table.add_column(style="bold", width=11, no_wrap=True)
    table.add_column(overflow="fold")
    # Provider answers: plain Text (a str cell is read as markup), controls made visible.
    table.add_row("Provider", line(job.provider))
    table.add_row("Base model", line(job.base_model or "—"))
    table.add_row("Dataset", line(job.dataset_ref or "—"))
    table.add_row("Eval data", line(job.eval_dataset_ref or "—"))
    table.add_row("Settings", line(settings_text(job.spec)))
    if job.error:
        table.add_row(Text("Error", style="bold red"), plain(job.error, style="red"))
    if job.output_model:
        table.add_row("Model", clean_text(model_text(job, deployment)))
    return table


def settings_text(spec_json: str) -> str:
    """``epochs 2 · LoRA rank 8`` from the stored spec; unset fields used provider defaults."""
    try:
        spec = orjson.loads(spec_json or "{}")
    except orjson.JSONDecodeError:
        return "—"
    parts = [f"{label} {spec[key]}" for key, label in SETTING_LABELS.items() if spec.get(key)]
    return " · ".join(parts) if parts else "provider defaults"


def eval_model(job: JobRecord, deployment: DeploymentRecord | None) -> str | None:
    """What ``curator eval`` takes for this job's model: ``fireworks:<model>``."""
    model = deployment.inference_model if deployment else job.output_model
    return f"{job.provider}:{model}" if model else None


def model_text(job: JobRecord, deployment: DeploymentRecord | None) -> Text:
    text = Text(job.output_model or "")
    if job.state != "succeeded":
        text.append("\nready when the job succeeds", style="dim")
        return text
    if deployment is not None:
        text.append(f"\ndeployment {deployment.deployment_id or '—'}: {deployment.state}")
    elif job.provider == "fireworks":
        text.append(
            "\nnot deployed: d deploys it (billed per GPU-second while a replica runs)",
            style="yellow",
        )
    text.append(f"\nc copies {eval_model(job, deployment)} for an eval", style="dim")
    return text
