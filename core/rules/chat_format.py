"""format.messages: is ``messages`` a valid chat fine-tuning example (docs/RULES.md)?

Tool messages, ``tool_calls``, ``name`` and ``weight`` are part of the OpenAI chat format and
pass as they are; an assistant turn that only calls tools may have null content.
"""

from __future__ import annotations

from typing import Any

from core.rules.findings import FindingList, json_type, quote

ROLES = frozenset({"system", "user", "assistant", "tool"})


def check_chat_format(messages: Any, findings: FindingList) -> bool:
    """Add one format.messages finding naming the first problem (and how many more).

    Returns whether some message holds more than a role and a string content (a weight,
    parts, tool calls or results), so the rules of those skip plain chat without a scan.
    """
    if "format.messages" not in findings.enabled:
        return has_extras(messages)
    problems, extras = _scan(messages)
    if problems:
        more = f" (+{len(problems) - 1} more)" if len(problems) > 1 else ""
        findings.add("format.messages", problems[0] + more)
    return extras


def has_extras(messages: Any) -> bool:
    """True unless every message is just a role and a string (no weight, parts or tool turns)."""
    if not isinstance(messages, list):
        return False
    for message in messages:
        if (
            type(message) is not dict
            or len(message) != 2
            or type(message.get("content")) is not str
        ):
            return True
    return False


def message_problems(messages: Any) -> list[str]:
    """Every way ``messages`` breaks the chat format, most basic first; empty when valid."""
    return _scan(messages)[0]


def _scan(messages: Any) -> tuple[list[str], bool]:
    if not isinstance(messages, list) or not messages:
        got = "an empty array" if messages == [] else json_type(messages)
        return [f"messages is {got}, not a non-empty array"], False
    problems: list[str] = []
    has_user = False
    extras = False
    for index, message in enumerate(messages):
        if not isinstance(message, dict):
            problems.append(f"messages[{index}] is {json_type(message)}, not an object")
            continue
        if len(message) != 2:
            extras = True
        role = message.get("role")
        if type(role) is not str or role not in ROLES:  # a list or object role is unhashable
            problems.append(
                f"messages[{index}] has no role"
                if role is None
                else f"messages[{index}] has unknown role {quote(role)}"
            )
            continue
        if role == "user":
            has_user = True
        if type(message.get("content")) is str:
            continue  # the common case, without a call
        extras = True
        problem = _content_problem(message, role)
        if problem:
            problems.append(f"messages[{index}] ({role}) {problem}")
    if not has_user:
        problems.append("no user message")
    last = messages[-1]
    last_role = last.get("role") if isinstance(last, dict) else None
    if type(last_role) is str and last_role in ROLES and last_role != "assistant":
        problems.append(f"last message is {last_role}, not assistant")
    return problems, extras


def _content_problem(message: dict[str, Any], role: str) -> str | None:
    content = message.get("content")
    if isinstance(content, str):
        return None
    if content is None:
        if role == "assistant" and message.get("tool_calls"):
            return None
        if role == "assistant":
            return "content is null without tool_calls"
        return "content is null"
    if isinstance(content, list):
        for part_index, part in enumerate(content):
            if not _is_content_part(part):
                return f"content[{part_index}] is not a content part"
        return None
    return f"content is {json_type(content)}, not a string or list of parts"


def _is_content_part(part: Any) -> bool:
    # What a part holds (a text part without text, an image path) is format.content_part's.
    return isinstance(part, dict) and isinstance(part.get("type"), str)
