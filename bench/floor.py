"""The benchmark's floor: read every line of the corpus files and parse it with orjson.

    python bench/floor.py FILE... → one JSON line: {"bytes", "lines", "calls", "unparsed"}

Nothing else happens to a line, so no checker can read and parse a corpus faster than this in
Python. ``.gz`` files are decompressed with the stdlib, as the checker does; ``bytes`` counts
uncompressed bytes. ``calls`` counts the parsed lines of files other than ``runs.jsonl``.
"""

from __future__ import annotations

import gzip
import sys
from pathlib import Path
from typing import BinaryIO

import orjson


def open_corpus_file(path: Path) -> BinaryIO:
    """Open a corpus file for reading bytes, decompressing ``.gz``."""
    if path.name.endswith(".gz"):
        return gzip.open(path, "rb")  # type: ignore[return-value]
    return path.open("rb", buffering=1 << 20)


def is_summary_file(path: Path) -> bool:
    return path.name in ("runs.jsonl", "runs.jsonl.gz")


def read_and_parse(path: Path) -> tuple[int, int, int]:
    """(bytes, parsed lines, unparsed lines) of one file; blank lines count as unparsed."""
    size = parsed = unparsed = 0
    loads, error = orjson.loads, orjson.JSONDecodeError
    with open_corpus_file(path) as handle:
        for line in handle:
            size += len(line)
            try:
                loads(line)
            except error:
                unparsed += 1
                continue
            parsed += 1
    return size, parsed, unparsed


def floor(paths: list[Path]) -> dict[str, int]:
    """Totals over ``paths``, read in the order given."""
    totals = {"bytes": 0, "lines": 0, "calls": 0, "unparsed": 0}
    for path in paths:
        size, parsed, unparsed = read_and_parse(path)
        totals["bytes"] += size
        totals["lines"] += parsed
        totals["unparsed"] += unparsed
        if not is_summary_file(path):
            totals["calls"] += parsed
    return totals


def main(argv: list[str]) -> int:
    if not argv:
        print("usage: floor.py FILE...", file=sys.stderr)
        return 2
    sys.stdout.buffer.write(orjson.dumps(floor([Path(a) for a in argv])) + b"\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
