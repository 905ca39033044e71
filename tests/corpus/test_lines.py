"""Physical lines, offsets and lazy reads, with every tolerance of the input contract."""

from __future__ import annotations

import gzip
from pathlib import Path

from core.corpus.lines import iter_lines, open_binary, read_span


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
