"""``curator finetune``: start a supervised fine-tuning job on an uploaded dataset."""

from __future__ import annotations

import argparse

from core.cli.exit_codes import ExitCode
from core.cli.jobs_cmd import follow_jobs, print_jobs
from core.cli.output import print_json
from core.cli.provider_common import (
    add_common_options,
    open_store,
    provider_settings,
    reports_errors,
)
from core.providers.models import JobSpec
from core.providers.registry import DEFAULT_PROVIDER, open_client
from core.providers.workflow import start_finetune


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``finetune`` command."""
    parser = subparsers.add_parser(
        "finetune",
        help="start a fine-tuning job",
        description="Start a supervised fine-tuning job. Unset options keep the provider's "
        "defaults (Fireworks: 1 epoch, LoRA rank 8, context 8192).",
    )
    parser.add_argument("--dataset", required=True, metavar="ID", help="dataset id or file id")
    parser.add_argument(
        "--base-model",
        required=True,
        metavar="MODEL",
        help="base model (Fireworks: a bare name means accounts/fireworks/models/NAME)",
    )
    parser.add_argument("--eval-dataset", metavar="ID", help="evaluation dataset id or file id")
    parser.add_argument("--epochs", type=int, metavar="N")
    parser.add_argument(
        "--learning-rate", type=float, metavar="LR", help="OpenAI: the learning-rate multiplier"
    )
    parser.add_argument("--lora-rank", type=int, metavar="R", help="power of 2, at most 64")
    parser.add_argument("--max-context-length", type=int, metavar="TOKENS")
    parser.add_argument("--batch-size", type=int, metavar="N", help="Fireworks: in tokens")
    parser.add_argument("--output-model", metavar="ID", help="name of the tuned model (suffix)")
    parser.add_argument("--display-name", metavar="TEXT")
    parser.add_argument("--job-id", metavar="ID", help="Fireworks: choose the job id")
    parser.add_argument("--watch", action="store_true", help="follow the job until it ends")
    parser.add_argument("--json", action="store_true", help="print the job as JSON")
    add_common_options(parser)
    parser.set_defaults(handler=run_finetune)


@reports_errors
def run_finetune(args: argparse.Namespace) -> int:
    """Create the job, record it, print it (and follow it with ``--watch``)."""
    settings = provider_settings(args)
    name = args.provider or DEFAULT_PROVIDER
    spec = JobSpec(
        base_model=args.base_model,
        dataset=args.dataset,
        eval_dataset=args.eval_dataset,
        epochs=args.epochs,
        learning_rate=args.learning_rate,
        lora_rank=args.lora_rank,
        max_context_length=args.max_context_length,
        batch_size=args.batch_size,
        output_model=args.output_model,
        display_name=args.display_name,
        job_id=args.job_id,
    )
    with open_client(name, settings) as client, open_store(args) as conn:
        job = start_finetune(conn, client, spec)
        if args.watch:
            return follow_jobs(conn, client, [job.job_id], settings, as_json=args.json)
    if args.json:
        print_json(job.model_dump(mode="json"))
    else:
        print_jobs([job])
    return ExitCode.OK
