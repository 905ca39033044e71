"""``curator upload DIR --provider P``: verify an export and upload its datasets."""

from __future__ import annotations

import argparse
from pathlib import Path

from core.cli.exit_codes import ExitCode
from core.cli.output import ProgressLine, print_json, print_line
from core.cli.provider_common import (
    add_common_options,
    open_store,
    provider_settings,
    reports_errors,
)
from core.providers.registry import DEFAULT_PROVIDER, open_client
from core.providers.workflow import upload_export
from core.textsafe import safe_line


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``upload`` command."""
    parser = subparsers.add_parser(
        "upload",
        help="upload an export's datasets to a fine-tuning provider",
        description="Verify each file against the export manifest, then upload it. Re-running "
        "reuses finished uploads and resumes interrupted ones.",
    )
    parser.add_argument(
        "export_dir", type=Path, metavar="DIR", help="folder `curator export` wrote"
    )
    parser.add_argument(
        "--task",
        action="append",
        dest="tasks",
        metavar="TASK",
        help="upload only this task (repeatable; `all` is the combined file)",
    )
    parser.add_argument(
        "--with-heldout",
        action="store_true",
        help="also upload the held-out files (usable as eval datasets)",
    )
    parser.add_argument("--json", action="store_true", help="print the uploads as JSON")
    add_common_options(parser)
    parser.set_defaults(handler=run_upload)


@reports_errors
def run_upload(args: argparse.Namespace) -> int:
    """Upload and print one line (or one JSON object) per file."""
    settings = provider_settings(args)
    name = args.provider or DEFAULT_PROVIDER
    progress = ProgressLine(f"upload {name}")
    with open_client(name, settings) as client, open_store(args) as conn:
        try:
            uploaded = upload_export(
                conn,
                client,
                args.export_dir,
                tasks=args.tasks,
                heldout=args.with_heldout,
                progress=progress,
            )
        finally:
            progress.close()
    if args.json:
        print_json([item.model_dump() for item in uploaded])
        return ExitCode.OK
    for item in uploaded:
        outcome, path = safe_line(item.outcome), safe_line(item.path)
        print_line(
            f"{outcome:<8} {path:<28} {item.examples:>7} examples", f"{name} {item.dataset_ref}"
        )
    return ExitCode.OK
