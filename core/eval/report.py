"""Renderings of an eval: the JSON report, the Markdown file and the plain terminal table.

The JSON is exactly ``{"candidate", "baseline", "tasks": {"<task>": {"n", "metrics":
{"<metric>": {"candidate", "baseline", "delta", "ci95"}}, "errors": {"candidate", "baseline"},
"kinds": {"<output kind>": n}, "examples": [...]}}}`` (with ``"last_turn_only": true`` after
``baseline`` when the eval scored only each line's last turn), the metrics being those of the task's
output kinds (see :mod:`core.eval.kinds`); every report opens with the diagnoses when a
model's outputs are mostly unusable, then the story's table (task | metric | candidate |
baseline | Δ | 95% CI of Δ).
"""

from __future__ import annotations

from typing import Any

import orjson

from core.eval.metrics import LOWER_IS_BETTER
from core.eval.outputs import Output, gold_answer
from core.eval.results import SIDES, EvalResult, ExampleResult, MetricRow, SideResult, TaskResult
from core.eval.stats import Interval

OPERATIONAL = ("latency_p50_ms", "latency_p95_ms", "prompt_tokens", "completion_tokens", "cost_usd")
TABLE_HEADER = ("task", "metric", "candidate", "baseline", "Δ", "95% CI of Δ")
OPERATIONAL_HEADER = ("task", "model", "p50 ms", "p95 ms", "prompt tok", "completion tok", "cost")
LOST_SHOWN = 5
LEGEND = (
    f"Higher is better except {', '.join(sorted(LOWER_IS_BETTER - set(OPERATIONAL)))} (lower) "
    "and entity_count_ratio (closest to 1). score, per example: value F1 vs gold (json), "
    "arguments_exact (tool_call), token_f1 (text, reasoning); win_rate: share of examples won."
)


def report_json(result: EvalResult) -> dict[str, Any]:
    """The JSON report, examples included."""
    return _json(result, with_examples=True)


def summary_json(result: EvalResult) -> dict[str, Any]:
    """The JSON report without examples: what the store keeps beside a finished eval."""
    return _json(result, with_examples=False)


def _json(result: EvalResult, *, with_examples: bool) -> dict[str, Any]:
    tasks: dict[str, Any] = {}
    for name, task in result.tasks.items():
        entry: dict[str, Any] = {
            "n": task.n,
            "metrics": {m: _metric_json(row) for m, row in task.metrics.items()},
            "errors": {side: dict(sorted(task.errors[side].items())) for side in SIDES},
            "kinds": dict(task.kinds),
        }
        if with_examples:
            entry["examples"] = [_example_json(example) for example in task.examples]
        tasks[name] = entry
    report: dict[str, Any] = {"candidate": result.candidate.spec, "baseline": result.baseline.spec}
    if result.run.last_turn_only:
        report["last_turn_only"] = True  # absent: every assistant turn of a line is an example
    report["tasks"] = tasks
    return report


def _metric_json(row: MetricRow) -> dict[str, Any]:
    return {
        "candidate": _round(row.candidate),
        "baseline": _round(row.baseline),
        "delta": _round(row.delta),
        "ci95": [_round(row.ci95[0]), _round(row.ci95[1])] if row.ci95 else None,
    }


def _example_json(example: ExampleResult) -> dict[str, Any]:
    return {
        "id": example.example.id,
        "index": example.example.position,
        "line": example.example.line,
        "step": example.example.step,
        "outcome": example.outcome,
        "kind": example.kind,
        "gold": example.example.gold,
        "gold_tool_calls": [call.public() for call in gold_answer(example.example).tool_calls],
        "candidate": _side_json(example.candidate),
        "baseline": _side_json(example.baseline),
    }


def _side_json(side: SideResult) -> dict[str, Any]:
    output = side.output
    return {
        "output": output.content,
        "kind": output.kind,
        "detail": output.detail,
        "status": output.status,
        "finish_reason": output.finish_reason,
        "latency_ms": output.latency_ms,
        "usable": output.usable,
        "tool_calls": [call.public() for call in output.tool_calls],
        "metrics": {name: _round(value) for name, value in side.metrics.items()},
    }


def diagnosis_lines(result: EvalResult) -> list[str]:
    """The lines that open every report when a model's outputs are mostly unusable."""
    lines: list[str] = []
    for diagnosis in result.diagnoses:
        lines.append(
            f"DIAGNOSIS {diagnosis.side} {diagnosis.spec}: "
            f"{diagnosis.unusable}/{diagnosis.total} outputs unusable"
        )
        lines += [f"  {line}" for line in diagnosis.lines()]
    return lines


def table_rows(result: EvalResult) -> list[tuple[str, ...]]:
    """The story's table as text cells: every quality metric of every task."""
    return [
        (
            task.task,
            name,
            _fmt(name, row.candidate),
            _fmt(name, row.baseline),
            _fmt_delta(name, row.delta),
            _fmt_interval(row.ci95),
        )
        for task in result.tasks.values()
        for name, row in task.metrics.items()
        if name not in OPERATIONAL
    ]


def operational_rows(result: EvalResult) -> list[tuple[str, ...]]:
    """Latency, tokens and cost as text cells: one row per task and model."""
    return [
        (task.task, side)
        + tuple(_fmt(name, getattr(task.metrics[name], side)) for name in OPERATIONAL)
        for task in result.tasks.values()
        for side in SIDES
    ]


def render_terminal(result: EvalResult) -> str:
    """The plain terminal report: diagnoses, table, verdicts, error taxonomy, store line."""
    parts = []
    if result.diagnoses:
        parts.append("\n".join(diagnosis_lines(result)))
    parts.append(f"candidate: {result.candidate.spec}\nbaseline:  {result.baseline.spec}")
    parts.append(_plain_table([TABLE_HEADER, *table_rows(result)]))
    parts.append(_plain_table([OPERATIONAL_HEADER, *operational_rows(result)]))
    parts.append("\n".join(task.verdict for task in result.tasks.values()))
    parts.append("\n".join(_errors_line(task) for task in result.tasks.values()))
    parts.append(_store_line(result))
    return "\n\n".join(part for part in parts if part) + "\n"


def render_markdown(result: EvalResult) -> str:
    """The Markdown report (``--report out.md``)."""
    out = [f"# Eval: `{result.candidate.spec}` vs `{result.baseline.spec}`", ""]
    for diagnosis in result.diagnoses:
        out.append(
            f"> **Diagnosis — {diagnosis.side} `{diagnosis.spec}`: "
            f"{diagnosis.unusable}/{diagnosis.total} outputs unusable.**"
        )
        out += [f"> - {line}" for line in diagnosis.lines()]
        out.append("")
    run = result.run
    source = f"Held-out set `{run.heldout}`" if run.heldout else "Held-out set"
    if run.export_hash:
        source += f" (export `{run.export_hash}`)"
    sizes = ", ".join(f"{t.task} {t.n}" for t in result.tasks.values())
    out += [f"{source}; examples: {sizes}.", ""]
    out += _md_table([TABLE_HEADER, *table_rows(result)])
    out += ["", LEGEND, "", "## Verdicts", ""]
    out += [f"- {task.verdict}" for task in result.tasks.values()]
    out += ["", "## Error taxonomy", ""]
    out += [f"- {_errors_line(task)}" for task in result.tasks.values()]
    out += ["", "## Latency, tokens, cost", ""]
    out += _md_table([OPERATIONAL_HEADER, *operational_rows(result)])
    out += ["", "## 95% intervals per model", ""]
    out += _md_table([("task", "metric", "candidate", "baseline"), *_side_interval_rows(result)])
    for task in result.tasks.values():
        lost = task.lost_examples()
        if lost:
            out += ["", f"## {task.task}: examples the candidate lost ({len(lost)})", ""]
            out += [_lost_line(example) for example in lost[:LOST_SHOWN]]
    out += ["", _store_line(result), ""]
    return "\n".join(out)


def _side_interval_rows(result: EvalResult) -> list[tuple[str, ...]]:
    return [
        (task.task, name, _fmt_interval(row.candidate_ci95), _fmt_interval(row.baseline_ci95))
        for task in result.tasks.values()
        for name, row in task.metrics.items()
        if name not in OPERATIONAL
    ]


def _lost_line(example: ExampleResult) -> str:
    return (
        f"- {example.example.id} (line {example.example.line}): score "
        f"{example.candidate.score:.3f} vs {example.baseline.score:.3f}; candidate "
        f"{example.candidate.output.kind}: `{_snippet(answer_summary(example.candidate.output))}`"
    )


def answer_summary(output: Output) -> str:
    """An answer on one line: its content, then each tool call as ``name(arguments)``."""
    calls = [f"{call.name}({_compact(call.arguments)})" for call in output.tool_calls]
    return " ".join(part for part in (output.content.strip(), *calls) if part)


def _compact(arguments: object) -> str:
    if isinstance(arguments, str):
        return arguments
    try:
        return orjson.dumps(arguments).decode()
    except TypeError:
        return repr(arguments)


def _errors_line(task: TaskResult) -> str:
    sides = []
    for side in SIDES:
        counts = ", ".join(f"{k} {v}" for k, v in sorted(task.errors[side].items()))
        sides.append(f"{side} {counts or '-'}")
    kinds = kinds_label(task)
    where = f"n={task.n}, {kinds}" if kinds else f"n={task.n}"
    return f"{task.task} ({where}): " + "; ".join(sides)


def kinds_label(task: TaskResult) -> str:
    """The task's output kinds (``tool_call``; ``tool_call 3, text 1``); "" when all json."""
    if set(task.kinds) <= {"json"}:
        return ""
    if len(task.kinds) == 1:
        return next(iter(task.kinds))
    return ", ".join(f"{kind} {n}" for kind, n in task.kinds.items())


def _store_line(result: EvalResult) -> str:
    run = result.run
    if run.eval_id is None:
        return ""
    resumed = ", resumed" if run.resumed else ""
    return (
        f"eval #{run.eval_id} stored in {run.db_path} "
        f"({run.requests_sent} requests sent, {run.cached} answers from the cache{resumed})"
    )


def _plain_table(rows: list[tuple[str, ...]]) -> str:
    if len(rows) <= 1:
        return ""
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)) for row in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(line.rstrip() for line in lines)


def _md_table(rows: list[tuple[str, ...]]) -> list[str]:
    if len(rows) <= 1:
        return ["(none)"]
    lines = ["| " + " | ".join(rows[0]) + " |", "|" + "---|" * len(rows[0])]
    return lines + [
        "| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |" for row in rows[1:]
    ]


def _fmt(name: str, value: float | None) -> str:
    if value is None:
        return "—"
    if name.endswith("_ms"):
        return f"{value:.0f}"
    if name.endswith("_tokens"):
        return f"{value:.0f}"
    if name == "cost_usd":
        return f"${value:.4f}"
    return f"{value:.3f}"


def _fmt_delta(name: str, value: float | None) -> str:
    if value is None:
        return "—"
    text = _fmt(name, abs(value)).lstrip("$")
    sign = "+" if value > 0 else "-" if value < 0 else "±"
    return f"{sign}{text}"


def _fmt_interval(interval: Interval | None) -> str:
    if interval is None:
        return "—"
    return f"[{interval[0]:+.3f}, {interval[1]:+.3f}]"


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 6)


def _snippet(text: str, limit: int = 80) -> str:
    flat = " ".join(text.split()).replace("`", "'")
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"
