"""A full disk or a read-only folder, said in one line: what filled, where, and what is intact.

SQLite rolls a transaction back when it cannot write (``database or disk is full``, ``attempt
to write a readonly database``), and user files are written through a temp file then renamed,
so such a failure leaves the workspace and earlier files as they were. What is left is to tell
the user in one line instead of a traceback; both faces call :func:`describe_write_failure`.
"""

from __future__ import annotations

import errno
import sqlite3
from pathlib import Path

_FULL_ERRNOS = {errno.ENOSPC, errno.EDQUOT}
_READ_ONLY_ERRNOS = {errno.EROFS, errno.EACCES, errno.EPERM}
_SQLITE_FULL = {sqlite3.SQLITE_FULL}
_SQLITE_READ_ONLY = {sqlite3.SQLITE_READONLY, sqlite3.SQLITE_CANTOPEN}
_SQLITE_IO = {sqlite3.SQLITE_IOERR}


def describe_write_failure(
    exc: BaseException, database: Path | None, target: Path | None = None
) -> str | None:
    """One line for a write that failed for lack of space or permission, else None.

    Args:
        exc: the exception a write raised (``OSError`` or ``sqlite3.Error``).
        database: the workspace database the command was using, to name it.
        target: the file or folder the command writes (``--out``), named when the error
            does not say which file it was writing.
    """
    if isinstance(exc, sqlite3.Error):
        return _sqlite_line(exc, database)
    if isinstance(exc, OSError) and exc.errno is not None:
        where = exc.filename or target or "a write"
        if exc.errno in _FULL_ERRNOS:
            return (
                f"{where}: disk full ({exc.strerror}): nothing was replaced and no temp file"
                " left; free some space and run the command again"
            )
        if exc.errno == errno.EROFS:
            return f"{where}: read-only file system: nothing was written; write somewhere else"
        if exc.errno in _READ_ONLY_ERRNOS and exc.filename:
            return f"{where}: {exc.strerror}: nothing was written"
    return None


def _sqlite_line(exc: sqlite3.Error, database: Path | None) -> str | None:
    code = getattr(exc, "sqlite_errorcode", None)
    primary = None if code is None else code & 0xFF
    where = database or "the workspace database"
    if primary in _SQLITE_FULL or "database or disk is full" in str(exc):
        return (
            f"{where}: disk full: the workspace store could not grow; its last committed state"
            " (index, decisions, exports) is intact. Free some space on that disk (or choose"
            " another --workspace) and run the command again"
        )
    if primary in _SQLITE_READ_ONLY or "readonly database" in str(exc):
        return (
            f"{where}: the workspace is read-only here: commands that only read work; "
            "this one writes. Make it writable or choose another --workspace"
        )
    if primary in _SQLITE_IO:
        return f"{where}: the disk failed a write ({exc}); the last committed state is intact"
    return None
