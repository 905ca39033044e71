"""``curator export [PATH...] --out DIR``: per-task train and held-out sets with a manifest.

With PATH the corpus is checked (indexed) first, as ``curator check`` does; without PATH the
workspace's last corpus is re-checked (unchanged files are not read again). Exit codes: 0
written (or previewed with ``--dry-run``), 1 the data failed a gate (provider checks, nothing
selected) and nothing was written, 2 usage (bad options, an unsafe ``--out``, no corpus).
"""

from __future__ import annotations

import argparse
from dataclasses import asdict
from pathlib import Path
from typing import Any

from pydantic import ValidationError

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
from core.cli.output import ProgressLine, print_error, print_json, print_text, print_warning
from core.export import (
    LAYOUTS,
    PROVIDERS,
    ExportError,
    ExportOptions,
    ExportPlan,
    ExportResult,
    preview_export,
    write_export,
)
from core.export.layout import check_out_dir, sidecar_folder
from core.export.manifest import MANIFEST_NAME
from core.export.model import Violation
from core.export.target import describe_removed
from core.store.db import db_path
from core.textsafe import safe_line

SHOWN_VIOLATIONS = 20


NO_CORPUS = "no corpus in this workspace yet: give PATH (files or folders)"


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "export",
        help="write train and held-out datasets with a manifest",
        description="Select reviewed calls, split them by run into per-task train and held-out"
        " JSONL files, check them against a provider's rules and write them with a manifest.",
    )
    parser.add_argument(
        "paths",
        nargs="*",
        type=Path,
        metavar="PATH",
        help="trace files or folders (default: the workspace's last checked corpus)",
    )
    parser.add_argument("--out", type=Path, required=True, metavar="DIR", help="export folder")
    defaults = ExportOptions()
    parser.add_argument(
        "--heldout",
        type=int,
        default=defaults.heldout_per_task,
        metavar="N",
        help="held-out examples per task (default: %(default)s)",
    )
    parser.add_argument(
        "--seed", type=int, default=defaults.seed, help="split seed (default: %(default)s)"
    )
    parser.add_argument(
        "--include",
        choices=("auto", "accepted"),
        default=defaults.include,
        help="auto: accepted calls plus undecided calls that pass every rule; accepted: only"
        " accepted calls (default: %(default)s)",
    )
    parser.add_argument(
        "--combine", action="store_true", help="also write one train.jsonl across tasks"
    )
    parser.add_argument(
        "--near-dup",
        type=float,
        default=defaults.near_dup_threshold,
        metavar="T",
        help="similarity at which inputs count as near-duplicates and stay on one side of the"
        " split; 0 turns it off (default: %(default)s)",
    )
    parser.add_argument(
        "--provider",
        choices=PROVIDERS,
        default=defaults.provider,
        help="whose format rules to check (default: %(default)s)",
    )
    parser.add_argument(
        "--max-heldout-share",
        type=float,
        default=defaults.max_heldout_share,
        metavar="F",
        help="at most this share of a task's examples is held out (default: %(default)s)",
    )
    parser.add_argument(
        "--layout",
        choices=LAYOUTS,
        default=defaults.layout,
        help="tasks: DIR/<task>/train.jsonl with the manifest in DIR; provider: only"
        " DIR/<task>-train.jsonl files (what the providers' upload helpers take), the manifest"
        " and .ids files in DIR.meta (default: %(default)s)",
    )
    parser.add_argument(
        "--keep-heldout-runs",
        action="store_true",
        help="hold out every call of a held-out run, even past the per-task target, instead of"
        " leaving the extra calls out of both files",
    )
    parser.add_argument("--dry-run", action="store_true", help="show the counts, write nothing")
    parser.add_argument("--json", action="store_true", help="one JSON object on stdout")
    add_config_option(parser)
    add_workspace_option(parser)
    parser.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> ExitCode:
    config, _ = read_config(args)
    options = _options(args)
    if args.paths and not has_sources(args.paths):
        return ExitCode.USAGE
    conn, workspace = open_workspace(args, create=bool(args.paths), missing=NO_CORPUS)
    paths = list(args.paths) or corpus_roots(conn)
    if not paths:
        raise CommandError(NO_CORPUS)
    progress = ProgressLine("exporting")
    result = None
    try:
        outcome = run_check(conn, paths, config, progress=progress)
        for problem in outcome.path_problems:
            print_error(problem)
        if outcome.stats.files_total == 0:
            return ExitCode.USAGE
        check_out_dir(args.out.resolve(), options.layout, corpus_roots(conn))  # fail early
        plan = preview_export(conn, config, options, progress=progress)
        if plan.ok and not args.dry_run:
            result = write_export(conn, plan, args.out, progress=progress)
    except ExportError as exc:
        raise CommandError(str(exc)) from None
    finally:
        progress.close()
    return _report(args, plan, result, str(db_path(workspace)))


def _options(args: argparse.Namespace) -> ExportOptions:
    try:
        return ExportOptions(
            heldout_per_task=args.heldout,
            seed=args.seed,
            include=args.include,
            combine=args.combine,
            near_dup_threshold=args.near_dup,
            provider=args.provider,
            max_heldout_share=args.max_heldout_share,
            keep_heldout_runs=args.keep_heldout_runs,
            layout=args.layout,
        )
    except ValidationError as exc:
        error = exc.errors()[0]
        flag = {
            "seed": "--seed",
            "heldout_per_task": "--heldout",
            "near_dup_threshold": "--near-dup",
            "max_heldout_share": "--max-heldout-share",
        }.get(str(error["loc"][0]), str(error["loc"][0]))
        raise CommandError(f"{flag}: {error['msg']}") from None


def _report(
    args: argparse.Namespace, plan: ExportPlan, result: ExportResult | None, workspace: str
) -> ExitCode:
    for warning in plan.warnings:
        print_warning(warning)
    for violation in plan.violations[:SHOWN_VIOLATIONS]:
        print_error(_violation_line(violation))
    hidden = len(plan.violations) - SHOWN_VIOLATIONS
    if hidden > 0:
        print_error(f"... and {hidden} more problems")
    if plan.violations and not args.dry_run:
        print_error("nothing written")
    if args.json:
        print_json(_json(plan, result, workspace))
    else:
        _print_human(plan, result, args.out, workspace)
    return ExitCode.GATE_FAILED if plan.violations else ExitCode.OK


def _json(plan: ExportPlan, result: ExportResult | None, workspace: str) -> dict[str, Any]:
    manifest = result.manifest if result else None
    return {
        "written": result is not None,
        "out_dir": str(result.out_dir) if result else None,
        "manifest_hash": result.manifest_hash if result else None,
        "counts": plan.counts(),
        "totals": plan.totals(),
        "decisions": manifest["decisions"] if manifest else asdict(plan.decisions),
        "duplicates": manifest["duplicates"] if manifest else asdict(plan.duplicates),
        "files": manifest["files"] if manifest else [],
        "removed": plan.removed,
        "warnings": plan.warnings,
        "violations": [str(v) for v in plan.violations],
        "workspace": workspace,
    }


def _print_human(plan: ExportPlan, result: ExportResult | None, out: Path, workspace: str) -> None:
    # Task names come from the corpus: each is made safe on its own, and print_text makes
    # whatever else is written (paths) safe too.
    lines: list[str] = []
    write = lines.append
    examples = sum(c.train + c.heldout for c in plan.tasks.values())
    if result is not None:
        write(f"exported {examples} examples to {result.out_dir}\n\n")
    elif plan.ok:
        write(f"would export {examples} examples to {out} (dry run: nothing written)\n\n")
    elif not plan.examples:
        write("nothing to export: no call is selected (see above)\n\n")
    else:
        write(f"not exported: {_problems(len(plan.violations))} (see above)\n\n")
    counts = {safe_line(task): row for task, row in plan.counts().items()}  # corpus tasks
    width = max([len("all (combined)"), *(len(task) for task in counts)]) + 2
    columns = ("selected", "train", "heldout", "left_out", "duplicates")
    titles = ("selected", "train", "heldout", "left out", "dup")
    write("task".ljust(width) + "".join(t.rjust(10) for t in titles) + "\n")
    for task, row in counts.items():
        write(task.ljust(width) + "".join(f"{row[c]:>10}" for c in columns) + "\n")
    if plan.options.combine:
        train = sum(c.train for c in plan.tasks.values())
        write("all (combined)".ljust(width) + f"{'':>10}{train:>10}{'-':>10}\n")
    if len(plan.tasks) > 1:
        totals = plan.totals()
        write("total".ljust(width) + "".join(f"{totals[c]:>10}" for c in columns) + "\n")
    d, dup = plan.decisions, plan.duplicates
    write(
        f"\nselection {plan.options.include}: {d.accepted} accepted"
        f" ({d.accepted_failing} failing a rule, {d.accepted_unknown} unknown,"
        f" {d.repaired} repaired), {d.auto_included} undecided passing;"
        f" left out {d.rejected} rejected, {d.undecided_left_out} undecided\n"
    )
    write(
        f"duplicates: {dup.exact_dropped} exact dropped, {dup.near_dup_groups} near-duplicate"
        f" groups ({dup.near_dup_examples} examples, {dup.runs_linked} runs) kept on one side\n"
    )
    if dup.step_runs_linked:
        write(
            f"trajectories: {dup.step_runs_linked} runs joined by steps logged under another key,"
            " kept on one side\n"
        )
    write(f"format: {describe_removed(plan.removed)}\n")
    if plan.examples:  # with nothing selected, no provider rule was checked
        status = "ok" if plan.ok else _problems(len(plan.violations))
        write(f"{plan.options.provider} checks: {status}\n")
    if result is not None:
        manifest = sidecar_folder(result.out_dir, plan.options.layout) / MANIFEST_NAME
        write(f"manifest: {manifest} (hash {result.manifest_hash[:16]})\n")
    write(f"workspace: {workspace}\n")
    print_text("".join(lines))


def _problems(count: int) -> str:
    return f"{count} problem" if count == 1 else f"{count} problems"


def _violation_line(violation: Violation) -> str:
    """A provider problem names provider, task, file and trace; a plan-wide one only itself."""
    if violation.file == "-" and violation.task == "-":
        return f"{violation.message}; accept calls in `curator review` or with `curator decide`"
    return str(violation)
