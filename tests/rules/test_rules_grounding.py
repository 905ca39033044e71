"""Grounding normalization: case, whitespace, phones, URLs, numbers as written, nesting."""

from __future__ import annotations

import pytest

from core.rules.grounding import FloatLiteral, GroundingIndex, normalize, url_key
from core.rules.phones import phone_key

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


def test_phone_followed_by_other_numbers_still_matches():
    assert GroundingIndex("Tel 512 555 0142 123 Main St").contains_text("(512) 555-0142")


def test_phone_split_over_lines_matches():
    assert GroundingIndex("Call\n512\n555-0142 today").contains_text("512-555-0142")


def test_phone_key_recognizes_phone_like_values_only():
    assert phone_key("+1 (512) 555-0142") == ("1", "5125550142")
    assert phone_key("512.555.0142") == (None, "5125550142")
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
        (FloatLiteral("4.500"), False),
        (4, False),  # only inside 4.5 / 4.50
        (31, False),  # inside 312
        (5, False),  # inside 555 and 4.5
        (9, True),  # "Straße 9."
    ],
)
def test_numbers_must_appear_as_written(index, number, grounded):
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
