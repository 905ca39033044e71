"""Rich renderables the eval widgets share: which side a metric favours, its styled cell, a
model answer as pretty JSON (raw text when it does not parse) with its tool calls (name and
pretty arguments), and short paths.

Values are formatted by ``core.eval.report`` so the screen shows the CLI's numbers; this module
only decides colours and layout.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

import orjson
from rich.highlighter import JSONHighlighter
from rich.text import Text

from core.eval.metrics import LOWER_IS_BETTER
from core.eval.outputs import OK, Output
from core.eval.toolcalls import ToolCall
from core.jsontext import parse_strict
from tui.safe import clean_text

# The report's legend: entity_count_ratio is best closest to 1, neither higher nor lower.
CLOSEST_TO_ONE = frozenset({"entity_count_ratio"})
BETTER_STYLE = "bold green"
WORSE_STYLE = "red"
ANSWER_PREVIEW_CHARS = 20_000  # a pane never freezes on a runaway answer
_TIE = 1e-9
_json_highlighter = JSONHighlighter()


def better_side(name: str, candidate: float | None, baseline: float | None) -> str | None:
    """``candidate``, ``baseline``, or None when tied or undefined on either side."""
    if candidate is None or baseline is None:
        return None
    if name in CLOSEST_TO_ONE:
        cand, base = -abs(candidate - 1.0), -abs(baseline - 1.0)
    elif name in LOWER_IS_BETTER:
        cand, base = -candidate, -baseline
    else:
        cand, base = candidate, baseline
    if abs(cand - base) <= _TIE:
        return None
    return "candidate" if cand > base else "baseline"


def side_cell(text: str, side: str, better: str | None) -> Text:
    """A candidate or baseline value: green when that side is better, red when worse."""
    if better is None:
        return Text(text, justify="right")
    return Text(text, style=BETTER_STYLE if better == side else WORSE_STYLE, justify="right")


def delta_cell(text: str, better: str | None) -> Text:
    """Δ coloured from the candidate's point of view: green when it is the better side."""
    if better is None:
        return Text(text, style="dim", justify="right")
    return Text(text, style="green" if better == "candidate" else "red", justify="right")


def errors_text(errors: Mapping[str, Mapping[str, int]], sides: tuple[str, ...]) -> Text:
    """``candidate http_404 3 · baseline ok 3``: ok in green, every other kind in red."""
    text = Text()
    for index, side in enumerate(sides):
        if index:
            text.append("  ·  ", style="dim")
        text.append(f"{side} ", style="bold")
        counts = sorted(errors.get(side, {}).items(), key=lambda kv: (kv[0] != OK, kv[0]))
        if not counts:
            text.append("none", style="dim")
        for position, (kind, count) in enumerate(counts):
            if position:
                text.append(", ")
            text.append(f"{kind} {count}", style="green" if kind == OK else "bold red")
    return text


def answer_text(content: str, tool_calls: Sequence[ToolCall] = ()) -> Text:
    """An answer as returned: indented, highlighted JSON when it parses strictly, else raw;
    then each tool call as its function name and pretty arguments."""
    if content.strip() or not tool_calls:
        parsed = parse_strict(content)
        text = _pretty_json(parsed.value) if parsed.ok else Text(_cut(content))
    else:
        text = Text()
    for call in tool_calls:
        if text:
            text.append("\n")
        text.append_text(tool_call_text(call))
    text = clean_text(text)  # a model's answer: its controls shown, never sent
    text.no_wrap = False
    return text


def tool_call_text(call: ToolCall) -> Text:
    """``→ get_weather`` and its arguments: pretty JSON, or raw when not a JSON object."""
    text = Text.assemble(("→ ", "dim"), (call.name or "(no name)", "bold cyan"), "\n")
    parsed = call.parsed_arguments
    if parsed is not None:
        text.append_text(_pretty_json(parsed))
    else:
        text.append("arguments not a JSON object: ", style="bold red")
        raw = call.arguments if isinstance(call.arguments, str) else repr(call.arguments)
        text.append(_cut(raw))
    return text


def _pretty_json(value: object) -> Text:
    shown = orjson.dumps(value, option=orjson.OPT_INDENT_2).decode()
    return _json_highlighter(Text(_cut(shown)))


def output_heading(output: Output) -> Text:
    """``ok  finish stop · 12 ms · 350→40 tokens``, then the kind's detail if there is content."""
    text = Text()
    text.append(f" {output.kind} ", style="reverse bold " + ("green" if output.usable else "red"))
    parts = []
    if output.status is not None:
        parts.append(f"HTTP {output.status}")
    if output.finish_reason:
        parts.append(f"finish {output.finish_reason}")
    if output.latency_ms is not None:
        parts.append(f"{output.latency_ms:.0f} ms")
    if output.prompt_tokens is not None and output.completion_tokens is not None:
        parts.append(f"{output.prompt_tokens}→{output.completion_tokens} tokens")
    if output.attempts > 1:
        parts.append(f"{output.attempts} attempts")
    if parts:
        text.append("  " + " · ".join(parts), style="dim")
    if output.detail and output.content:  # without content, missing_output_text says it
        text.append(f"\n{output.detail}", style="yellow")
    return text


def missing_output_text(output: Output) -> Text:
    """What stands in for an answer that has no content: kind, status and the detail."""
    text = Text.assemble(("no output\n", "bold red"))
    text.append("kind: ", style="dim")
    text.append(f"{output.kind}\n")
    if output.status is not None:
        text.append("status: ", style="dim")
        text.append(f"{output.status}\n")
    if output.detail:
        text.append("detail: ", style="dim")
        text.append(output.detail)
    if output.reasoning:
        text.append("\nreasoning: ", style="dim")
        text.append(_cut(output.reasoning), style="italic")
    return text


def shown_path(path: str | Path | None) -> str:
    """A path as short as it can honestly be: relative to the working folder, or ``~/…``."""
    if path is None or str(path) == "":
        return ""
    resolved = Path(path)
    try:
        return str(resolved.relative_to(Path.cwd())) or "."
    except ValueError:
        pass
    try:
        return "~/" + str(resolved.relative_to(Path.home()))
    except ValueError:
        return str(resolved)


def _cut(text: str) -> str:
    if len(text) <= ANSWER_PREVIEW_CHARS:
        return text
    return text[:ANSWER_PREVIEW_CHARS] + f"\n… {len(text) - ANSWER_PREVIEW_CHARS:,} more chars"
