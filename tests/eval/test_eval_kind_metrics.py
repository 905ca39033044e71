"""The metrics, taxonomy and usability of tool_call, text and reasoning answers (pure)."""

from __future__ import annotations

import orjson
import pytest

from core.eval.client import Exchange
from core.eval.heldout import Example
from core.eval.kind_metrics import (
    normalize_answer,
    reasoning_components,
    text_components,
    token_f1,
    tool_call_components,
)
from core.eval.kinds import example_kind, task_metric_names
from core.eval.metrics import ratio
from core.eval.outputs import Output, gold_answer, read_answer
from core.eval.scoring import score_task
from core.eval.settings import EvalSettings
from core.eval.specs import ModelTarget
from core.eval.taxonomy import classify, is_usable
from core.eval.toolcalls import ToolCall, json_equal, offered_tool_names, tool_calls_of
from core.rules.kinds import OutputKind
from tests.eval.kind_sets import SUPPORT, TOOLS, WEATHER_AGENT, call

GOLD = ModelTarget(spec="gold", kind="gold")
SETTINGS = EvalSettings(bootstrap_resamples=0)


def _calls(*calls: dict) -> tuple[ToolCall, ...]:
    return tool_calls_of({"tool_calls": list(calls)})


def _chat(message: dict, finish: str = "stop") -> Exchange:
    body = {"choices": [{"message": {"role": "assistant", **message}, "finish_reason": finish}]}
    return Exchange(200, orjson.dumps(body).decode(), 5.0, 1)


def _example(task: str, line: dict, position: int = 0) -> Example:
    return Example(task, position, position + 1, line)


def test_json_equality_is_strict_about_types_not_about_key_order() -> None:
    assert json_equal({"a": 1, "b": [1, 2]}, {"b": [1, 2], "a": 1.0})
    assert not json_equal({"a": True}, {"a": 1})
    assert not json_equal({"a": "1"}, {"a": 1})
    assert not json_equal([1, 2], [2, 1])
    assert not json_equal({"a": 1}, {"a": 1, "b": None})


def test_tool_calls_are_read_in_the_chat_shape_and_bare() -> None:
    calls = tool_calls_of(
        {"tool_calls": [call("f", {"x": 1}), {"name": "g", "arguments": {"y": 2}}, "junk"]}
    )
    assert [(c.name, c.parsed_arguments) for c in calls] == [("f", {"x": 1}), ("g", {"y": 2})]
    assert tool_calls_of({"content": "hi"}) == () and tool_calls_of(None) == ()
    assert offered_tool_names(TOOLS) == {"get_weather", "search_flights"}
    assert offered_tool_names([]) is None


def test_tool_call_components_for_one_answer() -> None:
    gold = _calls(call("f", {"a": 1, "b": 2}), call("g", {"c": 3}))
    swapped = _calls(call("g", {"c": 3}), call("f", {"b": 2, "a": 1}))
    parts = tool_call_components(swapped, gold)
    # names in another order: sequence differs, so neither names nor arguments match in order
    assert parts["tool_name_accuracy"] == (0.0, 1.0) and parts["arguments_exact"] == (0.0, 1.0)
    # the key pairs are a multiset: all 3 match
    assert parts["argument_key_precision"] == (3, 3) and parts["argument_key_recall"] == (3, 3)
    assert parts["valid_arguments"] == (2, 2)
    nothing = tool_call_components((), gold)
    assert nothing["valid_arguments"] == (0, 0) and ratio([nothing["valid_arguments"]]) is None
    assert nothing["argument_key_recall"] == (0, 3)


def test_text_normalization_and_token_f1() -> None:
    assert normalize_answer("  Hello,   WORLD! «ok» ") == "hello world ok"
    assert token_f1("", "") == 1.0 and token_f1("a", "") == 0.0
    # output "the cat sat", gold "the cat sat down": P 3/3, R 3/4 -> F1 = 1.5/1.75 = 6/7
    assert token_f1("The cat sat.", "the cat sat down") == pytest.approx(6 / 7)
    # repeated tokens count once per occurrence: "a a a" vs "a b": same 1, P 1/3, R 1/2 -> 0.4
    assert token_f1("a a a", "a b") == pytest.approx(0.4)
    parts = text_components(" Yes. ", "Yes.")
    assert parts["exact_match"] == (1.0, 1.0)  # surrounding whitespace is trimmed
    assert text_components("yes", "Yes.")["exact_match"] == (0.0, 1.0)
    assert text_components("yes", "Yes.")["normalized_match"] == (1.0, 1.0)


def test_reasoning_is_scored_after_the_think_block_and_reports_it() -> None:
    gold = "<think>The user asks for the capital.</think>Paris"
    with_think = reasoning_components("<think>hmm</think>\nParis", gold, None)
    assert with_think["exact_match"] == (1.0, 1.0) and with_think["think_present"] == (1.0, 1.0)
    separate = reasoning_components("Paris", gold, "reasoning returned apart")
    assert separate["exact_match"] == (1.0, 1.0) and separate["think_present"] == (1.0, 1.0)
    bare = reasoning_components("paris", gold, None)
    assert bare["exact_match"] == (0.0, 1.0) and bare["normalized_match"] == (1.0, 1.0)
    assert bare["think_present"] == (0.0, 1.0)
    unclosed = reasoning_components("<think>Paris, I think", gold, None)
    assert unclosed["token_f1"] == (0.0, 1.0)


WEATHER = call("get_weather", {"city": "X"})
UNPARSED = {"function": {"name": "get_weather", "arguments": "{city: X}"}}
WRITTEN = '<tool_call>{"name": "get_weather"}</tool_call>'


@pytest.mark.parametrize(
    ("message", "finish", "kind", "usable"),
    [
        ({"content": None, "tool_calls": [WEATHER]}, "tool_calls", "ok", True),
        ({"content": "Sunny."}, "stop", "no_tool_call", False),
        ({"content": WRITTEN}, "stop", "no_tool_call", False),
        ({"content": None, "reasoning_content": "let me see"}, "stop", "thinking_only", False),
        ({"content": ""}, "stop", "empty", False),
        ({"tool_calls": [call("book_hotel", {"city": "X"})]}, "stop", "unknown_tool", False),
        ({"tool_calls": [UNPARSED]}, "stop", "bad_arguments", False),
        ({"tool_calls": [WEATHER]}, "length", "truncated", True),
    ],
)
def test_tool_call_answers_taxonomy_and_usability(
    message: dict, finish: str, kind: str, usable: bool
) -> None:
    example = _example("weather_agent", WEATHER_AGENT[0])
    output = read_answer(_chat(message, finish), example, OutputKind.TOOL_CALL)
    assert (output.kind, output.usable) == (kind, usable)


def test_text_answers_taxonomy_and_usability() -> None:
    def kind_of(content: str | None, **more: object) -> tuple[str, bool]:
        output = read_answer(
            _chat({"content": content, **more}), _example("support", SUPPORT[0]), OutputKind.TEXT
        )
        return output.kind, output.usable

    assert kind_of("Sure, open Settings.") == ("ok", True)
    assert kind_of("") == ("empty", False)
    assert kind_of(None, tool_calls=[call("f", {})]) == ("empty", False)
    assert kind_of("<think>only this</think>") == ("thinking_only", False)
    assert classify("Not JSON at all", "stop", None, "support", kind=OutputKind.TEXT) == ("ok", "")
    assert is_usable(OutputKind.REASONING, "qa", "<think>x</think> Paris")
    assert not is_usable(OutputKind.REASONING, "qa", "<think>x</think>  ")


def test_example_kinds_and_metric_rows() -> None:
    assert example_kind(_example("weather_agent", WEATHER_AGENT[0])) == OutputKind.TOOL_CALL
    assert example_kind(_example("support", SUPPORT[0])) == OutputKind.TEXT
    assert example_kind(_example("support", SUPPORT[0]), "reasoning") == OutputKind.REASONING
    assert task_metric_names("planning", [OutputKind.JSON])[:3] == (
        "valid_json",
        "required_fields",
        "has_tool_steps",
    )
    mixed = task_metric_names("agent", [OutputKind.TEXT, OutputKind.TOOL_CALL])
    assert mixed == (
        "tool_name_accuracy",
        "arguments_exact",
        "argument_key_precision",
        "argument_key_recall",
        "valid_arguments",
        "exact_match",
        "normalized_match",
        "token_f1",
        "score",
    )


def test_a_task_of_mixed_kinds_scores_each_example_by_its_own_metrics() -> None:
    # a trajectory's steps: two tool calls, then the final text answer
    lines = [WEATHER_AGENT[0], WEATHER_AGENT[4], SUPPORT[1]]
    examples = [_example("agent", line, i) for i, line in enumerate(lines)]
    golds = [gold_answer(e) for e in examples]
    wrong_call = Output(
        "", "ok", usable=True, tool_calls=_calls(call("get_weather", {"city": "Nice"}))
    )
    candidate = [golds[0], wrong_call, Output("Yes we ship to Canada", "ok", usable=True)]
    answered = list(zip(examples, candidate, golds, strict=True))
    task = score_task("agent", answered, GOLD, GOLD, SETTINGS)
    assert task.kinds == {"text": 1, "tool_call": 2}
    # tool_call rows over examples 0 and 1 only: exact 1 of 2; text rows over example 2 only
    assert task.metrics["arguments_exact"].candidate == pytest.approx(1 / 2)
    assert task.metrics["tool_name_accuracy"].candidate == 1.0
    # "yes we ship to canada" vs "yes we ship to canada within 5 days": P 5/5, R 5/8 -> 10/13
    assert task.metrics["token_f1"].candidate == pytest.approx(10 / 13)
    # score: 1 (exact), 0 (not exact), 10/13 (token F1) -> mean
    assert task.metrics["score"].candidate == pytest.approx((1 + 0 + 10 / 13) / 3)
    assert [e.kind for e in task.examples] == ["tool_call", "tool_call", "text"]
    assert task.examples[2].candidate.metrics["arguments_exact"] is None  # not its kind


def test_reasoning_gold_vs_gold_and_a_scripted_model() -> None:
    line = {
        "messages": [
            {"role": "user", "content": "Capital of France?"},
            {"role": "assistant", "content": "<think>Easy: France's capital.</think>Paris."},
        ]
    }
    examples = [_example("qa", line)]
    gold = gold_answer(examples[0])
    task = score_task("qa", [(examples[0], gold, gold)], GOLD, GOLD, SETTINGS, declared="reasoning")
    assert task.kinds == {"reasoning": 1}
    for name in ("exact_match", "normalized_match", "token_f1", "think_present", "score"):
        assert task.metrics[name].candidate == 1.0, name
    # a server that returns the reasoning apart (reasoning_content) and "paris" as the answer
    output = read_answer(
        _chat({"content": "paris", "reasoning_content": "France's capital."}),
        examples[0],
        OutputKind.REASONING,
    )
    task = score_task(
        "qa", [(examples[0], output, gold)], GOLD, GOLD, SETTINGS, declared="reasoning"
    )
    metrics = {name: row.candidate for name, row in task.metrics.items()}
    # "paris" vs "Paris.": exact ✗, normalized ✓, F1 1; reasoning present (returned apart)
    assert (metrics["exact_match"], metrics["normalized_match"]) == (0.0, 1.0)
    assert (metrics["token_f1"], metrics["think_present"]) == (1.0, 1.0)
