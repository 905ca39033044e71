"""The review app's query engine: which calls a filter selects, in what order, and facet counts.

A filter change materializes the matching call ids once (an ``array`` of 8-byte ints, ~0.8 MB
for 100 000 calls); the calls list then fetches only the rows it shows, by id. Facets combine
as AND across facets and OR within one; a facet's counts apply every other facet's filter, so
they say what clicking a value would give.
"""

from __future__ import annotations

import sqlite3
from array import array
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Literal

import orjson

from core.review.listing import REVIEW_STATE_JOINS
from core.review.search import fts_query, search_status

Facet = Literal["task", "kind", "verdict", "rule", "decision", "model", "file"]
FACETS: tuple[Facet, ...] = ("task", "kind", "verdict", "rule", "decision", "model", "file")
UNDECIDED = "undecided"
NO_MODEL = "(none)"


def _decided(kind: str, decision: str) -> str:
    return (
        f"(SELECT target FROM review_state WHERE target_kind = '{kind}'"
        f" AND field = 'decision' AND json_extract(value, '$.decision') = '{decision}')"
    )


# A call's effective decision: its own, else its run's, else undecided. The IN subqueries are
# uncorrelated, so SQLite builds each set once per query instead of probing per call.
DECISION_SQL = f"""(CASE
 WHEN c.trace_id IN {_decided("call", "accept")} THEN 'accept'
 WHEN c.trace_id IN {_decided("call", "reject")} THEN 'reject'
 WHEN c.run_id IN {_decided("run", "accept")} THEN 'accept'
 WHEN c.run_id IN {_decided("run", "reject")} THEN 'reject'
 ELSE 'undecided' END)"""

_FACET_SQL: dict[Facet, str] = {
    "task": "c.task",
    "kind": "c.kind",
    "verdict": "c.verdict",
    "decision": DECISION_SQL,
    "model": f"COALESCE(c.model, '{NO_MODEL}')",
    "file": "f.path",
}

SORT_SQL: dict[str, tuple[str, ...]] = {
    "corpus": ("f.path", "c.line"),
    "decision": (DECISION_SQL,),
    "verdict": ("c.verdict",),
    "task": ("c.task",),
    "kind": ("c.kind",),
    "run": ("c.run_id", "c.seq", "c.round"),
    "seq": ("c.seq", "c.round"),
    "chars": ("c.context_chars",),
    "rule": ("c.first_rule",),
    "preview": ("c.preview",),
    "model": ("c.model",),
}
"""Sort keys by name; ties always break by corpus order."""


@dataclass(frozen=True, slots=True)
class CallFilter:
    """Which calls to show. Empty sets mean "any"; ``text`` is a full-text search."""

    tasks: frozenset[str] = frozenset()
    kinds: frozenset[str] = frozenset()
    verdicts: frozenset[str] = frozenset()
    rules: frozenset[str] = frozenset()
    decisions: frozenset[str] = frozenset()
    models: frozenset[str] = frozenset()
    files: frozenset[str] = frozenset()
    run_id: str | None = None
    text: str = ""

    def values(self, facet: Facet) -> frozenset[str]:
        """The values chosen for one facet."""
        return getattr(self, _FIELD[facet])

    def with_values(self, facet: Facet, values: frozenset[str]) -> CallFilter:
        """This filter with one facet's values replaced."""
        return replace(self, **{_FIELD[facet]: frozenset(values)})

    def toggled(self, facet: Facet, value: str) -> CallFilter:
        """This filter with one facet value added or removed."""
        return self.with_values(facet, self.values(facet) ^ {value})

    @property
    def is_empty(self) -> bool:
        return self == CallFilter()

    def describe(self) -> str:
        """A short human description, e.g. ``task=extraction verdict=fail "acme"``."""
        parts = [
            f"{facet}={','.join(sorted(self.values(facet)))}"
            for facet in FACETS
            if self.values(facet)
        ]
        if self.run_id:
            parts.append(f"run={self.run_id}")
        if self.text.strip():
            parts.append(f'"{self.text.strip()}"')
        return " ".join(parts)


_FIELD: dict[Facet, str] = {
    "task": "tasks",
    "kind": "kinds",
    "verdict": "verdicts",
    "rule": "rules",
    "decision": "decisions",
    "model": "models",
    "file": "files",
}


@dataclass(frozen=True, slots=True)
class CallSort:
    """An order for the calls list: a :data:`SORT_SQL` key and a direction."""

    column: str = "corpus"
    descending: bool = False


@dataclass(frozen=True, slots=True)
class CallRow:
    """What one line of the calls list shows."""

    call_id: int
    trace_id: str
    task: str
    run_id: str
    seq: int | None
    round: int | None
    model: str | None
    context_chars: int
    preview: str
    verdict: str
    first_rule: str | None
    file: str
    line: int
    decision: str | None
    decided_on: str | None  # "call" or "run"
    repaired: bool
    has_note: bool
    tags: tuple[str, ...] = field(default=())
    kind: str = "text"


@dataclass(frozen=True, slots=True)
class FacetValue:
    """One value of a facet with how many calls it would select; ``label`` is for display."""

    value: str
    label: str
    count: int


def _where(
    conn: sqlite3.Connection, call_filter: CallFilter, skip: Facet | None = None
) -> tuple[str, list[object]]:
    clauses: list[str] = []
    params: list[object] = []
    for facet in FACETS:
        values = call_filter.values(facet)
        if facet == skip or not values:
            continue
        marks = ",".join("?" * len(values))
        if facet == "decision" and not _any_decision(conn):
            # Nothing decided yet (the usual start): every call is undecided.
            clauses.append("1" if UNDECIDED in values else "0")
            continue
        if facet == "rule":
            clauses.append(
                "EXISTS (SELECT 1 FROM call_rules r"
                f" WHERE r.call_id = c.id AND r.rule IN ({marks}))"
            )
        else:
            clauses.append(f"{_FACET_SQL[facet]} IN ({marks})")
        params.extend(sorted(values))
    if call_filter.run_id is not None:
        clauses.append("c.run_id = ?")
        params.append(call_filter.run_id)
    text = call_filter.text.strip()
    if text:
        clause, text_params = _text_clause(conn, text)
        clauses.append(clause)
        params.extend(text_params)
    return (" WHERE " + " AND ".join(clauses)) if clauses else "", params


def _any_decision(conn: sqlite3.Connection) -> bool:
    row = conn.execute("SELECT 1 FROM review_state WHERE field = 'decision' LIMIT 1").fetchone()
    return row is not None


def _text_clause(conn: sqlite3.Connection, text: str) -> tuple[str, list[object]]:
    """Full-text match, or an id; calls not yet in the search index match on their preview."""
    like = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    options: list[str] = []
    params: list[object] = []
    if " " not in text:  # a single token may be a run id or a trace id prefix
        options.append("c.run_id = ?")
        params.append(text)
        if len(text) >= 6 and all(ch in "0123456789abcdef" for ch in text.lower()):
            options.append("(c.trace_id >= ? AND c.trace_id < ?)")
            params.extend([text.lower(), text.lower() + "\uffff"])
    query = fts_query(text)
    if query:
        options.append(
            "c.id IN (SELECT d.call_id FROM call_text t JOIN search_docs d ON d.doc_id = t.rowid"
            " WHERE call_text MATCH ?)"
        )
        params.append(query)
    if not search_status(conn).ready:
        options.append(
            "(c.preview LIKE ? ESCAPE '\\'"
            " AND NOT EXISTS (SELECT 1 FROM search_docs d WHERE d.call_id = c.id))"
        )
        params.append(like)
    return "(" + (" OR ".join(options) or "0") + ")", params


def select_call_ids(
    conn: sqlite3.Connection, call_filter: CallFilter, sort: CallSort | None = None
) -> array[int]:
    """The ids of every call the filter selects, in sort order (ties in corpus order)."""
    sort = sort or CallSort()
    where, params = _where(conn, call_filter)
    direction = " DESC" if sort.descending else ""
    keys = [f"{key}{direction}" for key in SORT_SQL[sort.column]]
    order = ", ".join([*keys, "f.path", "c.line"])
    # In corpus order, walking files by path and each file's calls by line needs no sort.
    source = (
        "files f CROSS JOIN calls c ON c.file_id = f.id"
        if sort.column == "corpus" and not sort.descending
        else "calls c JOIN files f ON f.id = c.file_id"
    )
    sql = f"SELECT c.id FROM {source}{where} ORDER BY {order}"
    cursor = conn.cursor()
    cursor.row_factory = None  # plain tuples: a third faster than sqlite3.Row at 100k rows
    return array("q", [call_id for (call_id,) in cursor.execute(sql, params)])


_ROWS_SQL = """
SELECT c.id, c.trace_id, c.task, c.run_id, c.seq, c.round, c.model, c.context_chars, c.preview,
       c.verdict, c.first_rule, f.relpath, c.line, own.value, run.value,
       repair.value IS NOT NULL, note.value IS NOT NULL, tags.value, c.kind
FROM calls c
JOIN files f ON f.id = c.file_id
{joins}
WHERE c.id IN ({marks})
""".replace("{joins}", REVIEW_STATE_JOINS)


def fetch_rows(conn: sqlite3.Connection, call_ids: Sequence[int]) -> list[CallRow]:
    """The list rows of these calls, in the order given (unknown ids are skipped)."""
    found: dict[int, CallRow] = {}
    for start in range(0, len(call_ids), 500):
        chunk = list(call_ids[start : start + 500])
        sql = _ROWS_SQL.format(marks=",".join("?" * len(chunk)))
        for row in conn.execute(sql, chunk):
            found[row[0]] = _row(row)
    return [found[i] for i in call_ids if i in found]


def _row(row: sqlite3.Row | tuple[object, ...]) -> CallRow:
    values: tuple[Any, ...] = tuple(row)
    own, run_level = values[13], values[14]
    chosen, source = (own, "call") if own is not None else (run_level, "run")
    decided = orjson.loads(chosen) if chosen is not None else None
    return CallRow(
        *values[:13],
        decision=decided["decision"] if decided else None,
        decided_on=source if decided else None,
        repaired=bool(values[15]),
        has_note=bool(values[16]),
        tags=tuple(orjson.loads(values[17])) if values[17] else (),
        kind=values[18],
    )


_FIXED_ORDER = {"verdict": ("fail", "unknown", "pass"), "decision": (UNDECIDED, "accept", "reject")}


def facet_counts(
    conn: sqlite3.Connection, call_filter: CallFilter
) -> dict[Facet, list[FacetValue]]:
    """For each facet, every value with the number of calls it selects given the other facets.

    Chosen values are always listed, with 0 when nothing matches, so they can be unchosen.
    """
    counts: dict[Facet, list[FacetValue]] = {}
    labels = dict(conn.execute("SELECT path, relpath FROM files").fetchall())
    for facet in FACETS:
        where, params = _where(conn, call_filter, skip=facet)
        if facet == "rule":
            sql = (
                "SELECT r.rule, COUNT(*) FROM call_rules r JOIN calls c ON c.id = r.call_id"
                f" JOIN files f ON f.id = c.file_id{where} GROUP BY r.rule"
            )
        else:
            sql = (
                f"SELECT {_FACET_SQL[facet]} AS v, COUNT(*) FROM calls c"
                f" JOIN files f ON f.id = c.file_id{where} GROUP BY v"
            )
        found = dict(conn.execute(sql, params).fetchall())
        for chosen in call_filter.values(facet):
            found.setdefault(chosen, 0)
        fixed = _FIXED_ORDER.get(facet)
        if fixed:
            for value in fixed:
                found.setdefault(value, 0)
            ordered = sorted(found, key=lambda v: (fixed.index(v) if v in fixed else 99, v))
        else:
            ordered = sorted(found, key=lambda v: (-found[v], str(v)))
        counts[facet] = [
            FacetValue(str(v), labels.get(v, str(v)) if facet == "file" else str(v), found[v])
            for v in ordered
        ]
    return counts


def trace_ids_of(conn: sqlite3.Connection, call_ids: Sequence[int]) -> list[str]:
    """The distinct trace ids of these calls (what call decisions are keyed by), in order."""
    seen: dict[str, None] = {}
    for start in range(0, len(call_ids), 900):
        chunk = list(call_ids[start : start + 900])
        marks = ",".join("?" * len(chunk))
        rows = dict(conn.execute(f"SELECT id, trace_id FROM calls WHERE id IN ({marks})", chunk))
        for call_id in chunk:
            if call_id in rows:
                seen.setdefault(rows[call_id], None)
    return list(seen)
