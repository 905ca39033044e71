"""Running :func:`chunk_rows` over the chunks of a corpus, in worker processes when it pays.

Parsing and the call rules are CPU-bound Python, so a large corpus is spread over the machine's
cores; each worker reads its own chunks of plain files, so the parent only plans chunks, writes
SQLite and decompresses gzip streams. Workers are forked when the parent has a single thread
(the CLI): they start at once with the rules already imported. They are *spawned* otherwise,
because the review app calls this from a thread, and forking a threaded process can deadlock.
Results come back in submission order, with a bounded number in flight so memory stays flat.
Workers die with the process that started them (``PR_SET_PDEATHSIG`` on Linux), so a killed
check leaves no idle worker behind.
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys
import threading
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from multiprocessing import get_context
from typing import Any

from core.check.call_rows import chunk_rows
from core.check.chunks import Chunk, ChunkRows
from core.check_settings import CheckSettings

# Below this many bytes to index, starting spawned workers (~0.15 s of CPU each, to import the
# rules) costs more than they save; forked ones start almost free, and pay from an eighth of it
# (two chunks). Measured on a 2-core machine (bench/RESULTS.md).
PARALLEL_MIN_BYTES = 64 << 20
FORKED_SHARE = 8
MAX_WORKERS = 8

_PR_SET_PDEATHSIG = 1
_worker_config: CheckSettings | None = None


def usable_cpus() -> int:
    """The CPUs this process may run on (its affinity), not the machine's count."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def start_method() -> str:
    """``fork`` when it is safe (Linux, one thread in this process), else ``spawn``."""
    if sys.platform == "linux" and threading.active_count() == 1:
        return "fork"
    return "spawn"


class RowMaker:
    """Turns chunks into rows, in process or over a pool of spawned workers."""

    def __init__(self, config: CheckSettings, total_bytes: int) -> None:
        self.config = config
        workers = min(usable_cpus(), MAX_WORKERS)
        self._pool: ProcessPoolExecutor | None = None
        self._in_flight = 1
        method = start_method()
        min_bytes = PARALLEL_MIN_BYTES // (FORKED_SHARE if method == "fork" else 1)
        if workers > 1 and total_bytes >= min_bytes:
            self._pool = ProcessPoolExecutor(
                max_workers=workers,
                mp_context=get_context(method),
                initializer=_init_worker,
                initargs=(_checking_part(config), os.getpid()),
            )
            self._in_flight = workers * 2

    @property
    def parallel(self) -> bool:
        return self._pool is not None

    def map(self, chunks: Iterable[Chunk]) -> Iterator[tuple[Chunk, ChunkRows]]:
        """Each chunk with its rows, in order."""
        if self._pool is None:
            for chunk in chunks:
                yield chunk, chunk_rows(chunk, self.config)
            return
        pending: deque[tuple[Chunk, Future[ChunkRows]]] = deque()
        for chunk in chunks:
            pending.append((chunk, self._pool.submit(_run_chunk, chunk)))
            if len(pending) >= self._in_flight:
                done, future = pending.popleft()
                yield done, future.result()
        while pending:
            done, future = pending.popleft()
            yield done, future.result()

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)

    def __enter__(self) -> RowMaker:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()


def _checking_part(config: CheckSettings) -> dict[str, Any]:
    """The checking sections of ``config`` as JSON; a full config's provider and eval
    sections stay in this process (workers only check, and never see keys)."""
    return config.model_dump(mode="json", include=set(CheckSettings.model_fields))


def _init_worker(config: dict[str, Any], parent_pid: int) -> None:
    global _worker_config
    die_with_parent(parent_pid)
    _worker_config = CheckSettings.model_validate(config)


def die_with_parent(parent_pid: int) -> None:
    """Have the kernel SIGKILL this process when its parent dies (Linux; elsewhere a no-op).

    The signal is tied to the thread that started the pool, which lives as long as the pool
    (:class:`RowMaker` is used within one call). A parent that died before the request was
    made is caught by comparing the parent pid.
    """
    if sys.platform != "linux":
        return
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):
        return
    if os.getppid() != parent_pid:
        os._exit(1)


def _run_chunk(chunk: Chunk) -> ChunkRows:
    assert _worker_config is not None
    return chunk_rows(chunk, _worker_config)
