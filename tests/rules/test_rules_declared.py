"""A declared task's rules: shape.schema, shape.ungrounded, shape.unknown_field."""

from __future__ import annotations

import pytest

TICKET_SCHEMA = {
    "type": "object",
    "properties": {
        "customer": {"type": "string"},
        "priority": {"enum": ["low", "high"]},
        "items": {"type": "array", "items": {"type": "object", "required": ["sku"]}},
    },
    "required": ["customer", "priority"],
}
PAGE = "Ticket from Dana Whitfield: the blender (SKU BX-200) arrived broken. Urgent."


@pytest.fixture
def ticket(make_config):
    return make_config(
        ticket={
            "kind": "json",
            "schema": TICKET_SCHEMA,
            "grounded": ["/customer", "/items/*/sku"],
            "known_fields": ["customer", "priority", "items"],
        }
    )


def test_output_matching_schema_grounded_and_known_passes(check, make_record, ticket):
    output = {"customer": "Dana Whitfield", "priority": "high", "items": [{"sku": "BX-200"}]}
    assert check(make_record(output, user=PAGE), "ticket", ticket) == []


def test_output_violating_the_schema_fails_shape_schema(check, make_record, ticket):
    output = {"customer": "Dana Whitfield", "priority": "urgent"}
    findings = check(make_record(output, user=PAGE), "ticket", ticket)
    assert findings.ids == ["shape.schema"]
    assert findings.only("shape.schema").message.startswith("output at /priority: ")


def test_ungrounded_pointer_values_fail(check, make_record, ticket):
    output = {
        "customer": "Dan Whit",
        "priority": "low",
        "items": [{"sku": "BX-200"}, {"sku": "Z9"}],
    }
    findings = check(make_record(output, user=PAGE), "ticket", ticket)
    assert findings.of("shape.ungrounded") == [
        '/customer "Dan Whit" not found in the input text',
        '/items/1/sku "Z9" not found in the input text',
    ]


def test_fields_outside_known_fields_fail(check, make_record, ticket):
    output = {"customer": "Dana Whitfield", "priority": "low", "mood": "angry"}
    findings = check(make_record(output, user=PAGE), "ticket", ticket)
    assert findings.only("shape.unknown_field").message == 'unknown field "mood"'


def test_declared_rules_run_only_on_json_calls(check, make_record, make_config):
    text_task = make_config(ticket={"kind": "text", "schema": TICKET_SCHEMA})
    assert check(make_record("Not JSON at all.", user=PAGE), "ticket", text_task) == []


def test_story_task_with_a_schema_gets_shape_schema_too(check, make_record, make_config, plan):
    cfg = make_config(planning={"schema": {"type": "object", "required": ["budget"]}})
    assert check(make_record(plan), "planning", cfg).ids == ["shape.schema"]
