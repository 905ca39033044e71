"""Phone-number grounding: a phone value matches when its digits equal a phone run's digits.

A phone-like value has 7+ digits and only digits, spaces and ``+ - ( ) .``. The input side is
indexed once per call: every phone-like run, split into its digit groups, contributes the digits
of each stretch of consecutive whole groups (so ``Tel (512) 555-0142 123 Main St`` still yields
``5125550142``).

Country codes (a leading ``+NN`` group) are optional on either side: ``(512) 555-0142``,
``512.555.0142`` and ``+1 512 555 0142`` all match one another. When both sides write one, they
must agree: ``+44 512 555 0142`` does not match ``+1 512 555 0142``. A national trunk ``0``
(``020 7946 0958`` for ``+44 20 7946 0958``) is accepted too. A leading ``1`` without ``+`` is
ordinary digits, not a country code.
"""

from __future__ import annotations

import re

MIN_PHONE_DIGITS = 7
# E.164 numbers have at most 15 digits; a little slack covers extensions without letting long
# tables of numbers explode into many spans.
MAX_PHONE_DIGITS = 20
PHONE_CHARS = "0123456789 +-()."

_COUNTRY_CODE_LENGTHS = (1, 2, 3)
# Any whitespace separates groups, so a number split over lines still matches.
_PHONE_RUN = re.compile(r"[0-9(+][0-9\s().+\-]{6,}")
_DIGIT_GROUP = re.compile(r"[0-9]+")


def phone_key(value: str) -> tuple[str | None, str] | None:
    """Split a phone-like value into (country code or None, remaining digits).

    The country code is ``""`` for a compact international number (``+15125550142``) whose
    code length is unknown. Returns None when the value is not phone-like.
    """
    stripped = value.strip()
    if not stripped or stripped.strip(PHONE_CHARS):
        return None
    groups = _DIGIT_GROUP.findall(stripped)
    digits = "".join(groups)
    if not MIN_PHONE_DIGITS <= len(digits) <= MAX_PHONE_DIGITS:
        return None
    if not stripped.lstrip("(").startswith("+"):
        return None, digits
    if len(groups) == 1:
        return "", digits
    return groups[0], digits[len(groups[0]) :]


class PhoneIndex:
    """The digit spans of every phone-like run of one input text."""

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

    def matches(self, country_code: str | None, digits: str) -> bool:
        """True when a phone value, split by :func:`phone_key`, appears in the input."""
        plain = self.plain
        international = self.after_country_code
        if country_code == "":
            return (
                any(
                    self.matches(digits[:length], digits[length:])
                    for length in _COUNTRY_CODE_LENGTHS
                    if len(digits) - length >= MIN_PHONE_DIGITS
                )
                or digits in plain
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
