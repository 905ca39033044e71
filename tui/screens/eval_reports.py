"""Writing an eval's report from the screen: the Markdown and JSON that ``curator eval --report``
and ``--json`` write, through the CLI's own atomic writer. Called from a thread worker."""

from __future__ import annotations

from pathlib import Path

import orjson

from core.cli.eval_cmd import write_atomic
from core.eval.report import render_markdown, report_json
from core.eval.results import EvalResult
from tui.screens.eval_runs import ReportWritten

REPORT_KINDS = {"markdown": ".md", "json": ".json"}


def report_bytes(result: EvalResult, kind: str) -> bytes:
    """The file's bytes, exactly as the CLI writes them."""
    if kind == "json":
        return orjson.dumps(report_json(result), option=orjson.OPT_INDENT_2) + b"\n"
    return render_markdown(result).encode()


def write_report(result: EvalResult, kind: str, path: Path) -> ReportWritten:
    """Write the report; the message carries the error (one line) when it could not be."""
    if path.is_dir():
        path = path / f"eval-{result.run.eval_id}{REPORT_KINDS[kind]}"
    try:
        write_atomic(path, report_bytes(result, kind))
    except OSError as exc:
        return ReportWritten(path, f"{path}: {exc.strerror or exc}")
    return ReportWritten(path)
