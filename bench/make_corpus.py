"""Write a large, realistic, deterministic trace corpus for the ``curator check`` benchmark.

    python bench/make_corpus.py --out /tmp/corpus --size 100MB [--seed 7] [--part-size 50MB]

Runs of planning → extraction rounds → enrichment rounds, as the agent logs them: one JSONL
file stream per task, split every ``--part-size`` bytes (``extraction-001.jsonl``, ...), plus
``extraction-late.jsonl.gz`` (every 12th run's extraction calls, gzipped) and ``runs.jsonl``
(one summary per run; a few runs have none). ``planning-001.jsonl`` starts with a UTF-8 BOM and
uses CRLF endings, and a few malformed and blank lines are planted, as real logs have them.

Sizes count uncompressed bytes; ``KB``/``MB``/``GB`` are binary (KiB, MiB, GiB). The same seed
and size give byte-identical files.
"""

from __future__ import annotations

import argparse
import gzip
import random
import sys
import time
from pathlib import Path
from typing import BinaryIO

import orjson
from corpus_runs import build_run
from corpus_text import TextPool

UNITS = {"": 1, "B": 1, "K": 1 << 10, "M": 1 << 20, "G": 1 << 30}
DEFAULT_PART_SIZE = 50 << 20
MALFORMED_EVERY = 20_000  # lines between planted malformed lines, per stream
MALFORMED_LINES = (
    b'{"messages": [{"role": "user", "content": "truncated by a crash',
    b'["not", "an", "object"]',
    b'{"metadata": {"run_id": "r-lost"}}',
    b'{"messages": [], "metadata": {"note": "invalid utf-8 \xff\xfe here"}}',
)


def parse_size(text: str) -> int:
    """Bytes from ``512KB``, ``100MB``, ``1GB``, ``1.5G`` or a plain number (binary units)."""
    cleaned = text.strip().upper().removesuffix("IB").removesuffix("B")
    unit = cleaned[-1:] if cleaned[-1:] in UNITS and not cleaned[-1:].isdigit() else ""
    number = cleaned[: len(cleaned) - len(unit)] if unit else cleaned
    try:
        value = float(number) * UNITS[unit]
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a size: {text!r} (try 100MB)") from None
    if value <= 0:
        raise argparse.ArgumentTypeError(f"size must be positive: {text!r}")
    return int(value)


class Stream:
    """One logical JSONL file stream, rotated into numbered parts of about ``part_size``."""

    def __init__(
        self, folder: Path, stem: str, part_size: int | None, *, gz: bool = False, crlf=False
    ) -> None:
        self.folder, self.stem, self.part_size = folder, stem, part_size
        self.gz, self.crlf = gz, crlf
        self.part = 0
        self.part_bytes = 0
        self.lines = 0
        self.handle: BinaryIO | gzip.GzipFile | None = None
        self.raw: BinaryIO
        self.paths: list[Path] = []

    def write(self, line: bytes) -> int:
        """Write one line (no ending); return the uncompressed bytes written."""
        if self.handle is None or (self.part_size and self.part_bytes >= self.part_size):
            self._next_part()
        assert self.handle is not None
        data = line + (b"\r\n" if self.crlf else b"\n")
        if self.part == 1 and self.part_bytes == 0 and self.crlf:
            data = b"\xef\xbb\xbf" + data
        self.lines += 1
        if self.lines % MALFORMED_EVERY == 17:
            data += MALFORMED_LINES[(self.lines // MALFORMED_EVERY) % len(MALFORMED_LINES)]
            data += b"\n\n"  # and a blank line after it
        self.handle.write(data)
        self.part_bytes += len(data)
        return len(data)

    def _next_part(self) -> None:
        self.close()
        self.part += 1
        self.part_bytes = 0
        name = f"{self.stem}-{self.part:03d}.jsonl" if self.part_size else f"{self.stem}.jsonl"
        path = self.folder / (name + (".gz" if self.gz else ""))
        self.paths.append(path)
        self.raw = path.open("wb", buffering=1 << 20)
        self.handle = self.raw
        if self.gz:  # mtime=0 and no name in the header, so the bytes are reproducible
            self.handle = gzip.GzipFile("", "wb", compresslevel=6, fileobj=self.raw, mtime=0)

    def close(self) -> None:
        if self.handle is not None:
            self.handle.close()
            self.raw.close()
            self.handle = None


class CorpusWriter:
    """Routes each record to its stream and counts the uncompressed bytes written."""

    def __init__(self, folder: Path, part_size: int) -> None:
        self.streams = {
            "planning": Stream(folder, "planning", part_size, crlf=True),
            "extraction": Stream(folder, "extraction", part_size),
            "extraction-late": Stream(folder, "extraction-late", None, gz=True),
            "enrichment": Stream(folder, "enrichment", part_size),
            "runs": Stream(folder, "runs", None),
        }
        self.bytes_written = 0
        self.calls = 0

    def write(self, stream: str, record: dict, *, repeat: bool = False) -> None:
        line = orjson.dumps(record)
        for _ in range(2 if repeat else 1):
            self.bytes_written += self.streams[stream].write(line)
            self.calls += stream != "runs"

    def close(self) -> list[Path]:
        for stream in self.streams.values():
            stream.close()
        return sorted(path for stream in self.streams.values() for path in stream.paths)


def write_corpus(folder: Path, size: int, *, seed: int = 7, part_size: int = 0) -> dict:
    """Write runs into ``folder`` until ``size`` uncompressed bytes; return what was written."""
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    pool = TextPool(rng)
    writer = CorpusWriter(folder, part_size or DEFAULT_PART_SIZE)
    runs = 0
    try:
        while writer.bytes_written < size:
            trace = build_run(rng, pool, runs + 1)
            for call in trace.calls:
                writer.write(call.stream, call.record, repeat=call.repeat)
            if trace.summary is not None:
                writer.write("runs", trace.summary)
            runs += 1
    finally:
        paths = writer.close()
    return {"runs": runs, "calls": writer.calls, "bytes": writer.bytes_written, "files": paths}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, required=True, help="folder to write into")
    parser.add_argument("--size", type=parse_size, default="100MB", help="e.g. 5MB, 1GB")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--part-size", type=parse_size, default=DEFAULT_PART_SIZE)
    args = parser.parse_args(argv)
    if args.out.exists() and any(args.out.iterdir()):
        parser.error(f"{args.out} is not empty; the corpus needs a fresh folder")
    start = time.perf_counter()
    written = write_corpus(args.out, args.size, seed=args.seed, part_size=args.part_size)
    seconds = time.perf_counter() - start
    mib = written["bytes"] / (1 << 20)
    print(
        f"{written['calls']} calls in {written['runs']} runs, {len(written['files'])} files,"
        f" {mib:.1f} MiB in {seconds:.1f} s ({mib / seconds:.0f} MiB/s) → {args.out}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
