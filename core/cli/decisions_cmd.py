"""``curator decisions`` and ``curator decide``: review decisions from scripts."""

from __future__ import annotations

import argparse

from core.cli.common import CommandError, add_workspace_option, open_workspace
from core.cli.exit_codes import ExitCode
from core.cli.output import print_error, print_json, print_line
from core.review.decisions import Target, decide
from core.review.listing import iter_call_reviews, resolve_trace_ids
from core.textsafe import safe_line


def register(subparsers: argparse._SubParsersAction) -> None:
    listing = subparsers.add_parser(
        "decisions",
        help="list current review decisions",
        description="List every call with a decision, note or repair.",
    )
    add_workspace_option(listing)
    listing.add_argument("--json", action="store_true", help="one JSON array on stdout")
    listing.add_argument("--all", action="store_true", help="include undecided calls too")
    listing.set_defaults(handler=handle_list)

    deciding = subparsers.add_parser(
        "decide",
        help="accept or reject calls by trace id",
        description="Record decisions for calls (or, with --run, whole runs) from a script.",
    )
    deciding.add_argument("ids", nargs="+", metavar="ID", help="trace ids (or 6+ char prefixes)")
    verdict = deciding.add_mutually_exclusive_group(required=True)
    verdict.add_argument("--accept", action="store_const", const="accept", dest="decision")
    verdict.add_argument("--reject", action="store_const", const="reject", dest="decision")
    verdict.add_argument("--clear", action="store_const", const="clear", dest="decision")
    deciding.add_argument("--reason", help="why (with --reject)")
    deciding.add_argument("--run", action="store_true", help="the ids are run ids")
    add_workspace_option(deciding)
    deciding.add_argument("--json", action="store_true", help="what was recorded, as JSON")
    deciding.set_defaults(handler=handle_decide)


def handle_list(args: argparse.Namespace) -> ExitCode:
    conn, _ = open_workspace(args, create=False)
    rows = [
        review
        for review in iter_call_reviews(conn)
        if args.all or review.decision or review.note or review.repair or review.tags
    ]
    if args.json:
        print_json(
            [
                {
                    "trace_id": r.trace_id,
                    "file": r.file,
                    "line": r.line,
                    "task": r.task,
                    "run_id": r.run_id,
                    "decision": r.decision,
                    "decided_on": r.decided_on,
                    "reason": r.reason,
                    "note": r.note,
                    "tags": list(r.tags),
                    "repaired": r.repair is not None,
                }
                for r in rows
            ]
        )
        return ExitCode.OK
    for r in rows:
        decision = r.decision or "-"
        if r.decided_on == "run":
            decision += " (run)"
        extras = [f"reason: {r.reason}"] if r.reason else []
        extras += ["repaired"] if r.repair is not None else []
        extras += [f"tags: {','.join(r.tags)}"] if r.tags else []
        extras += [f"note: {r.note}"] if r.note else []
        print_line(r.trace_id, f"{safe_line(r.file)}:{r.line}", r.task, decision, *extras)
    if not rows:
        print_line("no decisions yet")
    return ExitCode.OK


def handle_decide(args: argparse.Namespace) -> ExitCode:
    conn, _ = open_workspace(args, create=False)
    # An id that is not valid UTF-8 (raw bytes from a shell) names nothing in the store.
    odd = [i for i in args.ids if not _utf8(i)]
    args.ids = [i for i in args.ids if _utf8(i)]
    if args.run:
        known = {
            row[0]
            for row in conn.execute(
                f"SELECT run_id FROM runs WHERE run_id IN ({','.join('?' * len(args.ids))})",
                args.ids,
            )
        }
        problems = [
            f"{i}: no run with this id in the workspace" for i in args.ids if i not in known
        ]
        targets = [Target("run", i) for i in args.ids if i in known]
    else:
        trace_ids, problems = resolve_trace_ids(conn, args.ids)
        targets = [Target("call", t) for t in dict.fromkeys(trace_ids)]
    problems = [f"{i}: not valid UTF-8, no such id" for i in odd] + problems
    for problem in problems:
        print_error(problem)
    if not targets:
        raise CommandError("nothing decided")
    decision = None if args.decision == "clear" else args.decision
    result = decide(conn, targets, decision, args.reason)
    if args.json:
        print_json(
            {
                "recorded": result.summary,
                "op_id": result.op_id,
                "decision": decision,
                "reason": args.reason,
                "targets": [{"kind": t.kind, "id": t.id} for t in targets],
                "problems": problems,
            }
        )
    else:
        print_line(f"recorded: {result.summary}")
    return ExitCode.USAGE if problems else ExitCode.OK


def _utf8(text: str) -> bool:
    try:
        text.encode()
    except UnicodeEncodeError:
        return False
    return True
