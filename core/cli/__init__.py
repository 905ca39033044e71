"""The ``curator`` command: argparse subcommands over the core, testable as ``main(argv)``.

Each subcommand lives in its own module exposing ``register(subparsers)``, which adds its parser
and sets ``handler`` to a function ``(args) -> ExitCode``. Data goes to stdout; each error is
one plain line on stderr, ``curator: error: ...``.

Only the module of the command being run is imported (every module is for ``--help`` or an
unknown command): a command's imports are its own start-up cost, and ``curator check`` on an
unchanged corpus is mostly start-up.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence
from pathlib import Path

from core import __version__
from core.cli.common import CommandError
from core.cli.exit_codes import ExitCode
from core.cli.output import SafeArgumentParser, print_error, print_note

# command name -> module under core.cli, in the order ``--help`` lists them
SUBCOMMANDS: dict[str, str] = {
    "review": "review_cmd",
    "check": "check_cmd",
    "import": "import_cmd",
    "decisions": "decisions_cmd",
    "export": "export_cmd",
    "upload": "upload_cmd",
    "finetune": "finetune_cmd",
    "jobs": "jobs_cmd",
    "cancel": "cancel_cmd",
    "deploy": "deploy_cmd",
    "eval": "eval_cmd",
    "probe": "probe_cmd",
}
_NO_COMMAND = ("--version",)  # top-level options that need no subparser at all


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The argument parser: one subparser per command module, or only ``command``'s."""
    parser = SafeArgumentParser(
        prog="curator",
        description="Curate LLM agent traces into fine-tuning datasets.",
    )
    parser.add_argument("--version", action="version", version=f"curator {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, module in SUBCOMMANDS.items():
        if command is None or command == name:
            importlib.import_module(f"core.cli.{module}").register(subparsers)
    return parser


def _command_of(argv: list[str]) -> str | None:
    """The command ``argv`` names, or None when every command's parser may be needed."""
    if argv and argv[0] in SUBCOMMANDS:
        return argv[0]
    if argv and argv[0] in _NO_COMMAND:
        return ""  # matches no command: a parser without subparsers
    return None


def main(argv: Sequence[str] | None = None) -> int:
    """Run one curator command and return its exit code."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv:
        from core.cli.review_cmd import known_corpus

        if known_corpus():
            argv = ["review"]  # bare `curator` in a workspace that knows its corpus opens it
    parser = build_parser(_command_of(argv))
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse already printed usage or help
        return int(exc.code or 0) and int(ExitCode.USAGE)
    handler = getattr(args, "handler", None)
    if handler is None:
        parser.print_help()
        return ExitCode.USAGE
    from core.store import db  # a waiting write says on stderr what it waits for

    db.busy_notice = print_note
    try:
        return int(handler(args))
    except (CommandError, db.StoreError) as exc:
        print_error(str(exc))
        return ExitCode.USAGE
    except KeyboardInterrupt:
        print_error("interrupted")
        return ExitCode.INTERRUPTED
    except Exception as exc:  # a full disk or a read-only folder: one line, not a traceback
        from core.store.write_failures import describe_write_failure

        database = db.db_path(db.workspace_dir(args_workspace(args)))
        message = describe_write_failure(exc, database, getattr(args, "out", None))
        if message is None:
            raise
        print_error(message)
        return ExitCode.USAGE


def args_workspace(args: argparse.Namespace) -> Path | None:
    """The ``--workspace`` a command was given (None: the default)."""
    workspace = getattr(args, "workspace", None)
    return workspace if isinstance(workspace, Path) else None


def run() -> None:
    """Console-script entry point."""
    sys.exit(main())
