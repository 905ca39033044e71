"""format.weight and format.content_part."""

from __future__ import annotations

import pytest


def test_weights_zero_and_one_on_assistant_turns_pass(check, make_record):
    line = make_record("Fine.", before_output=[{"role": "assistant", "content": "Hm", "weight": 0}])
    line["messages"].insert(-1, {"role": "user", "content": "and?"})
    line["messages"][-1]["weight"] = 1
    assert check(line) == []


@pytest.mark.parametrize(
    ("weight", "words"),
    [(2, "weight 2 is a number other than 0 or 1"), ("1", 'weight "1" is a string'), (True, "")],
)
def test_weight_other_than_zero_or_one_fails(check, make_record, weight, words):
    line = make_record("Fine.")
    line["messages"][-1]["weight"] = weight
    message = check(line).only("format.weight").message
    assert message.startswith("messages[2] ") and words in message


def test_weight_on_a_user_message_fails(check, make_record):
    line = make_record("Fine.")
    line["messages"][1]["weight"] = 1
    assert "only assistant messages" in check(line).only("format.weight").message


def test_image_url_parts_with_urls_pass(check, make_record):
    parts = [
        {"type": "text", "text": "What is in this picture?"},
        {"type": "image_url", "image_url": {"url": "https://example.com/cat.png"}},
        {"type": "image_url", "image_url": {"url": "data:image/png;base64,iVBORw0KGgo="}},
    ]
    assert check(make_record("A cat.", user=parts)) == []


@pytest.mark.parametrize(
    ("part", "words"),
    [
        ({"type": "image", "image": "/home/me/cat.png"}, 'type "image", which the chat format'),
        ({"type": "image_url", "image_url": {"url": "/home/me/cat.png"}}, "local path"),
        ({"type": "image_url", "image_url": {"url": "cat.png"}}, "local path"),
        ({"type": "text"}, "text part without text"),
        ({"type": "video", "video": "x"}, 'type "video"'),
    ],
)
def test_parts_the_format_lacks_fail(check, make_record, part, words):
    findings = check(make_record("A cat.", user=[{"type": "text", "text": "Look:"}, part]))
    assert findings.ids == ["format.content_part"]
    assert findings.only("format.content_part").message.startswith("messages[1].content[1] ")
    assert words in findings.only("format.content_part").message


def test_image_in_an_assistant_message_fails(check, make_record):
    line = make_record("")
    line["messages"][-1]["content"] = [
        {"type": "text", "text": "Here it is"},
        {"type": "image_url", "image_url": {"url": "https://example.com/cat.png"}},
    ]
    message = check(line).only("format.content_part").message
    assert "image in an assistant message" in message
