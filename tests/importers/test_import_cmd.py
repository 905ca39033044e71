"""``curator import`` in process: help, outputs, determinism, exit codes, one-line problems,
and the round trip import → check → export back to the source conversations."""

from __future__ import annotations

import hashlib
from pathlib import Path

import orjson
import pytest

from core.cli import main
from core.cli.exit_codes import ExitCode
from core.importers.registry import FORMATS
from tests.importers.helpers import FIXTURES, check_json, copy_fixtures, read_jsonl


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def digest(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def test_help_lists_every_format_with_an_example(capsys) -> None:
    code, out, _ = run(capsys, "import", "--help")
    assert code == 0
    for name in FORMATS:
        assert f"\n  {name} " in out
        assert f"e.g. curator import {name} " in out
    assert "auto" in out


def test_auto_import_of_every_fixture(capsys, tmp_path: Path) -> None:
    sources = copy_fixtures(tmp_path / "src", *(p.name for p in FIXTURES.iterdir()))
    before = digest(sources)
    out_dir = tmp_path / "out"
    code, out, err = run(capsys, "import", "auto", str(sources), "--out", str(out_dir))
    assert code == ExitCode.GATE_FAILED  # the fixtures plant unmappable records
    assert digest(sources) == before
    written = sorted(p.name for p in out_dir.iterdir())
    assert written == [
        "batch_output.jsonl",
        "inspect_log-2.jsonl",
        "inspect_log.jsonl",
        "langfuse_traces.jsonl",
        "langsmith_runs.jsonl",
        "openai_chat.jsonl",
        "otel_legacy.jsonl",
        "otel_spans.jsonl",
        "sharegpt.jsonl",
        "wrapped_trace.jsonl",
    ]
    assert "otel_spans.jsonl: 3 calls, 2 runs (otel_genai, 2 not imported)" in out
    assert out.rstrip().endswith(f"29 calls in 22 runs written to {out_dir}")
    lines = err.splitlines()
    assert len(lines) == 17 and all(line.startswith("curator: error: ") for line in lines)
    assert f"curator: error: {sources}/sharegpt.json: record 4: no assistant reply" in err
    assert f"curator: error: {sources}/otel_spans.jsonl:4: not valid JSON" in err
    # deterministic: a second import writes the same bytes
    first = digest(out_dir)
    run(capsys, "import", "auto", str(sources), "--out", str(out_dir))
    assert digest(out_dir) == first
    # the imported lines are contract lines: check reads them directly, without import
    code, report, err = check_json(capsys, [out_dir], tmp_path / "ws")
    assert code == 0 and "detected" not in err
    assert len(report["calls"]) == 29 and report["errors"] == []


def test_json_summary(capsys, tmp_path: Path) -> None:
    code, out, _ = run(
        capsys,
        "import",
        "langfuse",
        str(FIXTURES / "langfuse_traces.json"),
        "--out",
        str(tmp_path / "out"),
        "--json",
    )
    assert code == ExitCode.GATE_FAILED
    summary = orjson.loads(out)
    assert (summary["calls"], summary["runs"], summary["problems"]) == (3, 2, 2)
    entry = summary["files"][0]
    assert entry["format"] == "langfuse" and entry["out"].endswith("langfuse_traces.jsonl")
    assert entry["problems"][1] == {
        "file": str(FIXTURES / "langfuse_traces.json"),
        "record": 3,
        "unit": "record",
        "reason": "observation: type: field required",
    }


def test_clean_import_exits_zero(capsys, tmp_path: Path) -> None:
    source = tmp_path / "chat.jsonl"
    source.write_bytes(b"".join((FIXTURES / "openai_chat.jsonl").read_bytes().splitlines(True)[:3]))
    code, out, err = run(capsys, "import", "auto", str(source), "--out", str(tmp_path / "out"))
    assert (code, err) == (0, "")
    assert "3 calls in 3 runs" in out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["import", "otel_genai", "missing.jsonl"], "missing.jsonl: no such file or folder"),
        (["import", "auto", "{notes}"], "nothing to import"),
    ],
)
def test_usage_errors_are_one_line(capsys, tmp_path: Path, argv, message) -> None:
    (tmp_path / "notes.json").write_text('{"title": "x"}')
    argv = [a.replace("{notes}", str(tmp_path / "notes.json")) for a in argv]
    code, _, err = run(capsys, *argv, "--out", str(tmp_path / "out"))
    assert code == ExitCode.USAGE
    assert err.splitlines()[-1] == f"curator: error: {message}"


def test_an_output_never_overwrites_its_source(capsys, tmp_path: Path) -> None:
    source = copy_fixtures(tmp_path, "wrapped_trace.jsonl") / "wrapped_trace.jsonl"
    before = source.read_bytes()
    code, _, err = run(capsys, "import", "wrapped", str(source), "--out", str(tmp_path))
    assert code == ExitCode.USAGE and "would overwrite a source" in err
    assert source.read_bytes() == before


def test_round_trip_openai_chat_import_check_export(capsys, tmp_path: Path) -> None:
    """import → check → export: the exported examples are the source conversations, with their
    tools, parallel_tool_calls and weights. No decision is needed: the lines have no run key
    and no story task, so they pass on their content rules and ``--include auto`` takes them."""
    source = tmp_path / "train.jsonl"
    kept = (FIXTURES / "openai_chat.jsonl").read_bytes().splitlines(True)[:3]
    source.write_bytes(b"".join(kept))
    workspace = str(tmp_path / "ws")
    assert run(capsys, "import", "openai_chat", str(source), "--out", str(tmp_path / "t"))[0] == 0
    _, report, _ = check_json(capsys, [tmp_path / "t"], tmp_path / "ws")
    assert [call["verdict"] for call in report["calls"]] == ["pass"] * 3
    code, _, err = run(
        capsys, "export", "--out", str(tmp_path / "ds"), "--heldout", "0", "--workspace", workspace
    )
    assert code == 0, err
    exported = read_jsonl(tmp_path / "ds" / "unknown" / "train.jsonl")
    original = [orjson.loads(line) for line in kept]
    # the format's top-level keys (parallel_tool_calls is part of it: docs/PROVIDER_FORMATS.md)
    format_keys = ("messages", "tools", "parallel_tool_calls")
    expected = [{k: r[k] for k in format_keys if k in r} for r in original]

    def key(record: dict) -> bytes:
        return orjson.dumps(record, option=orjson.OPT_SORT_KEYS)

    assert sorted(exported, key=key) == sorted(expected, key=key)
    assert any(m.get("weight") == 0 for r in exported for m in r["messages"])


def test_an_unwritable_output_is_one_line(capsys, tmp_path: Path) -> None:
    (tmp_path / "file").write_text("")
    code, _, err = run(
        capsys,
        "import",
        "sharegpt",
        str(FIXTURES / "sharegpt.json"),
        "--out",
        str(tmp_path / "file"),
    )
    assert code == ExitCode.USAGE
    assert err.splitlines()[-1].startswith("curator: error: ") and "cannot write" in err
