"""Which calls an export takes: rejected never, accepted always (repaired), undecided if passing."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from export_corpus import Corpus, exported_ids, read_ids, read_jsonl

from core.config import CuratorConfig
from core.export import ExportOptions, export_dataset, preview_export, selection_counts
from core.review.decisions import Target, decide, set_repair


def all_ids(out: Path) -> list[str]:
    return [tid for ids in exported_ids(out).values() for tid in ids]


def options(**changes: object) -> ExportOptions:
    """No held-out: every selected example lands in a train file, whatever the run sizes."""
    return ExportOptions(heldout_per_task=0, **changes)


def unique_call(corpus: Corpus, task: str, index: int = 0) -> str:
    """A call of ``task`` in a passing run that has no exact copy elsewhere."""
    calls = [
        t
        for t in corpus.by_task[task]
        if t != corpus.exact_dup and corpus.run_of[t] not in corpus.failing_runs
    ]
    return calls[index]


def test_auto_takes_passing_calls_only(store: sqlite3.Connection, corpus: Corpus, tmp_path: Path):
    result = export_dataset(store, CuratorConfig(), options(), tmp_path / "ds")
    exported = set(all_ids(result.out_dir))
    failing = {t for t, run in corpus.run_of.items() if run in corpus.failing_runs}
    assert exported and not exported & failing
    assert not exported & set(corpus.bare), "verdict unknown is not auto-included"
    decisions = result.manifest["decisions"]
    assert decisions["accepted"] == 0 and decisions["rejected"] == 0
    assert decisions["auto_included"] == decisions["selected"]
    assert decisions["undecided_left_out"] == len(failing) + len(corpus.bare)


def test_rejected_never_exported(store: sqlite3.Connection, corpus: Corpus, tmp_path: Path):
    passing_run = next(r for r in corpus.runs if r not in corpus.failing_runs)
    rejected_call = next(
        t for t in corpus.by_task["extraction"] if corpus.run_of[t] not in corpus.failing_runs
    )
    decide(store, [Target("run", passing_run)], "reject", "bad habits")
    decide(store, [Target("call", rejected_call)], "reject")
    result = export_dataset(store, CuratorConfig(), options(), tmp_path / "ds")
    exported = set(all_ids(result.out_dir))
    assert rejected_call not in exported
    assert not {t for t, run in corpus.run_of.items() if run == passing_run} & exported
    assert result.manifest["decisions"]["rejected"] >= 2


def test_rejected_call_beats_accepted_run(store, corpus: Corpus, tmp_path: Path):
    run = corpus.runs[0]
    call = next(t for t, r in corpus.run_of.items() if r == run)
    decide(store, [Target("run", run)], "accept")
    decide(store, [Target("call", call)], "reject")
    result = export_dataset(store, CuratorConfig(), options(), tmp_path / "ds")
    assert call not in all_ids(result.out_dir)


def test_accepted_but_failing_is_exported(store, corpus: Corpus, tmp_path: Path):
    failing_run = sorted(corpus.failing_runs)[0]
    decide(store, [Target("run", failing_run)], "accept")
    accepted = {t for t, run in corpus.run_of.items() if run == failing_run}
    result = export_dataset(store, CuratorConfig(), options(), tmp_path / "ds")
    assert accepted <= set(all_ids(result.out_dir))
    assert result.manifest["decisions"]["accepted_failing"] == len(accepted)


def test_accepted_bare_line_is_exported(store, corpus: Corpus, tmp_path: Path):
    decide(store, [Target("call", corpus.bare[0])], "accept")
    result = export_dataset(store, CuratorConfig(), options(), tmp_path / "ds")
    assert corpus.bare[0] in all_ids(result.out_dir)
    assert corpus.bare[1] not in all_ids(result.out_dir)
    assert result.manifest["decisions"]["accepted_unknown"] == 1


def test_repair_exported_instead_of_original(store, corpus: Corpus, tmp_path: Path):
    call = unique_call(corpus, "planning")
    fixed = '{"entity_type": "dentists", "target_count": 10, "city": "Austin", "tool_steps": []}'
    decide(store, [Target("call", call)], "accept")
    set_repair(store, Target("call", call), fixed)
    result = export_dataset(store, CuratorConfig(), options(), tmp_path / "ds")
    for split in ("train", "heldout"):
        ids = read_ids(result.out_dir / "planning" / f"{split}.ids")
        if call in ids:
            record = read_jsonl(result.out_dir / "planning" / f"{split}.jsonl")[ids.index(call)]
            break
    else:
        raise AssertionError("repaired call not exported")
    assert record["messages"][-1] == {"role": "assistant", "content": fixed}
    assert len(record["messages"]) == 3
    everything = b"".join(p.read_bytes() for p in result.out_dir.rglob("*.jsonl"))
    original = store.execute("SELECT preview FROM calls WHERE trace_id = ?", (call,)).fetchone()[0]
    assert original.encode() not in everything, "the original output must not be exported"
    assert result.manifest["decisions"]["repaired"] == 1


def test_repair_on_undecided_call_is_not_used(store, corpus: Corpus, tmp_path: Path):
    call = unique_call(corpus, "planning", 1)
    set_repair(store, Target("call", call), '{"draft": true}')
    result = export_dataset(store, CuratorConfig(), options(), tmp_path / "ds")
    everything = b"".join(p.read_bytes() for p in result.out_dir.rglob("*.jsonl"))
    assert b"draft" not in everything


def test_include_accepted_takes_only_accepted(store, corpus: Corpus, tmp_path: Path):
    accepted_runs = [r for r in corpus.runs if r not in corpus.failing_runs][:8]
    decide(store, [Target("run", r) for r in accepted_runs], "accept")
    result = export_dataset(store, CuratorConfig(), options(include="accepted"), tmp_path / "ds")
    runs = {corpus.run_of[t] for t in all_ids(result.out_dir)}
    assert runs <= set(accepted_runs)
    assert result.manifest["selection"] == "accepted"
    assert result.manifest["decisions"]["auto_included"] == 0


def test_preview_counts_without_writing(store, corpus: Corpus, tmp_path: Path):
    plan = preview_export(store, CuratorConfig(), ExportOptions(heldout_per_task=3))
    counts = plan.counts()
    assert set(counts) == {"planning", "extraction", "enrichment"}
    assert all(c["heldout"] == 3 for c in counts.values())
    assert sum(c["train"] + c["heldout"] for c in counts.values()) == len(plan.examples)
    left_out = sum(t.heldout_left_out for t in plan.tasks.values())
    assert plan.decisions.selected == len(plan.examples) + left_out + 1  # one exact duplicate
    assert plan.ok and not (tmp_path / "ds").exists()
    assert store.execute("SELECT COUNT(*) FROM exports").fetchone()[0] == 0


def test_selection_counts_from_the_index_alone(store, corpus: Corpus):
    decide(store, [Target("call", unique_call(corpus, "planning"))], "reject")
    auto = selection_counts(store, "auto")
    assert auto.rejected == 1 and auto.accepted == 0
    assert (
        auto.selected
        == auto.auto_included
        == preview_export(store, CuratorConfig(), options()).decisions.selected
    )
    assert selection_counts(store, "accepted").selected == 0
