"""Finding a corpus's files from the PATH arguments: files, or folders searched recursively.

Besides contract JSONL, ``.json`` and ``.eval`` files are found too: they are sources in another
format (an Inspect log, a Langfuse export, ...) that the check imports on the fly
(``core.importers.cache``). Imported copies kept in a workspace are never found again.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

SUFFIXES = (".jsonl", ".jsonl.gz")
IMPORT_SUFFIXES = (".json", ".json.gz", ".eval")  # other formats, imported on the fly
RUNS_FILE_STEM = "runs"
IMPORT_CACHE_DIR = "imported"  # inside a workspace, beside its database
WORKSPACE_DB = "curator.db"


@dataclass(frozen=True, slots=True)
class SourceFile:
    """One corpus file: where it is, how to show it, and what it holds."""

    path: Path  # absolute, resolved
    root: Path  # the PATH argument it was found under
    relpath: str  # shown to users: relative to the root folder, or the file name
    kind: Literal["calls", "runs"]
    # set when the file is an on-the-fly import: the source's format and the records not
    # imported as (record, reason), stored with the file's malformed lines
    source_format: str | None = None
    import_problems: tuple[tuple[int, str], ...] = ()

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


def is_corpus_file(name: str) -> bool:
    """A contract file or a source of another format."""
    return name.endswith(SUFFIXES) or name.endswith(IMPORT_SUFFIXES)


def in_import_cache(path: Path) -> bool:
    """True for a file inside a workspace's cache of imported sources."""
    parts = path.parts
    for index in range(len(parts) - 1, 0, -1):
        if parts[index] == IMPORT_CACHE_DIR:
            return (Path(*parts[:index]) / WORKSPACE_DB).exists()
    return False


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
            if not is_corpus_file(root.name):
                problems.append(f"{argument}: not a .jsonl, .jsonl.gz, .json or .eval file")
                continue
            found.setdefault(root, _source(root, root.parent, root.name))
        elif root.is_dir():
            matches = [
                p
                for p in root.rglob("*")
                if is_corpus_file(p.name) and p.is_file() and not in_import_cache(p)
            ]
            if not matches:
                problems.append(f"{argument}: no .jsonl, .json or .eval files in this folder")
            for path in matches:
                resolved = path.resolve()
                found.setdefault(resolved, _source(resolved, root, path.relative_to(root)))
        else:
            problems.append(f"{argument}: no such file or folder")
    return sorted(found.values(), key=lambda source: str(source.path)), problems


def _source(path: Path, root: Path, relpath: Path | str) -> SourceFile:
    kind: Literal["calls", "runs"] = "runs" if file_stem(path.name) == RUNS_FILE_STEM else "calls"
    return SourceFile(path=path, root=root, relpath=str(relpath), kind=kind)
