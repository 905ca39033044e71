"""output.repetition (degenerate loops, no false positives) and output.length."""

from __future__ import annotations

import orjson
import pytest

from core.rules.text_output import repeated_tail

PROSE = (
    "Thanks for reaching out. I checked your reservation and the flight from Austin to Boston "
    "on Monday is confirmed. Your seat is 14C, an aisle seat near the front of the cabin. "
    "Checked bags are included in your fare, up to two pieces of 23 kg each. If you would like "
    "to upgrade, business class is available for an extra 240 dollars; let me know and I will "
    "book it. Is there anything else I can help you with today? Have a great trip!"
)
SIMILAR_OBJECTS = orjson.dumps(
    [
        {"name": f"Taqueria {n}", "phone": f"512-555-01{n:02d}", "rating": 4.5, "open": True}
        for n in range(40)
    ]
).decode()


@pytest.mark.parametrize(
    "output",
    [
        "I think " * 60,
        "The answer is 42. " + "and then " * 40,
        "Here you go:\n" + "- item\n" * 30 + "- ite",  # cut mid-copy, as max_tokens cuts a loop
        "ha" * 80,
    ],
)
def test_degenerate_loops_fail(check, make_record, output):
    message = check(make_record(output)).only("output.repetition").message
    assert "repeated" in message


@pytest.mark.parametrize(
    "output",
    [
        PROSE,
        SIMILAR_OBJECTS,
        orjson.dumps([{"id": n, "tags": ["a", "b"]} for n in range(200)]).decode(),
        "Yes. " * 4,  # too short to be a degenerate loop
        "Step 1 done.\n" + "Step 2 done.\n" * 3 + PROSE,
    ],
)
def test_normal_prose_and_json_arrays_of_similar_objects_pass(check, make_record, output):
    assert "output.repetition" not in check(make_record(output)).ids
    assert "output.repetition" not in check(make_record(output), "extraction").ids


def test_repetition_is_linear_on_a_long_output():
    text = PROSE * 3 + "no no " * 20_000
    span, copies, share = repeated_tail(text)
    assert span.strip() == "no no" or span.strip() == "no"
    assert share > 0.9 and copies >= 20_000


def test_output_length_is_off_by_default_and_reads_max_output_chars(check, make_record):
    line = make_record("x " * 30)
    assert "output.length" not in check(line).ids
    from core.config import CuratorConfig

    cfg = CuratorConfig.model_validate(
        {"rules": {"output.length": "error"}, "bands": {"max_output_chars": 50}}
    )
    assert check(line, cfg=cfg).only("output.length").message == (
        "output 60 chars > max_output_chars 50"
    )
    assert check(make_record("short"), cfg=cfg) == []
