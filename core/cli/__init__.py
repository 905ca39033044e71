"""The ``curator`` command: argparse subcommands over the core, testable as ``main(argv)``.

Each subcommand lives in its own module exposing ``register(subparsers)``, which adds its parser
and sets ``handler`` to a function ``(args) -> ExitCode``. Data goes to stdout; each error is
one plain line on stderr, ``curator: error: ...``.

Only the module of the command being run is imported; ``--help`` lists the commands from
``SUMMARIES`` without importing any: a command's imports are its own start-up cost, and
``curator check`` on an unchanged corpus is mostly start-up.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from core import __version__
from core.cli import output
from core.cli.common import CommandError
from core.cli.exit_codes import ExitCode
from core.cli.output import SafeArgumentParser, print_error, print_note

# command name -> module under core.cli, in the order ``--help`` lists them
SUBCOMMANDS: dict[str, str] = {
    "review": "review_cmd",
    "check": "check_cmd",
    "import": "import_cmd",
    "decisions": "decisions_cmd",
    "decide": "decisions_cmd",
    "export": "export_cmd",
    "upload": "upload_cmd",
    "finetune": "finetune_cmd",
    "jobs": "jobs_cmd",
    "cancel": "cancel_cmd",
    "deploy": "deploy_cmd",
    "eval": "eval_cmd",
    "probe": "probe_cmd",
    "completion": "completion_cmd",
    "workspace": "workspace_cmd",
}

# command name -> its line in ``curator --help``; a command missing here is imported for it
SUMMARIES: dict[str, str] = {
    "review": "review calls in the terminal app: accept, reject, repair",
    "check": "check traces against limit bands and content rules",
    "import": "import traces from another format (OTel, Langfuse, LangSmith, Inspect, ...)",
    "decisions": "list current review decisions",
    "decide": "accept or reject calls by trace id",
    "export": "write train and held-out datasets with a manifest",
    "upload": "upload an export's datasets to a fine-tuning provider",
    "finetune": "start a fine-tuning job",
    "jobs": "list fine-tuning jobs, or follow them with --watch",
    "cancel": "cancel a fine-tuning job",
    "deploy": "deploy a tuned model so it can be called (Fireworks bills per GPU-second)",
    "eval": "compare a candidate model with a baseline on held-out examples",
    "probe": "send one held-out example to a model and print the raw exchange",
    "completion": "print a shell completion script (bash or zsh)",
    "workspace": "check the workspace database, or repair it keeping the decisions",
}

START_HINT = """\
No curator workspace here or in a parent folder. To start:
  curator check sample_traces      check a corpus (files or folders of .jsonl traces)
  curator review sample_traces     open the review app on it
Later, a bare `curator` in this folder (or below it) reopens the app."""


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The argument parser: one subparser per command module, or only ``command``'s.

    With ``command`` None every command module is imported (completion needs each option);
    with ``""`` the commands are listed from ``SUMMARIES`` without importing them.
    """
    parser = SafeArgumentParser(
        prog="curator",
        description="Curate LLM agent traces into fine-tuning datasets.",
    )
    parser.add_argument("--version", action="version", version=f"curator {__version__}")
    parser.add_argument(
        "--workspace",
        type=Path,
        metavar="DIR",
        dest="global_workspace",
        help="workspace folder (default: .curator here or in the nearest parent that has one)",
    )
    verbosity = parser.add_mutually_exclusive_group()
    verbosity.add_argument(
        "-v", "--verbose", action="store_true", help="log each HTTP request and more detail"
    )
    verbosity.add_argument(
        "-q", "--quiet", action="store_true", help="no progress lines and no warnings"
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    imported: set[str] = set()
    for name, module in SUBCOMMANDS.items():
        if command == name or command is None or (command == "" and name not in SUMMARIES):
            if module not in imported:
                importlib.import_module(f"core.cli.{module}").register(subparsers)
                imported.add(module)
        elif command == "" and name not in subparsers.choices:
            subparsers.add_parser(name, help=SUMMARIES[name], add_help=False)
    return parser


def _global_prefix(argv: list[str]) -> int:
    """How many leading arguments are top-level options (``--workspace DIR``, ``-v``, ``-q``)."""
    index = 0
    while index < len(argv):
        arg = argv[index]
        if arg == "--workspace":
            index += 2
        elif arg.startswith("--workspace=") or arg in ("-v", "--verbose", "-q", "--quiet"):
            index += 1
        else:
            break
    return min(index, len(argv))


def _command_of(argv: list[str]) -> str | None:
    """The command ``argv`` names; ``""`` when only the summaries are needed."""
    rest = argv[_global_prefix(argv) :]
    if rest and rest[0] in SUBCOMMANDS:
        return rest[0]
    return ""  # --help, --version, no command or an unknown one: no command module needed


def main(argv: Sequence[str] | None = None) -> int:
    """Run one curator command and return its exit code."""
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser(_command_of(argv))
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse already printed usage or help
        return int(exc.code or 0) and int(ExitCode.USAGE)
    if args.global_workspace is not None and getattr(args, "workspace", None) is None:
        args.workspace = args.global_workspace
    output.configure(verbose=args.verbose, quiet=args.quiet)
    if args.command is None:
        return _bare(parser, args)
    from core.store import db  # a waiting write says on stderr what it waits for

    db.busy_notice = print_note
    try:
        return int(args.handler(args))
    except (CommandError, db.StoreError) as exc:
        print_error(str(exc))
        return ExitCode.USAGE
    except KeyboardInterrupt:
        print_error("interrupted")
        return ExitCode.INTERRUPTED
    except Exception as exc:  # a damaged or read-only store, a full disk: one line
        message = _failure_line(exc, args)
        if message is None:
            raise
        print_error(message)
        return ExitCode.USAGE


def _failure_line(exc: Exception, args: argparse.Namespace) -> str | None:
    """The one line for a store or disk failure found mid-command, else None (a bug)."""
    from core.store.db import db_path, workspace_dir
    from core.store.health import damage_message, is_damage, is_read_only_write, read_only_message
    from core.store.write_failures import describe_write_failure

    database = db_path(workspace_dir(args_workspace(args)))
    if is_read_only_write(exc):
        return read_only_message(database, args.command)
    if is_damage(exc):
        return damage_message(database, str(exc))
    return describe_write_failure(exc, database, getattr(args, "out", None))


def args_workspace(args: argparse.Namespace) -> Path | None:
    """The ``--workspace`` a command was given (None: the default)."""
    workspace = getattr(args, "workspace", None)
    return workspace if isinstance(workspace, Path) else None


def _bare(parser: argparse.ArgumentParser, args: argparse.Namespace) -> int:
    """Bare ``curator``: reopen the workspace's corpus in the app, else say how to start."""
    from core.cli.review_cmd import known_corpus

    if known_corpus(args.global_workspace):
        return main(_replay_globals(args) + ["review"])
    parser.print_help()
    print(f"\n{START_HINT}")
    return ExitCode.USAGE


def _replay_globals(args: argparse.Namespace) -> list[str]:
    prefix = ["--workspace", str(args.global_workspace)] if args.global_workspace else []
    return prefix + (["-v"] if args.verbose else []) + (["-q"] if args.quiet else [])


def run() -> None:
    """Console-script entry point; a reader that closes the pipe early (``| head``) is normal."""
    try:
        code = main()
        sys.stdout.flush()
    except BrokenPipeError:
        # Python flushes stdout again at exit; point it at /dev/null so that flush is silent.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        code = ExitCode.BROKEN_PIPE
    sys.exit(code)
