"""Where an export's files go: the default per-task folders, or the providers' flat layout.

``tasks`` (default)::

    OUT/manifest.json  OUT/<task>/train.jsonl  OUT/<task>/train.ids  OUT/<task>/heldout.jsonl ...
    OUT/train.jsonl  OUT/train.ids                      (with --combine)

``provider``: OUT holds only data files, exactly what the upload helpers take — Fireworks'
``upload_dataset_shards`` refuses a folder with sub-folders or non-``.jsonl`` files, and
Together's and OpenAI's uploads take one ``.jsonl`` file each — and the sidecars go to a
sibling folder ``OUT.meta``::

    OUT/<task>-train.jsonl  OUT/<task>-heldout.jsonl  OUT/all-train.jsonl (with --combine)
    OUT.meta/manifest.json  OUT.meta/<task>-train.ids ...

Pass one file to an upload helper: given the whole folder, Fireworks' helper uploads every
shard as one dataset. In both layouts a file with no example is not written.
"""

from __future__ import annotations

from pathlib import Path

from core.export.model import COMBINED_TASK, LAYOUTS, Layout
from core.export.writer import check_target

__all__ = ["LAYOUTS", "Layout", "check_out_dir", "data_path", "ids_path", "sidecar_folder"]

META_SUFFIX = ".meta"


def data_path(layout: Layout, task: str, split: str) -> str:
    """A data file's path, relative to the export folder."""
    if layout == "provider":
        return f"{task}-{split}.jsonl"
    if task == COMBINED_TASK:
        return f"{split}.jsonl"
    return f"{task}/{split}.jsonl"


def ids_path(layout: Layout, task: str, split: str) -> str:
    """A data file's ``.ids`` sidecar, relative to the sidecar folder."""
    return data_path(layout, task, split).removesuffix(".jsonl") + ".ids"


def sidecar_folder(target: Path, layout: Layout) -> Path:
    """Where the manifest and ``.ids`` files of an export to ``target`` go."""
    if layout == "provider":
        return target.with_name(target.name + META_SUFFIX)
    return target


def check_out_dir(target: Path, layout: Layout, corpus_roots: list[Path]) -> None:
    """Refuse output folders (the data folder and, apart, the sidecar folder) that are not
    safe to replace; ``target`` must be resolved."""
    sidecars = sidecar_folder(target, layout)
    check_target(target, corpus_roots, manifest_folder=sidecars)
    if sidecars != target:
        check_target(sidecars, corpus_roots)
