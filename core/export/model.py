"""The shapes an export passes around: options, examples, counts, the plan and the result.

A plan is what a preview computes (selection, duplicates, split, provider checks) without
writing anything; writing a plan produces a result. The Datasets screen shows a plan's counts
and writes it when the user confirms.
"""

from __future__ import annotations

from array import array
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from core.config import CuratorConfig

Include = Literal["auto", "accepted"]
Provider = Literal["fireworks", "openai", "together"]
Split = Literal["train", "heldout"]
Layout = Literal["tasks", "provider"]
LAYOUTS: tuple[Layout, ...] = ("tasks", "provider")
PROVIDERS: tuple[Provider, ...] = ("fireworks", "openai", "together")
SPLITS: tuple[Split, ...] = ("train", "heldout")
COMBINED_TASK = "all"


class ExportError(Exception):
    """An export that cannot start or finish: a bad output folder, a corpus that changed."""


class ExportBlocked(ExportError):
    """The data failed a gate (provider checks, nothing selected); nothing was written."""

    def __init__(self, violations: list[Violation]) -> None:
        self.violations = violations
        super().__init__("; ".join(str(v) for v in violations[:3]))


class ExportOptions(BaseModel):
    """What the user chose; validated so a form or the CLI can pass raw values."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    heldout_per_task: int = Field(50, ge=0)
    seed: int = Field(0, ge=0, lt=2**63)
    include: Include = "auto"
    combine: bool = False
    near_dup_threshold: float = Field(0.9, ge=0.0, le=1.0, description="0 turns grouping off")
    provider: Provider = "fireworks"
    max_heldout_share: float = Field(0.5, ge=0.0, le=1.0)
    keep_heldout_runs: bool = False  # extra calls of held-out runs stay held out, not left out
    layout: Layout = "tasks"  # see core.export.layout


@dataclass(frozen=True, slots=True)
class Violation:
    """One provider rule an example or a file breaks."""

    provider: str
    file: str  # relative to the export folder, e.g. "planning/train.jsonl"
    task: str
    trace_id: str | None  # None for a file-level problem (too few examples)
    message: str

    def __str__(self) -> str:
        where = f"{self.file}: trace {self.trace_id}" if self.trace_id else self.file
        return f"{self.provider}: {self.task}: {where}: {self.message}"


@dataclass(slots=True)
class Example:
    """One call that will be exported: where its bytes are and what was computed from them."""

    call_id: int
    trace_id: str
    run_id: str
    task: str
    source: str  # "relpath:line", for messages
    path: str  # absolute corpus file path
    offset: int
    length: int
    repair: str | None
    content_key: str  # hash of the exported record, key-order insensitive
    est_tokens: int
    problems: tuple[str, ...] = ()  # provider-rule problems found while reading
    signature: array | None = None  # MinHash of the user content; dropped after grouping
    split: Split = "train"


@dataclass(slots=True)
class DecisionCounts:
    """How the calls of the corpus were selected."""

    calls: int = 0
    accepted: int = 0
    accepted_failing: int = 0  # accepted although a rule failed
    accepted_unknown: int = 0  # accepted although a run-level figure is unknown
    repaired: int = 0
    rejected: int = 0
    auto_included: int = 0  # undecided and passing, with --include auto
    undecided_left_out: int = 0
    selected: int = 0
    malformed_lines: int = 0


@dataclass(slots=True)
class DuplicateCounts:
    """Exact duplicates dropped and near-duplicates kept on one side."""

    exact_dropped: int = 0
    near_dup_groups: int = 0  # clusters of two or more similar examples
    near_dup_examples: int = 0  # examples in those clusters
    runs_linked: int = 0  # runs tied to another run by a near-duplicate
    step_runs_linked: int = 0  # runs tied to another run by a trajectory step (another key)


@dataclass(slots=True)
class TaskCounts:
    """One task's numbers: selected, dropped as duplicates, and each side of the split."""

    selected: int = 0
    exact_dropped: int = 0
    train: int = 0
    heldout: int = 0
    heldout_target: int = 0
    heldout_left_out: int = 0  # examples of held-out runs beyond the target, in neither file


@dataclass(slots=True)
class ExportPlan:
    """Everything an export will write, computed without writing; see ``preview_export``."""

    options: ExportOptions
    config: CuratorConfig
    examples: list[Example]
    decisions: DecisionCounts
    duplicates: DuplicateCounts
    tasks: dict[str, TaskCounts]
    warnings: list[str] = field(default_factory=list)
    violations: list[Violation] = field(default_factory=list)
    removed: dict[str, int] = field(default_factory=dict)  # keys and conversions, see target
    store_mark: tuple[int, ...] = ()  # index and decisions as previewed; see ``store_mark``

    @property
    def ok(self) -> bool:
        """True when nothing blocks writing."""
        return not self.violations

    def counts(self) -> dict[str, dict[str, int]]:
        """``{task: {"selected", "train", "heldout", "left_out", "duplicates"}}``, tasks
        sorted: selected = train + heldout + left_out + duplicates."""
        return {
            t: {
                "selected": c.selected,
                "train": c.train,
                "heldout": c.heldout,
                "left_out": c.heldout_left_out,
                "duplicates": c.exact_dropped,
            }
            for t, c in self.tasks.items()
        }

    def totals(self) -> dict[str, int]:
        """The same counts summed over tasks."""
        keys = ("selected", "train", "heldout", "left_out", "duplicates")
        rows = self.counts().values()
        return {key: sum(row[key] for row in rows) for key in keys}


@dataclass(frozen=True, slots=True)
class FileEntry:
    """One written data file as the manifest lists it."""

    path: str
    task: str
    split: Split
    examples: int
    bytes: int
    sha256: str
    est_tokens: int
    ids_file: str
    ids_sha256: str

    def manifest_entry(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "task": self.task,
            "split": self.split,
            "examples": self.examples,
            "bytes": self.bytes,
            "sha256": self.sha256,
            "est_tokens": self.est_tokens,
            "ids_file": self.ids_file,
            "ids_sha256": self.ids_sha256,
        }


@dataclass(frozen=True, slots=True)
class ExportResult:
    """A written export: where, its manifest and hash, and its row in the store."""

    out_dir: Path
    manifest: dict[str, Any]
    manifest_hash: str
    files: list[FileEntry]
    export_id: int
    plan: ExportPlan
