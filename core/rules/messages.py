"""What the rules read from a call's ``messages``: input text, output text and context size.

These follow docs/RULES.md "Input conventions" and are shared by the call rules, the index and
the eval, so every part of the product agrees on what "the input" and "the output" of a call are.
All functions accept anything (a trace line may hold any JSON) and never raise.
"""

from __future__ import annotations

from typing import Any

INPUT_ROLES = ("user", "tool")  # a tuple: `in` must not hash a role that may be a list


def content_text(content: Any) -> str | None:
    """The text of one message's ``content``.

    Args:
        content: A string, a list of content parts, or anything else.

    Returns:
        The string itself; for a list of parts, the ``text`` of its text parts joined by
        newlines; None for null or any other type.
    """
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return "\n".join(_text_parts(content))
    return None


def context_chars(messages: Any) -> int:
    """The sum of the characters of every message's content (``band.context_chars``).

    List-of-parts content counts the characters of its text parts; null content and anything
    that is not a message counts 0.
    """
    if not isinstance(messages, list):
        return 0
    total = 0
    for message in messages:
        if not isinstance(message, dict):
            continue
        content = message.get("content")
        if isinstance(content, str):
            total += len(content)
        elif isinstance(content, list):
            total += sum(len(text) for text in _text_parts(content))
    return total


def input_text(messages: Any) -> str:
    """The source material of a call: every user and tool message's text, joined by newlines.

    System prompts are instructions, not source material, and are left out.
    """
    if not isinstance(messages, list):
        return ""
    texts: list[str] = []
    for message in messages:
        if isinstance(message, dict) and message.get("role") in INPUT_ROLES:
            text = content_text(message.get("content"))
            if text:
                texts.append(text)
    return "\n".join(texts)


def output_text(messages: Any) -> str | None:
    """The assistant target: the text of the last message when it is the assistant's.

    Returns None when there is no such message or its content is null or not text.
    """
    if not isinstance(messages, list) or not messages:
        return None
    last = messages[-1]
    if not isinstance(last, dict) or last.get("role") != "assistant":
        return None
    return content_text(last.get("content"))


def last_user_text(messages: Any) -> str | None:
    """The text of the last ``user`` message (where enrichment puts its input entity)."""
    if not isinstance(messages, list):
        return None
    for message in reversed(messages):
        if isinstance(message, dict) and message.get("role") == "user":
            return content_text(message.get("content"))
    return None


def _text_parts(parts: list[Any]) -> list[str]:
    return [
        part["text"]
        for part in parts
        if isinstance(part, dict)
        and part.get("type", "text") == "text"
        and isinstance(part.get("text"), str)
    ]
