"""Export's two entry points: a preview that writes nothing, and writing a previewed plan.

    plan = preview_export(conn, config, ExportOptions(seed=7), progress=..., cancel=...)
    selection_counts(conn, "auto")   # instant: accepted, rejected, auto-included... (no reads)
    plan.counts()        # {"planning": {"selected": 95, "train": 40, "heldout": 50,
                         #               "left_out": 3, "duplicates": 2}, ...}
    plan.violations      # provider problems; writing is refused while there are any
    result = write_export(conn, plan, Path("datasets/v1"), progress=..., cancel=...)

Both read each selected call's bytes from the corpus (the preview to hash, compare and check
them; the write to copy them), in corpus order, and stop with ``Cancelled`` soon after the
cancel event is set. The preview reads the index as it is: run ``run_check`` first.
"""

from __future__ import annotations

import sqlite3
import threading
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from core.check.run import corpus_roots
from core.check.trajectories import step_run_pairs
from core.config import CuratorConfig
from core.corpus.records import MalformedLine, parse_line, trace_id
from core.export.dedup import drop_exact_duplicates, group_runs
from core.export.history import record_export
from core.export.layout import check_out_dir, data_path, ids_path, sidecar_folder
from core.export.manifest import MANIFEST_NAME, build_manifest, manifest_bytes
from core.export.minhash import signature
from core.export.model import (
    COMBINED_TASK,
    SPLITS,
    DecisionCounts,
    Example,
    ExportBlocked,
    ExportError,
    ExportOptions,
    ExportPlan,
    ExportResult,
    FileEntry,
    Include,
)
from core.export.providers import example_problems
from core.export.records import (
    SpanReader,
    content_key,
    estimate_tokens,
    export_record,
    record_line,
    user_text,
)
from core.export.selection import SelectedCall, select_calls, store_mark
from core.export.split import assign_splits
from core.export.target import to_target
from core.export.validation import plan_violations
from core.export.writer import AtomicFolder, HashingFile
from core.progress import Progress, check_cancel, no_progress

_PROGRESS_EVERY = 128


def selection_counts(conn: sqlite3.Connection, include: Include) -> DecisionCounts:
    """How many calls a selection mode takes and leaves, from the index alone (instant)."""
    return select_calls(conn, include)[1]


def preview_export(
    conn: sqlite3.Connection,
    config: CuratorConfig,
    options: ExportOptions,
    *,
    progress: Progress = no_progress,
    cancel: threading.Event | None = None,
) -> ExportPlan:
    """Select, deduplicate, split and check, without writing: the counts a preview shows.

    Raises:
        ExportError: a corpus file changed or vanished since it was indexed.
        Cancelled: ``cancel`` was set.
    """
    mark = store_mark(conn)
    selected, decisions = select_calls(conn, options.include)
    removed: Counter[str] = Counter()
    examples = []
    for call, record, changes in _records(selected, options, progress, cancel, "reading"):
        examples.append(_example(call, record, options))
        removed.update(changes)
    kept, dropped = drop_exact_duplicates(examples)
    check_cancel(cancel)
    group_of, duplicates = group_runs(kept, options.near_dup_threshold, step_run_pairs(conn))
    duplicates.exact_dropped = sum(dropped.values())
    kept, tasks, warnings = assign_splits(
        kept,
        group_of,
        options.heldout_per_task,
        options.max_heldout_share,
        options.seed,
        keep_runs=options.keep_heldout_runs,
    )
    for task, counts in tasks.items():
        counts.exact_dropped = dropped[task]
        counts.selected = counts.train + counts.heldout + counts.heldout_left_out + dropped[task]
    if decisions.malformed_lines:
        warnings.append(f"{decisions.malformed_lines} malformed lines in the corpus were skipped")
    plan = ExportPlan(options, config, kept, decisions, duplicates, tasks, warnings)
    plan.removed = dict(sorted(removed.items()))
    plan.store_mark = mark
    plan.violations = plan_violations(plan)
    progress(len(selected), len(selected), "checked")
    return plan


def write_export(
    conn: sqlite3.Connection,
    plan: ExportPlan,
    out_dir: Path,
    *,
    progress: Progress = no_progress,
    cancel: threading.Event | None = None,
) -> ExportResult:
    """Write a plan to ``out_dir`` atomically and record it in the store.

    Raises:
        ExportBlocked: the plan has violations; nothing is written.
        ExportError: ``out_dir`` is unsafe to replace, or the corpus, the index or the
            decisions changed since the preview.
        Cancelled: ``cancel`` was set; ``out_dir`` is left as it was.
    """
    if not plan.ok:
        raise ExportBlocked(plan.violations)
    if plan.store_mark != store_mark(conn):
        raise ExportError("the index or the decisions changed since the preview; preview again")
    target = out_dir.resolve()
    layout = plan.options.layout
    sidecars = sidecar_folder(target, layout)
    check_out_dir(target, layout, corpus_roots(conn))
    try:
        with AtomicFolder(target) as data, _staged_sidecars(sidecars, data) as meta:
            files = _write_files(data.path, meta.path, plan, progress, cancel)
            manifest = build_manifest(plan, files)
            if sidecars != target:
                manifest["data_dir"] = target.name
            (meta.path / MANIFEST_NAME).write_bytes(manifest_bytes(manifest))
            check_cancel(cancel)
            data.commit()
            if meta is not data:
                meta.commit()
    except OSError as exc:  # a full disk, a read-only folder: the staging folders are gone
        where = exc.filename or target.parent
        raise ExportError(
            f"{where}: cannot write the export ({exc.strerror or exc}); {target} is unchanged"
        ) from None
    export_id = record_export(conn, target, manifest)
    return ExportResult(target, manifest, manifest["hash"], files, export_id, plan)


def export_dataset(
    conn: sqlite3.Connection,
    config: CuratorConfig,
    options: ExportOptions,
    out_dir: Path,
    *,
    progress: Progress = no_progress,
    cancel: threading.Event | None = None,
) -> ExportResult:
    """Preview and write in one call (what the CLI does)."""
    plan = preview_export(conn, config, options, progress=progress, cancel=cancel)
    return write_export(conn, plan, out_dir, progress=progress, cancel=cancel)


def _example(call: SelectedCall, record: dict[str, Any], options: ExportOptions) -> Example:
    text = user_text(record.get("messages")) if options.near_dup_threshold > 0 else ""
    return Example(
        call_id=call.call_id,
        trace_id=call.trace_id,
        run_id=call.run_id,
        task=call.task,
        source=call.source,
        path=call.path,
        offset=call.offset,
        length=call.length,
        repair=call.repair,
        content_key=content_key(record),
        est_tokens=estimate_tokens(record),
        problems=example_problems(record, options.provider),
        signature=signature(text) if text else None,
    )


def _records(
    calls: list[SelectedCall] | list[Example],
    options: ExportOptions,
    progress: Progress,
    cancel: threading.Event | None,
    verb: str,
) -> Iterator[tuple[Any, dict[str, Any], Counter[str]]]:
    """Each call with its exported record (in the provider's format, see
    ``core.export.target``) and what that removed, read back from the corpus and verified."""
    total = len(calls)
    with SpanReader() as reader:
        for done, call in enumerate(calls):
            if done % _PROGRESS_EVERY == 0:
                check_cancel(cancel)
                progress(done, total, f"{verb} {call.source}")
            try:
                parsed = parse_line(reader.read(call.path, call.offset, call.length))
            except (OSError, MalformedLine) as exc:
                raise ExportError(f"{call.source}: cannot read the call back ({exc})") from None
            if trace_id(parsed) != call.trace_id:
                raise ExportError(
                    f"{call.source}: the file changed since it was checked; check it again"
                )
            record, changes = to_target(export_record(parsed, call.repair), options.provider)
            yield call, record, changes


@contextmanager
def _staged_sidecars(sidecars: Path, data: AtomicFolder) -> Iterator[AtomicFolder]:
    """The data folder itself (default layout), or a second staged folder beside it."""
    if sidecars == data.target:
        yield data
        return
    with AtomicFolder(sidecars) as meta:
        yield meta


def _write_files(
    data_folder: Path,
    meta_folder: Path,
    plan: ExportPlan,
    progress: Progress,
    cancel: threading.Event | None,
) -> list[FileEntry]:
    """Write every example to its files; a file is created with its first line, so a task
    or split without examples leaves no empty file behind."""
    layout = plan.options.layout
    outputs: dict[tuple[str, str], tuple[HashingFile, HashingFile]] = {}
    tokens: Counter[tuple[str, str]] = Counter()

    def output(key: tuple[str, str]) -> tuple[HashingFile, HashingFile]:
        if key not in outputs:
            data_file = data_folder / data_path(layout, *key)
            data_file.parent.mkdir(parents=True, exist_ok=True)
            ids_file = meta_folder / ids_path(layout, *key)
            ids_file.parent.mkdir(parents=True, exist_ok=True)
            outputs[key] = (HashingFile(data_file), HashingFile(ids_file))
        return outputs[key]

    try:
        records = _records(plan.examples, plan.options, progress, cancel, "writing")
        for example, record, _changes in records:
            if content_key(record) != example.content_key:
                raise ExportError(
                    f"{example.source}: the call changed since the preview; preview again"
                )
            line = record_line(record)
            targets = [(example.task, example.split)]
            if plan.options.combine and example.split == "train":
                targets.append((COMBINED_TASK, "train"))
            for key in targets:
                data, ids = output(key)
                data.write_line(line)
                ids.write_line(f"{example.trace_id}\n".encode())
                tokens[key] += example.est_tokens
        progress(len(plan.examples), len(plan.examples), "written")
    finally:
        for data, ids in outputs.values():
            data.close()
            ids.close()
    order = [(task, split) for task in plan.tasks for split in SPLITS]
    order.append((COMBINED_TASK, "train"))
    entries = []
    for key in [key for key in order if key in outputs]:
        data, ids = outputs[key]
        entries.append(
            FileEntry(
                path=data_path(layout, *key),
                task=key[0],
                split=key[1],  # type: ignore[arg-type]
                examples=data.lines,
                bytes=data.bytes,
                sha256=data.sha256,
                est_tokens=tokens[key],
                ids_file=ids_path(layout, *key),
                ids_sha256=ids.sha256,
            )
        )
    return entries
