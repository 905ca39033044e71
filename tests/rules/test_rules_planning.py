"""Planning rules: shape, required fields, tool steps, target count."""

from __future__ import annotations

import pytest


def test_good_plan_passes(check, make_record, plan):
    assert check(make_record(plan), "planning") == []


@pytest.mark.parametrize(("output", "kind"), [([1, 2], "an array"), ('"restaurants"', "a string")])
def test_plan_that_is_not_an_object_fails_shape_only(check, make_record, output, kind):
    findings = check(make_record(output), "planning")
    assert findings.ids == ["planning.shape"]
    assert f"plan is {kind}, not an object" in findings.only("planning.shape").message


def test_missing_and_null_required_fields_are_named(check, make_record, plan):
    del plan["city"]
    plan["entity_type"] = None
    message = check(make_record(plan), "planning").only("planning.required_fields").message
    assert "missing city" in message
    assert "null entity_type" in message
    assert "target_count" not in message


def test_required_fields_come_from_config(check, make_record, make_config, plan):
    cfg = make_config(planning={"required_fields": ["entity_type", "deadline"]})
    message = check(make_record(plan), "planning", cfg).only("planning.required_fields").message
    assert message == "required fields missing deadline"


@pytest.mark.parametrize(
    ("steps", "words"),
    [([], "tool_steps is an empty array"), ("search then fetch", "tool_steps is a string")],
)
def test_tool_steps_must_be_a_non_empty_array(check, make_record, plan, steps, words):
    plan["tool_steps"] = steps
    assert words in check(make_record(plan), "planning").only("planning.tool_steps").message


def test_null_tool_steps_is_only_a_required_field_finding(check, make_record, plan):
    plan["tool_steps"] = None
    assert check(make_record(plan), "planning").ids == ["planning.required_fields"]


def test_allowed_tools_accept_step_objects_and_names(check, make_record, make_config, plan):
    cfg = make_config(planning={"allowed_tools": ["web_search", "fetch_page"]})
    plan["tool_steps"] = [{"tool": "web_search", "query": "tacos"}, "fetch_page"]
    assert check(make_record(plan), "planning", cfg) == []


@pytest.mark.parametrize(
    ("step", "words"),
    [
        ({"tool": "bing_search"}, 'tool_steps[1].tool "bing_search" is not in allowed_tools'),
        ("scrape_everything", 'tool_steps[1] "scrape_everything" is not in allowed_tools'),
        ({"query": "tacos"}, "tool_steps[1] has no tool"),
        (7, "tool_steps[1] is a number, not a tool name or step object"),
    ],
)
def test_disallowed_step_is_named(check, make_record, make_config, plan, step, words):
    cfg = make_config(planning={"allowed_tools": ["web_search"]})
    plan["tool_steps"] = [{"tool": "web_search"}, step]
    assert check(make_record(plan), "planning", cfg).only("planning.tool_steps").message == words


def test_any_tool_is_fine_without_allowed_tools(check, make_record, plan):
    plan["tool_steps"] = [{"tool": "anything_goes"}]
    assert check(make_record(plan), "planning") == []


@pytest.mark.parametrize(
    ("count", "shown"), [(-5, "-5"), (0, "0"), (2.5, "2.5"), (True, "true"), ("40", '"40"')]
)
def test_target_count_must_be_a_positive_integer(check, make_record, plan, count, shown):
    plan["target_count"] = count
    message = check(make_record(plan), "planning").only("planning.target_count").message
    assert message == f"target_count {shown} is not a positive integer"


def test_target_count_above_the_configured_maximum_fails(check, make_record, make_config, plan):
    cfg = make_config(planning={"max_target_count": 25})
    findings = check(make_record(plan), "planning", cfg)
    assert findings.only("planning.target_count").message == "target_count 40 > max_target_count 25"
    plan["target_count"] = 25
    assert check(make_record(plan), "planning", cfg) == []


def test_planning_rules_do_not_run_for_other_tasks(check, make_record):
    assert check(make_record({"target_count": -1}), "unknown") == []
