"""Finding a corpus's files from the PATH arguments: files, or folders searched recursively.

Besides contract JSONL, ``.json`` and ``.eval`` files are found too: they are sources in another
format (an Inspect log, a Langfuse export, ...) that the check imports on the fly
(``core.importers.cache``). Imported copies kept in a workspace are never found again.
"""

from __future__ import annotations

import errno
import os
import stat
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
        try:
            root = argument.resolve()
            kind = os.stat(root).st_mode
        except RuntimeError:  # Python 3.11 resolve() on a symlink loop
            problems.append(f"{shown(argument)}: a symlink loop; skipped")
            continue
        except OSError as exc:
            problems.append(_unreachable(argument, exc))
            continue
        if stat.S_ISREG(kind):
            if not is_corpus_file(root.name):
                problems.append(f"{shown(argument)}: not a .jsonl, .jsonl.gz, .json or .eval file")
                continue
            _add(found, problems, root, root.parent, root.name)
        elif stat.S_ISDIR(kind):
            matches = _walk(root, problems)
            if not matches:
                problems.append(
                    f"{shown(argument)}: no .jsonl, .json or .eval files in this folder"
                )
            for path in matches:
                _add(found, problems, path.resolve(), root, path.relative_to(root))
        else:
            problems.append(f"{shown(argument)}: {_file_type(kind)}, not a file or folder; skipped")
    return sorted(found.values(), key=lambda source: str(source.path)), problems


def shown(path: Path | str) -> str:
    """A path as users see it: bytes that are not UTF-8 escaped (``\\xff``), never an error."""
    return os.fsencode(path).decode("utf-8", "backslashreplace")


def _walk(root: Path, problems: list[str]) -> list[Path]:
    """Corpus files under ``root`` (not a workspace's import cache); an unreadable folder is
    reported, not skipped silently."""

    def unreadable(exc: OSError) -> None:
        where = exc.filename if exc.filename is not None else root
        problems.append(f"{shown(where)}: cannot read this folder ({exc.strerror}); skipped")

    matches: list[Path] = []
    for folder, _dirs, names in os.walk(root, onerror=unreadable):
        for name in names:
            if is_corpus_file(name):
                path = Path(folder, name)
                if in_import_cache(path):
                    continue
                try:
                    if stat.S_ISREG(os.stat(path).st_mode):
                        matches.append(path)
                except OSError as exc:  # a dangling link or a loop inside the folder
                    problems.append(_unreachable(path, exc))
    return matches


def _add(
    found: dict[Path, SourceFile], problems: list[str], path: Path, root: Path, rel: Path | str
) -> None:
    if shown(path) != str(path):  # the store and reports hold names as UTF-8 text
        problems.append(f"{shown(path)}: file name is not valid UTF-8; rename it to check it")
        return
    found.setdefault(path, _source(path, root, rel))


def _unreachable(argument: Path, exc: OSError) -> str:
    if exc.errno == errno.ELOOP:
        return f"{shown(argument)}: a symlink loop; skipped"
    if exc.errno == errno.ENOENT:
        return f"{shown(argument)}: no such file or folder"
    return f"{shown(argument)}: cannot read ({exc.strerror}); skipped"


def _file_type(mode: int) -> str:
    for test, name in (
        (stat.S_ISFIFO, "a named pipe (FIFO)"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISSOCK, "a socket"),
    ):
        if test(mode):
            return name
    return "a special file"


def _source(path: Path, root: Path, relpath: Path | str) -> SourceFile:
    kind: Literal["calls", "runs"] = "runs" if file_stem(path.name) == RUNS_FILE_STEM else "calls"
    return SourceFile(path=path, root=root, relpath=str(relpath), kind=kind)
