"""``curator probe``: one held-out example to one model, the raw exchange printed.

Exit 0 when the answer is usable JSON of the task's shape, 1 when it is not (the last line says
why and what to do), 2 on a usage, config or held-out problem.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from core.cli.eval_cmd import EPILOG
from core.cli.exit_codes import ExitCode
from core.cli.output import print_error, print_json, print_text
from core.config import ConfigError, load_config
from core.eval.heldout import HeldoutError
from core.eval.probe import ProbeResult, probe, render_probe
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
    parser.add_argument("--json", action="store_true", help="the exchange as one JSON object")
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
    if args.json:
        print_json(probe_json(result))
    else:
        print_text(render_probe(result))
    return ExitCode.OK if result.output.usable else ExitCode.GATE_FAILED


def probe_json(result: ProbeResult) -> dict[str, Any]:
    """What ``render_probe`` shows, as data: request, response, verdict and advice."""
    exchange, output = result.exchange, result.output
    return {
        "model": result.target.spec,
        "task": result.example.task,
        "index": result.example.position,
        "line": result.example.line,
        "url": result.url,
        "request": result.request,
        "response": None
        if exchange is None
        else {
            "status": exchange.status,
            "latency_ms": exchange.latency_ms,
            "attempts": exchange.attempts,
            "body": exchange.body,
            "error": exchange.error,
            "error_message": exchange.error_message,
        },
        "output": output.content,
        "kind": output.kind,
        "detail": output.detail,
        "usable": output.usable,
        "advice": None if output.usable else result.advice,
    }
