"""Each eval metric on constructed cases, values worked out by hand in the comments."""

from __future__ import annotations

import orjson
import pytest

from core.eval.metrics import example_components, metric_names, ratio
from core.eval.values import normalize_text, value_pairs


def _dump(value: object) -> str:
    return orjson.dumps(value).decode()


def metric(task: str, name: str, cases: list[tuple[str, object]], input_text: str = "") -> float:
    """A metric over examples given as (output text, gold value) pairs."""
    components = [
        example_components(task, output, _dump(gold), input_text)[name] for output, gold in cases
    ]
    value = ratio(components)
    assert value is not None
    return value


PLAN = {
    "entity_type": "restaurant",
    "target_count": 20,
    "city": "Lisbon",
    "tool_steps": [{"tool": "web_search"}, {"tool": "scrape"}],
}
ENTITIES = [{"name": "A", "phone": None}, {"name": "B", "phone": "1"}]
ENTITY = {"name": "A", "phone": "1", "website": None, "email": "e@a.pt"}


def test_story_zero_row_for_a_model_that_returns_nothing() -> None:
    # Every output is "": not JSON, so it counts as empty — no fields, no entities, all null.
    assert metric("planning", "valid_json", [("", PLAN)]) == 0.0
    assert metric("planning", "required_fields", [("", PLAN)]) == 0.0
    assert metric("planning", "has_tool_steps", [("", PLAN)]) == 0.0
    assert metric("extraction", "valid_json", [("", ENTITIES)]) == 0.0
    # 0 predicted non-null fields ÷ 3 gold non-null fields (A; B, 1) = 0
    assert metric("extraction", "field_recall", [("", ENTITIES)]) == 0.0
    # 0 predicted entities ÷ 2 gold entities = 0
    assert metric("extraction", "entity_count_ratio", [("", ENTITIES)]) == 0.0
    # 0 fields non-null in both ÷ 3 non-null in gold = 0
    assert metric("enrichment", "field_recall", [("", ENTITY)]) == 0.0
    # all 4 gold fields are null/absent in an unusable output: 4/4 = 1.0
    assert metric("enrichment", "null_rate", [("", ENTITY)]) == 1.0


def test_not_json_output_scores_as_empty_even_when_gold_is_inside() -> None:
    fenced = f"```json\n{_dump(ENTITY)}\n```"
    assert metric("enrichment", "valid_json", [(fenced, ENTITY)]) == 0.0
    assert metric("enrichment", "valid_json_lenient", [(fenced, ENTITY)]) == 1.0
    assert metric("enrichment", "null_rate", [(fenced, ENTITY)]) == 1.0
    assert metric("enrichment", "field_recall", [(fenced, ENTITY)]) == 0.0


def test_valid_json_strict_and_lenient() -> None:
    cases = [
        ('  {"a": 1}\n', {}),  # strict: whitespace trimmed, parses
        ('```json\n{"a": 1}\n```', {}),  # lenient only
        ('<think>hmm</think>{"a": 1}', {}),  # lenient only
        ("no JSON here", {}),  # neither
    ]
    assert metric("planning", "valid_json", cases) == 1 / 4
    assert metric("planning", "valid_json_lenient", cases) == 3 / 4


def test_planning_required_fields_and_tool_steps() -> None:
    cases = [
        (_dump(PLAN), PLAN),  # complete: required 1, steps 1
        (_dump({**PLAN, "tool_steps": []}), PLAN),  # [] is non-null: required 1, steps 0
        (_dump({**PLAN, "city": None}), PLAN),  # city null: required 0, steps 1
        (_dump([PLAN]), PLAN),  # an array is not an object: 0, 0
    ]
    assert metric("planning", "required_fields", cases) == 2 / 4
    assert metric("planning", "has_tool_steps", cases) == 2 / 4


def test_extraction_field_recall_exceeds_one_when_prediction_fills_more() -> None:
    overfilled = [{"name": "A", "phone": "9"}, {"name": "B", "phone": "1"}, {"name": "C"}]
    # predicted non-null: 2 + 2 + 1 = 5; gold non-null: A (1) + B, 1 (2) = 3 -> 5/3
    assert metric("extraction", "field_recall", [(_dump(overfilled), ENTITIES)]) == 5 / 3
    # predicted entities 3 ÷ gold 2 = 1.5
    assert metric("extraction", "entity_count_ratio", [(_dump(overfilled), ENTITIES)]) == 1.5


def test_extraction_metrics_pool_over_examples() -> None:
    cases = [
        (_dump([{"name": "A", "phone": "9"}, {"name": "B", "phone": "1"}]), ENTITIES),
        (_dump([{"name": "X"}]), [{"name": "X", "city": "Y"}]),
        (_dump([{"name": "Z"}]), []),  # gold has no entity: ratio undefined, left out
    ]
    # field_recall = Σ predicted (4 + 1 + 1) ÷ Σ gold (3 + 2 + 0) = 6/5
    assert metric("extraction", "field_recall", cases) == pytest.approx(6 / 5)
    # entity_count_ratio = mean(2/2, 1/1) over the two examples with gold entities = 1.0
    assert metric("extraction", "entity_count_ratio", cases) == 1.0
    # a wrong-shape output (object) has no entities: (0/2 + 1/1) / 2 = 0.5
    cases[0] = (_dump({"name": "A"}), ENTITIES)
    assert metric("extraction", "entity_count_ratio", cases) == 0.5


def test_enrichment_field_recall_and_null_rate() -> None:
    prediction = {"name": "A", "phone": None, "website": "w.pt"}
    # gold non-null: name, phone, email (3); non-null in both: name -> 1/3
    assert metric("enrichment", "field_recall", [(_dump(prediction), ENTITY)]) == 1 / 3
    # gold fields (4) null/absent in prediction: phone (null), email (absent) -> 2/4
    assert metric("enrichment", "null_rate", [(_dump(prediction), ENTITY)]) == 0.5
    second = ({"name": "B", "phone": None}, {"name": "B", "phone": "2"})
    cases = [(_dump(prediction), ENTITY), (_dump(second[0]), second[1])]
    # pooled: both (1 + 1) ÷ gold non-null (3 + 2) = 2/5; nulls (2 + 1) ÷ fields (4 + 2) = 3/6
    assert metric("enrichment", "field_recall", cases) == 2 / 5
    assert metric("enrichment", "null_rate", cases) == 3 / 6


def test_value_precision_recall_and_score() -> None:
    gold = {
        "city": "Lisbon",
        "target_count": 20,
        "tool_steps": [{"tool": "web_search"}, {"tool": "scrape"}],
    }
    predicted = {
        "city": "  LISBON ",
        "target_count": 20.0,
        "tool_steps": [{"tool": "scrape"}, {"tool": "enrich"}],
        "entity_type": "cafe",
    }
    # gold pairs: city=lisbon, target_count=20, tool_steps[].tool=web_search, =scrape (4)
    # predicted pairs: city=lisbon, target_count=20, =scrape, =enrich, entity_type=cafe (5)
    # matched: city, target_count, scrape (3)
    parts = example_components("planning", _dump(predicted), _dump(gold), "")
    assert ratio([parts["value_precision"]]) == 3 / 5
    assert ratio([parts["value_recall"]]) == 3 / 4
    # score = F1 = 2·3 / (5 + 4) = 2/3
    assert ratio([parts["score"]]) == pytest.approx(2 / 3)


def test_score_when_neither_side_holds_a_value() -> None:
    # gold [] and output []: strict JSON of the right shape scores 1; an object or text 0
    assert ratio([example_components("extraction", "[]", "[]", "")["score"]]) == 1.0
    assert ratio([example_components("extraction", "{}", "[]", "")["score"]]) == 0.0
    assert ratio([example_components("extraction", "none", "[]", "")["score"]]) == 0.0


def test_hallucination_rate_against_the_input_text() -> None:
    text = "Ai Mamma Vegan, Rua da Rosa 12.\nTel +351 21 123 4567."
    predicted = [
        {
            "name": "AI  MAMMA vegan",  # grounded after case and whitespace folding
            "phone": "+351 21 123 4567",  # grounded
            "website": "www.aimamma.pt",  # not in the text
            "rating": 4.5,  # not in the text
            "vegan": True,  # booleans are not checked
            "email": None,  # nulls are not values
        }
    ]
    # 2 ungrounded of 4 checked values = 0.5
    assert metric("extraction", "hallucination_rate", [(_dump(predicted), [])], text) == 0.5


def test_hallucination_uses_the_content_rules_grounding() -> None:
    text = "Morada: Rua da Rosa 12, tel (512) 555-0142, https://www.rosa.pt/"
    grounded = [{"street": "RUA da  rosa", "phone": "512.555.0142", "site": "rosa.pt"}]
    # all three are grounded once case, whitespace, phone digits and URL form are folded
    assert metric("extraction", "hallucination_rate", [(_dump(grounded), [])], text) == 0.0
    invented = [{"street": "Rua do Ouro", "phone": "512.555.0199"}]
    assert metric("extraction", "hallucination_rate", [(_dump(invented), [])], text) == 1.0


def test_pairs_helpers() -> None:
    assert normalize_text("  Rua   da\nROSA ") == "rua da rosa"
    assert value_pairs([{"a": 1}, {"a": 1.0, "b": ""}]) == {("[].a", "1"): 2}


def test_undefined_metrics_are_none() -> None:
    # nothing predicted: precision 0/0 is undefined, not 0
    assert ratio([example_components("planning", "", _dump(PLAN), "")["value_precision"]]) is None
    assert ratio([]) is None


def test_metric_names_per_task() -> None:
    assert metric_names("planning")[:3] == ("valid_json", "required_fields", "has_tool_steps")
    assert metric_names("extraction")[:3] == ("valid_json", "field_recall", "entity_count_ratio")
    assert metric_names("enrichment")[:3] == ("valid_json", "field_recall", "null_rate")
    assert "hallucination_rate" not in metric_names("planning")
    assert metric_names("summaries")[0] == "valid_json"
    assert "field_recall" not in metric_names("summaries")
