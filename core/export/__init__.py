"""Export: turn a reviewed corpus into per-task train and held-out JSONL sets with a manifest.

The public API (what the CLI and the Datasets screen call) is re-exported here:
``selection_counts`` counts what a selection mode takes from the index alone (instant);
``preview_export`` computes a plan (counts per task and split, duplicates, warnings, provider
violations) without writing; ``write_export`` writes a plan atomically and records it in the
store; ``export_dataset`` does both.
"""

from __future__ import annotations

from core.export.api import export_dataset, preview_export, selection_counts, write_export
from core.export.history import ExportRecord, find_exports, list_exports
from core.export.manifest import MANIFEST_NAME, read_manifest
from core.export.model import (
    LAYOUTS,
    PROVIDERS,
    DecisionCounts,
    ExportBlocked,
    ExportError,
    ExportOptions,
    ExportPlan,
    ExportResult,
    Violation,
)

__all__ = [
    "LAYOUTS",
    "MANIFEST_NAME",
    "PROVIDERS",
    "DecisionCounts",
    "ExportBlocked",
    "ExportError",
    "ExportOptions",
    "ExportPlan",
    "ExportRecord",
    "ExportResult",
    "Violation",
    "export_dataset",
    "find_exports",
    "list_exports",
    "preview_export",
    "read_manifest",
    "selection_counts",
    "write_export",
]
