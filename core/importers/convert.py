"""Writing imported calls as contract JSONL: deterministic, atomic, sources untouched.

Lines are ``orjson`` with messages in source order and metadata keys sorted, so the same input
gives byte-identical output. A file is written to a temp file beside it and renamed in.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import orjson

from core.importers.base import ImportProblem, iter_group
from core.importers.registry import importer
from core.progress import check_cancel

CANCEL_EVERY = 256  # items between looks at the cancel event
IMPORT_SUFFIXES = (".jsonl.gz", ".json.gz", ".jsonl", ".json", ".eval")


@dataclass(slots=True)
class ImportResult:
    """What one import wrote: calls, runs, and a problem per record not imported."""

    format: str
    out: Path
    calls: int = 0
    runs: int = 0
    problems: list[ImportProblem] = field(default_factory=list)


def source_stem(name: str) -> str:
    """A source's name without its trace suffix (``log.eval`` → ``log``)."""
    for suffix in IMPORT_SUFFIXES:
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return name


def write_import(
    format_name: str,
    files: Iterable[tuple[Path, str]],
    out: Path,
    *,
    cancel: threading.Event | None = None,
) -> ImportResult:
    """Import ``files`` (path, label shown to users) of one format into the JSONL ``out``.

    Raises :class:`~core.progress.Cancelled` soon after ``cancel`` is set; ``out`` is then
    left as it was.
    """
    module = importer(format_name)
    result = ImportResult(format_name, out)
    runs: set[str] = set()
    temp = out.with_name(f".{out.name}.{os.getpid()}.tmp")
    out.parent.mkdir(parents=True, exist_ok=True)
    try:
        with temp.open("wb") as handle:
            write = handle.write
            dumps = orjson.dumps
            for count, (item, label) in enumerate(iter_group(module, files)):
                if count % CANCEL_EVERY == 0:
                    check_cancel(cancel)
                if isinstance(item, ImportProblem):
                    result.problems.append(item)
                    continue
                record = item.contract(format_name, label)
                write(dumps(record) + b"\n")
                result.calls += 1
                run_id = record["metadata"].get("run_id")
                runs.add(str(run_id) if run_id is not None else f"{label}#{result.calls}")
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, out)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    result.runs = len(runs)
    return result
