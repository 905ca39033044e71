"""Corpus-wide verdicts: exact duplicates, run bands, and each call's final verdict.

Reads only the index (never trace bytes), so a re-check after a config change to bands is cheap.
"""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from typing import Any

import orjson

from core.check.bands import RunCall, RunOutcome, evaluate_run
from core.config import CuratorConfig
from core.models import Severity, Verdict
from core.store.db import transaction

DUP_RULE = "dup.exact"


def evaluate_corpus(conn: sqlite3.Connection, config: CuratorConfig) -> None:
    """Recompute duplicates, runs and call verdicts from the index, in one transaction."""
    dup_severity = config.severity(DUP_RULE)
    duplicates = _find_duplicates(conn) if dup_severity != Severity.OFF else {}
    outcomes = _evaluate_runs(conn, config)
    with transaction(conn):
        _write_runs(conn, outcomes)
        _write_call_verdicts(conn, outcomes, duplicates, dup_severity)


def _find_duplicates(conn: sqlite3.Connection) -> dict[int, tuple[int, str]]:
    """call id → (id, ``file:line``) of the first call with the same trace id.

    "First" is in sorted path order, then line order.
    """
    first_seen: dict[str, tuple[int, str]] = {}
    duplicate_of: dict[int, tuple[int, str]] = {}
    rows = conn.execute(
        "SELECT c.id, c.trace_id, f.relpath, c.line FROM calls c JOIN files f ON f.id = c.file_id"
        " ORDER BY f.path, c.line"
    )
    for call_id, trace, relpath, line in rows:
        first = first_seen.setdefault(trace, (call_id, f"{relpath}:{line}"))
        if first[0] != call_id:
            duplicate_of[call_id] = first
    return duplicate_of


def _evaluate_runs(
    conn: sqlite3.Connection, config: CuratorConfig
) -> dict[str, tuple[RunOutcome, dict[str, Any] | None, int]]:
    calls_by_run: dict[str, list[RunCall]] = defaultdict(list)
    bare_runs: set[str] = set()
    for run_id, bare, task, round_, new_entities, entity_id, queries in conn.execute(
        "SELECT run_id, bare, task, round, new_entities, entity_id, queries FROM calls"
    ):
        calls_by_run[run_id].append(RunCall(task, round_, new_entities, entity_id, queries))
        if bare:
            bare_runs.add(run_id)
    summaries: dict[str, dict[str, Any]] = {}
    for run_id, summary in conn.execute(
        "SELECT s.run_id, s.summary FROM run_summaries s JOIN files f ON f.id = s.file_id"
        " ORDER BY f.path, s.line"
    ):
        summaries[run_id] = orjson.loads(summary)  # the last summary of a run wins
    outcomes = {}
    for run_id in calls_by_run.keys() | summaries.keys():
        calls = calls_by_run.get(run_id, [])
        summary = summaries.get(run_id)
        outcome = evaluate_run(calls, summary, run_id in bare_runs, config)
        outcomes[run_id] = (outcome, summary, len(calls))
    return outcomes


def _write_runs(
    conn: sqlite3.Connection, outcomes: dict[str, tuple[RunOutcome, dict[str, Any] | None, int]]
) -> None:
    conn.execute("DELETE FROM runs")
    conn.executemany(
        "INSERT INTO runs (run_id, verdict, bands, findings, summary, calls) VALUES (?,?,?,?,?,?)",
        [
            (
                run_id,
                outcome.verdict.value,
                _dump([b.model_dump(mode="json") for b in outcome.bands]),
                _dump([f.model_dump(mode="json") for f in outcome.findings]),
                None if summary is None else _dump(summary),
                calls,
            )
            for run_id, (outcome, summary, calls) in outcomes.items()
        ],
    )


def _write_call_verdicts(
    conn: sqlite3.Connection,
    outcomes: dict[str, tuple[RunOutcome, dict[str, Any] | None, int]],
    duplicates: dict[int, tuple[int, str]],
    dup_severity: Severity,
) -> None:
    """Fold duplicate and run findings into each call; write only the rows that change.

    The indexer stored each call with its own findings and verdict, so a call in a passing run
    that is no duplicate needs no write at all; this keeps a first check close to read speed.
    """
    run_findings = {
        run_id: [f.model_dump(mode="json") for f in outcome.findings]
        for run_id, (outcome, _summary, _calls) in outcomes.items()
    }
    run_verdicts = {run_id: outcome.verdict for run_id, (outcome, _, _) in outcomes.items()}
    updates: list[tuple[Any, ...]] = []
    extra_rules: list[tuple[int, str, str, str]] = []
    rows = conn.execute(
        "SELECT id, run_id, call_findings, call_verdict, call_first_rule,"
        " findings, verdict, first_rule, dup_of FROM calls"
    )
    # Plain dicts and strings here: this loop visits every call of the corpus.
    for call_id, run_id, own, own_verdict, own_first, *current in rows:
        first = duplicates.get(call_id)
        extra = list(run_findings[run_id])
        if first is not None:
            dup = {"rule": DUP_RULE, "severity": dup_severity, "message": f"same as {first[1]}"}
            extra.insert(0, dup)
            extra_rules.append((call_id, DUP_RULE, dup_severity.value, "dup"))
        extra_rules.extend((call_id, f["rule"], f["severity"], "run") for f in run_findings[run_id])
        failing = [f["rule"] for f in extra if f["severity"] == Severity.ERROR]
        if own_verdict == Verdict.FAIL:
            verdict, first_rule = Verdict.FAIL, own_first
        elif failing:
            verdict, first_rule = Verdict.FAIL, failing[0]
        elif run_verdicts[run_id] is Verdict.UNKNOWN:
            verdict, first_rule = Verdict.UNKNOWN, None
        else:
            verdict, first_rule = Verdict.PASS, None
        findings = _dump([*orjson.loads(own), *extra]) if extra else own
        wanted = [findings, verdict.value, first_rule, first and first[0]]
        if wanted != current:
            updates.append((*wanted, call_id))
    conn.executemany(
        "UPDATE calls SET findings = ?, verdict = ?, first_rule = ?, dup_of = ? WHERE id = ?",
        updates,
    )
    conn.execute("DELETE FROM call_rules WHERE source != 'call'")
    conn.executemany(
        "INSERT OR IGNORE INTO call_rules (call_id, rule, severity, source) VALUES (?,?,?,?)",
        extra_rules,
    )


def _dump(value: Any) -> str:
    return orjson.dumps(value).decode()
