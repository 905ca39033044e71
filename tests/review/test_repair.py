"""Auto-repair of fenced and reasoning-wrapped outputs, and the diff shown before saving."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.jsontext import parse_strict
from core.review.repair import auto_repair, unified_diff, with_output


@pytest.mark.parametrize(
    ("output", "corrected", "fixes"),
    [
        ('```json\n{"a": 1}\n```', '{"a": 1}', ("output.fenced",)),
        ("<think>hmm</think>\n[1, 2]", "[1, 2]", ("output.reasoning",)),
        ('Here is the JSON: {"a": 1}', '{"a": 1}', ("output.reasoning",)),
        (
            '<think>x</think>```json\n{"a": 1}\n```',
            '{"a": 1}',
            ("output.fenced", "output.reasoning"),
        ),
        (
            'Sure!\n```\n[{"n": "x"}]\n```\nDone.',
            '[{"n": "x"}]',
            ("output.fenced", "output.reasoning"),
        ),
    ],
)
def test_wrappers_are_stripped(output: str, corrected: str, fixes: tuple[str, ...]) -> None:
    repair = auto_repair(output)
    assert repair is not None
    assert repair.corrected == corrected and repair.fixes == fixes
    assert repair.diff[0] == "--- original" and repair.diff[1] == "+++ repaired"
    assert any(line.startswith("-") for line in repair.diff[2:])


@pytest.mark.parametrize(
    "output", [None, "", '{"a": 1}', "no json here", "```\nnot json\n```", '{"s": "```x```"}']
)
def test_nothing_to_repair(output: str | None) -> None:
    assert auto_repair(output) is None


def test_diff_of_identical_text_is_empty() -> None:
    assert unified_diff("a\nb", "a\nb") == []


def test_with_output_replaces_only_the_target() -> None:
    record = {"messages": [{"role": "user", "content": "q"}, {"role": "assistant", "content": "x"}],
              "tools": []}  # fmt: skip
    patched = with_output(record, "y")
    assert patched["messages"][-1]["content"] == "y" and record["messages"][-1]["content"] == "x"
    assert patched["tools"] == [] and patched["messages"][0] is record["messages"][0]


@given(
    st.recursive(
        st.integers(-(2**53), 2**53) | st.text(max_size=5), lambda c: st.lists(c, max_size=3)
    )
)
def test_a_repair_always_parses(value: object) -> None:
    import orjson

    text = orjson.dumps([value]).decode()
    for wrapped in (f"```json\n{text}\n```", f"<think>let me think</think>{text}"):
        repair = auto_repair(wrapped)
        assert repair is not None and parse_strict(repair.corrected).ok
