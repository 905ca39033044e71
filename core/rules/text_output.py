"""Output rules for every kind: output.empty beyond JSON, output.repetition, output.length.

A ``text``, ``reasoning`` or ``tool_call`` target is not JSON, so only emptiness is asked of it
(a ``tool_call`` target with null content is not empty). output.repetition looks for the
degenerate loop a model falls into: the output *ends* in one short span (at most
:data:`MAX_PERIOD` chars) repeated, covering at least half the output, at least
:data:`MIN_REPEATS` copies and :data:`MIN_REPEATED_CHARS` chars. It is linear time: the last
few chars are searched for backwards within :data:`MAX_PERIOD` chars, and each candidate
period is verified with one slice comparison.
"""

from __future__ import annotations

from typing import Any

from core.rules.findings import FindingList, quote
from core.rules.kinds import OutputKind

MAX_PERIOD = 200
MIN_REPEATS = 4
MIN_REPEATED_CHARS = 100
WINDOW = 8


def check_plain_output(
    messages: Any, text: str | None, kind: OutputKind, findings: FindingList
) -> None:
    """output.empty for a call that is not ``json``: blank text, or null without tool calls."""
    if text is None:
        return  # null content: a tool call, or format.messages' finding
    if not text.strip() and not (kind is OutputKind.TOOL_CALL and _has_tool_calls(messages)):
        blank = f"{len(text)} whitespace chars" if text else "empty"
        findings.add("output.empty", f"assistant content is {blank}")


def check_output_size(text: str | None, max_chars: int, findings: FindingList) -> None:
    """output.repetition and output.length on the output text, when there is one."""
    if not text:
        return
    size = len(text)
    if size > max_chars and "output.length" in findings.enabled:
        message = f"output {size:,} chars > max_output_chars {max_chars:,}"
        findings.add("output.length", message)
    if size >= MIN_REPEATED_CHARS and "output.repetition" in findings.enabled:
        found = repeated_tail(text)
        if found is not None:
            span, copies, share = found
            findings.add(
                "output.repetition",
                f"{quote(span)} repeated {copies}× fills the last {share:.0%} of the output",
            )


def repeated_tail(text: str) -> tuple[str, int, float] | None:
    """(span, copies, share of the output) when the output ends in a degenerate loop."""
    end = len(text)
    if text[end - 1].isspace():
        end = len(text.rstrip())
    if end < MIN_REPEATED_CHARS:
        return None
    lowest = max(0, end - WINDOW - MAX_PERIOD)
    found = text.rfind(text[end - WINDOW : end], lowest, end - 1)
    if found < 0:
        return None  # the common case: the output's last chars do not recur just before
    needle = text[end - WINDOW : end]
    while found >= 0:
        period = end - WINDOW - found
        need = max((end + 1) // 2, MIN_REPEATS * period, MIN_REPEATED_CHARS)
        # First the last few copies (short slices), so a false candidate costs little.
        few = MIN_REPEATS * period
        if (
            need <= end
            and text[end - few + period : end] == text[end - few : end - period]
            and text[end - need + period : end] == text[end - need : end - period]
        ):
            length = _periodic_length(text, end, period, need)
            return text[end - period : end], length // period, length / end
        found = text.rfind(needle, lowest, found + WINDOW - 1)
    return None


def _periodic_length(text: str, end: int, period: int, known: int) -> int:
    """The longest suffix of ``text[:end]`` with this period (at least ``known``): binary search."""
    low, high = known, end
    while low < high:
        middle = (low + high + 1) // 2
        if text[end - middle + period : end] == text[end - middle : end - period]:
            low = middle
        else:
            high = middle - 1
    return low


def _has_tool_calls(messages: Any) -> bool:
    last = messages[-1] if isinstance(messages, list) and messages else None
    return isinstance(last, dict) and bool(last.get("tool_calls"))
