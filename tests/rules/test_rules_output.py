"""The generic output rules: empty, invalid JSON, fenced, reasoning.

The JSON rules apply to ``json`` calls only, so these lines are checked as a task declared
``kind = "json"`` unless a test names another task.
"""

from __future__ import annotations

import pytest

FENCED = '```json\n{"entity_type": "restaurant"}\n```'


@pytest.fixture(name="check")
def json_task_check(check, make_config):
    json_task = make_config(answer={"kind": "json"})

    def check_as_json(line, task="answer", cfg=None):
        return check(line, task, cfg or json_task)

    return check_as_json


def test_clean_json_passes_every_output_rule(check, make_record):
    assert check(make_record('  {"entity_type": "restaurant"}\n')) == []


@pytest.mark.parametrize(("output", "words"), [("", "is empty"), ("  \n\t", "4 whitespace")])
def test_empty_output_fails_output_empty_only(check, make_record, output, words):
    findings = check(make_record(output), "planning")
    assert findings.ids == ["output.empty"]
    assert words in findings.only("output.empty").message


def test_empty_list_of_parts_is_empty_output(check, make_record):
    line = make_record("")
    line["messages"][-1]["content"] = [{"type": "text", "text": ""}]
    assert check(line).ids == ["output.empty"]


def test_prose_output_is_invalid_json_with_its_start_quoted(check, make_record):
    findings = check(make_record("I could not find any restaurants on this page."))
    assert findings.ids == ["output.invalid_json"]
    message = findings.only("output.invalid_json").message
    assert "does not parse as JSON" in message
    assert '"I could not find' in message


def test_truncated_json_is_invalid(check, make_record):
    findings = check(make_record('{"entity_type": "restaurant", "city": "Aus'))
    assert findings.ids == ["output.invalid_json"]


def test_fenced_json_is_fenced_and_invalid_json(check, make_record):
    findings = check(make_record(FENCED))
    assert sorted(findings.ids) == ["output.fenced", "output.invalid_json"]
    assert "```json" in findings.only("output.fenced").message
    assert "code fence" in findings.only("output.invalid_json").message


def test_fence_with_prose_is_also_reasoning(check, make_record):
    findings = check(make_record("Here is the plan:\n" + FENCED + "\nLet me know!"))
    assert set(findings.ids) == {"output.invalid_json", "output.fenced", "output.reasoning"}
    message = findings.only("output.reasoning").message
    assert "before and after" in message
    assert '"Here is the plan:"' in message
    assert '"Let me know!"' in message


def test_unclosed_fence_still_counts_as_fenced(check, make_record):
    findings = check(make_record('```json\n{"entity_type": "restaurant"}'))
    assert "output.fenced" in findings.ids
    assert "output.reasoning" not in findings.ids


def test_fence_inside_a_json_string_is_not_fenced(check, make_record):
    assert check(make_record({"note": "use ```json fences``` never"})) == []


@pytest.mark.parametrize("tag", ["think", "thinking"])
def test_think_block_is_reasoning(check, make_record, tag):
    output = f'<{tag}>The page lists two places.</{tag}>\n[{{"name": "Casa Verde"}}]'
    findings = check(make_record(output))
    assert set(findings.ids) == {"output.invalid_json", "output.reasoning"}
    assert f"<{tag}>" in findings.only("output.reasoning").message


@pytest.mark.parametrize(
    ("output", "where", "quoted"),
    [
        ('Let me think… the user wants tacos.\n{"city": "Austin"}', "before", "Let me think"),
        ('{"city": "Austin"}\nI hope this helps.', "after", "I hope this helps."),
    ],
)
def test_prose_around_json_is_reasoning(check, make_record, output, where, quoted):
    findings = check(make_record(output))
    message = findings.only("output.reasoning").message
    assert f"prose {where} the JSON" in message
    assert quoted in message
    assert "with text around it" in findings.only("output.invalid_json").message


def test_think_tag_inside_a_json_string_is_not_reasoning(check, make_record):
    assert check(make_record({"note": "<think>kept as data</think>"})) == []


def test_task_rules_still_judge_the_json_inside_a_fence(check, make_record):
    """A fenced plan missing fields is reported on both counts, so repairs are not wasted."""
    findings = check(make_record(FENCED), "planning")
    assert "planning.required_fields" in findings.ids


def test_long_prose_is_cut_in_the_message(check, make_record):
    message = check(make_record("word " * 500)).only("output.invalid_json").message
    assert len(message) <= 160
    assert "…" in message
