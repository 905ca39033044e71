"""What each fine-tuning provider accepts, checked before anything is written.

Per example (every file, since held-out sets may be uploaded as evaluation data):
- all: ``messages`` is a non-empty list of objects with a role, the last one the assistant's;
  ``tools``, when present, is a list;
- Fireworks and OpenAI: roles system, user, assistant, tool; a system message only first;
  ``weight`` only on assistant messages and only 0 or 1;
- Together: system or user first, then user and assistant turns alternating (no tool turns).

Per training file: at least 3 examples for Fireworks (at most 3,000,000), 10 for OpenAI, 1 for
Together.
"""

from __future__ import annotations

from typing import Any

from core.export.model import Provider

CHAT_ROLES = ("system", "user", "assistant", "tool")
MIN_EXAMPLES: dict[str, int] = {"fireworks": 3, "openai": 10, "together": 1}
MAX_EXAMPLES: dict[str, int] = {"fireworks": 3_000_000}
PROVIDER_NAMES: dict[str, str] = {
    "fireworks": "Fireworks",
    "openai": "OpenAI",
    "together": "Together",
}


def example_problems(record: dict[str, Any], provider: Provider) -> tuple[str, ...]:
    """Every way one exported record breaks the provider's format; empty when it is fine."""
    messages = record.get("messages")
    if not isinstance(messages, list) or not messages:
        return ("messages is not a non-empty list",)
    roles: list[str] = []
    for i, message in enumerate(messages):
        if not isinstance(message, dict) or not isinstance(message.get("role"), str):
            return (f"messages[{i}] is not an object with a role",)
        roles.append(message["role"])
    problems: list[str] = []
    if roles[-1] != "assistant":
        problems.append(f"the last message is {roles[-1]!r}, not the assistant's")
    if "tools" in record and not isinstance(record["tools"], list):
        problems.append("tools is not a list")
    if provider == "together":
        problems.extend(_together_turns(roles))
    else:
        problems.extend(_chat_roles(messages, roles, PROVIDER_NAMES[provider]))
    return tuple(problems)


def file_problem(provider: Provider, examples: int) -> str | None:
    """Why a training file of ``examples`` lines is refused, or None."""
    name = PROVIDER_NAMES[provider]
    least = MIN_EXAMPLES[provider]
    if examples < least:
        return f"{examples} examples; {name} needs at least {least}"
    most = MAX_EXAMPLES.get(provider)
    if most is not None and examples > most:
        return f"{examples} examples; {name} takes at most {most}"
    return None


def _chat_roles(messages: list[dict[str, Any]], roles: list[str], name: str) -> list[str]:
    problems: list[str] = []
    for i, (message, role) in enumerate(zip(messages, roles, strict=True)):
        if role not in CHAT_ROLES:
            problems.append(f"messages[{i}]: role {role!r} is not one of {', '.join(CHAT_ROLES)}")
        elif role == "system" and i > 0:
            problems.append(
                f"messages[{i}]: a system message after the first; {name} takes"
                " a system message only first"
            )
        if "weight" in message:
            weight = message["weight"]
            if role != "assistant":
                problems.append(
                    f"messages[{i}]: weight on a {role} message; only assistant"
                    " messages may have one"
                )
            elif isinstance(weight, bool) or weight not in (0, 1):
                problems.append(f"messages[{i}]: weight {weight!r}; {name} takes 0 or 1")
    return problems


def _together_turns(roles: list[str]) -> list[str]:
    start = 1 if roles[0] == "system" else 0
    for i, role in enumerate(roles[start:], start):
        expected = "user" if (i - start) % 2 == 0 else "assistant"
        if role != expected:
            return [
                f"messages[{i}] is {role!r} where {expected!r} was expected; Together takes"
                " system or user first, then user and assistant turns alternating"
            ]
    return []
