"""Grounding normalization: case, whitespace, phones, URLs, numbers as written, nesting."""

from __future__ import annotations

import pytest

from core.rules.grounding import GroundingIndex, normalize, url_key
from core.rules.numbers import FloatLiteral
from core.rules.phones import phone_key, run_around, whole_groups_end_at

PAGE = (
    "CASA VERDE   Taqueria\n1402 E Cesar\tChavez St, Austin\n"
    "Tel (512) 555-0142 · www.CasaVerde.example.com/menu/\n"
    "Rated 4.5 by 312 diners; 4.50 avg ticket $12.75. Straße 9.\n"
    "London office: +44 20 7946 0958\n"
)


@pytest.fixture
def index() -> GroundingIndex:
    return GroundingIndex(PAGE)


@pytest.mark.parametrize(
    "value",
    ["casa verde taqueria", "Casa Verde Taqueria", "1402 e cesar chavez st", "  Austin  ", ""],
)
def test_case_and_whitespace_are_normalized(index, value):
    assert index.contains_text(value)


def test_non_ascii_casefolding(index):
    assert index.contains_text("STRASSE 9")
    assert GroundingIndex("Café Olé").contains_text("CAFÉ OLÉ")


@pytest.mark.parametrize("value", ["Casa Roja Taqueria", "Cesar Chavez Blvd", "Dallas"])
def test_absent_text_is_not_grounded(index, value):
    assert not index.contains_text(value)


@pytest.mark.parametrize(
    "phone", ["(512) 555-0142", "512.555.0142", "512-555-0142", "5125550142", "+1 512 555 0142"]
)
def test_phone_formats_match_by_digits_and_country_code_is_optional(index, phone):
    assert index.contains_text(phone)


@pytest.mark.parametrize(
    ("phone", "grounded"),
    [
        ("020 7946 0958", True),  # national trunk 0 for +44
        ("+44 20 7946 0958", True),
        ("+442079460958", True),  # compact international form
        ("+1 20 7946 0958", False),  # both sides have a country code and they differ
        ("+44 512 555 0142", True),  # the input wrote no country code for this one
        ("(512) 555-0199", False),
        ("1-512-555-0142", False),  # a bare leading 1 is a digit, not a country code
    ],
)
def test_country_codes_must_agree_when_both_sides_write_one(index, phone, grounded):
    assert index.contains_text(phone) is grounded


@pytest.mark.parametrize(
    ("page", "phone"),
    [
        ("Appelez le 01 23 45 67 89.", "0123456789"),  # last digits not contiguous: full index
        ("Tel: 512-555-0142", "5125550142"),
        ("Tel: 5125550142", "512 555 0142"),
        ("Ref 0142, 0142, 0142 " * 20 + "Tel 512.555.0142", "(512) 555-0142"),  # many anchors
        ("(512) 555-0142", "12) 555-0142"),  # verbatim, though it cuts a digit group
    ],
)
def test_phone_regrouped_in_any_way_matches(page, phone):
    assert GroundingIndex(page).contains_text(phone)


def test_phone_miss_after_anchor_hits_elsewhere():
    index = GroundingIndex("Order 0142 shipped. Call 512 555 0199.")
    assert not index.contains_text("(512) 555-0142")


@pytest.mark.parametrize(
    ("text", "digits", "whole"),
    [
        ("Tel (512) 555-0142.", "5125550142", True),
        ("Tel (512) 555-0142.", "5550142", True),
        ("Tel (512) 555-0142.", "125550142", False),  # starts inside the group 512
        ("Tel 9(512) 555-0142.", "5125550142", True),
        ("Tel A512 555-0142", "5125550142", True),
        ("Tel (512) 555-0143.", "5125550142", False),
        ("Tel (512) x555-0142", "5125550142", False),  # a letter breaks the run
    ],
)
def test_whole_groups_end_at(text, digits, whole):
    assert whole_groups_end_at(text, text.index("014") + 4, digits) is whole


def test_run_around_stops_at_letters_and_drops_a_cut_group():
    text = "Call (512) 555-0142 now"
    start = text.index("0142")
    assert run_around(text, start, start + 4).strip() == "(512) 555-0142"
    groups = "1234 " * 30
    run = run_around(groups, 71, 75).strip()
    # the reach limit (40) falls inside groups on both sides: those partial groups are dropped
    assert run.startswith("1234 ")
    assert run.endswith(" 1234")
    assert len(run) < 90


def test_phone_followed_by_other_numbers_still_matches():
    assert GroundingIndex("Tel 512 555 0142 123 Main St").contains_text("(512) 555-0142")


def test_phone_split_over_lines_matches():
    assert GroundingIndex("Call\n512\n555-0142 today").contains_text("512-555-0142")


def test_phone_key_recognizes_phone_like_values_only():
    assert phone_key("+1 (512) 555-0142") == ("1", "5125550142", "0142")
    assert phone_key("512.555.0142") == (None, "5125550142", "0142")
    assert phone_key("+15125550142") == ("", "15125550142", "15125550142")
    assert phone_key("555-014") is None  # fewer than 7 digits
    assert phone_key("Tel 512 555 0142") is None  # letters


@pytest.mark.parametrize(
    "url",
    [
        "https://www.casaverde.example.com/menu/",
        "http://casaverde.example.com/menu",
        "casaverde.example.com/menu",
        "www.casaverde.example.com",
        "HTTPS://CasaVerde.Example.com/",
    ],
)
def test_url_scheme_www_and_trailing_slash_are_ignored(index, url):
    assert index.contains_text(url)


def test_url_on_another_host_is_not_grounded(index):
    assert not index.contains_text("https://www.casaroja.example.com/")


def test_url_key():
    assert url_key("https://www.Acme.com/") == "acme.com"
    assert url_key("acme.com") is None  # nothing to strip: the plain test covers it
    assert url_key("not a url/") is None


@pytest.mark.parametrize(
    ("number", "grounded"),
    [
        (FloatLiteral("4.5"), True),
        (FloatLiteral("4.50"), True),
        (312, True),
        (FloatLiteral("12.75"), True),
        (FloatLiteral("2.75"), False),  # inside 12.75
        (FloatLiteral("4.500"), True),  # its shortest form, 4.5, is in the input
        (FloatLiteral("3.120"), False),  # neither 3.120 nor 3.12 is (only 312)
        (4, False),  # only inside 4.5 / 4.50
        (31, False),  # inside 312
        (5, False),  # inside 555 and 4.5
        (9, True),  # "Straße 9."
    ],
)
def test_numbers_must_appear_whole_as_written_or_in_shortest_form(index, number, grounded):
    assert index.is_grounded(number) is grounded


def test_parsed_float_without_literal_uses_its_shortest_form(index):
    assert index.is_grounded(4.5)
    assert not index.is_grounded(4.25)


def test_booleans_and_nulls_are_not_checked(index):
    assert index.is_grounded(True)
    assert index.is_grounded(None)


def test_lists_and_nested_objects_are_checked_element_by_element(index):
    value = {"hours": ["7am", "3pm"], "geo": {"city": "Austin", "zip": "78702"}, "tags": [[True]]}
    assert index.ungrounded(value, "entity") == [
        ("entity.hours[0]", "7am"),
        ("entity.hours[1]", "3pm"),
        ("entity.geo.zip", "78702"),
    ]


def test_deeply_nested_values_do_not_overflow_the_stack(index):
    value: object = "nowhere"
    for _ in range(5000):
        value = [value]
    [(path, leaf)] = index.ungrounded(value, "x")
    assert leaf == "nowhere"
    assert path.startswith("x[0][0]")


def test_search_hint_never_hides_earlier_values():
    index = GroundingIndex("alpha beta gamma delta")
    assert index.contains_text("delta")
    index.next_region()
    assert index.contains_text("alpha")
    assert index.contains_number("1") is False


def test_normalize():
    assert normalize("  Casa\u00a0Verde\n\tTAQUERIA ") == "casa verde taqueria"
