"""``curator eval --heldout`` on a real export in both layouts: ``--layout tasks`` (per-task
folders, manifest inside) and ``--layout provider`` (flat ``<task>-heldout.jsonl``, sidecars in
``OUT.meta``). A tool-calling agent and a support bot, no curator.toml: gold vs gold scores
1.0 on every accuracy metric of both kinds, and the eval is linked to the export's manifest.
"""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest

from core.cli import main
from core.eval.heldout import HeldoutError, available_tasks, load_heldout
from tests.eval.kind_sets import KIND_SETS, call
from tests.eval.test_eval_kinds import TEXT_METRICS, TOOL_METRICS

CITIES = ("Lisbon", "Porto", "Berlin", "Oslo", "Madrid", "Paris", "Rome", "Vienna")


def _corpus(folder: Path) -> Path:
    """A tool-call task and a text task, tagged by ``metadata.task``, one run per line."""
    tool_line = KIND_SETS["weather_agent"][0]
    text_line = KIND_SETS["support"][0]
    lines = []
    for number, city in enumerate(CITIES):
        tool = orjson.loads(orjson.dumps(tool_line))
        tool["messages"][1]["content"] = f"What's the weather in {city}?"
        tool["messages"][-1]["tool_calls"] = [call("get_weather", {"city": city})]
        tool["metadata"] = {"task": "weather_agent", "run_id": f"w{number}"}
        text = orjson.loads(orjson.dumps(text_line))
        text["messages"][1]["content"] = f"Do you ship to {city}?"
        text["messages"][-1]["content"] = f"Yes, we ship to {city} within {number + 2} days."
        text["metadata"] = {"task": "support", "run_id": f"s{number}"}
        lines += [tool, text]
    folder.mkdir(parents=True)
    (folder / "agent.jsonl").write_bytes(b"".join(orjson.dumps(x) + b"\n" for x in lines))
    return folder


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("layouts")
    corpus = _corpus(root / "traces")
    workspace = str(root / "ws")
    assert main(["check", str(corpus), "--workspace", workspace]) == 0
    outs = {}
    for layout in ("tasks", "provider"):
        out = root / f"export-{layout}"
        args = ["export", str(corpus), "--out", str(out), "--heldout", "3", "--layout", layout]
        assert main([*args, "--workspace", workspace]) == 0
        outs[layout] = out
    return outs


def test_both_layouts_list_the_same_tasks(exported: dict[str, Path]) -> None:
    assert (exported["provider"] / "support-heldout.jsonl").is_file()
    assert not (exported["provider"] / "manifest.json").exists()
    for out in exported.values():
        assert available_tasks(out) == ["support", "weather_agent"]
    tasks, provider = (load_heldout(exported[k]) for k in ("tasks", "provider"))
    assert {t: [e.record for e in x] for t, x in tasks.examples.items()} == {
        t: [e.record for e in x] for t, x in provider.examples.items()
    }
    # the manifest is read from OUT.meta, so the eval links to the export that made it
    meta = exported["provider"].with_name("export-provider.meta")
    assert provider.manifest_hash == _manifest_hash(meta)
    assert tasks.manifest_hash == _manifest_hash(exported["tasks"])


def _manifest_hash(folder: Path) -> str:
    return orjson.loads((folder / "manifest.json").read_bytes())["hash"]


@pytest.mark.parametrize("layout", ["tasks", "provider"])
def test_gold_vs_gold_is_one_on_both_layouts(
    exported: dict[str, Path], layout: str, tmp_path: Path, capsys
) -> None:
    args = ["eval", "--heldout", str(exported[layout]), "--candidate", "gold"]
    code = main([*args, "--baseline", "gold", "--workspace", str(tmp_path / "ws"), "--json", "-"])
    assert code == 0
    report = orjson.loads(capsys.readouterr().out)
    tasks = report["tasks"]
    assert tasks["weather_agent"]["kinds"] == {"tool_call": 3}
    assert tasks["support"]["kinds"] == {"text": 3}
    for task, names in (("weather_agent", TOOL_METRICS), ("support", TEXT_METRICS)):
        for name in names:
            row = tasks[task]["metrics"][name]
            assert (row["candidate"], row["baseline"]) == (1.0, 1.0), (task, name)


def test_a_folder_without_heldout_files_names_both_layouts(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    with pytest.raises(HeldoutError, match=r"<task>/heldout.jsonl or <task>-heldout.jsonl"):
        load_heldout(tmp_path / "empty")
