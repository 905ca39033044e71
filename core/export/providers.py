"""What each fine-tuning provider accepts, checked on the exact record an export writes.

Every rule has an id, the providers it applies to and the documentation it comes from;
docs/PROVIDER_FORMATS.md lists them with links, and tests/export/test_provider_rules.py has a
passing and a failing record for each. Records are checked after ``core.export.target`` kept
only the format's keys, so what is checked is what is written; accepted and repaired calls go
through the same rules. Every file is checked, since held-out sets may be uploaded as
evaluation data. Per file: at least 3 examples for Fireworks (at most 3,000,000), 10 for
OpenAI, 1 for Together, and never an empty file.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from core.export.model import Provider
from core.export.target import TOP_LEVEL_KEYS

ALL: tuple[Provider, ...] = ("fireworks", "openai", "together")
CHAT_ROLES = ("system", "user", "assistant", "tool")
IMAGE_PREFIXES = tuple(f"data:image/{kind};base64," for kind in ("jpeg", "png", "webp"))
MAX_IMAGES = 10
MIN_EXAMPLES: dict[str, int] = {"fireworks": 3, "openai": 10, "together": 1}
MAX_EXAMPLES: dict[str, int] = {"fireworks": 3_000_000}
PROVIDER_NAMES: dict[str, str] = {
    "fireworks": "Fireworks",
    "openai": "OpenAI",
    "together": "Together",
}

Messages = list[dict[str, Any]]


@dataclass(frozen=True, slots=True)
class Rule:
    """One documented requirement of one or more providers' chat fine-tuning format."""

    id: str
    providers: tuple[Provider, ...]
    summary: str
    check: Callable[[dict[str, Any], Messages], list[str]]


def example_problems(record: dict[str, Any], provider: Provider) -> tuple[str, ...]:
    """Every way one exported record breaks the provider's format; empty when it is fine."""
    messages = record.get("messages")
    if not isinstance(messages, list) or not messages:
        return ("messages is not a non-empty list",)
    for i, message in enumerate(messages):
        if not isinstance(message, dict) or not isinstance(message.get("role"), str):
            return (f"messages[{i}] is not an object with a role",)
    name = PROVIDER_NAMES[provider]
    problems: list[str] = []
    for rule in RULES:
        if provider in rule.providers:
            problems.extend(p.replace("{provider}", name) for p in rule.check(record, messages))
    return tuple(problems)


def file_problem(provider: Provider, examples: int) -> str | None:
    """Why a file of ``examples`` lines is refused, or None."""
    name = PROVIDER_NAMES[provider]
    least = MIN_EXAMPLES[provider]
    counted = f"{examples} example{'' if examples == 1 else 's'}"
    if examples < least:
        return f"{counted}; {name} needs at least {least}"
    most = MAX_EXAMPLES.get(provider)
    if most is not None and examples > most:
        return f"{counted}; {name} takes at most {most}"
    return None


def _roles(record: dict[str, Any], messages: Messages) -> list[str]:
    return [
        f"messages[{i}]: role {m['role']!r} is not one of {', '.join(CHAT_ROLES)}"
        for i, m in enumerate(messages)
        if m["role"] not in CHAT_ROLES
    ]


def _last_assistant(record: dict[str, Any], messages: Messages) -> list[str]:
    role = messages[-1]["role"]
    return [] if role == "assistant" else [f"the last message is {role!r}, not the assistant's"]


def _user_content(record: dict[str, Any], messages: Messages) -> list[str]:
    users = [m for m in messages if m["role"] == "user"]
    if not users:
        return ["no user message: {provider} trains on answers to a user"]
    return [
        f"messages[{i}]: a {m['role']} message without content"
        for i, m in enumerate(messages)
        if m["role"] in ("system", "user", "tool") and not _has_text(m.get("content"))
    ]


def _assistant_output(record: dict[str, Any], messages: Messages) -> list[str]:
    return [
        f"messages[{i}]: an assistant message with neither content nor tool_calls"
        for i, m in enumerate(messages)
        if m["role"] == "assistant" and not m.get("tool_calls") and not _has_text(m.get("content"))
    ]


def _content_type(record: dict[str, Any], messages: Messages) -> list[str]:
    problems = []
    for i, message in enumerate(messages):
        content = message.get("content")
        if content is None or isinstance(content, str):
            continue
        if not isinstance(content, list):
            problems.append(f"messages[{i}]: content is {type(content).__name__}, not text")
            continue
        for j, part in enumerate(content):
            problems.extend(_part_problems(f"messages[{i}].content[{j}]", part, message["role"]))
    return problems


def _part_problems(where: str, part: Any, role: str) -> list[str]:
    if not isinstance(part, dict):
        return [f"{where}: a content part is not an object"]
    kind = part.get("type")
    if kind == "text":
        return [] if isinstance(part.get("text"), str) else [f"{where}: a text part without text"]
    if kind != "image_url":
        return [f"{where}: part type {kind!r}; the chat format has text and image_url"]
    if role != "user":
        return [f"{where}: an image in a {role} message; only user messages take images"]
    image = part.get("image_url")
    url = image.get("url") if isinstance(image, dict) else None
    if not isinstance(url, str) or not url:
        return [f"{where}: image_url without a url"]
    return []


def _weight(record: dict[str, Any], messages: Messages) -> list[str]:
    problems = []
    for i, message in enumerate(messages):
        if "weight" not in message:
            continue
        weight = message["weight"]
        if message["role"] != "assistant":
            problems.append(
                f"messages[{i}]: weight on a {message['role']} message; only assistant"
                " messages may have one"
            )
        elif isinstance(weight, bool) or not isinstance(weight, int) or weight not in (0, 1):
            problems.append(f"messages[{i}]: weight {weight!r}; {{provider}} takes 0 or 1")
    return problems


def _tools(record: dict[str, Any], messages: Messages) -> list[str]:
    if "tools" not in record:
        return []
    tools = record["tools"]
    if not isinstance(tools, list):
        return ["tools is not a list"]
    problems = []
    for i, tool in enumerate(tools):
        function = tool.get("function") if isinstance(tool, dict) else None
        if (
            not isinstance(tool, dict)
            or tool.get("type") != "function"
            or not isinstance(function, dict)
            or not isinstance(function.get("name"), str)
        ):
            problems.append(f"tools[{i}]: not a {{'type': 'function', 'function': {{'name'}}}}")
    return problems


def _tool_calls(record: dict[str, Any], messages: Messages) -> list[str]:
    problems = []
    for i, message in enumerate(messages):
        calls = message.get("tool_calls")
        if calls is None:
            continue
        if message["role"] != "assistant":
            problems.append(f"messages[{i}]: tool_calls on a {message['role']} message")
            continue
        if not isinstance(calls, list) or not calls:
            problems.append(f"messages[{i}]: tool_calls is not a non-empty list")
            continue
        for j, call in enumerate(calls):
            function = call.get("function") if isinstance(call, dict) else None
            if not (
                isinstance(call, dict)
                and isinstance(call.get("id"), str)
                and call.get("type") == "function"
                and isinstance(function, dict)
                and isinstance(function.get("name"), str)
                and isinstance(function.get("arguments"), str)
            ):
                problems.append(
                    f"messages[{i}].tool_calls[{j}]: needs id, type 'function' and a function"
                    " with a name and arguments as a JSON string"
                )
    return problems


def _tool_call_id(record: dict[str, Any], messages: Messages) -> list[str]:
    return [
        f"messages[{i}]: a tool message without a tool_call_id"
        for i, m in enumerate(messages)
        if m["role"] == "tool" and not isinstance(m.get("tool_call_id"), str)
    ]


def _system_first(record: dict[str, Any], messages: Messages) -> list[str]:
    return [
        f"messages[{i}]: a system message after the first; {{provider}} takes a system message"
        " only first"
        for i, m in enumerate(messages)
        if m["role"] == "system" and i > 0
    ]


def _top_level(record: dict[str, Any], messages: Messages) -> list[str]:
    allowed = set(TOP_LEVEL_KEYS["together"])
    return [
        f"top-level key {key!r}; {{provider}} refuses extra columns"
        for key in record
        if key not in allowed
    ]


def _together_turns(record: dict[str, Any], messages: Messages) -> list[str]:
    roles = [m["role"] for m in messages]
    start = 1 if roles[0] == "system" else 0
    if start < len(roles) and roles[start] != "user":
        return [f"messages[{start}] is {roles[start]!r}; Together takes system or user first"]
    for i in range(start + 1, len(roles)):
        if roles[i] == roles[i - 1] and roles[i] in ("user", "assistant", "system"):
            return [
                f"messages[{i}]: two {roles[i]} messages in a row; Together takes user and"
                " assistant turns alternating (tool results between them)"
            ]
    return []


def _together_uniform_content(record: dict[str, Any], messages: Messages) -> list[str]:
    kinds = {
        isinstance(m.get("content"), list) for m in messages if m.get("content") not in (None, "")
    }
    images = sum(
        1
        for m in messages
        if isinstance(m.get("content"), list)
        for p in m["content"]
        if isinstance(p, dict) and p.get("type") == "image_url"
    )
    problems = []
    if len(kinds) > 1:
        problems.append(
            "string content mixed with content parts; Together takes a conversation all in"
            " multimodal or all in text-only format"
        )
    if images > MAX_IMAGES:
        problems.append(f"{images} images; Together takes at most {MAX_IMAGES} per example")
    return problems


def _together_images(record: dict[str, Any], messages: Messages) -> list[str]:
    problems = []
    for i, message in enumerate(messages):
        content = message.get("content")
        if not isinstance(content, list):
            continue
        for j, part in enumerate(content):
            image = part.get("image_url") if isinstance(part, dict) else None
            url = image.get("url") if isinstance(image, dict) else None
            if isinstance(url, str) and not url.startswith(IMAGE_PREFIXES):
                problems.append(
                    f"messages[{i}].content[{j}]: Together takes images only as base64 data"
                    " URLs (jpeg, png or webp)"
                )
    return problems


RULES: tuple[Rule, ...] = (
    Rule("roles", ALL, "every role is system, user, assistant or tool", _roles),
    Rule(
        "last_assistant", ALL, "the last message is the assistant's (the target)", _last_assistant
    ),
    Rule(
        "user_content",
        ALL,
        "a user message, and system/user/tool messages have content",
        _user_content,
    ),
    Rule(
        "assistant_output", ALL, "assistant messages have content or tool_calls", _assistant_output
    ),
    Rule(
        "content_type",
        ALL,
        "content is a string or text/image_url parts; images only from the user",
        _content_type,
    ),
    Rule("weight", ALL, "weight only on assistant messages, the integer 0 or 1", _weight),
    Rule("tools", ALL, "tools is a list of function tools with a name", _tools),
    Rule(
        "tool_calls",
        ALL,
        "tool_calls only on assistant messages: id, type, name, JSON-string arguments",
        _tool_calls,
    ),
    Rule("tool_call_id", ALL, "tool messages name the call they answer", _tool_call_id),
    Rule("system_first", ("fireworks", "openai"), "a system message only first", _system_first),
    Rule("top_level", ("together",), "only messages and tools at the top level", _top_level),
    Rule("turns", ("together",), "system or user first, then alternating turns", _together_turns),
    Rule(
        "uniform_content",
        ("together",),
        "all string content or all parts; at most 10 images",
        _together_uniform_content,
    ),
    Rule("images", ("together",), "images as base64 data URLs (jpeg, png, webp)", _together_images),
)
RULE_IDS = tuple(rule.id for rule in RULES)


def _has_text(content: Any) -> bool:
    if isinstance(content, str):
        return bool(content.strip())
    if isinstance(content, list):
        return any(
            isinstance(p, dict)
            and (p.get("type") != "text" or (isinstance(p.get("text"), str) and p["text"].strip()))
            for p in content
        )
    return False
