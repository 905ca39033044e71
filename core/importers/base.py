"""What every importer yields, and the small interface each format module implements."""

from __future__ import annotations

import zipfile
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol


class RecordError(Exception):
    """A record that cannot be mapped; the message says why (it becomes an ImportProblem)."""


# What reading one record may raise: our reasons, and what a record of an unexpected shape
# makes plain-dict code raise (a string where an object was expected, ...). Either way the
# record is reported and the rest imports.
RECORD_ERRORS = (RecordError, TypeError, AttributeError, KeyError, ValueError, IndexError)


# What reading a whole file may raise besides: a truncated gzip stream or zip archive.
UNREADABLE = (OSError, EOFError, zlib.error, zipfile.BadZipFile, *RECORD_ERRORS)


def reason(exc: BaseException) -> str:
    """Why a record was not imported, from what reading it raised."""
    if isinstance(exc, RecordError):
        return str(exc)
    return f"unexpected shape ({type(exc).__name__}: {exc})"


@dataclass(slots=True)
class ImportedCall:
    """One model call in the contract's shape; ``record`` is the source line or position."""

    messages: list[dict[str, Any]]
    tools: list[Any] | None
    metadata: dict[str, Any]
    record: int
    extra: dict[str, Any] = field(default_factory=dict)  # top-level keys kept (e.g. weight)

    def contract(self, format_name: str, file: str) -> dict[str, Any]:
        """The contract record: messages, tools, metadata with sorted keys and ``source``."""
        metadata = {k: v for k, v in self.metadata.items() if v is not None}
        metadata["source"] = {"format": format_name, "file": file, "record": self.record}
        record: dict[str, Any] = {"messages": self.messages}
        if self.tools is not None:
            record["tools"] = self.tools
        record.update(self.extra)
        record["metadata"] = dict(sorted(metadata.items()))
        return record


@dataclass(frozen=True, slots=True)
class ImportProblem:
    """A source record that was not imported: where (``record``: line or position) and why."""

    file: str
    record: int
    reason: str
    unit: str = "line"  # how ``record`` counts: "line", "record", "span", "sample", ...

    def line(self) -> str:
        """``file:line: reason``, or ``file: sample 3: reason`` for other units."""
        if self.unit == "line":
            return f"{self.file}:{self.record}: {self.reason}"
        return f"{self.file}: {self.unit} {self.record}: {self.reason}"


Item = ImportedCall | ImportProblem


class Importer(Protocol):
    """A source format: a name, a one-line description, an example, detection and reading."""

    name: str
    title: str
    example: str

    def detect(self, head: bytes, name: str) -> bool:
        """True when a file starting with ``head`` (and named ``name``) is in this format."""
        ...

    def iter_calls(self, path: Path, label: str) -> Iterator[Item]:
        """The calls of one file in source order, and a problem per unmappable record."""
        ...


def iter_group(importer: Importer, files: Iterable[tuple[Path, str]]) -> Iterator[tuple[Item, str]]:
    """Read several files of one format as (item, label of its file); a format may join its
    files (OpenAI Batch joins requests and responses) by offering ``iter_joined``."""
    files = list(files)
    joined = getattr(importer, "iter_joined", None)
    if joined is not None:
        try:
            yield from joined(files)
        except UNREADABLE as exc:
            label = files[0][1] if files else ""
            yield ImportProblem(label, 0, f"cannot read to the end: {reason(exc)}"), label
        return
    for path, label in files:
        try:
            for item in importer.iter_calls(path, label):
                yield item, label
        except UNREADABLE as exc:  # a truncated archive or stream: what was read stays
            yield ImportProblem(label, 0, f"cannot read to the end: {reason(exc)}"), label
