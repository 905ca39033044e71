"""Collecting one call's findings: severity from settings, short messages, capped repeats.

Messages name the field and the value; values are quoted as JSON and cut so that a message
stays within :data:`MAX_MESSAGE_CHARS` however long the offending value is.
"""

from __future__ import annotations

import json
from typing import Any

from core.models import Finding, Severity
from core.rules.numbers import FloatLiteral

MAX_MESSAGE_CHARS = 160
MAX_VALUE_CHARS = 48
MAX_FINDINGS_PER_RULE = 5

_JSON_TYPE_NAMES: dict[type, str] = {
    dict: "an object",
    list: "an array",
    str: "a string",
    int: "a number",
    float: "a number",
    bool: "a boolean",
    type(None): "null",
}


class FindingList:
    """The findings of one call; rules that are off are neither run nor recorded."""

    __slots__ = ("enabled", "findings")

    def __init__(self, severities: dict[str, Severity]) -> None:
        #: rule id -> severity of every rule that is not off; test ``rule_id in enabled``
        #: before doing a rule's work
        self.enabled = severities
        self.findings: list[Finding] = []

    def add(self, rule_id: str, message: str) -> None:
        """Record a finding for an enabled rule; a disabled rule's finding is dropped."""
        severity = self.enabled.get(rule_id)
        if severity is None:
            return
        if len(message) > MAX_MESSAGE_CHARS:
            message = message[: MAX_MESSAGE_CHARS - 1] + "…"
        # Inputs are our own str and Severity values, so validation would only cost time.
        self.findings.append(
            Finding.model_construct(rule=rule_id, severity=severity, message=message)
        )

    def add_capped(self, rule_id: str, messages: list[str], more: str) -> None:
        """Record one finding per message, at most :data:`MAX_FINDINGS_PER_RULE`.

        Past the cap one last finding says how many were left out: ``more`` is formatted with
        ``{count}``.
        """
        for message in messages[:MAX_FINDINGS_PER_RULE]:
            self.add(rule_id, message)
        left_out = len(messages) - MAX_FINDINGS_PER_RULE
        if left_out > 0:
            self.add(rule_id, more.format(count=left_out))


def quote(value: Any) -> str:
    """A value as JSON text for a message, cut to about :data:`MAX_VALUE_CHARS` characters."""
    if type(value) is FloatLiteral:
        return str.__str__(value)[:MAX_VALUE_CHARS]
    if isinstance(value, str) and len(value) > MAX_VALUE_CHARS:
        return json.dumps(value[:MAX_VALUE_CHARS], ensure_ascii=False)[:-1] + '…"'
    try:
        text = json.dumps(value, ensure_ascii=False, default=str)
    except (ValueError, RecursionError):
        text = repr(value)
    if len(text) > MAX_VALUE_CHARS:
        return text[: MAX_VALUE_CHARS - 1] + "…"
    return text


def json_type(value: Any) -> str:
    """The JSON type of a value with its article: ``an object``, ``a string``, ``null``."""
    return _JSON_TYPE_NAMES.get(type(value), "a " + type(value).__name__)
