"""``curator review [PATH...]``: check (index) the corpus, then open the review app.

With no PATH the workspace's last corpus is reused; bare ``curator`` does the same when the
workspace already knows its corpus. The app (``tui``) is imported only here, inside the
handler, so the rest of the CLI and the core stay headless.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from core.check.run import corpus_roots, run_check
from core.cli.common import (
    CommandError,
    add_config_option,
    add_workspace_option,
    has_sources,
    open_workspace,
    read_config,
)
from core.cli.exit_codes import ExitCode
from core.cli.output import ProgressLine, print_error
from core.store.db import StoreError, connect, workspace_dir
from core.textsafe import safe_line

NO_CORPUS = "no corpus yet: give PATH (files or folders of .jsonl traces)"


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "review",
        help="review calls in the terminal app: accept, reject, repair",
        description="Index the corpus (when PATHs are given or files changed) and open the "
        "review app. Without PATH, reuse the workspace's corpus.",
    )
    parser.add_argument("paths", nargs="*", type=Path, metavar="PATH", help="files or folders")
    add_config_option(parser)
    add_workspace_option(parser)
    parser.set_defaults(handler=handle)


NO_TERMINAL = (
    "review is an interactive app and needs a terminal (stdin and stdout are not one);"
    " from a script use `curator check`, `curator decisions` or `curator decide`"
)


def handle(args: argparse.Namespace) -> ExitCode:
    if not has_terminal():
        raise CommandError(NO_TERMINAL)  # the app would draw into the pipe and wait for keys
    config, _config_path = read_config(args)
    if args.paths and not has_sources(args.paths):
        return ExitCode.USAGE
    conn, workspace = open_workspace(args, create=bool(args.paths), missing=NO_CORPUS)
    paths = list(args.paths) or corpus_roots(conn)
    if not paths:
        raise CommandError(NO_CORPUS)
    progress = ProgressLine("indexing")
    try:
        outcome = run_check(conn, paths, config, progress=progress)
    finally:
        progress.close()
        conn.close()
    for problem in outcome.path_problems:
        print_error(problem)
    for note in outcome.detected:  # sources of another format, imported on the fly
        print(f"curator: {safe_line(note)}", file=sys.stderr)  # notes quote file names
    if outcome.stats.files_total == 0:
        return ExitCode.USAGE

    from tui.app import CuratorApp  # the only place the CLI touches textual

    CuratorApp(workspace, config).run()
    return ExitCode.OK


def has_terminal() -> bool:
    """True when the app can run: keys come from a terminal and it draws to one."""
    return sys.stdin.isatty() and sys.stdout.isatty()


def known_corpus(workspace: Path | None = None) -> bool:
    """True when the workspace exists and remembers a corpus (bare ``curator`` opens it)."""
    folder = workspace_dir(workspace)
    if not folder.is_dir():
        return False
    try:
        conn = connect(folder)
    except StoreError:
        return False
    try:
        return bool(corpus_roots(conn))
    finally:
        conn.close()
