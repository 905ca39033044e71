"""Reading a source file's JSON values: a JSONL stream (one value per line) or one document.

JSONL is streamed line by line with the corpus loader's line reader (BOM, CRLF, blank lines,
gzip); a document is parsed whole. A line that does not parse is yielded as a
:class:`RecordError` so the importer reports it and goes on.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import orjson

from core.corpus.lines import BOM, iter_lines, open_binary
from core.importers.base import (
    RECORD_ERRORS,
    ImportedCall,
    ImportProblem,
    Item,
    RecordError,
    reason,
)

HEAD_BYTES = 1 << 16


def read_head(path: Path, size: int = HEAD_BYTES) -> bytes:
    """The first ``size`` bytes of a file (decompressed for ``.gz``), BOM removed."""
    with open_binary(path) as handle:
        head = handle.read(size)
    return head[len(BOM) :] if head.startswith(BOM) else head


def is_jsonl(path: Path) -> bool:
    """True when the file's first non-blank line is a whole JSON value and more lines follow,
    or the whole file is one line (a one-record JSONL and a one-line document read alike)."""
    head = read_head(path).lstrip()
    newline = head.find(b"\n")
    if newline < 0:
        return True
    try:
        orjson.loads(head[:newline])
    except orjson.JSONDecodeError:
        return False
    return True


def iter_values(path: Path) -> Iterator[tuple[int, Any]]:
    """(1-based line, value or RecordError) for each non-blank line of a JSONL file."""
    with open_binary(path) as handle:
        for line, _offset, content in iter_lines(handle):
            try:
                yield line, orjson.loads(content)
            except orjson.JSONDecodeError as exc:
                yield line, RecordError(f"not valid JSON: {exc}")


def load_document(path: Path) -> Any:
    """The whole file parsed as one JSON document; RecordError when it is not JSON."""
    with open_binary(path) as handle:
        data = handle.read()
    if data.startswith(BOM):
        data = data[len(BOM) :]
    try:
        return orjson.loads(data)
    except orjson.JSONDecodeError as exc:
        raise RecordError(f"not a JSON document: {exc}") from None


class Records:
    """The file's records: JSONL lines, or a document's array items (or the document itself).

    Iterating yields (position, value or RecordError); ``unit`` says what positions count:
    1-based lines for JSONL ("line"), 1-based items of a document ("record").
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self.unit = "line" if is_jsonl(path) else "record"

    def __iter__(self) -> Iterator[tuple[int, Any]]:
        if self.unit == "line":
            yield from iter_values(self.path)
            return
        try:
            document = load_document(self.path)
        except RecordError as exc:
            yield 1, exc
            return
        if isinstance(document, list):
            yield from enumerate(document, start=1)
        else:
            yield 1, document


def iter_records(path: Path) -> Records:
    """The records of ``path`` (see :class:`Records`)."""
    return Records(path)


def convert_records(
    path: Path, label: str, convert: Callable[[Any, int], Iterable[ImportedCall]]
) -> Iterator[Item]:
    """Each record of a file through ``convert`` (record, position) -> calls.

    A record that ``convert`` cannot map (it raises one of ``RECORD_ERRORS``, or the line did not
    parse) becomes one :class:`ImportProblem` with its position; the rest of the file goes on.
    """
    records = iter_records(path)
    for position, record in records:
        try:
            if isinstance(record, RecordError):
                raise record
            yield from convert(record, position)
        except RECORD_ERRORS as exc:
            yield ImportProblem(label, position, reason(exc), records.unit)
