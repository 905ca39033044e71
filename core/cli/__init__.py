"""The ``curator`` command: argparse subcommands over the core, testable as ``main(argv)``.

Each subcommand lives in its own module exposing ``register(subparsers)``, which adds its parser
and sets ``handler`` to a function ``(args) -> ExitCode``. Data goes to stdout; each error is
one plain line on stderr, ``curator: error: ...``.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from core import __version__
from core.cli import (
    cancel_cmd,
    check_cmd,
    decisions_cmd,
    deploy_cmd,
    eval_cmd,
    export_cmd,
    finetune_cmd,
    jobs_cmd,
    probe_cmd,
    review_cmd,
    upload_cmd,
)
from core.cli.common import CommandError
from core.cli.exit_codes import ExitCode
from core.cli.output import print_error

SUBCOMMANDS = (
    review_cmd,
    check_cmd,
    decisions_cmd,
    export_cmd,
    upload_cmd,
    finetune_cmd,
    jobs_cmd,
    cancel_cmd,
    deploy_cmd,
    eval_cmd,
    probe_cmd,
)


def build_parser() -> argparse.ArgumentParser:
    """The full argument parser, one subparser per command module."""
    parser = argparse.ArgumentParser(
        prog="curator",
        description="Curate LLM agent traces into fine-tuning datasets.",
    )
    parser.add_argument("--version", action="version", version=f"curator {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in SUBCOMMANDS:
        module.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one curator command and return its exit code."""
    parser = build_parser()
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv and review_cmd.known_corpus():
        argv = ["review"]  # bare `curator` in a workspace that knows its corpus opens the app
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse already printed usage or help
        return int(exc.code or 0) and int(ExitCode.USAGE)
    handler = getattr(args, "handler", None)
    if handler is None:
        parser.print_help()
        return ExitCode.USAGE
    try:
        return int(handler(args))
    except CommandError as exc:
        print_error(str(exc))
        return ExitCode.USAGE
    except KeyboardInterrupt:
        print_error("interrupted")
        return ExitCode.INTERRUPTED


def run() -> None:
    """Console-script entry point."""
    sys.exit(main())
