"""Writing an export folder atomically: a temp folder beside it, fsynced, then swapped in.

On Linux an existing export and the new one trade places in one ``renameat2(RENAME_EXCHANGE)``
call, so at every instant the output path holds either the whole old set or the whole new one,
even under ``kill -9``; the old set, now in the temp folder, is then deleted. Where the kernel
or the filesystem lacks the exchange, the old export is renamed aside and the new one renamed
in (two renames: a kill between them leaves the old set aside, put back by the next export).
Temp and aside folders carry the writer's pid; every export sweeps the ones of dead writers
from the output's parent folder before it starts.
"""

from __future__ import annotations

import ctypes
import errno
import hashlib
import os
import re
import secrets
import shutil
import sys
from pathlib import Path
from types import TracebackType
from typing import Any

from core.export.manifest import read_manifest
from core.export.model import ExportError

TEMP_TAG = "tmp"
ASIDE_TAG = "old"
_LEFTOVER = re.compile(r"\.(?P<name>.+)\.(?P<tag>tmp|old)-(?P<pid>\d+)-[0-9a-f]+")
_AT_FDCWD = -100  # RENAME_EXCHANGE (2) is passed inline: the flag renameat2 takes


def _load_renameat2() -> Any:
    if sys.platform != "linux":
        return None
    try:
        function = ctypes.CDLL(None, use_errno=True).renameat2  # glibc 2.28 and later
    except (OSError, AttributeError):
        return None
    function.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p]
    function.argtypes += [ctypes.c_uint]
    function.restype = ctypes.c_int
    return function


_renameat2 = _load_renameat2()


class HashingFile:
    """A binary file written line by line, counting lines and bytes and hashing as it goes."""

    def __init__(self, path: Path) -> None:
        self._handle = path.open("wb")
        self._sha256 = hashlib.sha256()
        self.bytes = 0
        self.lines = 0

    def write_line(self, line: bytes) -> None:
        self._handle.write(line)
        self._sha256.update(line)
        self.bytes += len(line)
        self.lines += 1

    @property
    def sha256(self) -> str:
        return self._sha256.hexdigest()

    def close(self) -> None:
        """Flush to disk (fsync) and close; idempotent."""
        if not self._handle.closed:
            self._handle.flush()
            os.fsync(self._handle.fileno())
            self._handle.close()


class AtomicFolder:
    """A context manager staging a folder's new content; ``commit()`` swaps it into place.

    Leaving the block without committing (an error, a cancel) deletes the staging folder and
    leaves the target as it was.
    """

    def __init__(self, target: Path) -> None:
        self.target = target
        self.path = target  # the staging folder once entered
        self._committed = False

    def __enter__(self) -> AtomicFolder:
        parent = self.target.parent
        parent.mkdir(parents=True, exist_ok=True)
        recover_interrupted(self.target)
        self.path = parent / _sibling_name(self.target, TEMP_TAG)
        self.path.mkdir()
        return self

    def commit(self) -> None:
        """fsync every staged folder, then rename the staging folder onto the target."""
        for folder, _dirs, _files in os.walk(self.path):
            _fsync_dir(Path(folder))
        if self.target.exists() and exchange(self.path, self.target):
            self._committed = True  # the old set now sits in the temp folder
            _fsync_dir(self.target.parent)
            shutil.rmtree(self.path, ignore_errors=True)
            return
        aside: Path | None = None
        if self.target.exists():
            aside = self.target.parent / _sibling_name(self.target, ASIDE_TAG)
            os.rename(self.target, aside)
        try:
            os.rename(self.path, self.target)
        except BaseException:
            if aside is not None:
                os.rename(aside, self.target)
            raise
        self._committed = True
        _fsync_dir(self.target.parent)
        if aside is not None:
            shutil.rmtree(aside, ignore_errors=True)

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if not self._committed:
            shutil.rmtree(self.path, ignore_errors=True)


def recover_interrupted(target: Path) -> None:
    """Clean up after killed writers in ``target``'s folder: drop their temp folders (of any
    export there), and put an old export back when a swap was cut between its two renames."""
    for path in sorted(target.parent.glob(".*")):
        match = _LEFTOVER.fullmatch(path.name)
        if match is None or _alive(int(match["pid"])) or not path.is_dir():
            continue
        owner = target.parent / match["name"]
        if match["tag"] == ASIDE_TAG and not owner.exists():
            os.rename(path, owner)
        else:
            shutil.rmtree(path, ignore_errors=True)


def exchange(first: Path, second: Path) -> bool:
    """Swap two existing paths in one atomic step; False where the system cannot."""
    if _renameat2 is None:
        return False
    result = _renameat2(_AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), 2)
    if result == 0:
        return True
    error = ctypes.get_errno()
    if error in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):  # old kernel, or e.g. NFS
        return False
    raise OSError(error, os.strerror(error), str(second))


def check_target(
    target: Path, corpus_roots: list[Path], *, manifest_folder: Path | None = None
) -> None:
    """Refuse an output folder that is not safe to replace; ``target`` must be resolved.

    ``manifest_folder`` is where the export's manifest lives when not in ``target`` (the
    provider layout keeps it in a sibling folder, see ``core.export.layout``).
    """
    if target.exists() and not target.is_dir():
        raise ExportError(f"{target}: exists and is not a folder")
    for root in corpus_roots:
        root = root.resolve()
        if root == target or target in root.parents:
            raise ExportError(f"{target}: holds the corpus ({root}); choose another folder")
        if root.is_dir() and root in target.parents:
            raise ExportError(
                f"{target}: inside the corpus folder {root}; the next check would read the"
                " export as traces"
            )
    if target.is_dir() and any(target.iterdir()) and not is_export(manifest_folder or target):
        raise ExportError(
            f"{target}: a folder that is not an export (no export manifest.json);"
            " choose a new or empty folder"
        )


def is_export(folder: Path) -> bool:
    """True when ``folder`` holds a manifest written by an export (not any manifest.json)."""
    manifest = read_manifest(folder)
    return manifest is not None and {"version", "hash", "files"} <= manifest.keys()


def _sibling_name(target: Path, tag: str) -> str:
    return f".{target.name}.{tag}-{os.getpid()}-{secrets.token_hex(4)}"


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
