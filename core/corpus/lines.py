"""Physical lines of a corpus file with byte offsets, and reading one line back lazily.

Offsets count bytes of the decompressed stream, so a gzip file's line is found again by
decompressing up to it. Blank lines are skipped but still counted; a UTF-8 BOM and CRLF
endings are stripped. A file is read in blocks cut after their last newline, so the indexer
can hand whole-line blocks of one file to several processes; :class:`BlockLines` is the one
definition of a line that every reader shares.
"""

from __future__ import annotations

import gzip
import os
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

BOM = b"\xef\xbb\xbf"
BLOCK_BYTES = 1 << 20
_WHITESPACE = frozenset(b" \t\n\r\x0b\x0c")  # what bytes.strip() removes

Line = tuple[int, int, memoryview]  # (line number, byte offset, content)


def open_binary(path: Path) -> BinaryIO:
    """Open a corpus file for reading bytes, decompressing ``.gz``."""
    if path.name.endswith(".gz"):
        return gzip.open(path, "rb")  # type: ignore[return-value]
    return path.open("rb", buffering=0)


class BlockLines:
    """The non-blank lines of a block as (line number, byte offset, content); after iterating,
    ``count`` is the block's number of physical lines.

    ``data`` holds whole lines starting at byte ``offset`` of the file (the last line may lack
    its newline); lines are numbered from ``first_line``. Content is a view of ``data`` without
    the line ending, and without the BOM on the file's first line; the offset points at it.
    """

    __slots__ = ("data", "offset", "first_line", "count")

    def __init__(self, data: bytes, offset: int, first_line: int = 1) -> None:
        self.data, self.offset, self.first_line = data, offset, first_line
        self.count = 0

    def __iter__(self) -> Iterator[Line]:
        data, offset = self.data, self.offset
        view = memoryview(data)
        size = len(data)
        find = data.find
        start = 0
        number = self.first_line - 1
        while start < size:
            newline = find(b"\n", start)
            end = size if newline < 0 else newline
            number += 1
            stop = end
            while stop > start and data[stop - 1] == 13:  # "\r" before "\n" (rstrip(b"\r\n"))
                stop -= 1
            begin = start
            if offset + start == 0 and data.startswith(BOM):
                begin += len(BOM)
            if begin < stop and (data[begin] not in _WHITESPACE or data[begin:stop].strip()):
                yield number, offset + begin, view[begin:stop]
            start = end + 1
        self.count = number - self.first_line + 1


def iter_blocks(handle: BinaryIO, block_bytes: int = BLOCK_BYTES) -> Iterator[tuple[int, bytes]]:
    """Yield (offset, data) blocks of whole lines from a stream, each about ``block_bytes``."""
    offset = 0
    pending: list[bytes] = []  # the start of a line longer than a block, read so far
    while chunk := handle.read(block_bytes):
        cut = chunk.rfind(b"\n") + 1
        if cut == 0:
            pending.append(chunk)
            continue
        data = b"".join((*pending, chunk[:cut])) if pending else chunk[:cut]
        pending = [chunk[cut:]] if cut < len(chunk) else []
        yield offset, data
        offset += len(data)
    if pending:
        yield offset, b"".join(pending)


def iter_lines(handle: BinaryIO) -> Iterator[Line]:
    """Yield (1-based line number, byte offset, content) for every non-blank line of a stream.

    Content excludes the line ending and a leading BOM; the offset points at the content.
    """
    next_line = 1
    for offset, data in iter_blocks(handle):
        lines = BlockLines(data, offset, next_line)
        yield from lines
        next_line += lines.count


def line_end(fd: int, position: int, size: int) -> int:
    """The offset just after the first newline at or after ``position`` (``size`` if none)."""
    while position < size:
        window = os.pread(fd, min(1 << 16, size - position), position)
        if not window:
            return size
        newline = window.find(b"\n")
        if newline >= 0:
            return position + newline + 1
        position += len(window)
    return size


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
