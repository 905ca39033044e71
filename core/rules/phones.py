"""Phone-number grounding: a phone value matches when its digits equal a phone run's digits.

A phone-like value has 7+ digits and only digits, spaces and ``+ - ( ) .``. A phone run of the
input is a stretch of digits, whitespace and ``+ - ( ) .`` starting at a digit, ``(`` or ``+``;
every stretch of its consecutive whole digit groups counts (so ``Tel (512) 555-0142 123 Main
St`` still yields ``5125550142``).

Country codes (a leading ``+NN`` group) are optional on either side: ``(512) 555-0142``,
``512.555.0142`` and ``+1 512 555 0142`` all match one another. When both sides write one, they
must agree: ``+44 512 555 0142`` does not match ``+1 512 555 0142``. A national trunk ``0``
(``020 7946 0958`` for ``+44 20 7946 0958``) is accepted too. A leading ``1`` without ``+`` is
ordinary digits, not a country code.
"""

from __future__ import annotations

import re
from typing import NamedTuple

MIN_PHONE_DIGITS = 7
# E.164 numbers have at most 15 digits; a little slack covers extensions without letting long
# tables of numbers explode into many spans.
MAX_PHONE_DIGITS = 20
PHONE_CHARS = "0123456789 +-()."
# How far around an anchor to look for the rest of its run.
MAX_RUN_REACH = 40

_DIGIT_CHARS = "0123456789"
_SEPARATORS = " +-()."
_COUNTRY_CODE_LENGTHS = (1, 2, 3)
# Any whitespace separates groups, so a number split over lines still matches.
_PHONE_RUN = re.compile(r"[0-9(+][0-9\s().+\-]{6,}")
_DIGIT_GROUP = re.compile(r"[0-9]+")


class PhoneKey(NamedTuple):
    """A phone-like value: country code ("" when written compactly, None when absent), the
    other digits, and its last digit group (an anchor to search the input for)."""

    country_code: str | None
    digits: str
    last_group: str


def phone_key(value: str) -> PhoneKey | None:
    """Split a phone-like value into its country code and digits; None when not phone-like."""
    stripped = value.strip()
    if not stripped or stripped.strip(PHONE_CHARS):
        return None
    groups = _DIGIT_GROUP.findall(stripped)
    digits = "".join(groups)
    if not MIN_PHONE_DIGITS <= len(digits) <= MAX_PHONE_DIGITS:
        return None
    if not stripped.lstrip("(").startswith("+"):
        return PhoneKey(None, digits, groups[-1])
    if len(groups) == 1:
        return PhoneKey("", digits, groups[-1])
    return PhoneKey(groups[0], digits[len(groups[0]) :], groups[-1])


def whole_groups_end_at(text: str, end: int, digits: str) -> bool:
    """True when the phone run's whole digit groups ending at ``end`` spell ``digits``.

    Walks back from ``end`` over digits and separators only as far as ``digits`` needs, so a
    reformatted number is confirmed in place without indexing its run.
    """
    if end < len(text) and text[end] in _DIGIT_CHARS:
        return False  # ``end`` is inside a group
    index = end
    remaining = len(digits)
    while remaining and index > 0:
        char = text[index - 1]
        if char in _DIGIT_CHARS:
            remaining -= 1
            if digits[remaining] != char:
                return False
        elif char not in _SEPARATORS and not char.isspace():
            return False
        index -= 1
    return not remaining and (index == 0 or text[index - 1] not in _DIGIT_CHARS)


def run_around(text: str, start: int, end: int) -> str:
    """The phone run of ``text`` holding ``text[start:end]``, reaching at most a few groups out."""
    left = start
    limit = max(0, start - MAX_RUN_REACH)
    while left > limit and (text[left - 1] in PHONE_CHARS or text[left - 1].isspace()):
        left -= 1
    right = end
    limit = min(len(text), end + MAX_RUN_REACH)
    while right < limit and (text[right] in PHONE_CHARS or text[right].isspace()):
        right += 1
    run = text[left:right]
    # Cut at the reach limit, an edge may fall inside a group: drop that partial group.
    if left == start - MAX_RUN_REACH and left > 0 and text[left - 1].isdigit():
        run = run.lstrip(_DIGIT_CHARS)
    if right == end + MAX_RUN_REACH and right < len(text) and text[right].isdigit():
        run = run.rstrip(_DIGIT_CHARS)
    return run


class PhoneIndex:
    """The digit spans of every phone run of one text."""

    __slots__ = ("plain", "after_country_code")

    def __init__(self, text: str) -> None:
        self.plain: set[str] = set()
        # digits that follow a "+NN" group -> the country codes written before them
        self.after_country_code: dict[str, set[str]] = {}
        for match in _PHONE_RUN.finditer(text):
            run = match.group()
            groups = _DIGIT_GROUP.findall(run)
            if sum(map(len, groups)) >= MIN_PHONE_DIGITS:
                self._add_run(groups, has_country_code=run.lstrip("(").startswith("+"))

    def _add_run(self, groups: list[str], *, has_country_code: bool) -> None:
        if has_country_code and len(groups) == 1:
            for code_length in _COUNTRY_CODE_LENGTHS:
                national = groups[0][code_length:]
                if len(national) >= MIN_PHONE_DIGITS:
                    self.after_country_code.setdefault(national, set()).add(groups[0][:code_length])
        for first in range(len(groups)):
            span = ""
            for group in groups[first:]:
                span += group
                if len(span) > MAX_PHONE_DIGITS:
                    break
                if len(span) < MIN_PHONE_DIGITS:
                    continue
                if has_country_code and first == 1:
                    self.after_country_code.setdefault(span, set()).add(groups[0])
                else:
                    self.plain.add(span)

    def matches(self, key: PhoneKey) -> bool:
        """True when the phone value ``key`` appears in the indexed text."""
        return self._matches(key.country_code, key.digits)

    def _matches(self, country_code: str | None, digits: str) -> bool:
        plain = self.plain
        international = self.after_country_code
        if country_code == "":
            return digits in plain or any(
                self._matches(digits[:length], digits[length:])
                for length in _COUNTRY_CODE_LENGTHS
                if len(digits) - length >= MIN_PHONE_DIGITS
            )
        if country_code is None:
            if digits in plain or digits in international:
                return True
            return digits.startswith("0") and digits[1:] in international
        return (
            country_code + digits in plain
            or digits in plain
            or "0" + digits in plain
            or country_code in international.get(digits, ())
        )
