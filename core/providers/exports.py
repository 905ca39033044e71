"""Reading an export folder for upload: its manifest, file selection and verification.

The export contract (written by ``curator export``): ``DIR/manifest.json`` =
``{"version": 1, "hash", "seed", "files": [{"path", "task", "split", "examples", "bytes",
"sha256"}]}`` with ``DIR/<task>/train.jsonl``, ``DIR/<task>/heldout.jsonl`` and, combined,
``DIR/train.jsonl`` (task ``all``). With ``--layout provider`` the data folder holds only
``DIR/<task>-<split>.jsonl`` files and the manifest is in ``DIR.meta/manifest.json`` (with
``"data_dir"``, the data folder's name): either folder may be given. A file is uploaded only
after its bytes, sha256 and line count match the manifest.
"""

from __future__ import annotations

import hashlib
from pathlib import Path, PurePosixPath
from typing import Literal

import orjson
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from core.providers.ids import derived_id

MANIFEST_NAME = "manifest.json"
META_SUFFIX = ".meta"  # the provider layout's sidecar folder, see core.export.layout


class ExportError(Exception):
    """The export folder cannot be uploaded as it is; the message says why."""


class ManifestFile(BaseModel):
    """One file listed in an export manifest."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    path: str
    task: str
    split: Literal["train", "heldout"]
    examples: int = Field(ge=0)
    bytes: int = Field(ge=0)
    sha256: str

    @field_validator("path")
    @classmethod
    def _relative(cls, value: str) -> str:
        pure = PurePosixPath(value)
        if pure.is_absolute() or ".." in pure.parts:
            raise ValueError("must be a relative path inside the export")
        return value


class ExportManifest(BaseModel):
    """``manifest.json`` of one export."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    version: int
    hash: str = Field(min_length=1)
    seed: int | None = None
    files: tuple[ManifestFile, ...]


def manifest_location(export_dir: Path) -> tuple[Path, Path]:
    """The manifest file of an export and the folder its data paths are relative to.

    ``export_dir`` is the export folder, or in the provider layout its data folder (the
    manifest is then in the sibling ``.meta`` folder) or that ``.meta`` folder itself.
    """
    inside = export_dir / MANIFEST_NAME
    beside = export_dir.with_name(export_dir.name + META_SUFFIX) / MANIFEST_NAME
    if not inside.is_file() and beside.is_file():
        return beside, export_dir
    try:
        data_dir = orjson.loads(inside.read_bytes()).get("data_dir")
    except (OSError, orjson.JSONDecodeError, AttributeError):
        data_dir = None
    if isinstance(data_dir, str) and data_dir and PurePosixPath(data_dir).name == data_dir:
        return inside, export_dir.parent / data_dir
    return inside, export_dir


def load_manifest(export_dir: Path) -> ExportManifest:
    """Parse and validate the manifest of an export (see ``manifest_location``)."""
    path, _ = manifest_location(export_dir)
    try:
        raw = orjson.loads(path.read_bytes())
    except FileNotFoundError:
        raise ExportError(f"{path}: no manifest; is this a `curator export` folder?") from None
    except orjson.JSONDecodeError as exc:
        raise ExportError(f"{path}: not valid JSON: {exc}") from None
    try:
        manifest = ExportManifest.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        raise ExportError(f"{path}: {where}: {first['msg']}") from None
    if manifest.version != 1:
        raise ExportError(f"{path}: manifest version {manifest.version} is not supported (1)")
    return manifest


def select_files(
    manifest: ExportManifest, tasks: list[str] | None = None, *, heldout: bool = False
) -> list[ManifestFile]:
    """Train files (plus held-out ones when asked) of the given tasks, in manifest order."""
    wanted = {"train", "heldout"} if heldout else {"train"}
    chosen = [
        entry
        for entry in manifest.files
        if entry.split in wanted and (not tasks or entry.task in tasks)
    ]
    if not chosen:
        known = sorted({entry.task for entry in manifest.files})
        detail = f" for task {', '.join(tasks)}" if tasks else ""
        raise ExportError(f"no files to upload{detail}; tasks in this export: {', '.join(known)}")
    return chosen


def verify_file(export_dir: Path, entry: ManifestFile) -> Path:
    """Check one file's size, sha256 and line count against the manifest; return its path.

    Every line must hold one example: a blank line would make the provider's count differ
    from ``exampleCount``.
    """
    path = manifest_location(export_dir)[1] / entry.path
    digest = hashlib.sha256()
    lines = size = 0
    try:
        with path.open("rb") as handle:
            for line in handle:
                if not line.strip():
                    raise ExportError(f"{path}:{lines + 1}: blank line; re-run `curator export`")
                digest.update(line)
                size += len(line)
                lines += 1
    except FileNotFoundError:
        raise ExportError(f"{path}: listed in the manifest but missing") from None
    problems = []
    if size != entry.bytes:
        problems.append(f"{size} bytes, manifest says {entry.bytes}")
    if digest.hexdigest() != entry.sha256.lower():
        problems.append("sha256 differs from the manifest")
    if lines != entry.examples:
        problems.append(f"{lines} lines, manifest says {entry.examples} examples")
    if problems:
        raise ExportError(f"{path}: {'; '.join(problems)}; the file changed since export")
    return path


def dataset_id_for(manifest: ExportManifest, entry: ManifestFile) -> str:
    """A valid, deterministic dataset id from the manifest hash and the file's path."""
    readable = PurePosixPath(entry.path).with_suffix("").as_posix()
    return derived_id("tc", readable, manifest.hash, entry.path, entry.sha256)


def display_name_for(manifest: ExportManifest, entry: ManifestFile) -> str:
    """What the provider's console shows: task, split and a short manifest hash."""
    return f"curator {entry.task} {entry.split} {manifest.hash[:12]}"
