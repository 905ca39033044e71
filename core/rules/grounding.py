"""Grounding: does each value a model wrote appear in the call's input text (docs/RULES.md)?

A string is grounded when its normalized form (casefolded, whitespace runs folded to one space,
trimmed) is a substring of the normalized input. A URL-like string is compared with scheme,
``www.`` and trailing ``/`` removed; a phone-like string verbatim or by its digits against the
input's phone runs (:mod:`core.rules.phones`). Numbers must appear as a whole number, as written
or in their shortest form: ``4.5`` is not grounded by ``4.50`` or ``14.5``; ``4.50`` is by
``4.50`` or ``4.5``. Booleans and nulls are not checked; lists and objects are checked element
by element.

This runs on every extraction and enrichment call of a corpus, against inputs of up to ~60 000
characters, so :class:`GroundingIndex` does the cheap thing first: a plain substring search of
the raw input, which grounds most values without normalizing anything. The lowered bytes, the
normalized text and the phone index are each built at most once per call, and only when some
value needs them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from core.rules.numbers import FloatLiteral, whole_number_at
from core.rules.phones import (
    PhoneIndex,
    PhoneKey,
    phone_key,
    run_around,
    whole_groups_end_at,
)

# A phone's last (up to 4) digits are searched for only when long enough to be rare in a page.
ANCHOR_DIGITS = 4
MIN_ANCHOR_DIGITS = 3
MAX_ANCHORS_CHECKED = 32
# Values are first looked for this close after the hint: a miss there is cheap, and reformatted
# phones and URLs then go straight to their own tests instead of a whole-input search.
NEAR_HINT_CHARS = 2048
_DIGITS = "0123456789"
_URL_SCHEME = re.compile(r"[a-z][a-z0-9+.\-]*://")


def normalize(text: str) -> str:
    """Casefold, fold whitespace runs to one space and trim."""
    return " ".join(text.casefold().split())


def _may_be_url(value: str) -> bool:
    """A cheap filter before :func:`url_key`: a scheme, ``www.`` or a trailing slash."""
    return "://" in value or value.rstrip().endswith("/") or "www." in value[:12].lower()


def url_key(value: str) -> str | None:
    """A URL-like value without scheme, ``www.`` and trailing ``/``; None when not URL-like."""
    key = value.strip().casefold()
    if not key or " " in key:
        return None
    scheme = _URL_SCHEME.match(key)
    if scheme:
        key = key[scheme.end() :]
    stripped = key.removeprefix("www.").rstrip("/")
    if scheme is None and len(stripped) == len(key):
        return None  # nothing to remove: the plain substring test already covered it
    return stripped or None


class GroundingIndex:
    """One call's input text, ready to test many values against.

    Extraction outputs list entities in page order, so searches start at a moving hint (the
    furthest place a value was found) and wrap around; call :meth:`next_region` between
    entities. The hint only saves time: every value is still searched in the whole text.
    """

    __slots__ = (
        "text",
        "_hint",
        "_region_end",
        "_ascii_lowered",
        "_casefolded",
        "_normalized",
        "_phones",
    )

    def __init__(self, input_text: str) -> None:
        self.text = input_text
        self._hint = 0
        self._region_end = 0
        self._ascii_lowered: bytes | None = None
        self._casefolded: str | None = None
        self._normalized: str | None = None
        self._phones: PhoneIndex | None = None

    def next_region(self) -> None:
        """Start later searches at the furthest place a value has been found so far."""
        if self._region_end > self._hint:
            self._hint = self._region_end

    def rewind(self) -> None:
        """Forget the search hint, before testing the same values again from the start."""
        self._hint = self._region_end = 0

    def ungrounded(self, value: Any, path: str) -> list[tuple[str, Any]]:
        """Every leaf of ``value`` the input does not ground, as (path, value) pairs."""
        kind = type(value)
        if kind is not dict and kind is not list:
            return [] if self.is_grounded(value) else [(path, value)]
        missing: list[tuple[str, Any]] = []
        pending: list[tuple[str, Any]] = [(path, value)]
        while pending:  # a loop, not recursion: outputs may nest ~1000 levels deep
            leaf_path, leaf = pending.pop()
            kind = type(leaf)
            if kind is dict:
                pending.extend((f"{leaf_path}.{key}", item) for key, item in reversed(leaf.items()))
            elif kind is list:
                pending.extend((f"{leaf_path}[{i}]", leaf[i]) for i in range(len(leaf) - 1, -1, -1))
            elif not self.is_grounded(leaf):
                missing.append((leaf_path, leaf))
        return missing

    def is_grounded(self, value: Any) -> bool:
        """True when one scalar value is grounded; booleans, nulls and containers are True."""
        kind = type(value)
        if kind is str:
            return self.contains_text(value)
        if kind is int:
            return self.contains_number(str(value))
        if kind is FloatLiteral:
            return self.contains_number(value) or self.contains_number(repr(float(value)))
        if kind is float:
            return self.contains_number(repr(value))
        return True

    def ungrounded_fields(self, entity: dict[str, Any], path: str) -> list[tuple[str, Any]]:
        """:meth:`ungrounded` over an object's fields (``path.field``), without walking a tree
        for the scalar ones (nearly all of an extracted entity)."""
        missing: list[tuple[str, Any]] = []
        for field, value in entity.items():
            kind = type(value)
            if kind is str:
                if not self.contains_text(value):
                    missing.append((f"{path}.{field}", value))
            elif kind is dict or kind is list:
                missing.extend(self.ungrounded(value, f"{path}.{field}"))
            elif not self.is_grounded(value):
                missing.append((f"{path}.{field}", value))
        return missing

    def contains_text(self, value: str) -> bool:
        """True when a string value is grounded (see the module docstring)."""
        hint = self._hint
        # From the start, a plain string is searched everywhere at once (the near search would
        # be the first part of that); phones and URLs, often reformatted, look near first.
        everywhere = not hint and value[-1:] not in _DIGITS and not _may_be_url(value)
        if everywhere:
            found = self.text.find(value)
        else:
            found = self.text.find(value, hint, hint + NEAR_HINT_CHARS)
        if found >= 0:  # most values: verbatim, close to where the last one was found
            if found > self._region_end:
                self._region_end = found
            return True
        return self._contains_text_elsewhere(value, searched_everywhere=everywhere)

    def _contains_text_elsewhere(self, value: str, *, searched_everywhere: bool = False) -> bool:
        """:meth:`contains_text` once the verbatim search near the hint (or everywhere) missed.

        A verbatim occurrence anywhere grounds a value on every path below, so a plain string
        is looked for verbatim only where it has not been yet, then normalized.
        """
        if _may_be_url(value):
            url = url_key(value)
            if url is not None:
                # Stripped of scheme and www., the value is a substring of the input's URL
                # whether or not the input writes them: only the value side needs stripping.
                return self._find(url) >= 0 or self._contains_folded(url)
        key = phone_key(value)
        if key is not None:
            return self._contains_phone(value.strip(), key)
        if not searched_everywhere and self._find_beyond_hint(value) >= 0:
            return True
        return self._contains_folded(normalize(value))

    def contains_number(self, literal: str) -> bool:
        """True when a number, as written, appears in the input not inside a longer number."""
        text = self.text
        hint = self._hint
        found = whole_number_at(text, literal, hint, len(text))
        if found >= 0:
            if found > self._region_end:
                self._region_end = found
            return True
        return bool(hint) and whole_number_at(text, literal, 0, hint + len(literal) - 1) >= 0

    def _find(self, needle: str) -> int:
        """Where ``needle`` occurs in the raw input, searching from the hint first."""
        text = self.text
        hint = self._hint
        found = text.find(needle, hint)
        if found >= 0:
            if found > self._region_end:
                self._region_end = found
            return found
        if hint:
            return text.find(needle, 0, hint + len(needle) - 1)
        return -1

    def _find_beyond_hint(self, value: str) -> int:
        """:meth:`_find` for a value not found near the hint: the rest of the input, once."""
        text = self.text
        hint = self._hint
        found = text.find(value, max(hint, hint + NEAR_HINT_CHARS - len(value) + 1))
        if found >= 0:
            if found > self._region_end:
                self._region_end = found
            return found
        if hint:
            return text.find(value, 0, hint + len(value) - 1)
        return -1

    def _contains_phone(self, value: str, key: PhoneKey) -> bool:
        """A phone value: verbatim, or by digits in the run around its last group, or anywhere.

        Models often reformat phones, so the runs around each place the value's last digits
        occur are checked first; indexing every phone run of the input is the fallback, for
        misses and for numbers regrouped so that those digits are not contiguous in the input.
        """
        text = self.text
        anchor = key.last_group[-ANCHOR_DIGITS:]
        if len(anchor) >= MIN_ANCHOR_DIGITS:
            before_anchor = value.rfind(anchor)
            for checked, position in enumerate(self._occurrences(anchor)):
                start = position - before_anchor
                if start >= 0 and text.startswith(value, start):
                    return True
                end = position + len(anchor)
                if key.country_code is None:
                    if whole_groups_end_at(text, end, key.digits):
                        return True
                elif PhoneIndex(run_around(text, position, end)).matches(key):
                    return True
                if checked == MAX_ANCHORS_CHECKED:
                    break
        if self._phones is None:
            self._phones = PhoneIndex(text)
        return self._phones.matches(key) or self._find(value) >= 0

    def _occurrences(self, needle: str) -> Iterator[int]:
        """Every place ``needle`` occurs, from the hint onwards and then before it."""
        text = self.text
        hint = self._hint
        found = text.find(needle, hint)
        while found >= 0:
            if found > self._region_end:
                self._region_end = found
            yield found
            found = text.find(needle, found + 1)
        if hint:
            found = text.find(needle, 0, hint + len(needle) - 1)
            while found >= 0:
                yield found
                found = text.find(needle, found + 1, hint + len(needle) - 1)

    def _contains_folded(self, folded_value: str) -> bool:
        """True when a normalized value is a substring of the normalized input."""
        if folded_value.isascii():
            # Lowering the UTF-8 bytes costs a tenth of casefolding a non-ASCII page, and a hit
            # there is a hit after normalizing too; only a miss needs the full normalization.
            if self._ascii_lowered is None:
                self._ascii_lowered = self.text.encode("utf-8", "surrogatepass").lower()
            if folded_value.encode() in self._ascii_lowered:
                return True
        if self._normalized is None:
            # Each word of a normalized value lies inside one word of the normalized input,
            # so one missing from the casefolded input (a third of the cost) settles a miss.
            if self._casefolded is None:
                self._casefolded = self.text.casefold()
            casefolded = self._casefolded
            if not all(word in casefolded for word in folded_value.split(" ")):
                return False
            self._normalized = " ".join(casefolded.split())
        return folded_value in self._normalized
