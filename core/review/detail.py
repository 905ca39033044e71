"""One call's detail, loaded on demand: its messages read back from the corpus file, findings,
review state, repair (with the rules re-run on it) and the values the rules found ungrounded.

Parsing is the expensive part for a 60 000-char call, so parsed calls sit in a small LRU; the
review state is read fresh every time, since it changes with every keystroke.
"""

from __future__ import annotations

import re
import sqlite3
import threading
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

from core.config import CuratorConfig
from core.corpus.lines import read_span
from core.corpus.records import MalformedLine, parse_line
from core.jsontext import parse_strict
from core.review.decisions import Target, TargetState, state_of
from core.review.repair import AutoRepair, auto_repair, findings_on_repair
from core.review.tool_views import (
    ToolCallView,
    ToolView,
    part_text,
    tool_call_views,
    tool_views,
    tools_chars,
)
from core.rules.registry import RUN_RULE_IDS

CACHE_SIZE = 32
_QUOTED = re.compile(r'"((?:[^"\\]|\\.)+)"|“([^”]+)”|\'([^\']+)\'')


@dataclass(frozen=True, slots=True)
class MessageView:
    """One message: its role, its content as text (non-text parts as placeholders), its tool
    calls, and every other key it carries."""

    role: str
    text: str
    extras: dict[str, Any]
    tool_calls: tuple[ToolCallView, ...] = ()


@dataclass(frozen=True, slots=True)
class FindingView:
    """A finding and where it comes from: the call itself or its run."""

    rule: str
    severity: str
    message: str
    level: str  # "call" or "run"


@dataclass(frozen=True, slots=True)
class ParsedCall:
    """The parsed trace line and what is derived from it alone (cached)."""

    record: dict[str, Any]
    messages: tuple[MessageView, ...]
    output: str | None
    output_is_json: bool
    pretty_output: str | None  # indented JSON when the output parses as returned
    auto_repair: AutoRepair | None
    tools: tuple[ToolView, ...] = ()
    tools_chars: int = 0  # the ``tools`` schemas' share of the context


@dataclass(frozen=True, slots=True)
class CallDetail:
    """Everything the detail pane shows about one call."""

    call_id: int
    trace_id: str
    file: str
    path: Path
    line: int
    task: str
    kind: str
    run_id: str
    seq: int | None
    round: int | None
    model: str | None
    verdict: str
    metadata: dict[str, Any]
    findings: tuple[FindingView, ...]
    ungrounded: tuple[str, ...]
    context_chars: int
    max_context_chars: int
    own: TargetState
    run: TargetState
    parsed: ParsedCall | None
    read_error: str | None
    repair_findings: tuple[FindingView, ...] | None

    @property
    def decision(self) -> str | None:
        return self.own.decision or self.run.decision

    @property
    def decided_on(self) -> str | None:
        return "call" if self.own.decision else "run" if self.run.decision else None

    @property
    def reason(self) -> str | None:
        return self.own.reason if self.own.decision else self.run.reason

    @property
    def failing_rules(self) -> list[str]:
        """Rules with an error finding, in order, each once: the reasons a reject can pick."""
        return list(dict.fromkeys(f.rule for f in self.findings if f.severity == "error"))


_DETAIL_SQL = """
SELECT c.trace_id, f.relpath, f.path, c.line, c.offset, c.length, c.task, c.run_id, c.seq,
       c.round, c.model, c.verdict, c.metadata, c.findings, c.context_chars, f.size, f.mtime_ns,
       c.kind
FROM calls c JOIN files f ON f.id = c.file_id WHERE c.id = ?
"""


class DetailLoader:
    """Loads :class:`CallDetail` by call id, keeping the last few parsed calls.

    Thread-safe: the app loads details in worker threads, each with its own connection.
    """

    def __init__(self, config: CuratorConfig, size: int = CACHE_SIZE) -> None:
        self.config = config
        self.size = size
        self._parsed: OrderedDict[tuple[Any, ...], ParsedCall] = OrderedDict()
        self._lock = threading.Lock()

    def load(self, conn: sqlite3.Connection, call_id: int) -> CallDetail | None:
        """The detail of one call; None when the id is not in the index."""
        row = conn.execute(_DETAIL_SQL, (call_id,)).fetchone()
        if row is None:
            return None
        (trace, relpath, path, line, offset, length, task, run_id, seq, round_, model, verdict,
         metadata, findings, chars, size, mtime_ns, kind) = tuple(row)  # fmt: skip
        parsed, error = self._parse(Path(path), offset, length, (call_id, path, size, mtime_ns))
        views = tuple(_finding(f) for f in orjson.loads(findings))
        own = state_of(conn, Target("call", trace))
        repair_findings = None
        if own.repair is not None and parsed is not None:
            repair_findings = tuple(
                _finding(f.model_dump(mode="json"))
                for f in findings_on_repair(parsed.record, task, own.repair, self.config)
            )
        return CallDetail(
            call_id=call_id,
            trace_id=trace,
            file=relpath,
            path=Path(path),
            line=line,
            task=task,
            kind=kind,
            run_id=run_id,
            seq=seq,
            round=round_,
            model=model,
            verdict=verdict,
            metadata=orjson.loads(metadata),
            findings=views,
            ungrounded=ungrounded_values(views),
            context_chars=chars,
            max_context_chars=self.config.bands.max_context_chars,
            own=own,
            run=state_of(conn, Target("run", run_id)),
            parsed=parsed,
            read_error=error,
            repair_findings=repair_findings,
        )

    def _parse(
        self, path: Path, offset: int, length: int, key: tuple[Any, ...]
    ) -> tuple[ParsedCall | None, str | None]:
        with self._lock:
            cached = self._parsed.get(key)
            if cached is not None:
                self._parsed.move_to_end(key)
                return cached, None
        try:
            parsed = parse_call(read_span(path, offset, length))
        except (OSError, EOFError) as exc:
            return None, f"cannot read {path}: {exc}"
        except MalformedLine as exc:
            return None, f"{path}: the line changed since it was indexed ({exc}); re-run check"
        with self._lock:
            self._parsed[key] = parsed
            while len(self._parsed) > self.size:
                self._parsed.popitem(last=False)
        return parsed, None


def parse_call(content: bytes) -> ParsedCall:
    """Parse one trace line into what the detail pane shows."""
    record = parse_line(content)
    raw = record.get("messages")
    messages = tuple(_message(m) for m in raw) if isinstance(raw, list) else ()
    last = raw[-1] if isinstance(raw, list) and raw else None
    output = last.get("content") if isinstance(last, dict) else None
    output = output if isinstance(output, str) else None
    strict = parse_strict(output)
    pretty = None
    if strict.ok:
        pretty = orjson.dumps(strict.value, option=orjson.OPT_INDENT_2).decode()
    tools = record.get("tools")
    return ParsedCall(
        record,
        messages,
        output,
        strict.ok,
        pretty,
        auto_repair(output),
        tool_views(tools),
        tools_chars(tools),
    )


def _message(raw: Any) -> MessageView:
    if not isinstance(raw, dict):
        return MessageView("?", orjson.dumps(raw).decode(), {})
    content = raw.get("content")
    if isinstance(content, str):
        text = content
    elif isinstance(content, list):
        text = "\n".join(part_text(part) for part in content)
    else:
        text = "" if content is None else orjson.dumps(content).decode()
    calls = tool_call_views(raw)
    skip = ("role", "content", "tool_calls") if calls else ("role", "content")
    extras = {k: v for k, v in raw.items() if k not in skip}
    return MessageView(str(raw.get("role", "?")), text, extras, calls)


def _finding(raw: dict[str, Any]) -> FindingView:
    rule = str(raw.get("rule", "?"))
    return FindingView(
        rule=rule,
        severity=str(raw.get("severity", "error")),
        message=str(raw.get("message", "")),
        level="run" if rule in RUN_RULE_IDS else "call",
    )


def ungrounded_values(findings: tuple[FindingView, ...]) -> tuple[str, ...]:
    """The values ``*.ungrounded`` findings name (quoted in their messages), each once."""
    values: dict[str, None] = {}
    for finding in findings:
        if not finding.rule.endswith(".ungrounded"):
            continue
        for match in _QUOTED.finditer(finding.message):
            value = next(group for group in match.groups() if group is not None)
            values.setdefault(value.replace('\\"', '"'), None)
    return tuple(values)
