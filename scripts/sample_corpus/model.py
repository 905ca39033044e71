"""Plain records shared by the corpus builders: calls, marks of planted defects, built runs."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Planted:
    """One planted defect the checker must report.

    Attributes:
        rule: the rule id that must fire.
        where: `run:<run_id>` for a run-level rule (every call of the run fails with it), or
            `<file relative to sample_traces/>:<1-based physical line>` for a call-level rule.
        note: what was planted, in words.
        also: other rule ids that the same defect makes fire at the same place, per RULES.md.
    """

    rule: str
    where: str
    note: str
    also: tuple[str, ...] = ()


@dataclass(frozen=True)
class Mark:
    """A planted defect attached to a call or a run before its line position is known."""

    rule: str
    note: str
    also: tuple[str, ...] = ()


@dataclass
class Call:
    """One logged LLM call: a JSONL line once laid out in its file."""

    task: str
    file: str
    messages: list[dict[str, Any]]
    metadata: dict[str, Any] | None
    tools: list[dict[str, Any]] | None = None
    marks: list[Mark] = field(default_factory=list)

    @property
    def output(self) -> str:
        return self.messages[-1]["content"]

    @output.setter
    def output(self, text: str) -> None:
        self.messages[-1]["content"] = text

    @property
    def run_id(self) -> str | None:
        return (self.metadata or {}).get("run_id")

    def line_object(self) -> dict[str, Any]:
        line: dict[str, Any] = {"messages": self.messages}
        if self.tools is not None:
            line["tools"] = self.tools
        if self.metadata is not None:
            line["metadata"] = self.metadata
        return line

    def content_chars(self) -> int:
        """Characters of every message's content, as band.context_chars counts them."""
        return sum(message_chars(message) for message in self.messages)


@dataclass
class BuiltRun:
    """Everything one simulated agent run produced."""

    run_id: str
    calls: list[Call]
    summary: dict[str, Any]
    marks: list[Mark]

    @property
    def is_clean(self) -> bool:
        return not self.marks and not any(call.marks for call in self.calls)


def message_chars(message: dict[str, Any]) -> int:
    """Characters of a message's content: a string, the text of its parts, or none."""
    content = message.get("content")
    if isinstance(content, str):
        return len(content)
    if isinstance(content, list):
        return sum(len(part.get("text", "")) for part in content)
    return 0


def dump_output(task: str, value: Any) -> str:
    """Serialize an assistant output the way the agent's model writes it for `task`."""
    indent = 2 if task == "planning" else None
    return json.dumps(value, ensure_ascii=False, indent=indent)
