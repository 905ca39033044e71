"""Physical lines of a corpus file with byte offsets, and reading one line back lazily.

Offsets count bytes of the decompressed stream, so a gzip file's line is found again by
decompressing up to it. Blank lines are skipped but still counted; a UTF-8 BOM and CRLF
endings are stripped.
"""

from __future__ import annotations

import gzip
import os
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

BOM = b"\xef\xbb\xbf"


def open_binary(path: Path) -> BinaryIO:
    """Open a corpus file for reading bytes, decompressing ``.gz``."""
    if path.name.endswith(".gz"):
        return gzip.open(path, "rb")  # type: ignore[return-value]
    return path.open("rb", buffering=1 << 20)


def iter_lines(handle: BinaryIO) -> Iterator[tuple[int, int, bytes]]:
    """Yield (1-based line number, byte offset, content) for every non-blank line.

    Content excludes the line ending and a leading BOM; the offset points at the content.
    """
    offset = 0
    number = 0
    for raw in handle:
        number += 1
        start = offset
        offset += len(raw)
        content = raw.rstrip(b"\r\n")
        if number == 1 and content.startswith(BOM):
            content = content[len(BOM) :]
            start += len(BOM)
        if content.strip():
            yield number, start, content


def read_span(path: Path, offset: int, length: int) -> bytes:
    """The ``length`` bytes at ``offset`` of a corpus file (decompressed for ``.gz``)."""
    if path.name.endswith(".gz"):
        with gzip.open(path, "rb") as handle:
            handle.seek(offset)
            return handle.read(length)
    fd = os.open(path, os.O_RDONLY)
    try:
        return os.pread(fd, length, offset)
    finally:
        os.close(fd)
