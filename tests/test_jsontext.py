"""core.jsontext: strict and lenient parsing, fences, think blocks, the first JSON object."""

from __future__ import annotations

import time

import pytest

from core.jsontext import (
    NOT_JSON,
    first_json_object,
    has_fence,
    has_think_block,
    parse_lenient,
    parse_strict,
    strip_wrappers,
)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ('{"a": 1}', {"a": 1}),
        ("  \n[1, 2]\r\n", [1, 2]),
        ("\u00a0{}\u2003", {}),  # Unicode whitespace around is trimmed too
        ('"just a string"', "just a string"),
        ("null", None),
    ],
)
def test_parse_strict_accepts_json_with_surrounding_whitespace(text, value):
    assert parse_strict(text) == (True, value)
    assert parse_strict(text).value == value


@pytest.mark.parametrize(
    "text",
    [
        None,
        "",
        "   ",
        "{'a': 1}",
        '{"a": 1,}',
        "NaN",
        '{"a": NaN}',
        "```json\n{}\n```",
        '{"a": 1} x',
    ],
)
def test_parse_strict_rejects_anything_else(text):
    parsed = parse_strict(text)
    assert parsed is NOT_JSON
    assert not parsed.ok
    assert parsed.value is None


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ('```json\n{"a": 1}\n```', {"a": 1}),
        ("```\n[1]\n```", [1]),
        ('<think>maybe {"b": 2}</think>\n{"a": 1}', {"a": 1}),
        ('<THINKING>x</THINKING>{"a": 1}', {"a": 1}),
        ('Here you go: {"a": {"b": [1, 2]}} Hope it helps', {"a": {"b": [1, 2]}}),
        ('Note [sic] then {"a": "}"}', {"a": "}"}),  # "[sic]" is not JSON; brace in a string
        ('{"a": 1}', {"a": 1}),
    ],
)
def test_parse_lenient_removes_wrappers(text, value):
    assert parse_lenient(text).value == value


@pytest.mark.parametrize("text", [None, "no json here", "{broken", "<think>only thoughts</think>"])
def test_parse_lenient_gives_up_without_json(text):
    assert not parse_lenient(text).ok


def test_strip_wrappers_returns_the_fence_body_or_the_json_span():
    assert strip_wrappers('Sure:\n```json\n{"a": 1}\n```\nDone') == '{"a": 1}'
    assert strip_wrappers("Result: [1, 2] (two items)") == "[1, 2]"
    assert strip_wrappers("  plain prose  ") == "plain prose"


def test_has_fence_and_think_block():
    assert has_fence('```json\n{"a": 1}\n```')
    assert not has_fence('{"a": "one ` tick"}')
    assert has_think_block("<think>a</think>{}")
    assert has_think_block("  <think>never closed {}")
    assert not has_think_block('{"a": "I think so"}')


def test_first_json_object_skips_non_json_braces_and_arrays():
    text = 'Fill {the gaps}: [1, 2] {"name": "Casa", "tags": ["a"]} then {"other": 1}'
    assert first_json_object(text) == {"name": "Casa", "tags": ["a"]}
    assert first_json_object("no object [1, 2]") is None
    assert first_json_object(None) is None
    assert first_json_object('{"a": NaN} {"b": 1}') == {"b": 1}


def test_brace_heavy_text_is_scanned_quickly():
    """A Python bracket matcher walking on from every brace took ~30 s on this text."""
    text = "{ " * 20_000 + '{"a": 1}'
    started = time.perf_counter()
    assert first_json_object(text) == {"a": 1}
    assert parse_lenient(text).value == {"a": 1}
    assert time.perf_counter() - started < 2.0


def test_deep_nesting_does_not_raise():
    deep = "[" * 5000 + "]" * 5000
    assert first_json_object(deep) is None
    assert not parse_strict(deep).ok  # beyond orjson's depth limit
    parse_lenient("x " + deep)  # must not raise RecursionError
