"""Extraction rules: the output is an array of entity objects whose every value the scraped
input states, with no field outside the configured schema (extraction.shape,
extraction.ungrounded, extraction.unknown_field).
"""

from __future__ import annotations

from typing import Any

from core.rules.findings import FindingList, json_type, quote
from core.rules.grounding import GroundingIndex
from core.rules.messages import input_text
from core.rules.numbers import ungrounded_as_written
from core.rules.output import OutputJson
from core.rules.settings import CallRuleSettings

UNGROUNDED_MORE = "… and {count} more values not found in the input text"


def check_extraction(
    output: OutputJson, messages: Any, settings: CallRuleSettings, findings: FindingList
) -> None:
    """Add the extraction findings for one call's output."""
    entities = output.value
    if not isinstance(entities, list):
        findings.add("extraction.shape", f"output is {json_type(entities)}, not an array")
        return
    _check_entity_shapes(entities, findings)
    if settings.extraction_fields and "extraction.unknown_field" in findings.enabled:
        _check_unknown_fields(entities, settings.extraction_fields, findings)
    if "extraction.ungrounded" in findings.enabled:
        _check_grounding(entities, output, messages, findings)


def _check_entity_shapes(entities: list[Any], findings: FindingList) -> None:
    not_objects = [index for index, entity in enumerate(entities) if type(entity) is not dict]
    if not_objects:
        first = not_objects[0]
        more = f" (+{len(not_objects) - 1} more)" if len(not_objects) > 1 else ""
        findings.add(
            "extraction.shape",
            f"entities[{first}] is {json_type(entities[first])}, not an object{more}",
        )


def _check_unknown_fields(
    entities: list[Any], known_fields: frozenset[str], findings: FindingList
) -> None:
    # field -> (first entity index holding it, how many entities hold it)
    unknown: dict[str, tuple[int, int]] = {}
    for index, entity in enumerate(entities):
        if type(entity) is not dict:
            continue
        for field in entity:
            if field in known_fields:
                continue
            first, count = unknown.get(field, (index, 0))
            unknown[field] = (first, count + 1)
    messages = [
        f"unknown field {quote(field)} in entities[{first}]"
        + (f" and {count - 1} more entities" if count > 1 else "")
        for field, (first, count) in unknown.items()
    ]
    findings.add_capped("extraction.unknown_field", messages, "… and {count} more unknown fields")


def _check_grounding(
    entities: list[Any], output: OutputJson, messages: Any, findings: FindingList
) -> None:
    index = GroundingIndex(input_text(messages))
    missing = ungrounded_as_written(index, entities, output.text, _ungrounded_values)
    findings.add_capped(
        "extraction.ungrounded",
        [f"{path} {quote(leaf)} not found in the input text" for path, leaf in missing],
        UNGROUNDED_MORE,
    )


def _ungrounded_values(index: GroundingIndex, entities: list[Any]) -> list[tuple[str, Any]]:
    missing: list[tuple[str, Any]] = []
    for position, entity in enumerate(entities):
        if type(entity) is not dict:
            continue
        index.next_region()
        missing.extend(index.ungrounded_fields(entity, f"entities[{position}]"))
    return missing
