"""Duplicates: exact copies exported once, near-duplicates kept on one side; MinHash itself."""

from __future__ import annotations

import random
import subprocess
import sys
from collections import Counter
from pathlib import Path

from export_corpus import VOCABULARY, Corpus, exported_ids

from core.config import CuratorConfig
from core.export import ExportOptions, export_dataset, preview_export
from core.export.dedup import UnionFind, group_runs
from core.export.minhash import (
    band_keys,
    lsh_params,
    packed,
    packed_similarity,
    shingles,
    signature,
    similarity,
)
from core.export.model import Example
from core.export.neardup import near_duplicate_clusters


def test_exact_duplicate_exported_once(store, corpus: Corpus, tmp_path: Path):
    # the copy sits in another run; the check fails it only for dup.exact
    result = export_dataset(
        store, CuratorConfig(), ExportOptions(heldout_per_task=3), tmp_path / "ds"
    )
    everywhere = [t for ids in exported_ids(result.out_dir).values() for t in ids]
    assert everywhere.count(corpus.exact_dup) == 1
    assert result.manifest["duplicates"]["exact_dropped"] == 1
    assert result.manifest["tasks"]["planning"]["exact_dropped"] == 1
    assert len(everywhere) == len(set(everywhere))


def test_near_duplicates_on_the_same_side(store, corpus: Corpus):
    for seed in range(8):
        plan = preview_export(store, CuratorConfig(), ExportOptions(heldout_per_task=3, seed=seed))
        split = {e.trace_id: e.split for e in plan.examples}
        first, second = corpus.near_dup_pair
        assert split[first] == split[second]
        runs = {e.run_id: e.split for e in plan.examples}
        assert runs[corpus.near_dup_runs[0]] == runs[corpus.near_dup_runs[1]]
        assert plan.duplicates.near_dup_groups == 1
        assert plan.duplicates.near_dup_examples == 2
        assert plan.duplicates.runs_linked == 2


def test_near_dup_zero_turns_grouping_off(store):
    plan = preview_export(store, CuratorConfig(), ExportOptions(near_dup_threshold=0))
    assert plan.duplicates.near_dup_groups == 0 and plan.duplicates.runs_linked == 0


def text(rng: random.Random, words: int = 300) -> list[str]:
    return [rng.choice(VOCABULARY) for _ in range(words)]


def test_similarity_estimates_jaccard():
    rng = random.Random(5)
    base = text(rng)
    near = list(base)
    near[100] = "different"
    unrelated = text(rng)
    a, b, c = (signature(" ".join(w)) for w in (base, near, unrelated))
    exact = len(shingles(" ".join(base)) & shingles(" ".join(near))) / len(
        shingles(" ".join(base)) | shingles(" ".join(near))
    )
    assert abs(similarity(a, b) - exact) < 0.1
    assert similarity(a, b) >= 0.9
    assert similarity(a, c) < 0.3
    assert similarity(a, a) == 1.0


def test_short_and_empty_texts():
    assert signature("") is None
    assert signature("  ,, ") is None
    short = signature("Zürich gyms")
    assert short is not None and similarity(short, signature("zürich   GYMS")) == 1.0


def test_lsh_finds_near_pairs_and_skips_unrelated():
    rng = random.Random(9)
    docs = {f"d{i}": text(rng) for i in range(30)}
    near = list(docs["d3"])
    near[7] = "other"
    docs["near"] = near
    sigs = [(key, signature(" ".join(words))) for key, words in docs.items()]
    clusters, joins = near_duplicate_clusters(sigs, 0.9)
    assert joins == [("d3", "near")]
    assert clusters.find("near") == "d3"
    bands, rows = lsh_params(0.9)
    assert bands * rows <= 128


def test_signature_does_not_depend_on_hash_seed():
    code = (
        "from core.export.minhash import signature;"
        "print(signature('find five gyms in portland oregon downtown').tobytes().hex())"
    )
    outputs = {
        subprocess.run(
            [sys.executable, "-c", code],
            capture_output=True,
            text=True,
            check=True,
            env={"PYTHONHASHSEED": seed, "PYTHONPATH": str(Path(__file__).parents[2])},
        ).stdout
        for seed in ("1", "2")
    }
    assert len(outputs) == 1


def test_union_find_names_groups_by_smallest_member():
    groups = UnionFind()
    groups.union("r-9", "r-3")
    groups.union("r-3", "r-7")
    assert groups.find("r-9") == groups.find("r-7") == "r-3"
    assert not groups.union("r-7", "r-9")
    assert groups.find("r-1") == "r-1"


def test_short_texts_do_not_flood_the_index():
    # Half-shared short prompts (Jaccard 0.5): each band must collide about as rarely as
    # 0.5 ** rows; borrowing empty bins from neighbours made whole bands collide instead.
    prompts = [(n, signature(f"Find {n} gyms in Austin. Plan the search.")) for n in range(400)]
    shared = Counter(key for _, sig in prompts for key in band_keys(sig, 0.9))
    pairs = sum(n * (n - 1) // 2 for n in shared.values())
    assert pairs < 2500  # of 79,800 pairs; about 430 expected
    estimates = [similarity(prompts[0][1], sig) for _, sig in prompts[1:]]
    assert 0.35 < sum(estimates) / len(estimates) < 0.65


def test_packed_similarity_equals_similarity():
    rng = random.Random(3)
    for _ in range(20):
        first, second = text(rng), text(rng)
        second[: rng.randrange(len(second))] = first[: len(second)][: rng.randrange(len(second))]
        a, b = signature(" ".join(first)), signature(" ".join(second))
        assert packed_similarity(packed(a), packed(b)) == similarity(a, b)


def test_templated_inputs_cluster_in_near_linear_work():
    # 3,000 requests sharing a long pasted schema: all-pairs checks in one LSH bucket would be
    # 4.5 million comparisons; the bucket window keeps it to a few per example and band.
    schema = " ".join(f"field {w} must be copied from the page or left null" for w in VOCABULARY)
    rng = random.Random(5)
    sigs = [
        (i, signature(f"order {rng.randrange(10**6)} {rng.choice(VOCABULARY)} {schema}"))
        for i in range(3000)
    ]
    comparisons = 0

    def counting(first: int, second: int) -> float:
        nonlocal comparisons
        comparisons += 1
        return packed_similarity(first, second)

    import core.export.neardup as neardup

    original, neardup.packed_similarity = neardup.packed_similarity, counting
    try:
        clusters, _ = near_duplicate_clusters(sigs, 0.9)
    finally:
        neardup.packed_similarity = original
    assert comparisons < 3000 * 5
    assert len({clusters.find(i) for i, _ in sigs}) == 1


def _example(run_id: str) -> Example:
    return Example(
        call_id=0,
        trace_id=run_id,
        run_id=run_id,
        task="t",
        source="f.jsonl:1",
        path="/f.jsonl",
        offset=0,
        length=1,
        repair=None,
        content_key=run_id,
        est_tokens=1,
    )


def test_steps_under_other_keys_join_their_runs_whatever_the_threshold() -> None:
    examples = [_example(run) for run in ("a", "b", "c", "d")]
    steps = [("a", "b"), ("b", "c"), ("x", "d"), ("d", "d")]  # x: a run not exported
    group_of, counts = group_runs(examples, 0, steps)
    assert group_of == {"a": "a", "b": "a", "c": "a", "d": "d"}
    assert (counts.step_runs_linked, counts.runs_linked) == (3, 0)
