"""format.messages: is ``messages`` a valid chat fine-tuning example (docs/RULES.md)?

Tool messages, ``tool_calls``, ``name`` and ``weight`` are part of the OpenAI chat format and
pass as they are; an assistant turn that only calls tools may have null content.
"""

from __future__ import annotations

from typing import Any

from core.rules.findings import FindingList, json_type, quote

ROLES = frozenset({"system", "user", "assistant", "tool"})


# What a line's messages hold beyond a role and a string content, as :func:`check_chat_format`
# returns it: bits saying which of the rules over those extras can find anything.
PARTS = 1  # some message has a ``weight`` or list content: format.weight, format.content_part
TOOLS = 2  # some message has ``tool_calls`` or the tool role: the tool.* rules
EXTRAS = PARTS | TOOLS


def check_chat_format(messages: Any, findings: FindingList) -> int:
    """Add one format.messages finding naming the first problem (and how many more).

    Returns which rules over the extras (:data:`PARTS`, :data:`TOOLS`) have something to look
    at, 0 when every message holds only a role and a string content, so the rules of those
    skip plain chat, and tool turns skip the part rules, without a scan of their own.
    """
    if "format.messages" not in findings.enabled:
        return EXTRAS if has_extras(messages) else 0
    problems, needs = _scan(messages)
    if problems:
        more = f" (+{len(problems) - 1} more)" if len(problems) > 1 else ""
        findings.add("format.messages", problems[0] + more)
    return needs


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


def _scan(messages: Any) -> tuple[list[str], int]:
    if type(messages) is list and messages:
        # Most lines: every message a known role and a string, or one of the two shapes of an
        # agent's tool turns, nothing else; one tight loop. Anything else gets the full scan.
        has_user = False
        needs = 0
        for message in messages:
            if type(message) is not dict:
                break
            role = message.get("role")
            content = message.get("content")
            size = len(message)
            if size == 2:
                if type(role) is not str or role not in ROLES or type(content) is not str:
                    break
                if role == "user":
                    has_user = True
            elif (
                size == 3
                and role == "assistant"
                and "tool_calls" in message
                and "content" in message
            ):
                # a call turn: its text (or null) and its calls; an empty list of calls with
                # null content is a problem, left to the full scan
                if not message["tool_calls"] or (content is not None and type(content) is not str):
                    break
                needs = TOOLS
            elif (
                size == 3 and role == "tool" and "tool_call_id" in message and "content" in message
            ):
                if type(content) is not str:
                    break
                needs = TOOLS
            else:
                break
        else:
            problems = [] if has_user else ["no user message"]
            last_role = messages[-1]["role"]
            if last_role != "assistant":
                problems.append(f"last message is {last_role}, not assistant")
            return problems, needs
    return _full_scan(messages)


def _full_scan(messages: Any) -> tuple[list[str], int]:
    if not isinstance(messages, list) or not messages:
        got = "an empty array" if messages == [] else json_type(messages)
        return [f"messages is {got}, not a non-empty array"], 0
    problems: list[str] = []
    has_user = False
    extras = False
    needs = 0  # which extras rules could find something: a superset, narrowed by ``extras``
    for index, message in enumerate(messages):
        if not isinstance(message, dict):
            problems.append(f"messages[{index}] is {json_type(message)}, not an object")
            continue
        role = message.get("role")
        content = message.get("content")
        if len(message) != 2:
            extras = True
            needs |= _needs(message)
        elif type(content) is not str or role is None:  # not just a role and a string
            needs |= _needs(message)
        if type(role) is not str or role not in ROLES:  # a list or object role is unhashable
            problems.append(
                f"messages[{index}] has no role"
                if role is None
                else f"messages[{index}] has unknown role {quote(role)}"
            )
            continue
        if role == "user":
            has_user = True
        elif role == "tool":
            needs |= TOOLS
        if type(content) is str:
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
    return problems, needs if extras else 0


def _needs(message: dict[str, Any]) -> int:
    """The extras rules one message with more than a role and a string content may trip."""
    needs = TOOLS if "tool_calls" in message or message.get("role") == "tool" else 0
    if "weight" in message or type(message.get("content")) is list:
        needs |= PARTS
    return needs


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
