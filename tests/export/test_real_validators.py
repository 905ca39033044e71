"""The providers' own validators find no error in our exports (see ``validators.py``).

Two corpora: ``sample_traces/`` (the story's agent, calls selected as passing) and a corpus
shaped like users' data (plain chat, tool calls with ``tools``, multi-turn trajectories, and
the extra keys real logs carry), every run accepted. Each is exported in the provider layout
for each provider, and every written file goes through that provider's validator.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from fireworks.lib.dataset_upload import collect_dataset_shards, count_dataset_examples
from users_corpus import write_users_corpus
from validators import openai_format_errors, together_reports

from core.check.run import run_check
from core.config import CuratorConfig
from core.export import PROVIDERS, ExportOptions, export_dataset
from core.review.decisions import Target, decide
from core.store.db import connect

SAMPLE_TRACES = Path(__file__).resolve().parents[2] / "sample_traces"


@pytest.fixture(params=["sample_traces", "users"])
def checked(request, tmp_path: Path) -> Iterator[tuple[sqlite3.Connection, str]]:
    conn = connect(tmp_path / "ws")
    if request.param == "sample_traces":
        run_check(conn, [SAMPLE_TRACES], CuratorConfig())
        include = "auto"
    else:
        root = write_users_corpus(tmp_path / "traces")
        run_check(conn, [root], CuratorConfig())
        runs = [row[0] for row in conn.execute("SELECT run_id FROM runs")]
        decide(conn, [Target("run", run) for run in runs], "accept")
        include = "accepted"
    yield conn, include
    conn.close()


def export_files(conn, include: str, provider: str, out: Path) -> list[Path]:
    options = ExportOptions(
        include=include, provider=provider, layout="provider", heldout_per_task=3
    )
    result = export_dataset(conn, CuratorConfig(), options, out)
    return [out / entry.path for entry in result.files]


@pytest.mark.parametrize("provider", PROVIDERS)
def test_validators_accept_our_exports(checked, provider: str, tmp_path: Path):
    conn, include = checked
    out = tmp_path / provider
    files = export_files(conn, include, provider, out)
    assert files
    if provider == "together":
        for path, report in zip(files, together_reports(files), strict=True):
            assert report["is_check_passed"], (path.name, report["message"])
    elif provider == "openai":
        for path in files:
            if "-train" in path.name:  # held-out sets are eval data, below the 10-example floor
                assert openai_format_errors(path) == {}, path.name
            else:
                assert set(openai_format_errors(path)) <= {"fewer_than_10_examples"}
    else:
        shards = collect_dataset_shards(str(out))
        assert sorted(Path(s) for s in shards) == sorted(files)
        assert count_dataset_examples(str(out)) == sum(
            len(p.read_bytes().splitlines()) for p in files
        )


def test_together_checker_catches_what_we_fixed(tmp_path: Path):
    # the validator is real: mixed content and extra columns (what exports used to write)
    # fail it, so a pass above means something
    mixed = tmp_path / "mixed.jsonl"
    mixed.write_text(
        '{"messages": [{"role": "user", "content": [{"type": "text", "text": "hi"}]},'
        ' {"role": "assistant", "content": "hello"}]}\n'
    )
    extra = tmp_path / "extra.jsonl"
    extra.write_text(
        '{"messages": [{"role": "user", "content": "hi"}, {"role": "assistant",'
        ' "content": "hello"}], "parallel_tool_calls": false}\n'
    )
    reports = together_reports([mixed, extra])
    assert "all in multimodal or all in text-only" in reports[0]["message"]
    assert 'extra column "parallel_tool_calls"' in reports[1]["message"]
