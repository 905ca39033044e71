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
    open_workspace,
    read_config,
)
from core.cli.exit_codes import ExitCode
from core.cli.output import ProgressLine, print_error
from core.store.db import StoreError, connect, workspace_dir


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


def handle(args: argparse.Namespace) -> ExitCode:
    config, _config_path = read_config(args)
    conn, workspace = open_workspace(args)
    paths = list(args.paths) or corpus_roots(conn)
    if not paths:
        raise CommandError("no corpus yet: give PATH (files or folders of .jsonl traces)")
    progress = ProgressLine("indexing")
    try:
        outcome = run_check(conn, paths, config, progress=progress)
    finally:
        progress.close()
        conn.close()
    for problem in outcome.path_problems:
        print_error(problem)
    for note in outcome.detected:  # sources of another format, imported on the fly
        print(f"curator: {note}", file=sys.stderr)
    if outcome.stats.files_total == 0:
        return ExitCode.USAGE

    from tui.app import CuratorApp  # the only place the CLI touches textual

    CuratorApp(workspace, config).run()
    return ExitCode.OK


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
