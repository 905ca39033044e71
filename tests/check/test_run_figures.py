"""The run figures the bands read: SQL over the index agrees with the plain definition."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.check.run_figures import RunCall, RunFigures, run_figures
from core.store.db import connect

small = st.one_of(st.none(), st.integers(-3, 4))
huge = st.one_of(small, st.integers(-(2**63), 2**63 - 1))
calls = st.lists(
    st.tuples(
        st.sampled_from(["r1", "r2", "r3"]),
        st.sampled_from(["extraction", "enrichment", "planning", "unknown"]),
        small,
        huge,
        st.one_of(st.none(), st.sampled_from(["e1", "e2"])),
        huge,
        st.booleans(),
    ),
    max_size=30,
)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(calls)
def test_sql_figures_match_the_definition(rows) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        conn = connect(Path(tmp))
        conn.execute(
            "INSERT INTO files (id, path, root, relpath, kind, size, mtime_ns, config_fingerprint)"
            " VALUES (1, 'f', 'r', 'f', 'calls', 0, 0, '')"
        )
        conn.executemany(
            "INSERT INTO calls (file_id, line, offset, length, trace_id, task, run_id, bare, round,"
            " new_entities, entity_id, queries, context_chars, preview, metadata, call_findings,"
            " call_verdict, findings, verdict) VALUES"
            " (1, ?, 0, 0, 't', ?, ?, ?, ?, ?, ?, ?, 0, '', '{}', '[]', 'pass', '[]', 'pass')",
            [
                (line, task, run, bare, round_, new, entity, queries)
                for line, (run, task, round_, new, entity, queries, bare) in enumerate(rows)
            ],
        )
        found = run_figures(conn)
        conn.close()
    expected = {}
    for run in {r[0] for r in rows}:
        members = [r for r in rows if r[0] == run]
        expected[run] = RunFigures.of(
            [RunCall(task, rnd, new, entity, q) for _, task, rnd, new, entity, q, _ in members],
            bare=any(r[6] for r in members),
        )
    assert found == expected
