"""Physical lines, offsets and lazy reads, with every tolerance of the input contract."""

from __future__ import annotations

import gzip
import io
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from core.corpus.lines import (
    BlockLines,
    iter_blocks,
    iter_lines,
    open_binary,
    read_span,
)


def _lines(path: Path) -> list[tuple[int, int, bytes]]:
    with open_binary(path) as handle:
        return list(iter_lines(handle))


def test_blank_lines_are_skipped_but_counted(tmp_path: Path) -> None:
    path = tmp_path / "a.jsonl"
    path.write_bytes(b'{"a":1}\n\n   \n{"b":2}\n')
    assert [(n, c) for n, _, c in _lines(path)] == [(1, b'{"a":1}'), (4, b'{"b":2}')]


def test_bom_and_crlf_are_stripped_and_offsets_still_point_at_content(tmp_path: Path) -> None:
    path = tmp_path / "a.jsonl"
    path.write_bytes(b'\xef\xbb\xbf{"a":1}\r\n{"b":2}\r\n')
    lines = _lines(path)
    assert [c for _, _, c in lines] == [b'{"a":1}', b'{"b":2}']
    for _, offset, content in lines:
        assert read_span(path, offset, len(content)) == content


def test_last_line_without_newline(tmp_path: Path) -> None:
    path = tmp_path / "a.jsonl"
    path.write_bytes(b'{"a":1}\n{"b":2}')
    assert [c for _, _, c in _lines(path)] == [b'{"a":1}', b'{"b":2}']


def test_gzip_lines_read_back_by_offset(tmp_path: Path) -> None:
    path = tmp_path / "a.jsonl.gz"
    path.write_bytes(gzip.compress(b'{"a":1}\n\n{"bb":22}\n'))
    lines = _lines(path)
    assert [n for n, _, _ in lines] == [1, 3]
    for _, offset, content in lines:
        assert read_span(path, offset, len(content)) == content


def _reference_lines(data: bytes) -> list[tuple[int, int, bytes]]:
    """The definition of a line, written the plain way: split, strip, skip blanks."""
    found = []
    offset = 0
    for number, raw in enumerate(_split(data), start=1):
        start = offset
        offset += len(raw)
        content = raw.rstrip(b"\r\n")
        if number == 1 and content.startswith(b"\xef\xbb\xbf"):
            content, start = content[3:], start + 3
        if content.strip():
            found.append((number, start, content))
    return found


def _split(data: bytes) -> list[bytes]:
    parts = data.split(b"\n")
    lines = [part + b"\n" for part in parts[:-1]]
    return lines + ([parts[-1]] if parts[-1] else [])


_PIECES = st.sampled_from([b"\n", b"\r\n", b"\r", b" ", b"\t", b"\xef\xbb\xbf", b"{}", b"ab", b"x"])


@settings(max_examples=300, deadline=None)
@given(st.lists(_PIECES, max_size=40), st.integers(1, 12))
def test_blocks_of_any_size_give_the_lines_of_the_whole_stream(pieces, block_bytes) -> None:
    data = b"".join(pieces)
    blocks = list(iter_blocks(io.BytesIO(data), block_bytes))
    assert b"".join(block for _, block in blocks) == data
    found = []
    next_line = 1
    for offset, block in blocks:
        lines = BlockLines(block, offset, next_line)
        found += [(n, o, bytes(c)) for n, o, c in lines]
        assert lines.count == block.count(b"\n") + (not block.endswith(b"\n"))
        next_line += lines.count
    assert found == _reference_lines(data)
    assert [(n, o, bytes(c)) for n, o, c in iter_lines(io.BytesIO(data))] == found
