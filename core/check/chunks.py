"""Cutting a corpus file into chunks of whole lines, and what a chunk's rows come back as.

A plain file is cut by offsets alone: the parent reads a few bytes at each cut to move it past
the next newline, and the worker that gets the chunk reads it. A gzip stream can only be read
from its start, so the parent decompresses it and ships each chunk's bytes.
"""

from __future__ import annotations

import gzip
import os
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from core.corpus.discover import SourceFile
from core.corpus.lines import iter_blocks, line_end

CHUNK_BYTES = 4 << 20  # ~450 calls of this corpus: short enough for an even end of the pool

# The calls table's columns after file_id, in _INSERT_CALL order; ``line`` is chunk-relative.
CallRow = tuple[Any, ...]
RUN_ID = 5  # position of run_id in a CallRow


@dataclass(frozen=True, slots=True)
class Chunk:
    """Whole lines of one file, bytes [start, end): read from ``path`` unless ``data`` holds
    them; ``error`` is a read error the parent met instead."""

    path: str
    file_name: str
    relpath: str
    start: int
    end: int
    data: bytes | None = None
    error: str | None = None


@dataclass(frozen=True, slots=True)
class ChunkRows:
    """A chunk's rows, its malformed lines as (line, reason), and its physical line count.

    A read error is line 0. ``bare`` lists the rows of bare calls, whose run id (``file#line``)
    the parent writes once it knows the absolute line. ``prefixes`` holds (line, prefix id)
    for the calls with earlier steps; for the calls with weights, ``chains`` holds (line, chain
    id) and ``chain_steps`` (line, step id without weights) (:func:`core.corpus.records.trace_ids`).
    """

    rows: list[CallRow]
    errors: list[tuple[int, str]]
    bare: list[int]
    lines: int
    prefixes: list[tuple[int, str]] = field(default_factory=list)
    chains: list[tuple[int, str]] = field(default_factory=list)
    chain_steps: list[tuple[int, str]] = field(default_factory=list)


def file_chunks(source: SourceFile, size: int, chunk_bytes: int | None = None) -> Iterator[Chunk]:
    """The chunks of one calls file in order; at least one, so every file gets a result."""
    chunk_bytes = chunk_bytes or CHUNK_BYTES
    if source.compressed:
        yield from _gzip_chunks(source, chunk_bytes)
    else:
        yield from _plain_chunks(source, size, chunk_bytes)


def _chunk(source: SourceFile, start: int, end: int, **extra: object) -> Chunk:
    return Chunk(str(source.path), source.path.name, source.relpath, start, end, **extra)  # type: ignore[arg-type]


def _plain_chunks(source: SourceFile, size: int, chunk_bytes: int) -> Iterator[Chunk]:
    try:
        fd = os.open(source.path, os.O_RDONLY)
    except OSError as exc:
        yield _chunk(source, 0, 0, error=f"cannot read: {exc.strerror or exc}")
        return
    try:
        if size == 0:
            yield _chunk(source, 0, 0, data=b"")
        start = 0
        while start < size:
            end = size
            if start + chunk_bytes < size:
                end = line_end(fd, start + chunk_bytes - 1, size)
            yield _chunk(source, start, end)
            start = end
    finally:
        os.close(fd)


def _gzip_chunks(source: SourceFile, chunk_bytes: int) -> Iterator[Chunk]:
    try:
        raw = open(source.path, "rb")  # noqa: SIM115 - closed below, with the gzip reader
    except OSError as exc:
        yield _chunk(source, 0, 0, error=f"cannot read: {exc.strerror or exc}")
        return
    empty = True
    try:
        with raw, gzip.GzipFile(fileobj=raw, mode="rb") as handle:
            for offset, data in iter_blocks(handle, chunk_bytes):  # type: ignore[arg-type]
                empty = False
                yield _chunk(source, offset, offset + len(data), data=data)
    except (OSError, EOFError, zlib.error) as exc:
        empty = False
        yield _chunk(source, 0, 0, error=f"cannot read to the end: {exc}")
    if empty:
        yield _chunk(source, 0, 0, data=b"")
