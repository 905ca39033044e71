"""Running :func:`call_rows` over batches of lines, in worker processes when it pays.

Parsing and the call rules are CPU-bound Python, so a large corpus is spread over the machine's
cores; the parent only reads files and writes SQLite. Workers are *spawned* (not forked) because
the review app calls this from a thread, and forking a threaded process can deadlock. Results
come back in submission order, with a bounded number in flight so memory stays flat.
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from multiprocessing import get_context
from typing import Any

from core.check.call_rows import CallRow, RawLine, call_rows
from core.config import CuratorConfig

PARALLEL_MIN_BYTES = 32 << 20  # below this, starting workers costs more than it saves
BATCH_BYTES = 1 << 20
BATCH_LINES = 2000

Batch = tuple[list[RawLine], str, str]  # (lines, file name, relpath)
BatchResult = tuple[list[CallRow], list[tuple[int, str]]]

_worker_config: CuratorConfig | None = None


def batches(lines: Iterable[RawLine]) -> Iterator[list[RawLine]]:
    """Group lines into batches of about BATCH_BYTES (or BATCH_LINES lines)."""
    batch: list[RawLine] = []
    size = 0
    for item in lines:
        batch.append(item)
        size += len(item[2])
        if size >= BATCH_BYTES or len(batch) >= BATCH_LINES:
            yield batch
            batch, size = [], 0
    if batch:
        yield batch


class RowMaker:
    """Turns batches into rows, in process or over a pool of spawned workers."""

    def __init__(self, config: CuratorConfig, total_bytes: int) -> None:
        self.config = config
        workers = min(os.cpu_count() or 1, 8)
        self._pool: ProcessPoolExecutor | None = None
        if workers > 1 and total_bytes >= PARALLEL_MIN_BYTES:
            self._pool = ProcessPoolExecutor(
                max_workers=workers,
                mp_context=get_context("spawn"),
                initializer=_init_worker,
                initargs=(config.model_dump(mode="json"),),
            )
            self._in_flight = workers * 2

    def map(self, work: Iterable[Batch]) -> Iterator[BatchResult]:
        """Results for each batch, in order."""
        if self._pool is None:
            for lines, file_name, relpath in work:
                yield call_rows(lines, file_name, relpath, self.config)
            return
        pending: deque[Future[BatchResult]] = deque()
        for batch in work:
            pending.append(self._pool.submit(_run_batch, batch))
            if len(pending) >= self._in_flight:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)

    def __enter__(self) -> RowMaker:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()


def _init_worker(config: dict[str, Any]) -> None:
    global _worker_config
    _worker_config = CuratorConfig.model_validate(config)


def _run_batch(batch: Batch) -> BatchResult:
    lines, file_name, relpath = batch
    assert _worker_config is not None
    return call_rows(lines, file_name, relpath, _worker_config)
