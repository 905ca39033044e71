"""The query engine: filters, facets, sorting and row fetching."""

from __future__ import annotations

import sqlite3

from core.review.decisions import Target, decide
from core.review.query import (
    CallFilter,
    CallSort,
    facet_counts,
    fetch_rows,
    select_call_ids,
    trace_ids_of,
)
from tests.review.conftest import call_id_where


def _rows(conn: sqlite3.Connection, call_filter: CallFilter, sort: CallSort | None = None):
    return fetch_rows(conn, select_call_ids(conn, call_filter, sort))


def test_no_filter_selects_every_call_in_corpus_order(conn: sqlite3.Connection) -> None:
    rows = _rows(conn, CallFilter())
    assert len(rows) == 21
    assert [(r.file, r.line) for r in rows] == sorted((r.file, r.line) for r in rows)


def test_facets_and_within_or_across(conn: sqlite3.Connection) -> None:
    both = CallFilter(tasks=frozenset({"extraction", "planning"}))
    assert {r.task for r in _rows(conn, both)} == {"extraction", "planning"}
    failing_extraction = CallFilter(tasks=frozenset({"extraction"}), verdicts=frozenset({"fail"}))
    rows = _rows(conn, failing_extraction)
    assert rows and all(r.task == "extraction" and r.verdict == "fail" for r in rows)


def test_rule_filter_matches_any_finding_of_the_rule(conn: sqlite3.Connection) -> None:
    rows = _rows(conn, CallFilter(rules=frozenset({"output.fenced"})))
    assert [r.run_id for r in rows] == ["r-0002"]
    assert rows[0].task == "extraction"


def test_decision_filter_uses_own_else_run_decision(conn: sqlite3.Connection) -> None:
    planning = call_id_where(conn, "c.task = 'planning' AND c.run_id = 'r-0001'")
    trace = trace_ids_of(conn, [planning])[0]
    decide(conn, [Target("call", trace)], "reject")
    decide(conn, [Target("run", "r-0001")], "accept")
    accepted = _rows(conn, CallFilter(decisions=frozenset({"accept"})))
    assert {r.run_id for r in accepted} == {"r-0001"} and len(accepted) == 4
    assert all(r.decided_on == "run" for r in accepted)
    rejected = _rows(conn, CallFilter(decisions=frozenset({"reject"})))
    assert [(r.call_id, r.decided_on) for r in rejected] == [(planning, "call")]
    undecided = _rows(conn, CallFilter(decisions=frozenset({"undecided"})))
    assert len(undecided) == 21 - 5


def test_model_file_and_run_filters(conn: sqlite3.Connection) -> None:
    none = _rows(conn, CallFilter(models=frozenset({"(none)"})))
    assert [r.run_id for r in none] == ["planning.jsonl#5"]
    path = conn.execute("SELECT path FROM files WHERE relpath = 'planning.jsonl'").fetchone()[0]
    assert len(_rows(conn, CallFilter(files=frozenset({path})))) == 5
    assert [r.seq for r in _rows(conn, CallFilter(run_id="r-0002"), CallSort("seq"))] == [
        1,
        2,
        3,
        4,
        5,
    ]


def test_sort_by_every_column_and_direction(conn: sqlite3.Connection) -> None:
    for column in ("corpus", "decision", "verdict", "task", "run", "seq", "chars", "rule",
                   "preview", "model"):  # fmt: skip
        ascending = select_call_ids(conn, CallFilter(), CallSort(column))
        descending = select_call_ids(conn, CallFilter(), CallSort(column, descending=True))
        assert sorted(ascending) == sorted(descending)
    chars = [r.context_chars for r in _rows(conn, CallFilter(), CallSort("chars", True))]
    assert chars == sorted(chars, reverse=True)


def test_facet_counts_apply_the_other_facets(conn: sqlite3.Connection) -> None:
    counts = facet_counts(conn, CallFilter(tasks=frozenset({"extraction"})))
    tasks = {v.value: v.count for v in counts["task"]}
    assert tasks == {"enrichment": 8, "extraction": 8, "planning": 5}
    verdicts = {v.value: v.count for v in counts["verdict"]}
    assert sum(verdicts.values()) == 8
    assert [v.value for v in counts["verdict"]] == ["fail", "unknown", "pass"]
    assert [v.value for v in counts["decision"]] == ["undecided", "accept", "reject"]
    assert {v.label for v in counts["file"]} == {"extraction.jsonl"}


def test_chosen_values_stay_listed_with_zero(conn: sqlite3.Connection) -> None:
    counts = facet_counts(
        conn, CallFilter(tasks=frozenset({"planning"}), rules=frozenset({"output.fenced"}))
    )
    assert {v.value: v.count for v in counts["rule"]}["output.fenced"] == 0


def test_fetch_rows_keeps_the_order_given(conn: sqlite3.Connection) -> None:
    ids = list(select_call_ids(conn, CallFilter()))[::-1][:7]
    assert [r.call_id for r in fetch_rows(conn, ids)] == ids
    assert fetch_rows(conn, [10**9]) == []


def test_filter_description_and_toggling() -> None:
    call_filter = CallFilter().toggled("task", "planning").toggled("verdict", "fail")
    assert call_filter.describe() == "task=planning verdict=fail"
    assert call_filter.toggled("task", "planning").describe() == "verdict=fail"
    assert CallFilter(text=" acme ").describe() == '"acme"'
    assert CallFilter().is_empty and not call_filter.is_empty
