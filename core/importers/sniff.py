"""Cheap format sniffing from a file's first bytes: the keys of its first JSON object.

The head of a big document cannot be parsed, so a small scanner walks it (strings, nesting)
and collects the keys of the first object: the document itself, the first item of a top-level
array, or the first JSONL line. Detection and the "unrecognised document" message use them.
"""

from __future__ import annotations

from dataclasses import dataclass

import orjson

ZIP_MAGIC = b"PK\x03\x04"


@dataclass(frozen=True, slots=True)
class Head:
    """What the start of a file shows: ``container`` is "object", "array", "zip" or "other"."""

    container: str
    keys: tuple[str, ...]
    first: dict | None  # the first record, when it fits in the head


def sniff(head: bytes) -> Head:
    """Describe a file from its first bytes (BOM already removed)."""
    if head.startswith(ZIP_MAGIC):
        return Head("zip", (), None)
    text = head.lstrip()
    if not text or text[:1] not in (b"{", b"["):
        return Head("other", (), None)
    container = "object" if text[:1] == b"{" else "array"
    first = _first_value(text)
    if isinstance(first, list):
        first = next((item for item in first if isinstance(item, dict)), None)
    if isinstance(first, dict):
        return Head(container, tuple(first), first)
    depth = 1 if container == "object" else 2
    return Head(container, tuple(scan_keys(text, depth)), None)


def _first_value(text: bytes) -> object:
    """The first line parsed (a JSONL record or a one-line document), else the whole head."""
    newline = text.find(b"\n")
    for candidate in (text[:newline] if newline >= 0 else text, text):
        try:
            return orjson.loads(candidate)
        except orjson.JSONDecodeError:
            continue
    return None


def scan_keys(text: bytes, depth: int) -> list[str]:
    """Keys of the first object found at nesting ``depth`` (1 = the top-level object)."""
    keys: list[str] = []
    level = 0
    i, size = 0, len(text)
    seen_object = False
    while i < size:
        byte = text[i]
        if byte == 0x22:  # a string: find its end, then see whether a colon follows
            end = i + 1
            while end < size and text[end] != 0x22:
                end += 2 if text[end] == 0x5C else 1
            if end >= size:
                break
            j = end + 1
            while j < size and text[j] in b" \t\r\n":
                j += 1
            if level == depth and j < size and text[j] == 0x3A:
                keys.append(text[i + 1 : end].decode("utf-8", "replace"))
            i = end + 1
            continue
        if byte in b"{[":
            level += 1
            if level == depth and byte == 0x7B:
                seen_object = True
        elif byte in b"}]":
            if level == depth and seen_object:
                break
            level -= 1
        i += 1
    return keys
