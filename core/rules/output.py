"""The generic output rules: output.empty, output.invalid_json, output.fenced, output.reasoning.

They read the assistant target as returned. Fences and reasoning can only exist when the strict
parse fails, so the common case (clean JSON) costs one ``orjson.loads`` and nothing else.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from core.jsontext import has_fence, has_think_block, parse_strict, strip_wrappers
from core.rules.findings import FindingList, quote
from core.rules.messages import output_text

FENCE = "```"
_THINK_TAGS = ("<thinking>", "<think>", "<reasoning>")


class OutputJson(NamedTuple):
    """The JSON an output holds: ``text`` is what parsed (the whole output when ``strict``)."""

    value: Any
    text: str
    strict: bool


def check_output(messages: Any, findings: FindingList) -> OutputJson | None:
    """Run the output rules on the last message; return its JSON for the task rules.

    Returns the strictly parsed value, else the value found after removing fences and
    reasoning (so task rules can still say what else is wrong), else None. A missing or
    mistyped assistant message is format.messages' to report, not these rules'.
    """
    text = output_text(messages)
    if text is None:
        if _is_tool_call_target(messages):
            findings.add("output.empty", "assistant content is null (a tool call, not JSON)")
        return None
    strict = parse_strict(text)
    if strict.ok:
        return OutputJson(strict.value, text, True)
    if not text.strip():
        blank = f"{len(text)} whitespace chars" if text else "empty"
        findings.add("output.empty", f"assistant content is {blank}")
        return None
    return _check_wrapped(text, findings)


def _check_wrapped(text: str, findings: FindingList) -> OutputJson | None:
    json_text = strip_wrappers(text)
    lenient = parse_strict(json_text)
    before, after = _surroundings(text, json_text) if lenient.ok else ("", "")
    fenced = has_fence(text) or FENCE in before or FENCE in after
    findings.add("output.invalid_json", _invalid_json_message(text, fenced, lenient.ok))
    if fenced:
        findings.add(
            "output.fenced", f"JSON wrapped in a markdown code fence ({_fence_opening(text)})"
        )
    if "output.reasoning" in findings.enabled:
        _check_reasoning(text, before, after, findings)
    return OutputJson(lenient.value, json_text, False) if lenient.ok else None


def _check_reasoning(text: str, before: str, after: str, findings: FindingList) -> None:
    if has_think_block(text):
        lowered = text.lower()
        tag = next((tag for tag in _THINK_TAGS if tag in lowered), "<think>")
        findings.add("output.reasoning", f"{tag} reasoning block in the output")
        return
    prose_before = _drop_fence_marker(before, opening=True).strip()
    prose_after = _drop_fence_marker(after, opening=False).strip()
    if prose_before and prose_after:
        message = f"prose before and after the JSON: {quote(prose_before)} … {quote(prose_after)}"
    elif prose_before or prose_after:
        where = "before" if prose_before else "after"
        message = f"prose {where} the JSON: {quote(prose_before or prose_after)}"
    else:
        return
    findings.add("output.reasoning", message)


def _surroundings(text: str, json_text: str) -> tuple[str, str]:
    """The text before and after the isolated JSON; empty when it cannot be located."""
    start = text.find(json_text)
    if start < 0:
        return "", ""
    return text[:start], text[start + len(json_text) :]


def _drop_fence_marker(piece: str, *, opening: bool) -> str:
    """Remove the fence line touching the JSON: ```` ```json ```` before it, ```` ``` ```` after."""
    if FENCE not in piece:
        return piece
    if opening:
        return piece.rpartition(FENCE)[0]
    return piece.partition(FENCE)[2]


def _fence_opening(text: str) -> str:
    start = text.find(FENCE)
    line_end = text.find("\n", start)
    opening = text[start : line_end if line_end >= 0 else start + 12].strip()
    return opening[:12]


def _invalid_json_message(text: str, fenced: bool, json_inside: bool) -> str:
    if json_inside:
        wrapper = "inside a code fence" if fenced else "with text around it"
        return f"output is not JSON as returned: JSON {wrapper}"
    return f"output does not parse as JSON: {quote(text.strip())}"


def _is_tool_call_target(messages: Any) -> bool:
    last = messages[-1] if isinstance(messages, list) and messages else None
    return (
        isinstance(last, dict)
        and last.get("role") == "assistant"
        and last.get("content") is None
        and bool(last.get("tool_calls"))
    )
