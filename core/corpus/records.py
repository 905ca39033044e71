"""Turning one line into a call: parse, identify (trace id), classify (task, run) and summarize.

Works on plain dicts for speed; the pydantic models sit at the report edge.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import orjson

from core.corpus.tasks import (
    DEFAULT_MATCHER,
    STORY_TASKS,
    UNKNOWN_TASK,
    TaskMatcher,
    default_task,
)

KNOWN_TASKS = STORY_TASKS
__all__ = ["KNOWN_TASKS", "UNKNOWN_TASK", "call_facts", "infer_task", "parse_line", "prefix_ids"]
# After ``metadata.run_id``, the first of these present at the top level or in ``metadata``.
RUN_KEYS = ("run_id", "session_id", "episode_id", "conversation_id", "trace_id", "env_index")
PREVIEW_CHARS = 160
TRACE_ID_CHARS = 24
_NO_TOOLS = b'],"tools":null}'  # how a step's canonical bytes end on a line without tools
INTEGER_KEYS = ("seq", "round", "new_entities", "queries")
INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1  # what a SQLite INTEGER holds


class MalformedLine(Exception):
    """A line that is not a call; the message says why."""


def parse_line(content: bytes | memoryview) -> dict[str, Any]:
    """Parse one line into a call object, or raise :class:`MalformedLine` with the reason."""
    try:
        value = orjson.loads(content)
    except orjson.JSONDecodeError as exc:
        try:
            str(content, "utf-8")
        except UnicodeDecodeError as utf8_error:
            raise MalformedLine(f"invalid UTF-8 at byte {utf8_error.start}") from None
        raise MalformedLine(f"not valid JSON: {exc}") from None
    if not isinstance(value, dict):
        raise MalformedLine(f"not a JSON object (a {_json_type(value)})")
    if "messages" not in value:
        raise MalformedLine('no "messages" key')
    return value


def parse_summary(content: bytes | memoryview) -> dict[str, Any]:
    """Parse one ``runs.jsonl`` line, which must be an object with a ``run_id``."""
    try:
        value = orjson.loads(content)
    except orjson.JSONDecodeError as exc:
        raise MalformedLine(f"not valid JSON: {exc}") from None
    if not isinstance(value, dict):
        raise MalformedLine(f"not a JSON object (a {_json_type(value)})")
    run_id = value.get("run_id")
    if not isinstance(run_id, str | int) or isinstance(run_id, bool) or str(run_id) == "":
        raise MalformedLine('run summary has no "run_id"')
    return value


def trace_id(call: dict[str, Any]) -> str:
    """A stable id from the canonical content of ``messages`` and ``tools``.

    Key order and whitespace do not matter, so a re-captured or re-ordered corpus keeps its ids.
    The id is the first 96 bits of a SHA-256 (24 hex chars): SHA-256 is hardware-accelerated
    on current CPUs (twice as fast as BLAKE2b here, on every line of a corpus), and 96 bits
    keep accidental collisions out of reach (~10^-17 for a million calls).
    """
    canonical = orjson.dumps(
        {"messages": call.get("messages"), "tools": call.get("tools")},
        option=orjson.OPT_SORT_KEYS,
    )
    return hashlib.sha256(canonical).hexdigest()[:TRACE_ID_CHARS]


class Chain(NamedTuple):
    """A line with weights as its trajectory sees it: its id and step ids without weights."""

    id: str
    steps: list[str]


def trace_ids(call: dict[str, Any]) -> tuple[str, list[str], Chain | None]:
    """The call's trace id, the ids of its earlier steps, and its :class:`Chain` if it differs.

    The earlier steps: for each assistant message before the last, the id a line holding the
    messages up to it (and the same ``tools``) would have; a line whose trace id is among
    another line's step ids is a step of that line's trajectory, and adds nothing to train on
    (``dup.prefix``). ``weight`` changes both: a per-step training set marks the earlier turns
    ``weight: 0``, so its lines are one trajectory (to keep on one side of a split) but each
    trains on a turn the others do not. Such a line also gets a chain: ids computed as if it
    had no weights, matched against each other only to join trajectories. A line without
    weights is its own chain (None is returned).
    """
    trace, steps = _trace_and_step_ids(call)
    messages = call.get("messages")
    if type(messages) is list and _has_weight(messages):
        plain = [_without_weight(message) for message in messages]
        return (
            trace,
            steps,
            Chain(*_trace_and_step_ids({"messages": plain, "tools": call.get("tools")})),
        )
    return trace, steps, None


def _has_weight(messages: list[Any]) -> bool:
    for message in messages:
        if type(message) is dict and "weight" in message:
            return True
    return False


def _without_weight(message: Any) -> Any:
    if type(message) is dict and "weight" in message:
        return {key: value for key, value in message.items() if key != "weight"}
    return message


def _trace_and_step_ids(call: dict[str, Any]) -> tuple[str, list[str]]:
    """The trace id and the step ids of a line, in one pass.

    Most lines (one assistant target) have no steps and cost one look at their middle roles on
    top of :func:`trace_id`. For the others the messages are serialized once, in segments cut
    after each step's last message (compact JSON of a list is its items' JSON joined by
    commas), into one running hash whose state is copied where each step ends.
    """
    messages = call.get("messages")
    if not isinstance(messages, list) or len(messages) < 3:
        return trace_id(call), []
    if len(messages) == 3:  # the common single-turn line: only the middle can be a step
        middle = messages[1]
        if not (isinstance(middle, dict) and middle.get("role") == "assistant"):
            return trace_id(call), []
        ends = [1]
    else:
        ends = [
            i
            for i in range(1, len(messages) - 1)
            if isinstance(messages[i], dict) and messages[i].get("role") == "assistant"
        ]
        if not ends:
            return trace_id(call), []
    option = orjson.OPT_SORT_KEYS
    tools_value = call.get("tools")
    if tools_value is None:  # most lines: no tools, a constant suffix
        tools = _NO_TOOLS
    else:
        tools = b'],"tools":' + orjson.dumps(tools_value, option=option) + b"}"
    digest = hashlib.sha256(b'{"messages":[')
    steps: list[str] = []
    start = 0
    for end in (*ends, len(messages) - 1):
        if start:
            digest.update(b",")
        segment = orjson.dumps(messages[start : end + 1], option=option)  # b"[m,...,m]"
        digest.update(memoryview(segment)[1:-1])
        start = end + 1
        if start < len(messages):
            step = digest.copy()
            step.update(tools)
            steps.append(step.hexdigest()[:TRACE_ID_CHARS])
    digest.update(tools)
    return digest.hexdigest()[:TRACE_ID_CHARS], steps


def prefix_ids(call: dict[str, Any]) -> list[str]:
    """The trace ids of the call's earlier steps (see :func:`trace_ids`)."""
    return trace_ids(call)[1]


def infer_task(metadata: dict[str, Any], file_name: str) -> str:
    """``metadata.task``, else a known task named by the file stem or its leading word."""
    return default_task(metadata, file_name, DEFAULT_MATCHER.names)


@dataclass(slots=True)
class CallFacts:
    """What the index keeps of a call besides its bytes."""

    trace_id: str
    task: str
    run_id: str
    bare: bool
    seq: int | None
    round: int | None
    entity_id: str | None
    model: str | None
    timestamp: str | None
    new_entities: int | None
    queries: int | None
    metadata: dict[str, Any]
    prefix_ids: list[str] = field(default_factory=list)  # its earlier steps' trace ids
    chain: Chain | None = None  # its ids without weights, when it has weights
    out_of_range: list[str] = field(default_factory=list)  # integer keys past 64 bits, unset


def call_facts(
    call: dict[str, Any],
    file_name: str,
    relpath: str,
    line: int,
    tasks: TaskMatcher = DEFAULT_MATCHER,
    *,
    run_key_path: tuple[str, ...] = (),
) -> CallFacts:
    """Identify and classify a parsed call; a call without a run key is a run of its own.

    Args:
        tasks: The config's declared task matches (:mod:`core.corpus.tasks`).
        run_key_path: A configured dotted path (``[runs] key``) tried before the built-in chain.
    """
    metadata = call.get("metadata")
    if not isinstance(metadata, dict):
        metadata = {}
    run = run_key(call, metadata, run_key_path)
    entity = metadata.get("entity_id")
    out_of_range: list[str] = []
    seq = _int_in_range(metadata, "seq", out_of_range)  # INTEGER_KEYS, in order
    round_ = _int_in_range(metadata, "round", out_of_range)
    new_entities = _int_in_range(metadata, "new_entities", out_of_range)
    queries = _int_in_range(metadata, "queries", out_of_range)
    trace, steps, chain = trace_ids(call)
    return CallFacts(
        trace_id=trace,
        task=tasks.infer(metadata, file_name, relpath, call.get("messages")),
        run_id=f"{relpath}#{line}" if run is None else run,
        bare=run is None,
        seq=seq,
        round=round_,
        entity_id=None if entity is None else str(entity),
        model=_str_or_none(metadata.get("model")),
        timestamp=_str_or_none(metadata.get("timestamp")),
        new_entities=new_entities,
        queries=queries,
        metadata=metadata,
        prefix_ids=steps,
        chain=chain,
        out_of_range=out_of_range,
    )


def run_key(
    call: dict[str, Any], metadata: dict[str, Any], path: tuple[str, ...] = ()
) -> str | None:
    """The call's run id as text, or None: the configured path, then ``metadata.run_id``,
    then the first of :data:`RUN_KEYS` present at the top level or in ``metadata``.

    Strings and integers are keys (``env_index: 3`` is run ``"3"``); empty strings, booleans,
    objects and arrays are not.
    """
    if path:
        value: Any = call
        for part in path:
            value = value.get(part) if isinstance(value, dict) else None
        if (text := _key_text(value)) is not None:
            return text
    if (text := _key_text(metadata.get("run_id"))) is not None:
        return text
    for key in RUN_KEYS:
        text = _key_text(call.get(key))
        if text is None and metadata:
            text = _key_text(metadata.get(key))
        if text is not None:
            return text
    return None


def _key_text(value: Any) -> str | None:
    if type(value) is str:
        return value if value else None
    if type(value) is int:
        return str(value)
    if type(value) is float and value.is_integer():
        return str(int(value))
    return None


def tool_calls_text(messages: Any) -> str | None:
    """The target's tool calls as one line (``→ name(arguments)``, ``;`` between them), for the
    preview of a call whose target has no text; None when it has none."""
    target = messages[-1] if isinstance(messages, list) and messages else None
    calls = target.get("tool_calls") if isinstance(target, dict) else None
    if not isinstance(calls, list) or not calls:
        return None
    shown = []
    for call in calls:
        function = call.get("function") if isinstance(call, dict) else None
        if not isinstance(function, dict):
            function = {}
        arguments = function.get("arguments")
        if not isinstance(arguments, str):
            arguments = orjson.dumps(arguments).decode()
        shown.append(f"→ {function.get('name', '?')}({arguments})")
    return "; ".join(shown)


def preview(text: str | None) -> str:
    """A one-line preview of an output: whitespace folded, cut to a fixed width."""
    if not text:
        return ""
    head = text[: PREVIEW_CHARS * 2]
    # Only " " among the whitespace that split() folds is printable: a printable head without
    # double or leading spaces is already folded (most JSON outputs), bar a trailing space.
    if head.isprintable() and "  " not in head and head[0] != " ":
        return head.rstrip(" ")[:PREVIEW_CHARS]
    return " ".join(head.split())[:PREVIEW_CHARS]


def _int_or_none(value: Any) -> int | None:
    if type(value) is int or value is None:  # nearly every value: no isinstance chain
        return value
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return None


def _int_in_range(metadata: dict[str, Any], key: str, notes: list[str]) -> int | None:
    """``metadata[key]`` as an integer SQLite can hold; a bigger one is noted and left unset."""
    value = metadata.get(key)
    if value is None or (type(value) is int and INT64_MIN <= value <= INT64_MAX):
        return value  # nearly every value
    value = _int_or_none(value)
    if value is not None and not INT64_MIN <= value <= INT64_MAX:
        notes.append(f"metadata.{key}: {metadata[key]!r} is out of range (past 64 bits); ignored")
        return None
    return value


def _str_or_none(value: Any) -> str | None:
    return None if value is None else str(value)


def _json_type(value: Any) -> str:
    return {list: "array", str: "string", int: "number", float: "number", bool: "boolean"}.get(
        type(value), "null"
    )
