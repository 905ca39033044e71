"""Corpus-wide verdicts: exact duplicates, trajectory steps, run bands, and each call's verdict.

Reads only the index (never trace bytes), so a re-check after a config change to bands is cheap.
It is set-based: duplicates come from grouping trace ids, run figures from grouping the calls,
and the call verdicts from one UPDATE over the only calls whose verdict can differ from their
own (those of runs with findings, and duplicates, now or at the last evaluation), which writes
the ones that change; the indexer already stored every call's own findings and verdict.
"""

from __future__ import annotations

import sqlite3
from typing import Any

import orjson

from core.check.bands import RunOutcome, evaluate_run
from core.check.run_figures import RunFigures, run_figures
from core.check.trajectories import PREFIX_RULE, update_trajectories
from core.check_settings import CheckSettings
from core.models import Severity
from core.store.db import transaction

DUP_RULE = "dup.exact"


def _concat(left: str, right: str) -> str:
    """SQL joining two JSON array texts into one (the calls' findings arrays)."""
    return (
        f"(CASE WHEN {left} = '[]' THEN {right} WHEN {right} = '[]' THEN {left}"
        f" ELSE substr({left}, 1, length({left}) - 1) || ',' || substr({right}, 2) END)"
    )


_DUP = "COALESCE('[' || d.finding || ']', '[]')"
_PREFIX = "COALESCE('[' || p.finding || ']', '[]')"
# A call's findings: its own, then dup.exact, dup.prefix, then its run's. Verdict: its own
# failure first, then the first error among the others, else unknown when its run is, else pass.
_NEW_VERDICTS = f"""
SELECT c.id AS id,
  {_concat("c.call_findings", _concat(_DUP, _concat(_PREFIX, "r.findings")))} AS findings,
  CASE WHEN c.call_verdict = 'fail' OR (d.call_id IS NOT NULL AND :dup_fails)
         OR (p.call_id IS NOT NULL AND :prefix_fails) OR r.first_rule IS NOT NULL THEN 'fail'
       WHEN r.verdict = 'unknown' THEN 'unknown' ELSE 'pass' END AS verdict,
  CASE WHEN c.call_verdict = 'fail' THEN c.call_first_rule
       WHEN d.call_id IS NOT NULL AND :dup_fails THEN '{DUP_RULE}'
       WHEN p.call_id IS NOT NULL AND :prefix_fails THEN '{PREFIX_RULE}'
       ELSE r.first_rule END AS first_rule,
  d.first_id AS dup_of,
  c.findings AS was_findings, c.verdict AS was_verdict, c.first_rule AS was_first_rule,
  c.dup_of AS was_dup_of
FROM temp.touched t CROSS JOIN calls c ON c.id = t.id CROSS JOIN runs r ON r.run_id = c.run_id
LEFT JOIN temp.duplicates d ON d.call_id = c.id
LEFT JOIN temp.prefix_steps p ON p.call_id = c.id
"""
# Computed into a temp table, then written by rowid: an UPDATE … FROM would scan every call.
_CHANGED_VERDICTS = f"""
INSERT INTO temp.verdicts (id, findings, verdict, first_rule, dup_of)
SELECT id, findings, verdict, first_rule, dup_of FROM ({_NEW_VERDICTS})
WHERE (was_findings, was_verdict, was_first_rule, was_dup_of)
  IS NOT (findings, verdict, first_rule, dup_of)
"""
_WRITE_VERDICTS = """
UPDATE calls SET (findings, verdict, first_rule, dup_of) =
  (SELECT findings, verdict, first_rule, dup_of FROM temp.verdicts v WHERE v.id = calls.id)
WHERE id IN (SELECT id FROM temp.verdicts)
"""
# The only calls whose verdict may differ from their own: those of runs with findings or not
# passing, and duplicates — before this evaluation (to reset them) and after it. (CROSS JOIN
# keeps SQLite from scanning every call to probe the few runs; it has no statistics.)
_TOUCH = """
INSERT OR IGNORE INTO temp.touched (id)
SELECT c.id FROM runs r CROSS JOIN calls c ON c.run_id = r.run_id
WHERE r.verdict != 'pass' OR r.findings != '[]'
UNION ALL SELECT id FROM calls WHERE dup_of IS NOT NULL
UNION ALL SELECT call_id FROM temp.duplicates
"""
_RUN_RULES = """
INSERT OR IGNORE INTO call_rules (call_id, rule, severity, source)
SELECT c.id, f.value ->> 'rule', f.value ->> 'severity', 'run'
FROM runs r CROSS JOIN json_each(r.findings) f CROSS JOIN calls c ON c.run_id = r.run_id
WHERE r.findings != '[]'
"""


def evaluate_corpus(conn: sqlite3.Connection, config: CheckSettings) -> None:
    """Recompute duplicates, trajectories, runs and call verdicts from the index, in one
    transaction."""
    dup_severity = config.severity(DUP_RULE)
    prefix_severity = config.severity(PREFIX_RULE)
    with transaction(conn):
        conn.execute("CREATE TEMP TABLE IF NOT EXISTS touched (id INTEGER PRIMARY KEY)")
        _write_duplicates(conn, dup_severity)
        conn.execute(_TOUCH)  # by the last evaluation
        update_trajectories(conn, prefix_severity)  # may move unkeyed calls to other runs
        outcomes = _evaluate_runs(conn, config)
        _write_runs(conn, outcomes)
        conn.execute(_TOUCH)  # by this one
        conn.execute(
            "CREATE TEMP TABLE IF NOT EXISTS verdicts (id INTEGER PRIMARY KEY,"
            " findings TEXT, verdict TEXT, first_rule TEXT, dup_of INTEGER)"
        )
        conn.execute(
            _CHANGED_VERDICTS,
            {
                "dup_fails": dup_severity == Severity.ERROR,
                "prefix_fails": prefix_severity == Severity.ERROR,
            },
        )
        conn.execute(_WRITE_VERDICTS)
        conn.execute("DELETE FROM temp.touched")
        conn.execute("DELETE FROM temp.verdicts")
        conn.execute("DELETE FROM call_rules WHERE source != 'call'")
        conn.execute(
            "INSERT OR IGNORE INTO call_rules (call_id, rule, severity, source)"
            " SELECT call_id, ?, ?, 'dup' FROM temp.duplicates",
            (DUP_RULE, dup_severity.value),
        )
        conn.execute(
            "INSERT OR IGNORE INTO call_rules (call_id, rule, severity, source)"
            " SELECT call_id, ?, ?, 'prefix' FROM temp.prefix_steps",
            (PREFIX_RULE, prefix_severity.value),
        )
        conn.execute(_RUN_RULES)
        conn.execute("DELETE FROM temp.duplicates")
        conn.execute("DELETE FROM temp.prefix_steps")


def _evaluate_runs(
    conn: sqlite3.Connection, config: CheckSettings
) -> dict[str, tuple[RunOutcome, dict[str, Any] | None, int]]:
    figures = run_figures(conn)
    summaries: dict[str, dict[str, Any]] = {}
    for run_id, summary in conn.execute(
        "SELECT s.run_id, s.summary FROM run_summaries s JOIN files f ON f.id = s.file_id"
        " ORDER BY f.path, s.line"
    ):
        summaries[run_id] = orjson.loads(summary)  # the last summary of a run wins
    outcomes = {}
    for run_id in figures.keys() | summaries.keys():
        run = figures.get(run_id) or RunFigures()
        summary = summaries.get(run_id)
        outcomes[run_id] = (evaluate_run(run, summary, config), summary, run.calls)
    return outcomes


def _write_runs(
    conn: sqlite3.Connection, outcomes: dict[str, tuple[RunOutcome, dict[str, Any] | None, int]]
) -> None:
    conn.execute("DELETE FROM runs")
    conn.executemany(
        "INSERT INTO runs (run_id, verdict, first_rule, bands, findings, summary, calls)"
        " VALUES (?,?,?,?,?,?,?)",
        [
            (
                run_id,
                outcome.verdict.value,
                next((f.rule for f in outcome.findings if f.severity == Severity.ERROR), None),
                _dump(outcome.bands),  # dataclasses: orjson writes their fields in order
                _dump([f.__dict__ for f in outcome.findings]),  # == model_dump(), much faster
                None if summary is None else _dump(summary),
                calls,
            )
            for run_id, (outcome, summary, calls) in outcomes.items()
        ],
    )


def _write_duplicates(conn: sqlite3.Connection, severity: Severity) -> None:
    """Fill ``temp.duplicates``: each call whose trace id an earlier call has (files in sorted
    path order, then lines), with the first call's id and the finding naming it."""
    conn.execute(
        "CREATE TEMP TABLE IF NOT EXISTS duplicates"
        " (call_id INTEGER PRIMARY KEY, first_id INTEGER NOT NULL, finding TEXT NOT NULL)"
    )
    conn.execute("DELETE FROM temp.duplicates")
    if severity == Severity.OFF:
        return
    rows: list[tuple[int, int, str]] = []
    first: tuple[str, int, str] | None = None  # (trace id, call id, "file:line")
    for trace, call_id, relpath, line in conn.execute(
        "SELECT c.trace_id, c.id, f.relpath, c.line FROM calls c JOIN files f ON f.id = c.file_id"
        " WHERE c.trace_id IN (SELECT trace_id FROM calls GROUP BY trace_id HAVING COUNT(*) > 1)"
        " ORDER BY c.trace_id, f.path, c.line"
    ):
        if first is None or first[0] != trace:
            first = (trace, call_id, f"{relpath}:{line}")
            continue
        finding = {"rule": DUP_RULE, "severity": severity.value, "message": f"same as {first[2]}"}
        rows.append((call_id, first[1], _dump(finding)))
    conn.executemany("INSERT INTO temp.duplicates VALUES (?,?,?)", rows)


def _dump(value: Any) -> str:
    return orjson.dumps(value).decode()
