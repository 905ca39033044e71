"""Full-text search: the lazily built FTS index, its fallback, and safe query translation."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest

from core.check.run import run_check
from core.config import CuratorConfig
from core.progress import Cancelled
from core.review.query import CallFilter, fetch_rows, select_call_ids
from core.review.search import ensure_search_index, fts_query, search_status


def _search(conn: sqlite3.Connection, text: str) -> list[str]:
    return [r.run_id for r in fetch_rows(conn, select_call_ids(conn, CallFilter(text=text)))]


def test_index_is_built_incrementally_and_searches_content(conn: sqlite3.Connection) -> None:
    assert not search_status(conn).ready
    seen: list[tuple[int, int]] = []
    status = ensure_search_index(conn, lambda done, total, detail="": seen.append((done, total)))
    assert status.ready and status.indexed == 21
    assert seen[-1] == (21, 21)
    assert ensure_search_index(conn).indexed == 21  # nothing left to do
    assert _search(conn, "florists") == ["planning.jsonl#5"]
    assert set(_search(conn, "Livraria")) == {"r-0001", "r-0002", "r-0003", "r-0004"}
    assert _search(conn, "lorem ipsum") == ["r-0004"]
    assert _search(conn, "flor") == ["planning.jsonl#5"]  # the last term is a prefix


def test_system_prompts_are_not_indexed(conn: sqlite3.Connection) -> None:
    ensure_search_index(conn)
    assert _search(conn, "overwrite") == []


def test_before_the_index_is_ready_previews_are_searched(conn: sqlite3.Connection) -> None:
    assert _search(conn, "florist") == ["planning.jsonl#5"]  # in the preview
    assert _search(conn, "Livraria") == []  # only in the input, not yet indexed


def test_run_and_trace_ids_match_too(conn: sqlite3.Connection) -> None:
    assert set(_search(conn, "r-0003")) == {"r-0003"}
    trace = conn.execute("SELECT trace_id FROM calls LIMIT 1").fetchone()[0]
    assert len(_search(conn, trace[:8])) >= 1


def test_cancel_stops_and_the_next_run_resumes(conn: sqlite3.Connection) -> None:
    cancel = threading.Event()
    cancel.set()
    with pytest.raises(Cancelled):
        ensure_search_index(conn, cancel=cancel)
    assert ensure_search_index(conn).ready


def test_reindexed_file_never_matches_old_text(conn: sqlite3.Connection, corpus: Path) -> None:
    ensure_search_index(conn)
    planning = corpus / "planning.jsonl"
    planning.write_text(planning.read_text().replace("florists", "tulips"))
    run_check(conn, [corpus], CuratorConfig())
    assert _search(conn, "florists") == []
    ensure_search_index(conn)
    assert _search(conn, "florists") == []
    assert _search(conn, "tulips") == ["planning.jsonl#5"]


@pytest.mark.parametrize(
    ("typed", "query"),
    [
        ("acme", '"acme"*'),
        ("casa azul", '"casa" "azul"*'),
        ('"casa azul"', '"casa azul"'),
        ("a-b OR", '"a-b" "OR"*'),
        ('say "it', '"say" "it"*'),
        ("", ""),
    ],
)
def test_fts_query_is_always_valid(typed: str, query: str) -> None:
    assert fts_query(typed) == query


def test_odd_input_never_raises(conn: sqlite3.Connection) -> None:
    ensure_search_index(conn)
    for typed in ['"', "*", "NEAR(", "a AND", "'", "%_", "\\"]:
        _search(conn, typed)
