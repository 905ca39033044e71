"""``curator cancel JOB``: ask the provider to cancel a fine-tuning job."""

from __future__ import annotations

import argparse

from core.cli.exit_codes import ExitCode
from core.cli.output import print_json, print_line
from core.cli.provider_common import (
    add_common_options,
    open_store,
    provider_settings,
    reports_errors,
)
from core.providers import records
from core.providers.registry import DEFAULT_PROVIDER, open_client
from core.providers.workflow import cancel_job


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``cancel`` command."""
    parser = subparsers.add_parser(
        "cancel",
        help="cancel a fine-tuning job",
        description="Cancel a job. The provider is the one the job was started on when the "
        "workspace knows it, else --provider.",
    )
    parser.add_argument("job_id", metavar="JOB", help="job id")
    parser.add_argument("--json", action="store_true", help="print the job as JSON")
    add_common_options(parser)
    parser.set_defaults(handler=run_cancel)


@reports_errors
def run_cancel(args: argparse.Namespace) -> int:
    """Cancel and print the job's state after the request."""
    settings = provider_settings(args)
    with open_store(args, create=False) as conn:
        record = records.find_job(conn, args.job_id, args.provider)
        name = args.provider or (record.provider if record else DEFAULT_PROVIDER)
        job_id = record.job_id if record else args.job_id
        with open_client(name, settings) as client:
            job = cancel_job(conn, client, job_id)
    if args.json:
        print_json(job.model_dump(mode="json"))
    else:
        print_line(job.job_id, job.provider, job.label)
    return ExitCode.OK
