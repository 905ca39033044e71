"""``curator probe``: one held-out example to one model, the raw exchange printed.

Exit 0 when the answer is usable JSON of the task's shape, 1 when it is not (the last line says
why and what to do), 2 on a usage, config or held-out problem.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from core.cli.eval_cmd import EPILOG
from core.cli.exit_codes import ExitCode
from core.cli.output import print_error, print_text
from core.config import ConfigError, load_config
from core.eval.heldout import HeldoutError
from core.eval.probe import probe, render_probe
from core.eval.specs import ModelSpecError


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``probe`` subcommand."""
    parser = subparsers.add_parser(
        "probe",
        help="send one held-out example to a model and print the raw exchange",
        description="Send one held-out example to a model and print the raw exchange.",
        epilog=EPILOG,
    )
    parser.add_argument("model", metavar="MODEL", help="the model to call")
    parser.add_argument("--heldout", type=Path, metavar="DIR", required=True)
    parser.add_argument("--task", help="task of the example (default: the first found)")
    parser.add_argument("--index", type=int, default=0, help="0-based example index")
    parser.add_argument(
        "--config", type=Path, metavar="FILE", help="config (default ./curator.toml)"
    )
    parser.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> ExitCode:
    """Probe the model and print the exchange."""
    if args.index < 0:
        print_error("--index must be 0 or more")
        return ExitCode.USAGE
    try:
        config, _ = load_config(args.config)
        result = probe(args.model, args.heldout, task=args.task, index=args.index, config=config)
    except (ConfigError, ModelSpecError, HeldoutError) as exc:
        print_error(str(exc))
        return ExitCode.USAGE
    print_text(render_probe(result))
    return ExitCode.OK if result.output.usable else ExitCode.GATE_FAILED
