"""What the eval form offers, read from the workspace store: past exports' folders as held-out
sets, models tuned by recorded jobs (and their deployments) and config profiles as models, and
the past evals to reopen. Called from a thread worker, with that thread's own connection."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from textual.message import Message

from core.config import CuratorConfig
from core.eval.runner import list_evals
from core.eval.specs import GOLD
from core.eval.store import StoredRun
from core.export.history import ExportRecord, list_exports
from core.providers.records import DeploymentRecord, JobRecord, list_deployments, list_jobs
from core.store.db import StoreError, connect
from tui.modals.choice_picker import Choice
from tui.widgets.eval_render import shown_path


class ChoicesLoaded(Message):
    def __init__(self, exports: list[Choice], models: list[Choice], runs: list[StoredRun]) -> None:
        super().__init__()
        self.exports, self.models, self.runs = exports, models, runs


def read_choices(workspace: Path, config: CuratorConfig) -> ChoicesLoaded:
    """Everything the form and the past-evals list offer; empty lists when the store fails."""
    try:
        runs = list_evals(workspace)
        conn = connect(workspace)
        try:
            exports = list_exports(conn)
            jobs = list_jobs(conn)
            deployments = list_deployments(conn)
        finally:
            conn.close()
    except (sqlite3.Error, StoreError, OSError):
        return ChoicesLoaded([], model_choices(config, [], []), [])
    return ChoicesLoaded(export_choices(exports), model_choices(config, jobs, deployments), runs)


def export_choices(exports: list[ExportRecord]) -> list[Choice]:
    """Each past export folder that still exists, newest first, once."""
    choices: list[Choice] = []
    seen: set[str] = set()
    for export in exports:
        if export.out_dir in seen or not Path(export.out_dir).is_dir():
            continue
        seen.add(export.out_dir)
        note = (
            f"{export.created_at[:16].replace('T', ' ')} · {export.examples} examples · "
            f"export {export.manifest_hash[:12]}"
        )
        choices.append(Choice(shown_path(export.out_dir), note))
    return choices


def model_choices(
    config: CuratorConfig, jobs: list[JobRecord], deployments: list[DeploymentRecord]
) -> list[Choice]:
    """Tuned models (deployed ones first), then config profiles, then ``gold``."""
    choices: list[Choice] = []
    jobs_by_row = {job.id: job for job in jobs}
    for deployment in deployments:
        job = jobs_by_row.get(deployment.job_row) if deployment.job_row is not None else None
        note = f"deployment {deployment.deployment_id} · {deployment.state}"
        if job is not None:
            note += f" · job {job.job_id}"
        choices.append(
            Choice(
                f"{deployment.provider}:{deployment.inference_model}",
                note,
                job.job_id if job else None,
            )
        )
    for job in jobs:
        if job.output_model:
            note = f"tuned by job {job.job_id} · {job.state} · base {job.base_model}"
            choices.append(Choice(f"{job.provider}:{job.output_model}", note, job.job_id))
    for name, profile in config.models.items():
        choices.append(Choice(name, f"[models.{name}] profile · {profile.model}"))
    choices.append(Choice(GOLD, "replays the held-out answers: the upper bound"))
    unique: dict[str, Choice] = {}
    for choice in choices:
        unique.setdefault(choice.value, choice)
    return list(unique.values())
