"""Detection from a file's head: big documents whose first object does not fit in it."""

from __future__ import annotations

import json
from pathlib import Path

from core.importers.registry import describe_unknown, detect_format
from core.importers.sniff import scan_keys, sniff
from tests.importers.helpers import FIXTURES, check_json

BIG_TEXT = "x" * 200_000  # more than the 64 KiB head


def test_scan_keys_skips_nested_keys_and_strings() -> None:
    text = b'{"a": {"inner": 1}, "b": "has \\" and {\\"k\\": 1}", "c": [1, {"d": 2}], "e": tru'
    assert scan_keys(text, 1) == ["a", "b", "c", "e"]
    assert scan_keys(b'[{"x": 1, "y": {"z": 2}}, {"w": 3}]', 2) == ["x", "y"]


def test_a_big_pretty_printed_inspect_log_is_detected(tmp_path: Path) -> None:
    log = json.loads((FIXTURES / "inspect_log.json").read_text())
    log["eval"]["metadata"] = {"notes": BIG_TEXT}
    path = tmp_path / "big.json"
    path.write_text(json.dumps(log, indent=2))
    assert detect_format(path) == "inspect"


def test_a_big_langfuse_array_is_detected(tmp_path: Path) -> None:
    traces = json.loads((FIXTURES / "langfuse_traces.json").read_text())
    traces[0]["observations"][0]["output"] = {"role": "assistant", "content": BIG_TEXT}
    path = tmp_path / "big.json"
    path.write_text(json.dumps(traces, indent=2))
    assert detect_format(path) == "langfuse"


def test_unknown_heads_are_described() -> None:
    assert describe_unknown(b"hello") == "not JSON or JSONL"
    assert "keys of the first item: id, score" in describe_unknown(b'[{"id": 1, "score": 2}]')
    assert sniff(b'{"a": 1}\n{"b": 2}\n').keys == ("a",)


def test_a_jsonl_of_another_shape_gets_a_hint(capsys, tmp_path: Path) -> None:
    folder = tmp_path / "traces"
    folder.mkdir()
    (folder / "agent.jsonl").write_text('{"prompt": "hi", "completion": "yo"}\n')
    code, report, err = check_json(capsys, [folder], tmp_path / "ws")
    assert code == 0
    assert (
        "agent.jsonl: neither trace lines nor a known format (keys of its first line: prompt,"
        " completion)"
    ) in err
    assert report["errors"][0]["message"] == 'no "messages" key'
