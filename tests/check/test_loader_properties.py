"""Property tests: whatever bytes a corpus file holds, the check never raises and every
problem names its file and line."""

from __future__ import annotations

import tempfile
from pathlib import Path

import orjson
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.check.run import run_check
from core.config import CuratorConfig
from core.store.db import connect

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**63), 2**63 - 1)
    | st.floats(allow_nan=False)
    | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(
            st.sampled_from(
                ["messages", "role", "content", "metadata", "run_id", "task", "round", "x"]
            ),
            children,
            max_size=4,
        )
    ),
    max_leaves=20,
)
lines = st.one_of(
    st.binary(max_size=60).filter(lambda b: b"\n" not in b and b"\r" not in b),
    json_values.map(lambda v: orjson.dumps(v)),
    st.fixed_dictionaries({"messages": json_values}).map(lambda v: orjson.dumps(v)),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(lines, max_size=12))
def test_check_never_raises_and_reports_every_bad_line(raw_lines: list[bytes]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "extraction.jsonl").write_bytes(b"\n".join(raw_lines) + b"\n")
        conn = connect(folder / "ws")
        run_check(conn, [folder / "extraction.jsonl"], CuratorConfig())
        calls = conn.execute("SELECT line FROM calls").fetchall()
        errors = conn.execute("SELECT line, message FROM load_errors").fetchall()
        conn.close()
    # A UTF-8 BOM opening the file is not content.
    stripped = [
        raw.removeprefix(b"\xef\xbb\xbf") if n == 1 else raw
        for n, raw in enumerate(raw_lines, start=1)
    ]
    non_blank = [n for n, raw in enumerate(stripped, start=1) if raw.strip()]
    assert sorted([row[0] for row in calls] + [row[0] for row in errors]) == non_blank
    assert all(line >= 1 and message for line, message in errors)
