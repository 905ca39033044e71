"""Enrichment rules: the output is the input entity as an object, with new values only where the
input states them and no pre-filled field changed (enrichment.shape, enrichment.ungrounded,
enrichment.overwrite, enrichment.unknown_field).

The input entity is the first JSON object in the last user message (docs/RULES.md). When the
message holds none, overwrite cannot be judged and every non-null output value must be grounded.
"""

from __future__ import annotations

from typing import Any

from core.jsontext import first_json_object
from core.rules.findings import FindingList, json_type, quote
from core.rules.grounding import GroundingIndex
from core.rules.messages import input_text, last_user_text
from core.rules.numbers import ungrounded_as_written
from core.rules.output import OutputJson
from core.rules.settings import CallRuleSettings


def check_enrichment(
    output: OutputJson, messages: Any, settings: CallRuleSettings, findings: FindingList
) -> None:
    """Add the enrichment findings for one call's output."""
    result = output.value
    if type(result) is not dict:
        findings.add("enrichment.shape", f"output is {json_type(result)}, not an object")
        return
    entity = first_json_object(last_user_text(messages)) or {}
    same: set[str] | None = None  # the entity's non-null fields the output kept, once known
    if entity and "enrichment.overwrite" in findings.enabled:
        same = _check_overwrite(entity, result, findings)
    if settings.enrichment_fields and "enrichment.unknown_field" in findings.enabled:
        unknown = [
            f"unknown field {quote(field)}"
            for field in result
            if field not in settings.enrichment_fields and field not in entity
        ]
        findings.add_capped(
            "enrichment.unknown_field", unknown, "… and {count} more unknown fields"
        )
    if "enrichment.ungrounded" in findings.enabled:
        _check_grounding(entity, result, output, messages, findings, same)


def same_value(before: Any, after: Any) -> bool:
    """JSON equality: numbers by value (``5`` equals ``5.0``), but a boolean is not a number."""
    if type(before) is bool or type(after) is bool:
        return type(before) is type(after) and before == after
    if type(before) is dict:
        return (
            type(after) is dict
            and before.keys() == after.keys()
            and all(same_value(before[key], after[key]) for key in before)
        )
    if type(before) is list:
        return (
            type(after) is list
            and len(before) == len(after)
            and all(map(same_value, before, after))
        )
    return before == after


def _check_overwrite(
    entity: dict[str, Any], result: dict[str, Any], findings: FindingList
) -> set[str]:
    """Add the overwrite findings; return the non-null fields the output kept as they were."""
    changes: list[str] = []
    same: set[str] = set()
    for field, before in entity.items():
        if before is None:
            continue
        if field not in result:
            changes.append(f"{field} {quote(before)} missing from the output")
            continue
        after = result[field]
        if after is None:
            changes.append(f"{field} {quote(before)} set to null")
        elif _same_or_unknown(before, after):
            same.add(field)
        else:
            changes.append(f"{field} {quote(before)} changed to {quote(after)}")
    findings.add_capped("enrichment.overwrite", changes, "… and {count} more changed fields")
    return same


def _check_grounding(
    entity: dict[str, Any],
    result: dict[str, Any],
    output: OutputJson,
    messages: Any,
    findings: FindingList,
    same: set[str] | None = None,
) -> None:
    if same is None:
        new_fields = [
            field
            for field, value in result.items()
            if value is not None
            and value is not True
            and value is not False
            and not (field in entity and _same_or_unknown(entity[field], value))
        ]
    else:  # a non-null value equals a null entity field only if it is null itself
        new_fields = [
            field
            for field, value in result.items()
            if value is not None and value is not True and value is not False and field not in same
        ]
    if not new_fields:
        return
    index = GroundingIndex(input_text(messages))

    def collect(index: GroundingIndex, tree: dict[str, Any]) -> list[tuple[str, Any]]:
        missing: list[tuple[str, Any]] = []
        for field in new_fields:
            value = tree[field]
            if type(value) is str:  # most new values: one search, no tree walk
                if not index.contains_text(value):
                    missing.append((field, value))
            else:
                missing.extend(index.ungrounded(value, field))
        return missing

    missing = ungrounded_as_written(index, result, output.text, collect)
    findings.add_capped(
        "enrichment.ungrounded",
        [f"{path} {quote(leaf)} not found in the input text" for path, leaf in missing],
        "… and {count} more values not found in the input text",
    )


def _same_or_unknown(before: Any, after: Any) -> bool:
    """:func:`same_value`, treating values nested too deep to compare as the same."""
    kind = type(before)
    if kind is type(after) and (kind is str or kind is int):  # most fields: text or a count
        return before == after
    try:
        return same_value(before, after)
    except RecursionError:
        return True
