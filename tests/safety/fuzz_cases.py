"""Fuzz strategies and the one case they drive: a corpus through check, export and the detail.

Used by ``tests/safety/test_fuzz.py`` (bounded, in CI) and ``bench/fuzz_report.py`` (more
cases, figures printed). A case passes when no exception escapes and nothing printed or
rendered holds a raw control character.
"""

from __future__ import annotations

import io
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass, field
from pathlib import Path

import orjson
from hypothesis import strategies as st
from rich.console import Console

from core.cli import main
from core.config import CuratorConfig
from core.review.detail import DetailLoader
from core.store.db import connect
from tests.factories import call
from tests.safety.hostile import HOSTILE, MARKUP, assert_clean
from tui.safe import clean_segments
from tui.widgets.detail_render import (
    findings_text,
    gauge_text,
    messages_renderable,
    metadata_text,
    title_text,
)

# Numbers past 64 bits and floats past 2**63 in metadata are the hardening branch's fix
# (issue 14, item 2); until it lands they are kept inside what SQLite stores as INTEGER.
BIG = 2**62
hostile_text = st.one_of(
    st.text(max_size=24),
    st.sampled_from([*HOSTILE, MARKUP, "", " ", "\n", "\u2028", "[/]", "[link=x]y"]),
    st.text(st.characters(min_codepoint=0, max_codepoint=0x9F), max_size=12),
)
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-BIG, BIG),
    st.floats(-1e15, 1e15, allow_nan=False),
    hostile_text,
)
json_values = st.recursive(
    scalars,
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(hostile_text, children, max_size=3)
    ),
    max_leaves=12,
)
content_part = st.one_of(
    st.fixed_dictionaries({"type": st.just("text"), "text": hostile_text}),
    st.fixed_dictionaries(
        {"type": st.just("image_url"), "image_url": st.fixed_dictionaries({"url": hostile_text})}
    ),
    st.dictionaries(st.sampled_from(["type", "text", "image", "input_audio"]), json_values),
)
arguments = st.one_of(
    hostile_text, json_values.map(lambda v: orjson.dumps(v).decode()), json_values
)
tool_call = st.fixed_dictionaries(
    {
        "id": hostile_text,
        "type": st.just("function"),
        "function": st.fixed_dictionaries(
            {"name": hostile_text}, optional={"arguments": arguments}
        ),
    }
)
message = st.fixed_dictionaries(
    {
        "role": st.sampled_from(["system", "user", "assistant", "tool", "developer"])
        | hostile_text,
        "content": st.one_of(hostile_text, st.lists(content_part, max_size=3), json_values),
    },
    optional={
        "tool_calls": st.lists(tool_call, max_size=2),
        "tool_call_id": hostile_text,
        "name": hostile_text,
        "weight": json_values,
    },
)
METADATA_KEYS = ["run_id", "task", "seq", "round", "model", "timestamp", "usage", "latency_ms",
                 "new_entities", "queries", "entity_id", "session_id", "trace_id"]  # fmt: skip
metadata = st.fixed_dictionaries(
    {}, optional={key: st.one_of(hostile_text, json_values) for key in METADATA_KEYS}
)
chat_record = st.fixed_dictionaries(
    {"messages": st.lists(message, max_size=5)},
    optional={
        "metadata": metadata,
        "tools": st.lists(json_values, max_size=2),
        "run_id": hostile_text,
    },
)
raw_line = st.binary(max_size=60).filter(lambda b: b"\n" not in b and b"\r" not in b)
corpus_line = st.one_of(
    chat_record.map(orjson.dumps),
    chat_record.map(orjson.dumps),  # weighted: most lines are chat records
    json_values.map(orjson.dumps),
    raw_line,
)
GOOD_CALLS = 12
FILE_NAMES = [
    "extraction.jsonl",
    "planning.jsonl",
    "chat.jsonl",
    "x\x1b[2J.jsonl",
    "[b]r[-b].jsonl",
]
corpus_files = st.dictionaries(
    st.sampled_from(FILE_NAMES), st.lists(corpus_line, min_size=1, max_size=8), min_size=1
)
runs_lines = st.lists(
    st.one_of(
        st.fixed_dictionaries({"run_id": hostile_text}, optional={"status": hostile_text})
        .flatmap(lambda base: st.dictionaries(hostile_text, json_values).map(base.__or__))
        .map(orjson.dumps),
        raw_line,
    ),
    max_size=3,
)


@dataclass
class Figures:
    """What a fuzz run tried."""

    cases: int = 0
    lines: int = 0
    calls: int = 0
    details: int = 0
    exports_written: int = 0
    crashes: list[str] = field(default_factory=list)


def cli(*argv: str) -> tuple[int, str, str]:
    """Run a curator command in process; its stdout and stderr as text."""
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main(list(argv))
    return code, out.getvalue(), err.getvalue()


def render_detail(renderables: list[object]) -> str:
    """The detail pane's renderables as its widget puts them on screen (segments cleaned)."""
    console = Console(width=80, file=io.StringIO(), force_terminal=True, record=True)
    for renderable in renderables:
        for line in console.render_lines(renderable, pad=False):
            console.print(*[s.text for s in clean_segments(line)], sep="", markup=False)
    return console.export_text(styles=False)


def run_case(
    files: dict[str, list[bytes]], runs: list[bytes], root: Path, figures: Figures
) -> None:
    """One fuzzed corpus: check (human and JSON), every call's detail, decide, export."""
    traces, workspace = root / "traces", root / "ws"
    traces.mkdir(parents=True)
    for name, lines in files.items():
        (traces / name).write_bytes(b"\n".join(lines) + b"\n")
        figures.lines += len(lines)
    if runs:
        (traces / "runs.jsonl").write_bytes(b"\n".join(runs) + b"\n")
    # Beside the fuzzed lines, well-formed calls with hostile ids, so the export writes files.
    good_runs = [f"good-{i}{HOSTILE[i % len(HOSTILE)]}" for i in range(GOOD_CALLS)]
    good = [call("planning", run_id=run_id, model=MARKUP) for run_id in good_runs]
    for index, record in enumerate(good):
        record["messages"][0]["content"] += f" ({index})"
    (traces / "good").mkdir()
    (traces / "good" / "planning.jsonl").write_bytes(b"\n".join(map(orjson.dumps, good)))
    ws = ("--workspace", str(workspace))
    code, out, err = cli("check", str(traces), *ws)
    assert code == 0, err
    assert_clean(out, err)
    code, out, err = cli("check", str(traces), "--json", *ws)
    assert code == 0, err
    assert_clean(out, err)
    report = orjson.loads(out)
    figures.calls += len(report["calls"])

    conn = connect(workspace)
    try:
        loader = DetailLoader(CuratorConfig())
        for (call_id,) in conn.execute("SELECT id FROM calls ORDER BY id LIMIT 6"):
            detail = loader.load(conn, call_id)
            assert detail is not None
            renderables = [
                title_text(detail),
                gauge_text("context", detail.context_chars, detail.max_context_chars),
                findings_text(detail.findings, detail.ungrounded),
                messages_renderable(detail, expanded=False),
                metadata_text(detail),
            ]
            assert_clean(render_detail(renderables))
            figures.details += 1
    finally:
        conn.close()

    fuzzed_runs = [run["run_id"] for run in report["runs"] if run["run_id"] not in good_runs]
    # Every other case also accepts fuzzed runs: their content meets the provider checks (and
    # mostly blocks the write); the others export the well-formed calls.
    fuzzed_runs = fuzzed_runs[:3] if figures.cases % 2 else []
    code, out, err = cli("decide", *good_runs, *fuzzed_runs, "--run", "--accept", *ws)
    assert code in (0, 2), err  # 2: a fuzzed run id argparse cannot take back (e.g. "-x")
    assert_clean(out, err)
    out_dir = root / "export"
    code, out, err = cli("export", "--out", str(out_dir), "--heldout", "1", "--near-dup", "0",
                         "--provider", "openai", *ws)  # fmt: skip
    assert code in (0, 1, 2), err
    assert "Traceback" not in err
    assert_clean(out, err)
    if code == 0:
        assert (out_dir / "manifest.json").is_file()
        figures.exports_written += 1
    figures.cases += 1
