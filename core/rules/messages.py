"""Placeholder until the rules branch lands."""

from __future__ import annotations

from typing import Any


def context_chars(messages: Any) -> int:
    if not isinstance(messages, list):
        return 0
    return sum(
        len(m.get("content") or "")
        for m in messages
        if isinstance(m, dict) and isinstance(m.get("content"), str)
    )


def output_text(messages: Any) -> str | None:
    if isinstance(messages, list) and messages and isinstance(messages[-1], dict):
        content = messages[-1].get("content")
        return content if isinstance(content, str) else None
    return None
