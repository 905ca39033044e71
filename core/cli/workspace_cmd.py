"""``curator workspace check`` and ``curator workspace repair``: a damaged store, found and fixed.

``check`` runs SQLite's integrity check and compares the schema with this curator's; ``repair``
rebuilds the database keeping the decision journal and the records of exports, uploads, jobs
and evals (every row that still reads), with the damaged file kept aside. The corpus index is
left empty: the next ``curator check PATH`` rebuilds it.
"""

from __future__ import annotations

import argparse
import sqlite3
import sys

from core.cli.common import CommandError, add_workspace_option
from core.cli.exit_codes import ExitCode
from core.store.db import db_path, workspace_dir
from core.store.health import check_workspace, repair_workspace


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "workspace",
        help="check the workspace database, or repair it keeping the decisions",
        description="Check the workspace database (integrity and schema), or rebuild it while"
        " keeping the decision journal.",
    )
    parser.add_argument("action", choices=("check", "repair"))
    parser.add_argument(
        "--force", action="store_true", help="repair even when the check finds nothing wrong"
    )
    add_workspace_option(parser)
    parser.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> ExitCode:
    database = db_path(workspace_dir(args.workspace))
    if not database.exists():
        raise CommandError(f"{database}: no workspace database here")
    if args.action == "check":
        return _check(database)
    if not args.force and check_workspace(database).ok:
        sys.stdout.write(f"{database}: ok, nothing to repair (--force rebuilds it anyway)\n")
        return ExitCode.OK
    try:
        repair = repair_workspace(database)
    except (OSError, sqlite3.Error) as exc:
        raise CommandError(f"{database}: cannot rebuild ({exc}); nothing was changed") from None
    out = sys.stdout.write
    kept = ", ".join(f"{table} {rows}" for table, rows in repair.copied.items() if rows)
    out(f"rebuilt {database}\nkept rows: {kept or 'none'}\n")
    for table, problem in repair.unreadable.items():
        out(f"not kept from {table}: {problem}\n")
    out(f"damaged file kept at {repair.aside}\nnext: `curator check PATH` re-indexes the corpus\n")
    return ExitCode.OK


def _check(database) -> ExitCode:
    health = check_workspace(database)
    journal = "unreadable" if health.decisions is None else f"{health.decisions} events"
    if health.ok:
        sys.stdout.write(f"{database}: ok (decision journal: {journal})\n")
        return ExitCode.OK
    sys.stdout.write(f"{database}: damaged (decision journal: {journal})\n")
    for problem in health.problems:
        sys.stdout.write(f"  {problem}\n")
    sys.stdout.write("run `curator workspace repair` to rebuild it keeping the journal\n")
    return ExitCode.GATE_FAILED
