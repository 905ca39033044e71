"""Enrichment rules: shape, ungrounded new values, overwrites, unknown fields."""

from __future__ import annotations

import pytest

from core.rules.enrichment import same_value

ENTITY = {"name": "Casa Verde Taqueria", "city": "Austin", "phone": None, "website": None}


def enrichment(make_record, enrichment_user, output, entity=None, content=None):
    kwargs = {} if content is None else {"content": content}
    return make_record(output, user=enrichment_user(entity or ENTITY, **kwargs))


def test_filled_from_content_passes(check, make_record, enrichment_user):
    output = {**ENTITY, "phone": "512.555.0142", "website": "casaverde.example.com"}
    assert check(enrichment(make_record, enrichment_user, output), "enrichment") == []


def test_leaving_unknown_fields_null_passes(check, make_record, enrichment_user):
    assert check(enrichment(make_record, enrichment_user, dict(ENTITY)), "enrichment") == []


@pytest.mark.parametrize(("output", "kind"), [([ENTITY], "an array"), ("null", "null")])
def test_shape_requires_an_object(check, make_record, enrichment_user, output, kind):
    findings = check(enrichment(make_record, enrichment_user, output), "enrichment")
    assert findings.ids == ["enrichment.shape"]
    assert findings.only("enrichment.shape").message == f"output is {kind}, not an object"


def test_invented_value_is_ungrounded(check, make_record, enrichment_user):
    output = {**ENTITY, "phone": "(512) 555-0100", "website": None}
    findings = check(enrichment(make_record, enrichment_user, output), "enrichment")
    assert findings.ids == ["enrichment.ungrounded"]
    message = findings.only("enrichment.ungrounded").message
    assert message == 'phone "(512) 555-0100" not found in the input text'


def test_carried_over_values_are_not_regrounded(check, make_record, enrichment_user):
    """Pre-filled values came with the entity; only what the model added must be in the input.

    In the entity's JSON the quotes and the line break are escaped, so the raw value is not in
    the input text: only the carry-over exemption lets this pass.
    """
    entity = {"name": 'Casa "La Verde"\nTaqueria', "rating": 4.7, "phone": None}
    output = {**entity, "phone": "(512) 555-0142"}
    line = enrichment(
        make_record, enrichment_user, output, entity=entity, content="Tel 512 555 0142"
    )
    assert check(line, "enrichment") == []


def test_new_nested_value_is_checked_element_by_element(check, make_record, enrichment_user):
    output = {**ENTITY, "hours": {"mon": "7am–3pm", "sun": "10am–2pm"}}
    findings = check(enrichment(make_record, enrichment_user, output), "enrichment")
    assert findings.of("enrichment.ungrounded") == [
        'hours.sun "10am–2pm" not found in the input text'
    ]


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ({"city": "Dallas"}, 'city "Austin" changed to "Dallas"'),
        ({"city": None}, 'city "Austin" set to null'),
        ({"city": "austin"}, 'city "Austin" changed to "austin"'),
    ],
)
def test_changing_a_prefilled_field_is_an_overwrite(
    check, make_record, enrichment_user, change, words
):
    output = {**ENTITY, **change}
    findings = check(enrichment(make_record, enrichment_user, output), "enrichment")
    assert findings.only("enrichment.overwrite").message == words


def test_dropping_a_prefilled_field_is_an_overwrite(check, make_record, enrichment_user):
    output = {key: value for key, value in ENTITY.items() if key != "city"}
    findings = check(enrichment(make_record, enrichment_user, output), "enrichment")
    assert findings.only("enrichment.overwrite").message == 'city "Austin" missing from the output'


def test_input_entity_is_the_first_decodable_object_of_the_last_user_message(check, make_record):
    user = 'Fill {the gaps} of {"name": "Casa Verde Taqueria", "city": "Austin"} using {"x": 1}'
    line = make_record({"name": "Casa Verde Taqueria", "city": "Dallas"}, user=user)
    findings = check(line, "enrichment")
    assert findings.only("enrichment.overwrite").message == 'city "Austin" changed to "Dallas"'


def test_without_an_input_entity_every_value_must_be_grounded(check, make_record, page):
    line = make_record({"name": "Casa Verde Taqueria", "city": "Dallas"}, user=page)
    findings = check(line, "enrichment")
    assert findings.ids == ["enrichment.ungrounded"]
    assert '"Dallas"' in findings.only("enrichment.ungrounded").message


def test_unknown_fields_exempt_fields_of_the_input_entity(
    check, make_record, enrichment_user, make_config
):
    cfg = make_config(enrichment={"known_fields": ["name", "phone", "website"]})
    output = {**ENTITY, "mood": None}
    findings = check(enrichment(make_record, enrichment_user, output), "enrichment", cfg)
    assert findings.of("enrichment.unknown_field") == ['unknown field "mood"']


def test_same_value_is_json_equality():
    assert same_value(5, 5.0)
    assert not same_value(1, True)
    assert not same_value({"a": [1, False]}, {"a": [1, 0]})
    assert same_value({"a": [1, {"b": None}]}, {"a": [1, {"b": None}]})
    assert not same_value(["a"], ["a", "b"])
    assert not same_value("5", 5)


def test_known_fields_pass(check, make_record, enrichment_user, make_config):
    cfg = make_config(enrichment={"known_fields": ["name", "city", "phone", "website"]})
    output = {**ENTITY, "phone": "512.555.0142"}
    assert check(enrichment(make_record, enrichment_user, output), "enrichment", cfg) == []
