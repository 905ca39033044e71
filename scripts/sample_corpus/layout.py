"""Lays calls out as physical lines of files, with the tolerances and malformed lines real trace
files have, and records where every line landed."""

from __future__ import annotations

import gzip
import json
from dataclasses import dataclass, field

from .model import Call


@dataclass(frozen=True)
class FileFormat:
    """Byte-level quirks of one file."""

    bom: bool = False
    crlf: bool = False
    final_newline: bool = True


@dataclass(frozen=True)
class RawLine:
    """A line that is not a call: blank (reason None) or malformed (reason says how)."""

    data: bytes
    reason: str | None = None


@dataclass
class LaidOutFile:
    """One written file: its rows in order, and where each call and raw line landed."""

    path: str
    rows: list[Call | RawLine] = field(default_factory=list)

    def numbered(self) -> list[tuple[int, Call | RawLine]]:
        return list(enumerate(self.rows, start=1))

    def calls(self) -> list[tuple[int, Call]]:
        return [(line, row) for line, row in self.numbered() if isinstance(row, Call)]


FILE_FORMATS: dict[str, FileFormat] = {
    "planning.jsonl": FileFormat(bom=True),
    "extraction-late.jsonl": FileFormat(crlf=True),
    "story/planning.jsonl": FileFormat(final_newline=False),
}

BLANK = RawLine(b"")

_TRUNCATED_WRITE = (
    b'{"messages": [{"role": "system", "content": "You enrich one business record from '
    b"scraped content.\\nReturn ONLY the entity"
)
_MESSAGES_AS_ARRAY = json.dumps(
    [
        {"role": "user", "content": 'Entity:\n{"name": "Harbor Dental", "email": null}'},
        {"role": "assistant", "content": '{"name": "Harbor Dental", "email": null}'},
    ]
).encode()
_PROMPT_COMPLETION = json.dumps(
    {
        "prompt": 'Entity:\n{"name": "Juniper Salon", "hours": null}\n\nScraped content:\n...',
        "completion": '{"name": "Juniper Salon", "hours": "Tue–Sat 10:00 AM – 6:00 PM"}',
        "metadata": {"task": "enrichment"},
    },
    ensure_ascii=False,
).encode()
_LATIN1_LINE = json.dumps(
    {
        "messages": [
            {"role": "user", "content": 'Entity:\n{"name": "Café Moreau"}'},
            {"role": "assistant", "content": '{"name": "Café Moreau"}'},
        ]
    },
    ensure_ascii=False,
).encode("latin-1")

# (file, calls before the raw line, raw line): blank lines and malformed lines sit between
# runs in the middle of a file, so every line after them must still load.
RAW_LINES: tuple[tuple[str, int, RawLine], ...] = (
    ("enrichment.jsonl", 4, BLANK),
    ("enrichment.jsonl", 9, RawLine(_TRUNCATED_WRITE, "bad JSON: the line stops mid-string")),
    ("enrichment.jsonl", 20, RawLine(_MESSAGES_AS_ARRAY, "a JSON array, not an object")),
    (
        "enrichment.jsonl",
        33,
        RawLine(_PROMPT_COMPLETION, "an object without messages (prompt/completion format)"),
    ),
    ("enrichment.jsonl", 47, RawLine(_LATIN1_LINE, "invalid UTF-8: Latin-1 byte 0xE9 in Café")),
    ("enrichment.jsonl", 60, BLANK),
    ("extraction-late.jsonl", 2, BLANK),
)


def lay_out(calls: list[Call]) -> dict[str, LaidOutFile]:
    """Group calls by file in the order given, then insert the raw lines."""
    files: dict[str, LaidOutFile] = {}
    for call in calls:
        files.setdefault(call.file, LaidOutFile(call.file)).rows.append(call)
    for path, calls_before, raw_line in RAW_LINES:
        rows = files[path].rows
        rows.insert(_index_after_calls(rows, calls_before), raw_line)
    return files


def _index_after_calls(rows: list[Call | RawLine], calls_before: int) -> int:
    seen = 0
    for index, row in enumerate(rows):
        if seen == calls_before:
            return index
        seen += isinstance(row, Call)
    if seen == calls_before:
        return len(rows)
    raise ValueError(f"file has only {seen} calls, cannot insert after {calls_before}")


def encode_line(call: Call) -> bytes:
    return json.dumps(call.line_object(), ensure_ascii=False).encode()


def file_bytes(laid_out: LaidOutFile) -> bytes:
    """The exact bytes of a file, gzip-compressed (with a fixed mtime) for .gz paths."""
    fmt = FILE_FORMATS.get(laid_out.path, FileFormat())
    newline = b"\r\n" if fmt.crlf else b"\n"
    lines = [row.data if isinstance(row, RawLine) else encode_line(row) for row in laid_out.rows]
    data = newline.join(lines) + (newline if fmt.final_newline else b"")
    if fmt.bom:
        data = b"\xef\xbb\xbf" + data
    if laid_out.path.endswith(".gz"):
        data = gzip.compress(data, compresslevel=9, mtime=0)
    return data
