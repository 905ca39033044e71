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
import sqlite3
import sys
from collections.abc import Sequence

from core import __version__
from core.cli.common import CommandError
from core.cli.exit_codes import ExitCode
from core.cli.output import print_error

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
    "workspace": "workspace_cmd",
}
_NO_COMMAND = ("--version",)  # top-level options that need no subparser at all


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The argument parser: one subparser per command module, or only ``command``'s."""
    parser = argparse.ArgumentParser(
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
    try:
        return int(handler(args))
    except CommandError as exc:
        print_error(str(exc))
        return ExitCode.USAGE
    except KeyboardInterrupt:
        print_error("interrupted")
        return ExitCode.INTERRUPTED
    except sqlite3.DatabaseError as exc:  # a damaged or read-only store, found mid-command
        from core.store.db import db_path, workspace_dir
        from core.store.health import (
            damage_message,
            is_damage,
            is_read_only_write,
            read_only_message,
        )

        database = db_path(workspace_dir(getattr(args, "workspace", None)))
        if is_read_only_write(exc):
            print_error(read_only_message(database, args.command))
        elif is_damage(exc):
            print_error(damage_message(database, str(exc)))
        else:
            raise
        return ExitCode.USAGE


def run() -> None:
    """Console-script entry point."""
    sys.exit(main())
