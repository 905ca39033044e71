"""``curator jobs [JOB ...] [--watch] [--json]``: fine-tuning jobs, their state and progress."""

from __future__ import annotations

import argparse
import sqlite3
import sys
from contextlib import ExitStack

from core.cli.exit_codes import ExitCode
from core.cli.output import print_json, print_warning
from core.cli.provider_common import (
    add_common_options,
    open_store,
    progress_bar,
    provider_settings,
    reports_errors,
)
from core.providers import records
from core.providers.base import Provider
from core.providers.credentials import KEY_VARIABLES, CredentialsError
from core.providers.models import Job
from core.providers.registry import DEFAULT_PROVIDER, open_client
from core.providers.settings import ProviderSettings
from core.providers.states import JobState
from core.providers.workflow import refresh_jobs, watch_jobs
from core.textsafe import safe_line


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``jobs`` command."""
    parser = subparsers.add_parser(
        "jobs",
        help="list fine-tuning jobs, or follow them with --watch",
        description="Without JOB, list the jobs on the provider account (every page). With "
        "--watch, follow the unfinished ones until they end; exit 1 if one failed.",
    )
    parser.add_argument("job_ids", nargs="*", metavar="JOB", help="job ids to show")
    parser.add_argument("--watch", action="store_true", help="poll until every job has ended")
    parser.add_argument("--json", action="store_true", help="print the jobs as JSON")
    add_common_options(parser)
    parser.set_defaults(handler=run_jobs)


def job_line(job: Job) -> str:
    """One row: id, provider, state, progress bar, model."""
    model = safe_line(job.output_model or "")
    detail = f"  {safe_line(job.error)}" if job.error else ""
    job_id, provider, label = safe_line(job.job_id), safe_line(job.provider), safe_line(job.label)
    return (
        f"{job_id:<36} {provider:<9} {label:<22} {progress_bar(job.percent)}  {model}{detail}"
    ).rstrip()


def print_jobs(jobs: list[Job]) -> None:
    """A plain table of jobs on stdout."""
    if not jobs:
        print("no jobs")
        return
    print(f"{'JOB':<36} {'PROVIDER':<9} {'STATE':<22} {'PROGRESS':<27}  MODEL")
    for job in jobs:
        print(job_line(job))


class JobRows:
    """The job rows ``print_jobs`` drew, rewritten in place on a terminal as jobs change.

    In a pipe or a log each change is one more line, which is what a reader of a log wants.
    """

    def __init__(self, shown: list[Job]) -> None:
        self.order = [job.job_id for job in shown]
        self.in_place = sys.stdout.isatty() and bool(self.order)

    def update(self, job: Job) -> None:
        if not self.in_place or job.job_id not in self.order:
            print(job_line(job), flush=True)
            return
        up = len(self.order) - self.order.index(job.job_id)
        # up to the job's row, clear it, write it, and back down below the table
        sys.stdout.write(f"\x1b[{up}F\x1b[2K{job_line(job)}\x1b[{up}E")
        sys.stdout.flush()


def follow_jobs(
    conn: sqlite3.Connection,
    client: Provider,
    job_ids: list[str],
    settings: ProviderSettings,
    *,
    as_json: bool,
    rows: JobRows | None = None,
) -> int:
    """Watch jobs to the end, a row per job updated in place (a line per change in a pipe);
    exit 1 when one failed."""
    table = rows or JobRows([])

    def show(job: Job) -> None:
        if not as_json:
            table.update(job)

    final = watch_jobs(conn, client, job_ids, settings, on_update=show)
    if as_json:
        print_json([job.model_dump(mode="json") for job in final])
    failed = any(job.state is JobState.FAILED for job in final)
    return ExitCode.GATE_FAILED if failed else ExitCode.OK


def _providers_for(conn: sqlite3.Connection, args: argparse.Namespace) -> dict[str, list[str]]:
    """Provider name → job ids to show ([] meaning "list the account")."""
    if not args.job_ids:
        if args.provider:
            return {args.provider: []}
        recorded = sorted({record.provider for record in records.list_jobs(conn)})
        return {name: [] for name in recorded or [DEFAULT_PROVIDER]}
    chosen: dict[str, list[str]] = {}
    for job_id in args.job_ids:
        record = records.find_job(conn, job_id, args.provider)
        name = args.provider or (record.provider if record else DEFAULT_PROVIDER)
        chosen.setdefault(name, []).append(record.job_id if record else job_id)
    return chosen


@reports_errors
def run_jobs(args: argparse.Namespace) -> int:
    """List, show or follow jobs."""
    settings = provider_settings(args)
    shown: list[Job] = []
    code = ExitCode.OK
    with open_store(args, create=False) as conn, ExitStack() as stack:
        wanted = _providers_for(conn, args)
        clients: dict[str, Provider] = {}
        for name, job_ids in wanted.items():
            try:
                clients[name] = stack.enter_context(open_client(name, settings))
            except CredentialsError:
                recorded = _recorded(conn, name, job_ids)
                if args.watch or not recorded:
                    raise
                print_warning(f"{KEY_VARIABLES[name]} is not set: {name} jobs as last seen here")
                shown.extend(recorded)
                continue
            shown.extend(refresh_jobs(conn, clients[name], job_ids or None))
        if args.watch:
            rows = None
            if not args.json:
                print_jobs(shown)
                rows = JobRows(shown)
            for name, client in clients.items():
                ids = [job.job_id for job in shown if job.provider == name and not job.terminal]
                if ids:
                    code = max(
                        code,
                        follow_jobs(conn, client, ids, settings, as_json=args.json, rows=rows),
                    )
            return code
    if args.json:
        print_json([job.model_dump(mode="json") for job in shown])
    else:
        print_jobs(shown)
    return code


def _recorded(conn: sqlite3.Connection, provider: str, job_ids: list[str]) -> list[Job]:
    """The workspace's jobs on ``provider`` (only ``job_ids`` when given), as last seen."""
    jobs = []
    for record in records.list_jobs(conn, provider):
        if job_ids and record.job_id not in job_ids:
            continue
        state = JobState(record.state)
        jobs.append(
            Job(
                provider=record.provider,
                job_id=record.job_id,
                name=record.job_name,
                state=state,
                raw_state=record.raw_state,
                terminal=record.terminal,
                percent=record.percent,
                base_model=record.base_model,
                dataset=record.dataset_ref,
                eval_dataset=record.eval_dataset_ref,
                output_model=record.output_model,
                error=record.error,
                created_at=record.created_at,
            )
        )
    return jobs
