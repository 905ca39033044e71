"""``manifest.json``: what an export holds, how it was made, and the hash that names it.

The hash is the SHA-256 of the canonical JSON (sorted keys, no spaces) of::

    {"config_fingerprint": ..., "files": [{"path": ..., "sha256": ...}, ...],
     "seed": ..., "selection": ...}

where ``files`` lists every data file and ids file, sorted by path. Nothing time-dependent or
machine-dependent (dates, absolute paths) goes in the manifest, so the same inputs and seed
give a byte-identical manifest; the store keeps when and where an export was written.
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict
from pathlib import Path
from typing import Any

import orjson

from core import __version__
from core.export.model import ExportPlan, FileEntry

MANIFEST_NAME = "manifest.json"
MANIFEST_VERSION = 1


def manifest_hash(
    files: list[FileEntry], config_fingerprint: str, seed: int, selection: str
) -> str:
    """The export's identity: its files' hashes, the config, the seed and the selection."""
    hashed = [{"path": f.path, "sha256": f.sha256} for f in files]
    hashed += [{"path": f.ids_file, "sha256": f.ids_sha256} for f in files]
    canonical = {
        "config_fingerprint": config_fingerprint,
        "files": sorted(hashed, key=lambda entry: entry["path"]),
        "seed": seed,
        "selection": selection,
    }
    return hashlib.sha256(orjson.dumps(canonical, option=orjson.OPT_SORT_KEYS)).hexdigest()


def build_manifest(plan: ExportPlan, files: list[FileEntry]) -> dict[str, Any]:
    """The manifest of a written plan."""
    options = plan.options
    fingerprint = plan.config.fingerprint()
    return {
        "version": MANIFEST_VERSION,
        "tool_version": __version__,
        "hash": manifest_hash(files, fingerprint, options.seed, options.include),
        "seed": options.seed,
        "selection": options.include,
        "heldout_per_task": options.heldout_per_task,
        "max_heldout_share": options.max_heldout_share,
        "near_dup_threshold": options.near_dup_threshold,
        "provider": options.provider,
        "combine": options.combine,
        "layout": options.layout,
        "keep_heldout_runs": options.keep_heldout_runs,
        "config": plan.config.model_dump(mode="json"),
        "config_fingerprint": fingerprint,
        "files": [entry.manifest_entry() for entry in files],
        "tasks": {task: asdict(counts) for task, counts in plan.tasks.items()},
        "totals": {
            "examples": sum(c.train + c.heldout for c in plan.tasks.values()),
            "est_tokens": sum(f.est_tokens for f in files if f.task != "all"),
            **plan.totals(),
        },
        "decisions": asdict(plan.decisions),
        "duplicates": asdict(plan.duplicates),
        "removed": dict(plan.removed),
        "warnings": list(plan.warnings),
    }


def manifest_bytes(manifest: dict[str, Any]) -> bytes:
    """The manifest file's bytes: indented JSON, keys in a fixed order, a final newline."""
    return orjson.dumps(manifest, option=orjson.OPT_INDENT_2) + b"\n"


def read_manifest(folder: Path) -> dict[str, Any] | None:
    """The manifest of an export folder, or None when there is none or it is unreadable."""
    try:
        value = orjson.loads((folder / MANIFEST_NAME).read_bytes())
    except (OSError, orjson.JSONDecodeError):
        return None
    return value if isinstance(value, dict) else None
