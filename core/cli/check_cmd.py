"""``curator check PATH...``: index a corpus, apply bands and rules, print verdicts.

The check itself is imported when it runs, not with the parser (``check --help`` needs none of
it); the ``--json`` report's models only for ``--json``. A check of an unchanged corpus is mostly
start-up, so what it imports is most of what it costs.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from core.cli.common import (
    add_config_option,
    add_workspace_option,
    has_sources,
    open_workspace,
    read_check_settings,
)
from core.cli.exit_codes import ExitCode
from core.cli.output import ProgressLine, print_error, print_json, print_text
from core.textsafe import safe_line

if TYPE_CHECKING:
    import sqlite3

    from core.check.summary import CheckSummary


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "check",
        help="check traces against limit bands and content rules",
        description="Index trace files, apply limit bands and content rules, report verdicts.",
    )
    parser.add_argument("paths", nargs="+", type=Path, metavar="PATH", help="files or folders")
    add_config_option(parser)
    add_workspace_option(parser)
    parser.add_argument("--json", action="store_true", help="one JSON object on stdout")
    parser.add_argument("--strict", action="store_true", help="exit 1 when any call fails a rule")
    parser.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> ExitCode:
    from core.check.run import run_check
    from core.check.summary import build_summary
    from core.models import Verdict
    from core.store.db import db_path

    config, config_path = read_check_settings(args)
    if not has_sources(args.paths):
        return ExitCode.USAGE
    conn, workspace = open_workspace(args)
    progress = ProgressLine("checking")
    try:
        outcome = run_check(conn, args.paths, config, progress=progress)
    finally:
        progress.close()
    for problem in outcome.path_problems:
        print_error(problem)
    if args.json:  # stdout holds the report alone; the detected formats go to stderr
        for note in outcome.detected:
            sys.stderr.write(f"curator: {safe_line(note)}\n")  # notes quote file names
    if outcome.stats.files_total == 0:
        return ExitCode.USAGE
    location = str(db_path(workspace))
    if args.json:
        from core.check.report import build_report

        report = build_report(conn, location)
        payload = report.model_dump(mode="json")
        if outcome.detected:  # only then: a corpus of contract files keeps its shape
            payload["detected"] = outcome.detected
        print_json(payload)
        summary = report.summary
    else:
        summary = build_summary(conn, location)
        for note in outcome.detected:  # sources of another format, imported on the fly
            sys.stdout.write(f"{safe_line(note)}\n")
        _print_human(summary, conn, config_path)
    failed = any(counts.get(Verdict.FAIL, 0) for counts in summary.calls_by_task.values())
    return ExitCode.GATE_FAILED if args.strict and failed else ExitCode.OK


def _print_human(summary: CheckSummary, conn: sqlite3.Connection, config_path: Path | None) -> None:
    from core.check.summary import malformed_lines
    from core.models import Verdict

    # Tasks, file names and messages come from the corpus: each is made safe on its own line
    # (safe_line), and print_text makes whatever else is written safe too.
    lines: list[str] = []
    out = lines.append
    out(
        f"{summary.calls} calls in {summary.files} files, {summary.runs} runs"
        f" (config: {safe_line(config_path or 'defaults')})\n\n"
    )
    verdicts = [v.value for v in Verdict]
    tasks = {safe_line(task): counts for task, counts in summary.calls_by_task.items()}
    width = max([len("runs"), *(len(t) for t in tasks)]) + 2
    out("calls".ljust(width) + "".join(v.rjust(9) for v in verdicts) + "\n")
    for task, counts in tasks.items():
        out(task.ljust(width) + "".join(str(counts.get(v, 0)).rjust(9) for v in verdicts) + "\n")
    out("runs".ljust(width))
    out("".join(str(summary.runs_by_verdict.get(v, 0)).rjust(9) for v in verdicts) + "\n")
    if summary.failing_rules:
        out("\nfailing rules (calls)\n")
        rule_width = max(len(rule) for rule in summary.failing_rules) + 2
        for rule, count in summary.failing_rules.items():
            out(f"  {safe_line(rule).ljust(rule_width)}{count:>6}\n")
    errors = malformed_lines(conn)
    if errors:
        out(f"\nmalformed lines ({len(errors)})\n")
        for error in errors:
            out(f"  {safe_line(error)}\n")  # file names and messages quote the corpus
    out(f"\nworkspace: {safe_line(summary.workspace)}\n")
    print_text("".join(lines))
