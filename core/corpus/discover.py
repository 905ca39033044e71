"""Finding a corpus's files from the PATH arguments: files, or folders searched recursively."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

SUFFIXES = (".jsonl", ".jsonl.gz")
RUNS_FILE_STEM = "runs"


@dataclass(frozen=True, slots=True)
class SourceFile:
    """One corpus file: where it is, how to show it, and what it holds."""

    path: Path  # absolute, resolved
    root: Path  # the PATH argument it was found under
    relpath: str  # shown to users: relative to the root folder, or the file name
    kind: Literal["calls", "runs"]

    @property
    def compressed(self) -> bool:
        return self.path.name.endswith(".gz")


def file_stem(name: str) -> str:
    """The name without ``.jsonl`` or ``.jsonl.gz``."""
    for suffix in SUFFIXES[::-1]:
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return name


def is_trace_file(name: str) -> bool:
    return name.endswith(SUFFIXES)


def discover(paths: list[Path]) -> tuple[list[SourceFile], list[str]]:
    """Every corpus file under ``paths``, in sorted path order, and a problem per bad argument.

    A folder is searched recursively for ``*.jsonl`` and ``*.jsonl.gz``; ``runs.jsonl`` files
    hold run summaries. A file named twice is listed once.
    """
    found: dict[Path, SourceFile] = {}
    problems: list[str] = []
    for argument in paths:
        root = argument.resolve()
        if root.is_file():
            if not is_trace_file(root.name):
                problems.append(f"{argument}: not a .jsonl or .jsonl.gz file")
                continue
            found.setdefault(root, _source(root, root.parent, root.name))
        elif root.is_dir():
            matches = [p for p in root.rglob("*") if is_trace_file(p.name) and p.is_file()]
            if not matches:
                problems.append(f"{argument}: no .jsonl or .jsonl.gz files in this folder")
            for path in matches:
                resolved = path.resolve()
                found.setdefault(resolved, _source(resolved, root, path.relative_to(root)))
        else:
            problems.append(f"{argument}: no such file or folder")
    return sorted(found.values(), key=lambda source: str(source.path)), problems


def _source(path: Path, root: Path, relpath: Path | str) -> SourceFile:
    kind: Literal["calls", "runs"] = "runs" if file_stem(path.name) == RUNS_FILE_STEM else "calls"
    return SourceFile(path=path, root=root, relpath=str(relpath), kind=kind)
