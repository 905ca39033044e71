"""Rules of a declared task's ``json`` output: shape.schema, shape.ungrounded, shape.unknown_field.

They read the task's :class:`~core.rules.settings.TaskSpec`: the output must satisfy the task's
JSON Schema; each ``grounded`` JSON pointer (``*`` stands for every element or member) must
resolve to values the input text contains, with the story's grounding rules
(:mod:`core.rules.grounding`); an object output (or each object of an array output) may hold
only ``known_fields`` when they are configured.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from core.rules.findings import FindingList, quote
from core.rules.grounding import GroundingIndex
from core.rules.messages import input_text
from core.rules.output import OutputJson
from core.rules.settings import TaskSpec

WILDCARD = "*"


def check_declared(
    output: OutputJson, messages: Any, spec: TaskSpec, findings: FindingList
) -> None:
    """Add the declared-task findings for one call's JSON output."""
    value = output.value
    if spec.schema is not None and "shape.schema" in findings.enabled:
        if spec.schema.error is not None:
            findings.add("shape.schema", f"the task's schema is invalid: {spec.schema.error}")
        else:
            for message in spec.schema.violations(value):
                findings.add("shape.schema", f"output {message}")
    if spec.known_fields and "shape.unknown_field" in findings.enabled:
        _check_known_fields(value, spec.known_fields, findings)
    if spec.grounded and "shape.ungrounded" in findings.enabled:
        _check_grounded(value, messages, spec.grounded, findings)


def resolve(value: Any, tokens: tuple[str, ...], path: str = "") -> Iterator[tuple[str, Any]]:
    """Every (pointer, value) a pointer's tokens reach; ``*`` fans out over arrays and objects."""
    if not tokens:
        yield path or "/", value
        return
    token, rest = tokens[0], tokens[1:]
    if type(value) is dict:
        keys = list(value) if token == WILDCARD else [token] if token in value else []
        for key in keys:
            yield from resolve(value[key], rest, f"{path}/{key}")
    elif type(value) is list:
        if token == WILDCARD:
            indexes = range(len(value))
        elif token.isdigit() and int(token) < len(value):
            indexes = range(int(token), int(token) + 1)
        else:
            indexes = range(0)
        for index in indexes:
            yield from resolve(value[index], rest, f"{path}/{index}")


def _check_grounded(
    value: Any, messages: Any, pointers: tuple[tuple[str, ...], ...], findings: FindingList
) -> None:
    reached = [
        (path, leaf)
        for tokens in pointers
        for path, leaf in resolve(value, tokens)
        if leaf is not None and type(leaf) is not bool
    ]
    if not reached:
        return
    index = GroundingIndex(input_text(messages))
    missing = [pair for path, leaf in reached for pair in index.ungrounded(leaf, path)]
    findings.add_capped(
        "shape.ungrounded",
        [f"{path} {quote(leaf)} not found in the input text" for path, leaf in missing],
        "… and {count} more values not found in the input text",
    )


def _check_known_fields(value: Any, known: frozenset[str], findings: FindingList) -> None:
    objects = [value] if type(value) is dict else value if type(value) is list else []
    unknown: dict[str, None] = {}
    for item in objects:
        if type(item) is dict:
            unknown.update((field, None) for field in item if field not in known)
    findings.add_capped(
        "shape.unknown_field",
        [f"unknown field {quote(field)}" for field in unknown],
        "… and {count} more unknown fields",
    )
