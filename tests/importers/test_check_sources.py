"""``curator check`` on sources of another format: detected, imported into the workspace once,
checked like contract files, runs grouped as the source grouped them, and every imported line
with the verdict a user expects (PRODUCT.md, "Beyond the story's agent"), with no curator.toml:
a tool-call target passes (its null content is not empty), a JSON reply passes, the earlier
call of a trajectory logged per LLM call is a step of the later one (``dup.prefix``), and no
band applies to runs of these tasks (each ``n/a``), so every run passes.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest

from core.importers.cache import PROBLEMS_FILE
from tests.importers.helpers import FIXTURES, check_json, copy_fixtures, rules_of, runs_of

STEP = ("tool_call", "fail", {"dup.prefix"})  # the tool call of a two-call run: a step
JSON_REPLY = ("json", "pass", set())
# file -> (detected title, run sizes, (kind, verdict, rules) of each imported line in order)
CASES = {
    "otel_spans.jsonl": ("OpenTelemetry GenAI", [2, 1], [STEP, JSON_REPLY, JSON_REPLY]),
    "langfuse_traces.json": ("Langfuse", [2, 1], [STEP, JSON_REPLY, JSON_REPLY]),
    "langsmith_runs.jsonl": ("LangSmith", [2, 1], [STEP, JSON_REPLY, JSON_REPLY]),
    "inspect_log.eval": ("Inspect AI", [2, 1, 1], [STEP, *[JSON_REPLY] * 3]),
    "inspect_log.json": ("Inspect AI", [2, 1, 1], [STEP, *[JSON_REPLY] * 3]),
    "sharegpt.json": ("ShareGPT", [1, 1], [JSON_REPLY, JSON_REPLY]),
    "wrapped_trace.jsonl": ("trace", [2, 1], [STEP, JSON_REPLY, JSON_REPLY]),
}


def verdicts(calls: list[dict]) -> list[tuple[str, str, set[str]]]:
    return [(c["kind"], c["verdict"], rules_of(c)) for c in calls]


@pytest.mark.parametrize("name", sorted(CASES))
def test_check_imports_and_groups_runs(capsys, tmp_path: Path, name: str) -> None:
    folder = copy_fixtures(tmp_path / "traces", name)
    before = (folder / name).read_bytes()
    code, report, err = check_json(capsys, [folder], tmp_path / "ws")
    assert code == 0, err
    title, run_sizes, expected = CASES[name]
    assert f"{name}: detected " in err and title in err
    assert report["detected"] == [line.removeprefix("curator: ") for line in err.splitlines()]
    calls = report["calls"]
    assert {c["file"] for c in calls} == {name}  # shown as the source, not the cached copy
    assert sorted(runs_of(calls).values()) == sorted(run_sizes)
    assert verdicts(calls) == expected
    # a step names the later call of its own run as the trajectory it belongs to
    for step in (c for c in calls if "dup.prefix" in rules_of(c)):
        (later,) = (c for c in calls if c["run_id"] == step["run_id"] and c is not step)
        message = step["findings"][0]["message"]
        assert message == f"a step of the longer trajectory {later['trace_id']} ({name}:2)"
    assert report["summary"]["runs_by_verdict"] == {"pass": len(run_sizes), "fail": 0, "unknown": 0}
    for run in report["runs"]:
        assert {b["status"] for b in run["bands"]} == {"n/a"}, run["run_id"]
    errors = report["errors"]
    assert errors and all(e["file"] == name for e in errors)
    assert (folder / name).read_bytes() == before  # the source is never modified


def test_batch_files_are_joined(capsys, tmp_path: Path) -> None:
    folder = copy_fixtures(tmp_path / "traces", "batch_input.jsonl", "batch_output.jsonl")
    code, report, err = check_json(capsys, [folder], tmp_path / "ws")
    assert code == 0, err
    assert "batch_output.jsonl, batch_input.jsonl: detected OpenAI Batch" in err
    assert verdicts(report["calls"]) == [("tool_call", "pass", set()), JSON_REPLY]
    assert {c["file"] for c in report["calls"]} == {"batch_output.jsonl"}
    messages = {e["message"] for e in report["errors"]}
    assert any("req-4" in m and m.startswith("batch_input.jsonl:4:") for m in messages)


def test_a_problem_of_the_other_batch_file_is_named_once(capsys, tmp_path: Path) -> None:
    from core.cli import main

    folder = copy_fixtures(tmp_path / "traces", "batch_input.jsonl", "batch_output.jsonl")
    main(["check", str(folder), "--workspace", str(tmp_path / "ws")])
    out = capsys.readouterr().out
    assert "\n  batch_input.jsonl:4: custom_id 'req-4': no response in the output files\n" in out
    assert ":0:" not in out


def test_contract_jsonl_is_read_directly(capsys, tmp_path: Path) -> None:
    folder = copy_fixtures(tmp_path / "traces", "openai_chat.jsonl")
    code, report, err = check_json(capsys, [folder], tmp_path / "ws")
    assert code == 0 and "detected" not in err
    assert not (tmp_path / "ws" / "imported").exists()
    # the fourth line is not valid JSON; the fifth's messages are not a list
    calls = report["calls"]
    assert [(c["line"], *v) for c, v in zip(calls, verdicts(calls), strict=True)] == [
        (1, *JSON_REPLY),
        (2, *JSON_REPLY),
        (3, *JSON_REPLY),
        (5, "text", "fail", {"format.messages"}),
    ]


def test_checking_twice_neither_reimports_nor_duplicates(capsys, tmp_path: Path) -> None:
    folder = copy_fixtures(tmp_path / "traces", "otel_spans.jsonl")
    workspace = tmp_path / "ws"
    check_json(capsys, [folder], workspace)
    cached = sorted((workspace / "imported").rglob("*.jsonl"))
    stamp = cached[0].stat().st_mtime_ns
    _, report, _ = check_json(capsys, [folder, folder / "otel_spans.jsonl"], workspace)
    assert len(report["calls"]) == 3
    assert sorted((workspace / "imported").rglob("*.jsonl")) == cached
    assert cached[0].stat().st_mtime_ns == stamp
    conn = sqlite3.connect(workspace / "curator.db")
    assert conn.execute("SELECT COUNT(*) FROM calls").fetchone()[0] == 3
    # a changed source replaces its import; the older copy is removed
    source = folder / "otel_spans.jsonl"
    source.write_bytes(b"\n".join(source.read_bytes().splitlines()[:2]) + b"\n")
    os.utime(source, ns=(stamp + 10**9, stamp + 10**9))
    _, report, _ = check_json(capsys, [folder], workspace)
    assert len(report["calls"]) == 2
    remaining = list((workspace / "imported").rglob("*.jsonl"))
    assert len(remaining) == 1 and remaining != cached
    assert (remaining[0].parent / PROBLEMS_FILE).is_file()
    assert conn.execute("SELECT COUNT(*) FROM calls").fetchone()[0] == 2


def test_a_workspace_inside_the_corpus_is_not_read_as_traces(capsys, tmp_path: Path) -> None:
    folder = copy_fixtures(tmp_path / "traces", "inspect_log.json")
    _, first, _ = check_json(capsys, [folder], folder / ".curator")
    _, again, _ = check_json(capsys, [folder], folder / ".curator")
    assert len(again["calls"]) == len(first["calls"]) == 4


def test_unrecognised_json_names_its_keys(capsys, tmp_path: Path) -> None:
    folder = tmp_path / "traces"
    folder.mkdir()
    (folder / "notes.json").write_text('{"title": "x", "items": [1, 2]}')
    copy_fixtures(folder, "openai_chat.jsonl")
    code, report, err = check_json(capsys, [folder], tmp_path / "ws")
    assert code == 0
    assert (
        "notes.json: unrecognised JSON document (top-level keys: title, items);"
        " see `curator import --help`"
    ) in err
    assert {c["file"] for c in report["calls"]} == {"openai_chat.jsonl"}


def test_human_output_says_which_format(capsys, tmp_path: Path) -> None:
    from core.cli import main

    folder = copy_fixtures(tmp_path / "traces", "inspect_log.json")
    assert main(["check", str(folder), "--workspace", str(tmp_path / "ws")]) == 0
    out = capsys.readouterr().out
    assert out.startswith(
        "inspect_log.json: detected Inspect AI eval log (.eval archive or .json);"
        " 4 calls imported, 1 not imported\n"
    )
    assert "inspect_log.json:2: id 2 epoch 1, model call 2: model returned no choices" in out


def test_fixture_folder_is_untouched() -> None:
    assert not (FIXTURES / ".curator").exists()


def test_a_cancelled_import_leaves_no_cached_file(tmp_path: Path) -> None:
    import threading

    from core.check.run import run_check
    from core.config import CuratorConfig
    from core.progress import Cancelled
    from core.store.db import connect

    folder = copy_fixtures(tmp_path / "traces", "otel_spans.jsonl")
    conn = connect(tmp_path / "ws")
    cancel = threading.Event()
    cancel.set()
    with pytest.raises(Cancelled):
        run_check(conn, [folder], CuratorConfig(), cancel=cancel)
    assert list((tmp_path / "ws" / "imported").rglob("*.jsonl")) == []
    assert len(run_check(conn, [folder], CuratorConfig()).detected) == 1
    conn.close()


def test_a_recheck_reads_no_bytes_of_unchanged_sources(capsys, tmp_path: Path) -> None:
    """Same size and mtime, different bytes: neither the contract file nor the imported
    source is read again (as the indexer promises for contract files)."""
    folder = copy_fixtures(tmp_path / "traces", "openai_chat.jsonl", "inspect_log.json")
    workspace = tmp_path / "ws"
    _, first, first_err = check_json(capsys, [folder], workspace)
    for name in ("openai_chat.jsonl", "inspect_log.json"):
        path = folder / name
        stat = path.stat()
        # would be detected as ShareGPT (or be unreadable) if it were read
        filler = b'{"conversations": []}'
        path.write_bytes(filler + b" " * (stat.st_size - len(filler)))
        os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    _, second, second_err = check_json(capsys, [folder], workspace)
    assert second_err == first_err and "inspect_log.json: detected Inspect AI" in second_err
    assert [c["trace_id"] for c in second["calls"]] == [c["trace_id"] for c in first["calls"]]
