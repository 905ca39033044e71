"""``curator eval``: candidate vs baseline on held-out examples, side by side.

Prints the terminal report on stdout, writes ``--report`` (Markdown) and ``--json`` files, and
exits 1 when a model's outputs are mostly unusable (the report opens with why), 2 on a usage,
config or held-out problem, 130 when interrupted (the next identical run resumes).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

import orjson

from core.cli.common import add_workspace_option
from core.cli.exit_codes import ExitCode
from core.cli.output import ProgressLine, print_error, print_text
from core.config import ConfigError, load_config
from core.eval.heldout import HeldoutError
from core.eval.report import render_markdown, render_terminal, report_json
from core.eval.results import EvalResult
from core.eval.runner import EvalNotFound, EvalPlan, rescore_eval, run_eval
from core.eval.specs import ModelSpecError
from core.progress import Cancelled
from core.store.db import StoreError, workspace_dir
from core.textsafe import safe_json_bytes, safe_text

EPILOG = """MODEL is gold, fireworks:<model id>, openai:<model>, together:<model>,
http://host:port/v1#<model> (any OpenAI-compatible server) or a [models.<name>] profile.
Keys come from FIREWORKS_API_KEY, OPENAI_API_KEY, TOGETHER_API_KEY."""


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``eval`` subcommand."""
    parser = subparsers.add_parser(
        "eval",
        help="compare a candidate model with a baseline on held-out examples",
        description="Compare a candidate model with a baseline on held-out examples.",
        epilog=EPILOG,
    )
    parser.add_argument("--heldout", type=Path, metavar="DIR", help="held-out folder")
    parser.add_argument("--candidate", metavar="MODEL", help="the model under test")
    parser.add_argument("--baseline", metavar="MODEL", help="the model to beat")
    parser.add_argument(
        "--n",
        type=int,
        default=50,
        help="examples per task, whole lines taken until N is reached (default 50)",
    )
    parser.add_argument(
        "--last-turn-only",
        action="store_true",
        help="score only each line's last assistant turn, not every step of a trajectory",
    )
    parser.add_argument("--tasks", nargs="+", metavar="TASK", help="tasks (default: all found)")
    parser.add_argument("--concurrency", type=int, metavar="N", help="requests in flight per model")
    parser.add_argument("--report", type=Path, metavar="OUT.md", help="write a Markdown report")
    parser.add_argument(
        "--json",
        nargs="?",
        const="-",
        metavar="OUT.json",
        help="write the JSON report to OUT.json (stdout when no file is given, or -)",
    )
    parser.add_argument("--no-cache", action="store_true", help="send every request again")
    parser.add_argument(
        "--rescore", type=int, metavar="EVAL_ID", help="score a stored eval again, no requests"
    )
    add_workspace_option(parser)
    parser.add_argument(
        "--config", type=Path, metavar="FILE", help="config (default ./curator.toml)"
    )
    parser.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> ExitCode:
    """Run or re-score the eval and write its reports."""
    if args.rescore is None and not (args.heldout and args.candidate and args.baseline):
        print_error("eval needs --heldout DIR, --candidate MODEL and --baseline MODEL")
        return ExitCode.USAGE
    if args.n is not None and args.n < 1:
        print_error("--n must be at least 1")
        return ExitCode.USAGE
    if args.concurrency is not None and args.concurrency < 1:
        print_error("--concurrency must be at least 1")
        return ExitCode.USAGE
    progress = ProgressLine("eval")
    try:
        config, _ = load_config(args.config)
        workspace = workspace_dir(args.workspace)
        if args.rescore is not None:
            result = rescore_eval(workspace, args.rescore, config)
        else:
            plan = EvalPlan(
                heldout=args.heldout,
                candidate=args.candidate,
                baseline=args.baseline,
                n=args.n,
                tasks=_tasks(args.tasks),
                concurrency=args.concurrency,
                no_cache=args.no_cache,
                last_turn_only=args.last_turn_only,
            )
            result = run_eval(plan, workspace=workspace, config=config, progress=progress)
    except (ConfigError, ModelSpecError, HeldoutError, StoreError, EvalNotFound) as exc:
        print_error(str(exc))
        return ExitCode.USAGE
    except (Cancelled, KeyboardInterrupt):
        print_error("interrupted; run the same command again to resume")
        return ExitCode.INTERRUPTED
    finally:
        progress.close()
    return _emit(result, args)


def _emit(result: EvalResult, args: argparse.Namespace) -> ExitCode:
    payload = orjson.dumps(report_json(result), option=orjson.OPT_INDENT_2) + b"\n"
    payload = safe_json_bytes(payload)  # model answers are untrusted: no raw controls
    if args.json == "-":
        sys.stdout.buffer.write(payload)
        sys.stdout.flush()
    else:
        print_text(render_terminal(result))
        if args.json:
            write_atomic(Path(args.json), payload)
    if args.report:
        markdown = safe_text(render_markdown(result), newlines=True)
        write_atomic(args.report, markdown.encode())
    return ExitCode.GATE_FAILED if result.diagnoses else ExitCode.OK


def write_atomic(path: Path, data: bytes) -> None:
    """Write a user file through a temp file in the same folder, then ``os.replace``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temp, path)
    except BaseException as exc:
        Path(temp).unlink(missing_ok=True)
        if isinstance(exc, OSError) and exc.filename is None:  # name the file for the user
            raise OSError(exc.errno, exc.strerror, str(path)) from exc
        raise


def _tasks(values: list[str] | None) -> list[str] | None:
    if not values:
        return None
    return [task for value in values for task in value.split(",") if task]
