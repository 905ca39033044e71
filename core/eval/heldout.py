"""Reading a held-out set from an export folder, in either of the export's layouts:
``DIR/<task>/heldout.jsonl`` with ``DIR/manifest.json`` (``--layout tasks``), or the flat
``DIR/<task>-heldout.jsonl`` with ``DIR.meta/manifest.json`` (``--layout provider``). The
manifest is optional.

Each line is ``{"messages": [...], "tools"?: [...]}`` ending with an assistant message. A line
becomes one example per assistant turn that is a training target (``weight: 0`` turns are
skipped): the history before the turn is the prompt, the turn is the gold, so every step of a
tool-calling trajectory is scored. ``last_turn_only`` keeps one example per line, its last
message. Lines are taken whole, in file order, until a task has ``n`` examples (the last line
taken may bring a few more), so an eval of the same set is repeatable and a step never shows
without the steps before it.

An example's id is ``<trace>#<k>``: the line's trace id (from the export's ``.ids`` sidecar,
else ``L<line>``) and ``k``, the 1-based assistant turn it scores.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson
from pydantic import BaseModel, ConfigDict, ValidationError

from core.export.layout import sidecar_folder

HELDOUT_FILE = "heldout.jsonl"
FLAT_HELDOUT_SUFFIX = "-heldout.jsonl"  # --layout provider: DIR/<task>-heldout.jsonl
MANIFEST_FILE = "manifest.json"
MISSING_HINT = f"no <task>/{HELDOUT_FILE} or <task>{FLAT_HELDOUT_SUFFIX} inside"
KNOWN_TASKS = ("planning", "extraction", "enrichment")
# Message keys a chat-completions endpoint accepts; ``weight`` is a fine-tuning-only key.
_REQUEST_MESSAGE_KEYS = ("role", "content", "name", "tool_calls", "tool_call_id")


class HeldoutError(Exception):
    """A held-out set that cannot be read; the message names the file and line."""


class HeldoutLine(BaseModel):
    """One held-out line as exported (extra keys are kept but unused)."""

    model_config = ConfigDict(extra="allow")

    messages: list[dict[str, Any]]
    tools: list[dict[str, Any]] | None = None


@dataclass(frozen=True, slots=True)
class Example:
    """One held-out example of one task."""

    task: str
    position: int  # 0-based index among the task's selected examples
    line: int  # 1-based line in heldout.jsonl
    record: dict[str, Any]  # the held-out line as read, its messages cut after the gold turn
    trace: str = ""  # the line's trace id, when the export's .ids sidecar names it

    @property
    def step(self) -> int:
        """Which assistant turn of the line the gold is (1-based)."""
        return sum(1 for m in self.record["messages"] if m.get("role") == "assistant")

    @property
    def id(self) -> str:
        """A stable id: ``<trace>#<step>`` (``L<line>#<step>`` without a trace id)."""
        return f"{self.trace or f'L{self.line}'}#{self.step}"

    @property
    def prompt(self) -> list[dict[str, Any]]:
        """Every message but the gold, with only the keys chat completions accepts."""
        return [
            {k: m[k] for k in _REQUEST_MESSAGE_KEYS if k in m} for m in self.record["messages"][:-1]
        ]

    @property
    def tools(self) -> list[dict[str, Any]] | None:
        return self.record.get("tools")

    @property
    def gold(self) -> str:
        """The gold assistant text."""
        return content_text(self.record["messages"][-1].get("content"))

    @property
    def input_text(self) -> str:
        """The source text of the request: user and tool contents (system prompts excluded)."""
        parts = [
            content_text(m.get("content"))
            for m in self.record["messages"][:-1]
            if m.get("role") in ("user", "tool")
        ]
        return "\n".join(parts)


@dataclass(frozen=True, slots=True)
class HeldoutSet:
    """The selected examples per task, and the export they came from."""

    root: Path
    examples: dict[str, list[Example]]
    manifest_hash: str | None

    @property
    def content_hash(self) -> str:
        """A hash of the selected examples, so a changed file never resumes an old eval."""
        digest = hashlib.sha256()
        for task, examples in self.examples.items():
            digest.update(task.encode())
            for example in examples:
                digest.update(orjson.dumps(example.record, option=orjson.OPT_SORT_KEYS))
        return digest.hexdigest()


def content_text(content: Any) -> str:
    """Message content as text; a list of parts contributes its ``text`` parts."""
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return "".join(str(part.get("text", "")) for part in content if isinstance(part, dict))
    return ""


def heldout_files(root: Path) -> dict[str, Path]:
    """Each task's held-out file in either layout (the per-task folder wins a tie).

    Raises:
        HeldoutError: ``root`` is not a folder.
    """
    if not root.is_dir():
        raise HeldoutError(f"{root}: held-out folder not found")
    files = {
        p.name.removesuffix(FLAT_HELDOUT_SUFFIX): p
        for p in root.glob(f"*{FLAT_HELDOUT_SUFFIX}")
        if p.is_file() and p.name != FLAT_HELDOUT_SUFFIX
    }
    files.update({p.parent.name: p for p in root.glob(f"*/{HELDOUT_FILE}") if p.is_file()})
    return files


def available_tasks(root: Path) -> list[str]:
    """Tasks with a held-out file: the three known tasks first, then others by name."""
    found = set(heldout_files(root))
    return [t for t in KNOWN_TASKS if t in found] + sorted(found - set(KNOWN_TASKS))


def load_heldout(
    root: Path,
    tasks: list[str] | None = None,
    n: int | None = None,
    *,
    last_turn_only: bool = False,
) -> HeldoutSet:
    """Load about ``n`` examples of each task (all tasks found when ``tasks`` is None): whole
    lines until ``n`` is reached; one per line (its last message) when ``last_turn_only``.

    Raises:
        HeldoutError: missing folder or task, or a line that is not a usable example.
    """
    root = root.resolve()
    files = heldout_files(root)
    found = available_tasks(root)
    if not found:
        raise HeldoutError(f"{root}: {MISSING_HINT}")
    wanted = tasks or found
    missing = [t for t in wanted if t not in found]
    if missing:
        raise HeldoutError(
            f"{root}: no held-out file for task {', '.join(missing)} (found {', '.join(found)})"
        )
    examples = {
        task: _read_task(files[task], task, n, _trace_ids(root, task, files[task]), last_turn_only)
        for task in wanted
    }
    return HeldoutSet(root=root, examples=examples, manifest_hash=_manifest_hash(root))


def target_turns(messages: list[dict[str, Any]]) -> list[int]:
    """The indexes of the assistant turns a provider trains on (``weight: 0`` ones are not)."""
    return [
        i
        for i, m in enumerate(messages)
        if i > 0 and m.get("role") == "assistant" and m.get("weight", 1) != 0
    ]


def _read_task(
    path: Path, task: str, n: int | None, traces: list[str], last_turn_only: bool
) -> list[Example]:
    examples: list[Example] = []
    with path.open("rb") as handle:
        for number, raw in enumerate(handle, start=1):
            if n is not None and len(examples) >= n:
                break
            raw = raw.removeprefix(b"\xef\xbb\xbf").strip()
            if not raw:
                continue
            record = _parse_line(raw, path, number)
            trace = traces[number - 1] if number <= len(traces) else ""
            messages = record["messages"]
            turns = [len(messages) - 1] if last_turn_only else target_turns(messages)
            for turn in turns:
                step = record if turn == len(messages) - 1 else _cut(record, turn)
                examples.append(Example(task, len(examples), number, step, trace))
    if not examples:
        raise HeldoutError(f"{path}: no examples")
    return examples


def _cut(record: dict[str, Any], turn: int) -> dict[str, Any]:
    """The line with its messages cut after ``turn``: one step of a trajectory."""
    return {**record, "messages": record["messages"][: turn + 1]}


def _trace_ids(root: Path, task: str, path: Path) -> list[str]:
    """The trace id of each line of a held-out file, from the export's ``.ids`` sidecar."""
    if path.parent == root:
        ids = sidecar_folder(root, "provider") / f"{task}{FLAT_HELDOUT_SUFFIX}"
    else:
        ids = path
    ids = ids.with_suffix(".ids")
    try:
        return ids.read_text(encoding="utf-8").splitlines() if ids.is_file() else []
    except (OSError, UnicodeDecodeError):
        return []


def _parse_line(raw: bytes, path: Path, number: int) -> dict[str, Any]:
    try:
        data = orjson.loads(raw)
        line = HeldoutLine.model_validate(data)
    except orjson.JSONDecodeError:
        raise HeldoutError(f"{path}:{number}: not valid JSON") from None
    except ValidationError as exc:
        where = ".".join(str(p) for p in exc.errors()[0]["loc"]) or "line"
        raise HeldoutError(f"{path}:{number}: {where}: {exc.errors()[0]['msg']}") from None
    messages = line.messages
    if len(messages) < 2 or messages[-1].get("role") != "assistant":
        raise HeldoutError(f"{path}:{number}: the last message must be the assistant gold")
    return data


def _manifest_hash(root: Path) -> str | None:
    path = root / MANIFEST_FILE
    if not path.is_file():
        path = sidecar_folder(root, "provider") / MANIFEST_FILE
    if not path.is_file():
        return None
    try:
        manifest = orjson.loads(path.read_bytes())
    except (OSError, orjson.JSONDecodeError):
        raise HeldoutError(f"{path}: not valid JSON") from None
    value = manifest.get("hash") if isinstance(manifest, dict) else None
    return str(value) if value is not None else None
