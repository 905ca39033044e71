"""Rich renderables for the detail pane: header, findings, the line's tools (folded to one line
each), messages (JSON highlighted, ungrounded values marked, tool calls with their arguments
pretty-printed) and metadata. Text is cut when rendering, never when stored, so a 60 000-char
page never freezes the pane; "show all" lifts the cut and unfolds the tools.
"""

from __future__ import annotations

from typing import Any

import orjson
from rich.console import Group, RenderableType
from rich.highlighter import JSONHighlighter
from rich.markup import escape
from rich.rule import Rule
from rich.text import Text

from core.review.detail import CallDetail, FindingView, MessageView
from core.review.tool_views import ToolCallView, ToolView
from core.textsafe import safe_line

INPUT_PREVIEW_CHARS = 1_500
OUTPUT_PREVIEW_CHARS = 6_000
EXPANDED_CHARS = 250_000  # even "show all" stops somewhere: a multi-MB line would still freeze
ROLE_STYLES = {"system": "magenta", "user": "cyan", "assistant": "green", "tool": "yellow"}
UNGROUNDED_STYLE = "bold white on red3 underline"
_json_highlighter = JSONHighlighter()


def title_text(detail: CallDetail) -> Text:
    """Two lines: where the call is, then its verdict and review state."""
    seq = "-" if detail.seq is None else detail.seq
    place = f"  seq {seq}" + ("" if detail.round is None else f" round {detail.round}")
    text = Text.assemble(
        (detail.task, "bold"),
        "  ",
        (detail.run_id, "bold cyan"),
        place,
        (f"  {detail.file}:{detail.line}", "dim"),
        (f"  {detail.trace_id[:12]}", "dim"),
        "\n",
    )
    verdict_style = {"fail": "bold red", "pass": "bold green"}.get(detail.verdict, "bold yellow")
    text.append(f" {detail.verdict.upper()} ", style=f"reverse {verdict_style}")
    text.append("  ")
    if detail.decision is None:
        text.append("undecided", style="dim")
    else:
        style = "bold green" if detail.decision == "accept" else "bold red"
        text.append(("✓ accepted" if detail.decision == "accept" else "✗ rejected"), style=style)
        if detail.decided_on == "run":
            text.append(" (with its run)", style="dim")
        if detail.reason:
            text.append(f"  reason: {detail.reason}", style="italic")
    if detail.own.repair is not None:
        text.append("  ✎ repaired", style="bold magenta")
    if detail.own.tags:
        text.append("  " + " ".join(f"#{t}" for t in detail.own.tags), style="cyan")
    if detail.own.note:
        text.append(f"\n note: {detail.own.note}", style="italic")
    return text


def gauge_text(label: str, chars: int, limit: int, bar_width: int = 24) -> Text:
    """``context ████████░░░░ 12,345 / 60,000 chars (21%)``: red past the limit."""
    ratio = chars / limit if limit > 0 else 1.0
    filled = min(bar_width, round(bar_width * min(ratio, 1.0)))
    over = chars > limit
    colour = "red" if over else "yellow" if ratio > 0.8 else "green"
    text = Text(f"{label} ", style="bold")
    text.append("█" * filled, style=colour)
    text.append("░" * (bar_width - filled), style="dim")
    text.append(f" {chars:,} / {limit:,} chars ({ratio:.0%})")
    if over:
        text.append("  over", style="bold red")
    text.no_wrap = True
    text.overflow = "ellipsis"
    return text


def context_gauge(detail: CallDetail) -> Text:
    """The context gauge over messages and the ``tools`` schemas, which the model reads too."""
    tools = detail.parsed.tools_chars if detail.parsed is not None else 0
    text = gauge_text("context", detail.context_chars + tools, detail.max_context_chars)
    if tools:
        text.append(f"  incl. tools {tools:,}", style="dim")
    return text


def findings_text(findings: tuple[FindingView, ...], ungrounded: tuple[str, ...]) -> Text:
    """One line per finding (run-level ones marked), then the ungrounded values."""
    if not findings:
        return Text("✓ no findings", style="green")
    text = Text()
    for finding in findings:
        mark, style = ("✗", "red") if finding.severity == "error" else ("!", "yellow")
        text.append(f"{mark} ", style=f"bold {style}")
        text.append(finding.rule, style=f"bold {style}")
        text.append(f"  {finding.message}")
        if finding.level == "run":
            text.append("  (run)", style="dim")
        text.append("\n")
    if ungrounded:
        text.append("ungrounded: ", style="bold")
        for index, value in enumerate(ungrounded):
            text.append(("  " if index else "") + value, style=UNGROUNDED_STYLE)
    text.rstrip()
    return text


def repair_status_text(detail: CallDetail) -> Text | None:
    """Under the findings (which are the original output's): what the repair's own check says;
    None when the call has no repair."""
    if detail.own.repair is None:
        return None
    failing = [f.rule for f in detail.repair_findings or () if f.severity == "error"]
    if not failing:
        return Text("repaired: ✓ the repair passes the content rules", style="bold green")
    text = Text("repaired: ✗ the repair still fails ", style="bold red")
    text.append(", ".join(failing), style="bold")
    return text


def messages_renderable(detail: CallDetail, expanded: bool) -> RenderableType:
    """Every message under a rule naming its role; the output pretty and highlighted."""
    parsed = detail.parsed
    if parsed is None:
        return Text(detail.read_error or "the call could not be read", style="bold red")
    parts: list[RenderableType] = []
    if parsed.tools:
        parts.extend(tools_renderables(parsed.tools, expanded))
    last = len(parsed.messages) - 1
    for index, message in enumerate(parsed.messages):
        is_output = index == last and message.role == "assistant"
        parts.append(_role_rule(message, is_output))
        if is_output:
            shown = parsed.pretty_output if parsed.pretty_output is not None else message.text
            if shown or not message.tool_calls:
                parts.append(output_text(shown, detail.ungrounded, parsed.output_is_json, expanded))
        elif message.text or not message.tool_calls:
            parts.append(_plain(message.text, INPUT_PREVIEW_CHARS, expanded))
        for call in message.tool_calls:
            parts.append(tool_call_text(call, expanded))
        extras = {k: v for k, v in message.extras.items() if k != "tool_call_id"}
        if extras:
            dumped = orjson.dumps(extras, option=orjson.OPT_INDENT_2).decode()
            parts.append(output_text(dumped, (), True, expanded))
    if detail.own.repair is not None:
        parts.append(Rule("[bold magenta]repaired output[/] (saved; the original is kept)"))
        parts.append(output_text(_pretty(detail.own.repair), (), True, expanded))
        rerun = detail.repair_findings or ()
        parts.append(findings_text(rerun, ()) if rerun else Text("✓ repair passes the rules"))
    return Group(*parts)


def tools_renderables(tools: tuple[ToolView, ...], expanded: bool) -> list[RenderableType]:
    """The line's tools: one line each (name and description); "show all" adds parameters."""
    plural = "" if len(tools) == 1 else "s"
    hint = "" if expanded else " — m: show schemas"
    title = f"[bold blue]tools[/] [dim]{len(tools)} schema{plural}{hint}[/]"
    parts: list[RenderableType] = [Rule(title, align="left", style="dim")]
    for tool in tools:
        line = Text("ƒ ", style="bold blue")
        line.append(tool.name, style="bold")
        if tool.description:
            line.append(f"  {tool.description}", style="dim")
        if not expanded:
            line.no_wrap = True
            line.overflow = "ellipsis"
        parts.append(line)
        if expanded and tool.parameters:
            parts.append(output_text(tool.parameters, (), True, expanded))
    return parts


def tool_call_text(call: ToolCallView, expanded: bool) -> Text:
    """``→ name  id`` and the arguments: indented JSON, or as they are with what is wrong."""
    text = Text("→ ", style="bold blue")
    text.append(call.name, style="bold")
    if call.call_id:
        text.append(f"  {call.call_id}", style="dim")
    if call.problem:
        text.append(f"  ✗ {call.problem}", style="bold red")
    text.append("\n")
    text.append_text(output_text(call.arguments, (), not call.problem, expanded))
    return text


def output_text(text: str, marks: tuple[str, ...], is_json: bool, expanded: bool) -> Text:
    """Output text, JSON-highlighted when it is JSON, ungrounded values in reverse red."""
    body = _cut(text, EXPANDED_CHARS if expanded else OUTPUT_PREVIEW_CHARS)
    rendered = Text(body[0])
    if is_json:
        _json_highlighter.highlight(rendered)
    for value in marks:
        for form in {value, orjson.dumps(value).decode()[1:-1]}:
            for start in _occurrences(rendered.plain, form):
                rendered.stylize(UNGROUNDED_STYLE, start, start + len(form))
    if body[1]:
        rendered.append(_more(body[1]), style="italic dim")
    return rendered


def metadata_text(detail: CallDetail) -> Text:
    """The call's metadata, one key per line, unknown keys included."""
    text = Text()
    for key, value in detail.metadata.items():
        shown = value if isinstance(value, str) else orjson.dumps(value).decode()
        text.append(f"{key}: ", style="bold")
        text.append(f"{shown}\n")
    text.append("kind: ", style="bold")
    text.append(f"{detail.kind}\n")
    text.append("trace: ", style="bold")
    text.append(detail.trace_id)
    return text


def _role_rule(message: MessageView, is_output: bool) -> Rule:
    style = ROLE_STYLES.get(message.role, "white")
    label = f"[bold {style}]{escape(safe_line(message.role))}[/]"  # an odd role is not markup
    answered = message.extras.get("tool_call_id")
    if message.role == "tool" and answered is not None:
        label += f" [dim]answers[/] [bold]{escape(safe_line(answered))}[/]"
    if is_output:
        label += " [dim](target)[/]"
    size = f"{len(message.text):,} chars"
    if message.tool_calls:
        calls = len(message.tool_calls)
        size = ("" if not message.text else f"{size}, ") + f"{calls} tool call" + "s" * (calls > 1)
    return Rule(f"{label} [dim]{size}[/]", align="left", style="dim")


def _plain(text: str, limit: int, expanded: bool) -> Text:
    body, hidden = _cut(text, EXPANDED_CHARS if expanded else limit)
    rendered = Text(body)
    if hidden:
        rendered.append(_more(hidden), style="italic dim")
    return rendered


def _cut(text: str, limit: int) -> tuple[str, int]:
    if len(text) <= limit:
        return text, 0
    return text[:limit], len(text) - limit


def _more(hidden: int) -> str:
    return f"\n… {hidden:,} more chars — press m to show all"


def _pretty(text: str) -> str:
    try:
        value: Any = orjson.loads(text)
    except orjson.JSONDecodeError:
        return text
    return orjson.dumps(value, option=orjson.OPT_INDENT_2).decode()


def _occurrences(haystack: str, needle: str) -> list[int]:
    if not needle:
        return []
    found: list[int] = []
    lowered, target = haystack.lower(), needle.lower()
    if len(lowered) != len(haystack):
        lowered, target = haystack, needle
    start = lowered.find(target)
    while start != -1 and len(found) < 50:
        found.append(start)
        start = lowered.find(target, start + len(target))
    return found
