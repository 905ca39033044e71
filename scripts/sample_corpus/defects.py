"""Call-level defects planted into otherwise clean calls.

Each defect edits one built call in place and returns the Mark describing it, or None when the
call is not a fitting host (the run builder then tries the next call of the same task).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from .model import Call, Mark, dump_output
from .world import BusinessFactory, slug

Defect = Callable[[Call, BusinessFactory], Mark | None]

_INVALID_JSON = ("output.invalid_json",)


def _parsed_output(call: Call) -> Any:
    return json.loads(call.output)


def _input_entity(call: Call) -> dict[str, Any]:
    user_text = call.messages[1]["content"]
    entity, _ = json.JSONDecoder().raw_decode(user_text, user_text.index("{"))
    return entity


def fenced_output(call: Call, factory: BusinessFactory) -> Mark | None:
    call.output = f"```json\n{call.output}\n```"
    return Mark(
        "output.fenced", "valid JSON inside a markdown code fence tagged json", _INVALID_JSON
    )


def think_block(call: Call, factory: BusinessFactory) -> Mark | None:
    call.output = (
        "<think>\nOnly fill the nulls the scraped content states; keep every filled field."
        "\n</think>\n" + call.output
    )
    return Mark("output.reasoning", "a <think>…</think> block before the JSON", _INVALID_JSON)


def lead_in_prose(call: Call, factory: BusinessFactory) -> Mark | None:
    count = len(_parsed_output(call))
    call.output = (
        f"Let me think... The page lists {count} businesses. Here is the JSON:\n\n{call.output}"
    )
    return Mark("output.reasoning", '"Let me think..." prose before the JSON array', _INVALID_JSON)


def empty_output(call: Call, factory: BusinessFactory) -> Mark | None:
    call.output = ""
    return Mark("output.empty", "assistant content is an empty string", _INVALID_JSON)


def truncated_output(call: Call, factory: BusinessFactory) -> Mark | None:
    """The reply was cut off by max_tokens: only pages that added nothing new, so the run's
    entity count stays consistent with what the agent could parse."""
    if call.metadata is None or call.metadata.get("new_entities") != 0 or len(call.output) < 80:
        return None
    cut = call.output.index('"address"') + len('"address": "') + 6
    call.output = call.output[:cut]
    return Mark("output.invalid_json", "JSON array cut off mid-string (max_tokens reached)")


def trailing_user_turn(call: Call, factory: BusinessFactory) -> Mark | None:
    call.messages.append({"role": "user", "content": "Thanks. Now do page 2 of the results."})
    return Mark(
        "format.messages",
        "last message is a user turn after the assistant's answer; with no assistant target "
        "last, the output rules have nothing to read",
    )


def bot_role(call: Call, factory: BusinessFactory) -> Mark | None:
    call.messages[-1]["role"] = "bot"
    return Mark(
        "format.messages",
        'the answer is logged with role "bot" (unknown role, last message not assistant); '
        "its content is otherwise a clean, grounded array",
    )


def entities_in_object(call: Call, factory: BusinessFactory) -> Mark | None:
    entities = _parsed_output(call)
    if not entities:
        return None
    call.output = dump_output("extraction", {"entities": entities})
    return Mark("extraction.shape", 'the grounded entities wrapped in {"entities": [...]}')


def entity_in_array(call: Call, factory: BusinessFactory) -> Mark | None:
    call.output = dump_output("enrichment", [_parsed_output(call)])
    return Mark("enrichment.shape", "the enriched entity wrapped in a one-element array")


def plan_in_array(call: Call, factory: BusinessFactory) -> Mark | None:
    call.output = dump_output("planning", [_parsed_output(call)])
    return Mark("planning.shape", "a complete plan wrapped in a one-element array")


def _edit_plan(call: Call, key: str, value: Any) -> None:
    plan = _parsed_output(call)
    plan[key] = value
    call.output = dump_output("planning", plan)


def plan_without_city(call: Call, factory: BusinessFactory) -> Mark | None:
    _edit_plan(call, "city", None)
    return Mark("planning.required_fields", '"city": null')


def plan_without_steps(call: Call, factory: BusinessFactory) -> Mark | None:
    _edit_plan(call, "tool_steps", [])
    return Mark("planning.tool_steps", '"tool_steps": [] (present but empty)')


def plan_count_in_words(call: Call, factory: BusinessFactory) -> Mark | None:
    _edit_plan(call, "target_count", "twenty")
    return Mark("planning.target_count", '"target_count": "twenty" (a string, not an integer)')


def invented_phone(call: Call, factory: BusinessFactory) -> Mark | None:
    entities = _parsed_output(call)
    without_phone = [entity for entity in entities if entity["phone"] is None]
    if not without_phone:
        return None
    target = without_phone[0]
    target["phone"] = factory.unused_phone()
    call.output = dump_output("extraction", entities)
    return Mark(
        "extraction.ungrounded",
        f"phone {target['phone']} invented for {target['name']}; the page lists no phone for it",
    )


def invented_email(call: Call, factory: BusinessFactory) -> Mark | None:
    entity = _parsed_output(call)
    if entity["email"] is not None:
        return None
    entity["email"] = f"contact@{slug(entity['name'])[:18]}.com"
    call.output = dump_output("enrichment", entity)
    return Mark(
        "enrichment.ungrounded",
        f"email {entity['email']} invented; the scraped content states no email",
    )


def changed_phone(call: Call, factory: BusinessFactory) -> Mark | None:
    old_phone = _input_entity(call).get("phone")
    if old_phone is None:
        return None
    new_phone = factory.unused_phone(style=1)
    call.messages[1]["content"] += f"\nNew! Our second line {new_phone} is open for bookings."
    entity = _parsed_output(call)
    entity["phone"] = new_phone
    call.output = dump_output("enrichment", entity)
    return Mark(
        "enrichment.overwrite",
        f"pre-filled phone {old_phone} replaced by {new_phone} (stated in the content, so "
        "grounded: only the overwrite fires)",
    )


DEFECTS: dict[str, Defect] = {
    "fenced_output": fenced_output,
    "think_block": think_block,
    "lead_in_prose": lead_in_prose,
    "empty_output": empty_output,
    "truncated_output": truncated_output,
    "trailing_user_turn": trailing_user_turn,
    "bot_role": bot_role,
    "entities_in_object": entities_in_object,
    "entity_in_array": entity_in_array,
    "plan_in_array": plan_in_array,
    "plan_without_city": plan_without_city,
    "plan_without_steps": plan_without_steps,
    "plan_count_in_words": plan_count_in_words,
    "invented_phone": invented_phone,
    "invented_email": invented_email,
    "changed_phone": changed_phone,
}
