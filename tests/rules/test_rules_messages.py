"""Input conventions (input text, output text, context size) and band.context_chars."""

from __future__ import annotations

from core.rules.messages import context_chars, input_text, last_user_text, output_text

MESSAGES = [
    {"role": "system", "content": "Reply with JSON."},
    {"role": "user", "content": [{"type": "text", "text": "Page one"}, {"type": "image_url"}]},
    {"role": "assistant", "content": None, "tool_calls": [{"id": "c1"}]},
    {"role": "tool", "tool_call_id": "c1", "content": "Page two"},
    {"role": "user", "content": "Extract."},
    {"role": "assistant", "content": [{"type": "text", "text": "[]"}]},
]


def test_input_text_joins_user_and_tool_text_without_the_system_prompt():
    assert input_text(MESSAGES) == "Page one\nPage two\nExtract."


def test_output_text_is_the_last_assistant_content():
    assert output_text(MESSAGES) == "[]"
    assert output_text(MESSAGES[:-1]) is None  # last message is a user turn
    assert output_text([{"role": "assistant", "content": None}]) is None


def test_context_chars_counts_every_content_and_only_text_parts():
    assert context_chars(MESSAGES) == len("Reply with JSON.Page onePage twoExtract.[]")


def test_helpers_accept_anything():
    for junk in (None, "text", 3, [None, 1, "x", {"role": 5}], {"messages": []}):
        assert input_text(junk) == ""
        assert output_text(junk) is None
        assert context_chars(junk) == 0
        assert last_user_text(junk) is None


def test_last_user_text():
    assert last_user_text(MESSAGES) == "Extract."


def test_context_within_the_band_passes(check, make_record, make_config):
    line = make_record("[]", user="x" * 500, system=None)
    assert check(line).ids == []


def test_context_over_the_band_fails_with_both_figures(check, make_record):
    line = make_record("[]", user="x" * 61_232, system=None)
    message = check(line).only("band.context_chars").message
    assert message == "context 61,234 chars > 60,000"


def test_context_band_comes_from_config(check, make_record):
    from core.config import CuratorConfig

    cfg = CuratorConfig.model_validate({"bands": {"max_context_chars": 100}})
    line = make_record("[]", user="x" * 99, system=None)
    assert check(line, cfg=cfg).only("band.context_chars").message == "context 101 chars > 100"


def test_context_band_applies_even_without_assistant_output(check):
    line = {"messages": [{"role": "user", "content": "x" * 60_001}]}
    assert sorted(check(line).ids) == ["band.context_chars", "format.messages"]
