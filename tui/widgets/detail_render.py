"""Rich renderables for the detail pane: header, findings, messages (JSON highlighted, ungrounded
values marked) and metadata. Text is cut when rendering, never when stored, so a 60 000-char
page never freezes the pane; "show all" lifts the cut.
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


def messages_renderable(detail: CallDetail, expanded: bool) -> RenderableType:
    """Every message under a rule naming its role; the output pretty and highlighted."""
    parsed = detail.parsed
    if parsed is None:
        return Text(detail.read_error or "the call could not be read", style="bold red")
    parts: list[RenderableType] = []
    last = len(parsed.messages) - 1
    for index, message in enumerate(parsed.messages):
        is_output = index == last and message.role == "assistant"
        parts.append(_role_rule(message, is_output))
        if is_output:
            shown = parsed.pretty_output if parsed.pretty_output is not None else message.text
            parts.append(output_text(shown, detail.ungrounded, parsed.output_is_json, expanded))
        else:
            parts.append(_plain(message.text, INPUT_PREVIEW_CHARS, expanded))
        if message.extras:
            extras = orjson.dumps(message.extras, option=orjson.OPT_INDENT_2).decode()
            parts.append(output_text(extras, (), True, expanded))
    if detail.own.repair is not None:
        parts.append(Rule("[bold magenta]repaired output[/] (saved; the original is kept)"))
        parts.append(output_text(_pretty(detail.own.repair), (), True, expanded))
        rerun = detail.repair_findings or ()
        parts.append(findings_text(rerun, ()) if rerun else Text("✓ repair passes the rules"))
    return Group(*parts)


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
    text.append("trace: ", style="bold")
    text.append(detail.trace_id)
    return text


def _role_rule(message: MessageView, is_output: bool) -> Rule:
    style = ROLE_STYLES.get(message.role, "white")
    label = f"[bold {style}]{escape(safe_line(message.role))}[/]"  # an odd role is not markup
    if is_output:
        label += " [dim](target)[/]"
    return Rule(f"{label} [dim]{len(message.text):,} chars[/]", align="left", style="dim")


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
