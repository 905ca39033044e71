"""Trajectory steps: ``dup.prefix`` and the runs of unkeyed trajectories.

A line whose messages (with the same ``tools``) are a prefix of another line's is a step of that
line's trajectory: the index keeps, per line, the trace ids its earlier steps would have
(``call_prefixes``), so finding the steps is a join on ids, never a comparison of lines.
Each step gets a ``dup.prefix`` finding naming its longest extension. Unkeyed lines (no run key)
joined by such steps form one run, named after the longest of them (the most steps, then the
first in corpus order); keyed lines keep their runs.

Lines with ``weight`` keys also have a chain, the same ids computed without the weights
(``call_chain_ids``, ``call_chain_steps``): a per-step training set whose earlier turns are at
weight 0 is one trajectory, but each of its lines trains on a turn the longer ones do not, so
such steps join the trajectory's run without a ``dup.prefix`` finding.

Recomputed from the index on every evaluation, with what the last one did kept in
``trajectory_calls``: so a re-check after a file changed undoes chains it broke.
"""

from __future__ import annotations

import sqlite3

import orjson

from core.models import Severity

PREFIX_RULE = "dup.prefix"

# Every (step, longer line) pair: the step found by an id the longer line's step rows name,
# the longer line by the file and line of those rows. The exact pairs (call_prefixes against
# trace ids) are dup.prefix; pairs through a chain (ids without weights) only join.
_LONGER = """
SELECT s.id, s.bare, l.id, l.bare, l.trace_id, l.file_id, f.path, f.relpath, l.line
FROM {steps} p
{step}
JOIN calls l ON l.file_id = p.file_id AND l.line = p.line
JOIN files f ON f.id = l.file_id
WHERE s.id != l.id
"""
_BY_TRACE = "JOIN calls s ON s.trace_id = p.prefix_id"
_BY_CHAIN = (
    "JOIN call_chain_ids w ON w.chain_id = p.prefix_id"
    " JOIN calls s ON s.file_id = w.file_id AND s.line = w.line"
)
# (step rows, how the step is found), the exact variant first
_VARIANTS = (
    ("call_prefixes", _BY_TRACE),
    ("call_prefixes", _BY_CHAIN),
    ("call_chain_steps", _BY_TRACE),
    ("call_chain_steps", _BY_CHAIN),
)
# Runs a step ties together: a line of one run that starts a line of another (keyed steps
# logged under different keys; unkeyed ones were chained into one run already).
_RUN_PAIRS = """
SELECT DISTINCT s.run_id, l.run_id FROM {steps} p
{step}
JOIN calls l ON l.file_id = p.file_id AND l.line = p.line
WHERE s.run_id != l.run_id
"""
_STEP_COUNTS = "SELECT file_id, line, COUNT(*) FROM call_prefixes GROUP BY file_id, line"
_OWN_RUN = """
UPDATE calls SET run_id = (SELECT f.relpath || '#' || calls.line FROM files f
                           WHERE f.id = calls.file_id)
WHERE id = ? AND bare
"""

Line = tuple[int, str, str, int, str]  # (call id, path, relpath, line, trace id)
Ranked = tuple[tuple[int, str, int], Line]  # (-steps, path, line): smallest is the longest


def update_trajectories(conn: sqlite3.Connection, severity: Severity) -> None:
    """Chain unkeyed trajectories into runs and fill ``temp.prefix_steps`` with the
    ``dup.prefix`` finding of every step; inside the caller's transaction.

    Every call the last evaluation or this one touched is added to ``temp.touched``, whose
    verdicts the caller recomputes.
    """
    conn.execute(
        "CREATE TEMP TABLE IF NOT EXISTS prefix_steps"
        " (call_id INTEGER PRIMARY KEY, finding TEXT NOT NULL)"
    )
    conn.execute("DELETE FROM temp.prefix_steps")
    # How many earlier steps each longer line has: the longest of a trajectory has the most.
    counts = {(f, line): n for f, line, n in conn.execute(_STEP_COUNTS)}
    longest: dict[int, Ranked] = {}  # step -> its longest extension
    parent: dict[int, int] = {}  # union-find over unkeyed lines
    rank_of: dict[int, Ranked] = {}
    for variant, (steps, step) in enumerate(_VARIANTS):
        exact = variant == 0  # a step the longer line trains on as it is: dup.prefix
        for row in conn.execute(_LONGER.format(steps=steps, step=step)):
            found, found_bare, longer, longer_bare, trace, file_id, path, relpath, line = row
            rank = (-counts.get((file_id, line), 0), path, line)
            entry = (rank, (longer, path, relpath, line, trace))
            if exact and (found not in longest or rank < longest[found][0]):
                longest[found] = entry
            if found_bare and longer_bare:
                rank_of[longer] = entry
                _union(parent, found, longer)
    chained = _chained_runs(parent, rank_of)
    old = {
        call: run for call, run in conn.execute("SELECT call_id, chained_run FROM trajectory_calls")
    }
    conn.executemany(
        _OWN_RUN, [(call,) for call, run in old.items() if run and call not in chained]
    )
    conn.executemany(
        "UPDATE calls SET run_id = ? WHERE id = ? AND run_id != ?",
        [(run, call, run) for call, run in chained.items()],
    )
    conn.execute("DELETE FROM trajectory_calls")
    conn.executemany(
        "INSERT INTO trajectory_calls (call_id, longer_id, chained_run) VALUES (?,?,?)",
        [
            (call, longest[call][1][0] if call in longest else None, chained.get(call))
            for call in longest.keys() | chained.keys()
        ],
    )
    if severity != Severity.OFF:
        conn.executemany(
            "INSERT INTO temp.prefix_steps VALUES (?,?)",
            [(call, _finding(severity, extension)) for call, (_rank, extension) in longest.items()],
        )
    conn.executemany(
        "INSERT OR IGNORE INTO temp.touched (id) VALUES (?)",
        [(call,) for call in old.keys() | longest.keys() | chained.keys()],
    )


def step_run_pairs(conn: sqlite3.Connection) -> list[tuple[str, str]]:
    """(run of a step, run of a longer line it starts) for every step whose longer line is in
    another run: what the export joins so that a trajectory stays on one side of the split."""
    pairs: set[tuple[str, str]] = set()
    for steps, step in _VARIANTS:
        query = _RUN_PAIRS.format(steps=steps, step=step)
        pairs.update((short, long) for short, long in conn.execute(query))
    return sorted(pairs)


def _chained_runs(parent: dict[int, int], rank_of: dict[int, Ranked]) -> dict[int, str]:
    """Each unkeyed call of a trajectory -> its run: the longest line's ``relpath#line``."""
    members: dict[int, list[int]] = {}
    for call in parent:
        members.setdefault(_find(parent, call), []).append(call)
    chained: dict[int, str] = {}
    for calls in members.values():
        ranked = [rank_of[call] for call in calls if call in rank_of]
        _rank, (head, _path, relpath, line, _trace) = min(ranked)
        run = f"{relpath}#{line}"
        for call in calls:
            if call != head:
                chained[call] = run
    return chained


def _finding(severity: Severity, extension: Line) -> str:
    _call, _path, relpath, line, trace = extension
    message = f"a step of the longer trajectory {trace} ({relpath}:{line})"
    return orjson.dumps(
        {"rule": PREFIX_RULE, "severity": severity.value, "message": message}
    ).decode()


def _find(parent: dict[int, int], call: int) -> int:
    root = call
    while parent[root] != root:
        root = parent[root]
    while parent[call] != root:
        parent[call], call = root, parent[call]
    return root


def _union(parent: dict[int, int], a: int, b: int) -> None:
    parent.setdefault(a, a)
    parent.setdefault(b, b)
    root_a, root_b = _find(parent, a), _find(parent, b)
    if root_a != root_b:
        parent[root_a] = root_b
