"""``curator deploy MODEL``: make a tuned model servable (a Fireworks LoRA deployment)."""

from __future__ import annotations

import argparse

from core.cli.exit_codes import ExitCode
from core.cli.output import print_json, print_line, print_note
from core.cli.provider_common import (
    add_common_options,
    open_store,
    provider_settings,
    reports_errors,
)
from core.providers import records
from core.providers.models import Deployment, DeployOptions
from core.providers.registry import DEFAULT_PROVIDER, open_client
from core.providers.workflow import BILLING_NOTICE, deploy_model


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``deploy`` command."""
    parser = subparsers.add_parser(
        "deploy",
        help="deploy a tuned model so it can be called (Fireworks bills per GPU-second)",
        description="Create a deployment for a tuned LoRA model, scale-to-zero by default, and "
        "follow it until READY. MODEL is a model id or name, or a job id from this workspace. "
        + BILLING_NOTICE,
    )
    parser.add_argument("model", metavar="MODEL", help="tuned model id/name, or a job id")
    parser.add_argument("--min-replicas", type=int, default=0, metavar="N", help="default 0")
    parser.add_argument("--max-replicas", type=int, default=1, metavar="N", help="default 1")
    parser.add_argument("--accelerator-type", metavar="TYPE", help="e.g. NVIDIA_H100_80GB")
    parser.add_argument("--deployment-id", metavar="ID", help="choose the deployment id")
    parser.add_argument("--no-wait", action="store_true", help="do not wait for READY")
    parser.add_argument("--json", action="store_true", help="print the deployment as JSON")
    add_common_options(parser)
    parser.set_defaults(handler=run_deploy)


def _notice(message: str) -> None:
    print_note(message)


@reports_errors
def run_deploy(args: argparse.Namespace) -> int:
    """Deploy, tell the user about billing, follow to READY, print the model to call."""
    settings = provider_settings(args)
    options = DeployOptions(
        deployment_id=args.deployment_id,
        min_replicas=args.min_replicas,
        max_replicas=args.max_replicas,
        accelerator_type=args.accelerator_type,
    )
    with open_store(args, create=False) as conn:
        job = records.find_job(conn, args.model, args.provider)
        model = job.output_model if job and job.output_model else args.model
        name = args.provider or (job.provider if job else DEFAULT_PROVIDER)
        if name == "fireworks":
            _notice(BILLING_NOTICE)
        seen: list[str] = []

        def show(deployment: Deployment) -> None:
            if deployment.state not in seen[-1:]:
                seen.append(deployment.state)
                if not args.json and deployment.deployment_id:
                    _notice(f"deployment {deployment.deployment_id}: {deployment.state}")

        with open_client(name, settings) as client:
            deployment = deploy_model(
                conn, client, model, options, settings, wait=not args.no_wait, on_update=show
            )
    if args.json:
        print_json(deployment.model_dump(mode="json"))
        return ExitCode.OK
    if deployment.message and not deployment.deployment_id:
        _notice(deployment.message)
    where = f"deployment {deployment.deployment_id}  " if deployment.deployment_id else ""
    print_line(f"{where}{deployment.state}", f"model: {deployment.inference_model}")
    return ExitCode.OK
