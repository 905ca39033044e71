"""Extraction rules: shape, ungrounded values, unknown fields."""

from __future__ import annotations

import pytest


def extraction(make_record, page, entities):
    return make_record(entities, user=f"Extract every restaurant.\n\n{page}")


def test_grounded_entities_pass(check, make_record, page, casa_verde):
    farolito = {"name": "El Farolito", "phone": "(512) 555-0199", "rating": None, "open": True}
    assert check(extraction(make_record, page, [casa_verde, farolito]), "extraction") == []


def test_empty_array_is_a_valid_extraction(check, make_record, page):
    assert check(extraction(make_record, page, []), "extraction") == []


@pytest.mark.parametrize(
    ("output", "words"),
    [
        ({"entities": []}, "output is an object, not an array"),
        ([{"name": "El Farolito"}, "Casa Verde"], "entities[1] is a string, not an object"),
        ([1, 2, 3], "entities[0] is a number, not an object (+2 more)"),
    ],
)
def test_shape_requires_an_array_of_objects(check, make_record, page, output, words):
    findings = check(extraction(make_record, page, output), "extraction")
    assert findings.only("extraction.shape").message == words


def test_invented_phone_is_ungrounded_with_path_and_value(check, make_record, page, casa_verde):
    farolito = {"name": "El Farolito", "phone": "(512) 555-0100"}
    findings = check(extraction(make_record, page, [casa_verde, farolito]), "extraction")
    message = findings.only("extraction.ungrounded").message
    assert message == 'entities[1].phone "(512) 555-0100" not found in the input text'


def test_invented_number_and_nested_value_are_ungrounded(check, make_record, page):
    entity = {"name": "El Farolito", "rating": 4.8, "hours": {"mon": "7am–3pm", "sun": "closed"}}
    messages = check(extraction(make_record, page, [entity]), "extraction").of(
        "extraction.ungrounded"
    )
    assert messages == [
        "entities[0].rating 4.8 not found in the input text",
        'entities[0].hours.sun "closed" not found in the input text',
    ]


def test_number_is_compared_as_the_model_wrote_it(check, make_record):
    line = make_record('[{"rating": 4.50, "reviews": 312}]', user="Rated 4.50 by 312 diners")
    assert check(line, "extraction") == []
    line = make_record('[{"rating": 4.5}]', user="Rated 4.50 by 312 diners")
    assert "4.5 not found" in check(line, "extraction").only("extraction.ungrounded").message
    line = make_record('[{"rating": 4.50, "price": 1.0e1}]', user="Rated 4.5, $10")
    assert check(line, "extraction").of("extraction.ungrounded") == [
        "entities[0].price 1.0e1 not found in the input text"
    ]


def test_values_may_come_from_tool_messages_but_not_the_system_prompt(check, make_record):
    tool_turns = [
        {"role": "assistant", "content": None, "tool_calls": [{"id": "c1", "type": "function"}]},
        {"role": "tool", "tool_call_id": "c1", "content": "Casa Verde Taqueria, Austin"},
    ]
    line = make_record(
        [{"name": "Casa Verde Taqueria", "city": "Houston"}],
        system="Known cities: Houston, Dallas",
        user="Extract.",
        before_output=tool_turns,
    )
    findings = check(line, "extraction")
    assert findings.of("extraction.ungrounded") == [
        'entities[0].city "Houston" not found in the input text'
    ]


def test_many_ungrounded_values_are_capped(check, make_record, page):
    entities = [{"name": f"Invented Place {n}"} for n in range(9)]
    messages = check(extraction(make_record, page, entities), "extraction").of(
        "extraction.ungrounded"
    )
    assert len(messages) == 6
    assert messages[-1] == "… and 4 more values not found in the input text"


def test_long_ungrounded_value_is_truncated(check, make_record, page):
    entities = [{"description": "A family-run spot serving " + "breakfast tacos " * 30}]
    message = check(extraction(make_record, page, entities), "extraction").only(
        "extraction.ungrounded"
    )
    assert len(message.message) <= 160
    assert message.message.startswith('entities[0].description "A family-run spot')


def test_unknown_fields_only_when_known_fields_configured(check, make_record, make_config, page):
    entities = [
        {"name": "Casa Verde Taqueria", "vibe": None},
        {"name": "El Farolito", "vibe": None, "secret": None},
        {"name": "El Farolito", "vibe": None},
    ]
    line = extraction(make_record, page, entities)
    assert check(line, "extraction") == []
    cfg = make_config(extraction={"known_fields": ["name", "phone"]})
    assert check(line, "extraction", cfg).of("extraction.unknown_field") == [
        'unknown field "vibe" in entities[0] and 2 more entities',
        'unknown field "secret" in entities[1]',
    ]


def test_known_fields_pass(check, make_record, make_config, page, casa_verde):
    cfg = make_config(extraction={"known_fields": ["name", "address", "phone", "website"]})
    assert check(extraction(make_record, page, [casa_verde]), "extraction", cfg) == []


def test_extraction_rules_do_not_run_for_unknown_task(check, make_record, page):
    assert check(extraction(make_record, page, {"not": "an array"}), "unknown") == []
