"""The whole check over a corpus in a real store: verdicts, duplicates, incremental re-checks."""

from __future__ import annotations

import gzip
import os
import sqlite3
from pathlib import Path

from core.check.run import corpus_roots, run_check
from core.config import CuratorConfig
from tests.factories import call, summary, write_jsonl

CONFIG = CuratorConfig()


def verdicts(conn: sqlite3.Connection) -> dict[tuple[str, int], str]:
    return {
        (relpath, line): verdict
        for relpath, line, verdict in conn.execute(
            "SELECT f.relpath, c.line, c.verdict FROM calls c JOIN files f ON f.id = c.file_id"
        )
    }


def test_good_run_passes_and_failing_run_fails_all_its_calls(conn, tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    write_jsonl(
        corpus / "extraction.jsonl",
        [
            call(run_id="good", round=1, new_entities=2, queries=1),
            call(run_id="bad", round=1, new_entities=2, queries=1),
        ],
    )
    write_jsonl(corpus / "runs.jsonl", [summary("good"), summary("bad", coverage=0.3)])
    run_check(conn, [corpus], CONFIG)
    assert verdicts(conn) == {("extraction.jsonl", 1): "pass", ("extraction.jsonl", 2): "fail"}
    (findings,) = conn.execute("SELECT findings FROM calls WHERE run_id = 'bad'").fetchone()
    assert "band.coverage" in findings


def test_bare_lines_are_unknown_never_pass(conn, tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "planning.jsonl", [call("planning", run_id=None)])
    run_check(conn, [path], CONFIG)
    assert verdicts(conn) == {("planning.jsonl", 1): "unknown"}
    run = conn.execute("SELECT run_id, verdict FROM runs").fetchone()
    assert tuple(run) == ("planning.jsonl#1", "unknown")


def test_runs_without_summary_are_unknown_not_pass(conn, tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "extraction.jsonl", [call(round=1, new_entities=1, queries=1)])
    run_check(conn, [path], CONFIG)
    assert verdicts(conn) == {("extraction.jsonl", 1): "unknown"}


def test_exact_duplicates_fail_after_the_first_in_sorted_path_order(conn, tmp_path: Path) -> None:
    same = call(run_id="r-1", round=1, new_entities=1, queries=1)
    write_jsonl(tmp_path / "b.jsonl", [same])
    write_jsonl(
        tmp_path / "a.jsonl",
        [call(run_id="r-0", output="[]", round=1, new_entities=1, queries=1), same],
    )
    write_jsonl(tmp_path / "runs.jsonl", [summary("r-0"), summary("r-1")])
    run_check(conn, [tmp_path], CONFIG)
    assert verdicts(conn)[("a.jsonl", 2)] == "pass"
    assert verdicts(conn)[("b.jsonl", 1)] == "fail"
    (findings,) = conn.execute(
        "SELECT c.findings FROM calls c JOIN files f ON f.id = c.file_id"
        " WHERE f.relpath = 'b.jsonl'"
    ).fetchone()
    assert "same as a.jsonl:2" in findings


def test_malformed_lines_are_reported_with_file_and_line_and_the_rest_loads(
    conn, tmp_path: Path
) -> None:
    path = write_jsonl(
        tmp_path / "x" / "extraction.jsonl",
        [
            call(),
            b"{broken",
            b"",
            b"[1]",
            call(output="[]"),
            b"\xff\xfe",
        ],
    )
    run_check(conn, [tmp_path / "x"], CONFIG)
    errors = conn.execute("SELECT line, message FROM load_errors ORDER BY line").fetchall()
    assert [(line, message.split(":")[0]) for line, message in errors] == [
        (2, "not valid JSON"),
        (4, "not a JSON object (a array)"),
        (6, "invalid UTF-8 at byte 0"),
    ]
    assert conn.execute("SELECT COUNT(*) FROM calls").fetchone()[0] == 2
    assert path.read_bytes().count(b"\n") == 6  # trace files are never modified


def test_gzip_and_file_arguments(conn, tmp_path: Path) -> None:
    gz = write_jsonl(tmp_path / "deep" / "enrichment-old.jsonl.gz", [call("enrichment")])
    plain = write_jsonl(tmp_path / "planning.jsonl", [call("planning")])
    run_check(conn, [gz, plain], CONFIG)
    rows = conn.execute("SELECT f.relpath, c.task FROM calls c JOIN files f ON f.id=c.file_id")
    assert sorted(map(tuple, rows)) == [
        ("enrichment-old.jsonl.gz", "enrichment"),
        ("planning.jsonl", "planning"),
    ]
    assert corpus_roots(conn) == [gz.resolve(), plain.resolve()]
    assert gzip.decompress(gz.read_bytes())  # untouched and still valid


def test_unchanged_corpus_is_not_read_again(conn, tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "extraction.jsonl", [call(), call(run_id="r-2")])
    first = run_check(conn, [tmp_path], CONFIG)
    assert first.stats.files_read == 1
    # Same size and mtime but different bytes: an unchanged key must mean no read at all.
    stat = path.stat()
    path.write_bytes(b"x" * stat.st_size)
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    second = run_check(conn, [tmp_path], CONFIG)
    assert second.stats.files_read == 0
    assert conn.execute("SELECT COUNT(*) FROM calls").fetchone()[0] == 2
    assert conn.execute("SELECT COUNT(*) FROM load_errors").fetchone()[0] == 0


def test_changed_file_is_reindexed_and_removed_file_dropped(conn, tmp_path: Path) -> None:
    keep = write_jsonl(tmp_path / "extraction.jsonl", [call()])
    gone = write_jsonl(tmp_path / "planning.jsonl", [call("planning")])
    run_check(conn, [tmp_path], CONFIG)
    write_jsonl(keep, [call(), call(run_id="r-2")])
    os.utime(keep, ns=(1, keep.stat().st_mtime_ns + 1_000_000_000))
    gone.unlink()
    outcome = run_check(conn, [tmp_path], CONFIG)
    assert (outcome.stats.files_read, outcome.stats.files_dropped) == (1, 1)
    assert conn.execute("SELECT COUNT(*) FROM calls").fetchone()[0] == 2
    assert conn.execute("SELECT COUNT(*) FROM files").fetchone()[0] == 1


def test_config_change_re_evaluates(conn, tmp_path: Path) -> None:
    write_jsonl(tmp_path / "extraction.jsonl", [call(round=4, new_entities=1, queries=1)])
    write_jsonl(tmp_path / "runs.jsonl", [summary("r-1", discovery_rounds=None)])
    run_check(conn, [tmp_path], CONFIG)
    assert verdicts(conn)[("extraction.jsonl", 1)] == "fail"
    looser = CuratorConfig.model_validate({"bands": {"max_discovery_rounds": 4}})
    run_check(conn, [tmp_path], looser)
    assert verdicts(conn)[("extraction.jsonl", 1)] == "pass"


def test_missing_paths_are_problems_not_crashes(conn, tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("hi")
    outcome = run_check(conn, [tmp_path / "nope", tmp_path / "notes.txt"], CONFIG)
    assert outcome.stats.files_total == 0
    assert [p.split(": ", 1)[1] for p in outcome.path_problems] == [
        "no such file or folder",
        "not a .jsonl, .jsonl.gz, .json or .eval file",
    ]


def test_a_check_that_finds_nothing_keeps_the_known_corpus(conn, tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "extraction.jsonl", [call()])
    run_check(conn, [path], CONFIG)
    outcome = run_check(conn, [tmp_path / "typo"], CONFIG)
    assert outcome.stats.files_total == 0
    assert corpus_roots(conn) == [path.resolve()]
    assert conn.execute("SELECT COUNT(*) FROM calls").fetchone()[0] == 1


def test_verdicts_of_a_former_duplicate_and_a_formerly_failing_run_are_reset(
    conn, tmp_path: Path
) -> None:
    same = call(run_id="r-1", round=1, new_entities=1, queries=1)
    write_jsonl(tmp_path / "a.jsonl", [same])
    twin = write_jsonl(tmp_path / "b.jsonl", [same, call(run_id="r-2")])
    write_jsonl(tmp_path / "runs.jsonl", [summary("r-1"), summary("r-2", coverage=0.1)])
    run_check(conn, [tmp_path], CONFIG)
    assert verdicts(conn) == {
        ("a.jsonl", 1): "pass",
        ("b.jsonl", 1): "fail",
        ("b.jsonl", 2): "fail",
    }
    twin.unlink()
    write_jsonl(tmp_path / "b2.jsonl", [call(run_id="r-2", output="[]", round=1, new_entities=1)])
    looser = CuratorConfig.model_validate({"bands": {"coverage_threshold": 0.05}})
    run_check(conn, [tmp_path], looser)
    assert verdicts(conn) == {("a.jsonl", 1): "pass", ("b2.jsonl", 1): "pass"}
    rows = conn.execute("SELECT findings, dup_of, first_rule FROM calls").fetchall()
    assert [tuple(r) for r in rows] == [("[]", None, None)] * 2
    assert conn.execute("SELECT COUNT(*) FROM call_rules").fetchone()[0] == 0


def test_a_duplicate_is_reset_when_dup_exact_is_turned_off(conn, tmp_path: Path) -> None:
    same = call(run_id="r-1", round=1, new_entities=1, queries=1)
    write_jsonl(tmp_path / "a.jsonl", [same, same])
    write_jsonl(tmp_path / "runs.jsonl", [summary("r-1")])
    run_check(conn, [tmp_path], CONFIG)
    assert verdicts(conn)[("a.jsonl", 2)] == "fail"
    off = CuratorConfig.model_validate({"rules": {"dup.exact": "off"}})
    run_check(conn, [tmp_path], off)
    assert verdicts(conn)[("a.jsonl", 2)] == "pass"
    assert conn.execute("SELECT COUNT(*) FROM calls WHERE dup_of IS NOT NULL").fetchone()[0] == 0
