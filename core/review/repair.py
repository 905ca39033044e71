"""Repairs of the assistant output: one-key auto-repair of wrappers, diffs, and re-checking.

The original trace line is never modified: a repair is a corrected target stored beside it
(``decisions.set_repair``), and the content rules re-run on the corrected text so the reviewer
sees whether the repair fixed what failed.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Any

from core.config import CuratorConfig
from core.jsontext import has_fence, has_think_block, parse_strict, strip_wrappers
from core.models import Finding
from core.rules import calls as call_rules

FENCED, REASONING = "output.fenced", "output.reasoning"
AUTO_REPAIRABLE = (FENCED, REASONING)


@dataclass(frozen=True, slots=True)
class AutoRepair:
    """A proposed correction: what it fixes, the corrected text and a diff for display."""

    fixes: tuple[str, ...]
    original: str
    corrected: str
    diff: tuple[str, ...]


def auto_repair(output: str | None) -> AutoRepair | None:
    """Strip a code fence and/or reasoning around JSON; None when that would not help.

    Offered only when the output is not JSON as returned and the stripped text is.
    """
    if not output or parse_strict(output).ok:
        return None
    corrected = strip_wrappers(output)
    if corrected == output.strip() or not parse_strict(corrected).ok:
        return None
    fixes = [FENCED] if has_fence(output) else []
    if has_think_block(output) or not fixes or _prose_outside_fence(output):
        fixes.append(REASONING)
    return AutoRepair(tuple(fixes), output, corrected, tuple(unified_diff(output, corrected)))


def _prose_outside_fence(output: str) -> bool:
    """True when text other than the fence itself surrounds the JSON."""
    start, end = output.find("```"), output.rfind("```")
    return bool(output[:start].strip() or output[end + 3 :].strip())


def unified_diff(original: str, corrected: str) -> list[str]:
    """A unified diff (no trailing newlines) from the original output to the corrected one."""
    return list(
        difflib.unified_diff(
            original.splitlines(),
            corrected.splitlines(),
            fromfile="original",
            tofile="repaired",
            lineterm="",
        )
    )


def with_output(record: dict[str, Any], corrected: str) -> dict[str, Any]:
    """A copy of a call whose last message's content is ``corrected`` (the rest untouched)."""
    messages = list(record.get("messages") or [])
    if messages and isinstance(messages[-1], dict):
        messages[-1] = {**messages[-1], "content": corrected}
    return {**record, "messages": messages}


def findings_on_repair(
    record: dict[str, Any], task: str, corrected: str, config: CuratorConfig
) -> list[Finding]:
    """The call-level content rules run again with the corrected output as the target."""
    return call_rules.check_call(with_output(record, corrected), task, config)
