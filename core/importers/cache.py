"""On-the-fly import for ``curator check``/``review``: sources of another format become
cached contract JSONL inside the workspace, which the indexer then reads like any file.

A cached import lives at ``<workspace>/imported/<hash of source path>/<hash of size, mtime,
importer version>/<source stem>.jsonl`` (the stem keeps the task-from-file-name rule working)
with ``problems.json`` beside it (format, calls, records not imported). The same unchanged
source maps to the same cached file, so checking it again neither re-imports nor duplicates
its calls; a changed source replaces its older copy. Like the indexer, a re-check reads no
bytes of an unchanged source: a contract file the index holds with the same size and mtime
is not sniffed again, and an imported one is found in the cache by its stat alone.
"""

from __future__ import annotations

import hashlib
import shutil
import threading
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import orjson

from core.corpus.discover import IMPORT_CACHE_DIR, SUFFIXES, SourceFile
from core.importers.convert import source_stem, write_import
from core.importers.read import read_head
from core.importers.registry import (
    CONTRACT_FORMAT,
    FORMATS,
    UnknownFormat,
    detect_format,
    importer,
)
from core.importers.sniff import sniff
from core.progress import Progress, no_progress

IMPORTER_VERSION = 1  # bumped when an importer maps the same source differently
PROBLEMS_FILE = "problems.json"

Stamp = tuple[int, int]  # (size, mtime_ns)


@dataclass(slots=True)
class ResolvedSources:
    """The corpus files to index, a line per detected format, and sources that were refused."""

    sources: list[SourceFile]
    detected: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


@dataclass(slots=True)
class _Importing:
    """Where imports go and whom they report to, for one resolution."""

    workspace: Path
    resolved: ResolvedSources
    progress: Progress
    cancel: threading.Event | None


def resolve_sources(
    sources: list[SourceFile],
    workspace: Path,
    *,
    indexed: dict[str, Stamp] | None = None,
    progress: Progress = no_progress,
    cancel: threading.Event | None = None,
) -> ResolvedSources:
    """Replace every source that is not contract JSONL by its cached import.

    ``indexed`` maps the paths the index holds to their (size, mtime_ns): such a file,
    unchanged, was read as the contract and is not sniffed again. ``progress`` hears
    (0, 0, "importing <file>") before each import that has to run.
    """
    indexed = indexed or {}
    resolved = ResolvedSources([])
    importing = _Importing(workspace, resolved, progress, cancel)
    batch: list[SourceFile] = []
    for source in sources:
        stamp = _stamp(source.path)
        if source.kind != "calls" or stamp is None or indexed.get(str(source.path)) == stamp:
            resolved.sources.append(source)  # the indexer reports an unreadable file
            continue
        reused = _reuse([source], importing)
        if reused is not None:
            resolved.sources.append(reused)
            continue
        is_jsonl = source.path.name.endswith(SUFFIXES)
        try:
            format_name = detect_format(source.path)
        except UnknownFormat as exc:
            if is_jsonl:  # read as the contract: its lines are reported one by one
                resolved.sources.append(source)
                hint = _contract_hint(source)
                if hint:
                    resolved.detected.append(hint)
            else:
                resolved.problems.append(f"{source.relpath}: {exc}")
            continue
        if format_name == CONTRACT_FORMAT and is_jsonl:
            resolved.sources.append(source)
        elif format_name == "openai_batch":
            batch.append(source)  # requests and responses are joined, below
        else:
            _add_cached(format_name, [source], importing)
    if batch:  # shown as the (first) output file, whose lines are the calls
        from core.importers.openai_batch import is_output

        batch.sort(key=lambda source: not is_output(source.path))
        _add_cached("openai_batch", batch, importing)
    resolved.sources.sort(key=lambda source: str(source.path))
    return resolved


def _stamp(path: Path) -> Stamp | None:
    try:
        stat = path.stat()
    except OSError:
        return None
    return stat.st_size, stat.st_mtime_ns


def _target(group: list[SourceFile]) -> Path | None:
    """Where the import of ``group`` (as the files are now) is cached, relative to the
    cache folder; None when a file cannot be read."""
    identity = "\n".join(str(source.path) for source in group)
    state = [str(IMPORTER_VERSION)]
    for source in group:
        stamp = _stamp(source.path)
        if stamp is None:
            return None
        state += [str(stamp[0]), str(stamp[1])]
    stem = source_stem(group[0].path.name)
    return Path(_digest(identity), _digest("\n".join(state)), f"{stem}.jsonl")


def _reuse(group: list[SourceFile], importing: _Importing) -> SourceFile | None:
    """The cached import of ``group`` when one is there for the files as they are now."""
    relative = _target(group)
    if relative is None:
        return None
    target = importing.workspace / IMPORT_CACHE_DIR / relative
    sidecar = target.with_name(PROBLEMS_FILE)
    if not (target.exists() and sidecar.exists()):
        return None
    try:
        summary = orjson.loads(sidecar.read_bytes())
    except (OSError, orjson.JSONDecodeError):
        return None
    if not isinstance(summary, dict) or summary.get("format") not in FORMATS:
        return None  # not a sidecar this curator wrote: import again
    return _finish(group, target, summary, importing.resolved)


def _add_cached(format_name: str, group: list[SourceFile], importing: _Importing) -> None:
    """Add the cached import of ``group``; a source that cannot be imported is a problem."""
    try:
        cached = _reuse(group, importing) or _import(format_name, group, importing)
    except OSError as exc:
        where = exc.filename or group[0].relpath
        importing.resolved.problems.append(f"{where}: cannot import: {exc.strerror or exc}")
        return
    if cached is not None:
        importing.resolved.sources.append(cached)


def _import(format_name: str, group: list[SourceFile], importing: _Importing) -> SourceFile | None:
    relative = _target(group)
    if relative is None:
        return None
    target = importing.workspace / IMPORT_CACHE_DIR / relative
    files = [(source.path, source.relpath) for source in group]
    importing.progress(0, 0, f"importing {group[0].relpath}")
    result = write_import(format_name, files, target, cancel=importing.cancel)
    summary = {
        "format": format_name,
        "calls": result.calls,
        "problems": [[p.file, p.record, p.unit, p.reason] for p in result.problems],
    }
    target.with_name(PROBLEMS_FILE).write_bytes(orjson.dumps(summary))
    for older in target.parent.parent.iterdir():  # a changed source's earlier import
        if older != target.parent:
            shutil.rmtree(older, ignore_errors=True)
    return _finish(group, target, summary, importing.resolved)


def _finish(
    group: list[SourceFile], target: Path, summary: dict[str, Any], resolved: ResolvedSources
) -> SourceFile:
    """The source as the indexer reads it (the cached file, shown under the source's name),
    and its line for the check output."""
    first = group[0]
    format_name = summary["format"]
    problems = summary["problems"]
    names = ", ".join(source.relpath for source in group)
    note = f"{names}: detected {importer(format_name).title}; {summary['calls']} calls imported"
    resolved.detected.append(note + (f", {len(problems)} not imported" if problems else ""))
    own = tuple(
        _problem_error(file, record, reason, first.relpath)
        for file, record, _unit, reason in problems
    )
    return replace(first, path=target.resolve(), source_format=format_name, import_problems=own)


def _problem_error(file: str, record: int, reason: str, shown_as: str) -> tuple[int, str]:
    """A problem as a (line, message) error of the cached file, shown as ``shown_as:line``;
    a problem of another file of a joined group names its own file (at line 0)."""
    if file == shown_as:
        return record, reason
    return 0, f"{file}:{record}: {reason}"


def _contract_hint(source: SourceFile) -> str | None:
    """A note for a JSONL file whose first record is an object without ``messages``."""
    shape = sniff(read_head(source.path))
    if shape.first is None or "messages" in shape.keys:
        return None
    keys = ", ".join(shape.keys[:12]) or "none"
    return (
        f"{source.relpath}: neither trace lines nor a known format (keys of its first line:"
        f" {keys}); see `curator import --help`"
    )


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:16]
