"""Trajectories in an export: no held-out example is a prefix or extension of a train example.

Random trajectories (trees of steps: each line extends an earlier line of its trajectory),
logged one line per step, keyed by ``env_index``, by a key of each line's own, or with no key
at all, shuffled over files.
Every call is accepted, so the steps that fail ``dup.prefix`` are exported too: only the runs
(keyed, or chained from the steps) and the steps that join runs of different keys keep a
trajectory on one side of the split.
"""

from __future__ import annotations

import random
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from core.check.run import run_check
from core.config import CuratorConfig
from core.corpus.records import trace_id
from core.export import ExportOptions, preview_export
from core.review.decisions import Target, decide
from core.store.db import connect
from tests.factories import write_jsonl


def trajectories(
    shapes: list[tuple[int, str]], seed: int, weighted: bool = False
) -> list[dict[str, Any]]:
    """One line per step of each trajectory: (steps, key) each; a step extends a random
    earlier step of its trajectory (branches included). The key is ``none``, ``trajectory``
    (``env_index``, one per trajectory) or ``line`` (a ``session_id`` per line: steps logged
    under different keys). ``weighted`` marks every assistant turn but a line's last
    ``weight: 0``, as a per-step training set does."""
    rng = random.Random(seed)
    lines: list[dict[str, Any]] = []
    for number, (steps, keyed) in enumerate(shapes):
        first = [
            {"role": "system", "content": "You are a travel agent."},
            {"role": "user", "content": f"trip {number}: book a flight"},
            {"role": "assistant", "content": f'{{"step": "{number}.0"}}'},
        ]
        made = [first]
        for step in range(1, steps):
            base = rng.choice(made)
            turn = [
                {"role": "user", "content": f"trip {number}: and then {step}?"},
                {"role": "assistant", "content": f'{{"step": "{number}.{step}"}}'},
            ]
            made.append(base + turn)
        for messages in made:
            if weighted:
                last = len(messages) - 1
                messages = [
                    dict(m, weight=0) if m["role"] == "assistant" and i < last else m
                    for i, m in enumerate(messages)
                ]
            line: dict[str, Any] = {"messages": messages}
            if keyed == "trajectory":
                line["env_index"] = number
            elif keyed == "line":
                line["session_id"] = f"{number}-{len(lines)}"
            lines.append(line)
    rng.shuffle(lines)
    return lines


def is_prefix(short: list[Any], long: list[Any]) -> bool:
    """``short`` starts ``long``, weights aside."""
    unweighted = [[{k: v for k, v in m.items() if k != "weight"} for m in x] for x in (short, long)]
    short, long = unweighted
    return len(short) <= len(long) and long[: len(short)] == short


@settings(max_examples=25, deadline=None)
@given(
    shapes=st.lists(
        st.tuples(st.integers(1, 5), st.sampled_from(["none", "trajectory", "line"])),
        min_size=2,
        max_size=10,
    ),
    files=st.integers(1, 3),
    corpus_seed=st.integers(0, 1000),
    seed=st.integers(0, 2**31),
    heldout=st.integers(1, 8),
    weighted=st.booleans(),
)
def test_no_heldout_example_is_a_prefix_or_extension_of_a_train_example(
    shapes, files, corpus_seed, seed, heldout, weighted
) -> None:
    lines = trajectories(shapes, corpus_seed, weighted)
    messages_of = {trace_id(line): line["messages"] for line in lines}
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        for part in range(files):
            write_jsonl(root / "traces" / f"chat-{part}.jsonl", lines[part::files])
        conn = connect(root / "ws")
        try:
            run_check(conn, [root / "traces"], CuratorConfig())
            decide(conn, [Target("call", trace) for trace in messages_of], "accept")
            options = ExportOptions(
                heldout_per_task=heldout,
                seed=seed,
                provider="together",
                near_dup_threshold=0,
                max_heldout_share=0.5,
            )
            plan = preview_export(conn, CuratorConfig(), options)
        finally:
            conn.close()
    train = [messages_of[e.trace_id] for e in plan.examples if e.split == "train"]
    held = [messages_of[e.trace_id] for e in plan.examples if e.split == "heldout"]
    assert len(train) + len(held) + sum(c.heldout_left_out for c in plan.tasks.values()) == len(
        lines
    )
    for example in held:
        for other in train:
            assert not is_prefix(example, other), "a held-out step of a train trajectory"
            assert not is_prefix(other, example), "a held-out extension of a train step"


def test_steps_logged_under_their_own_keys_stay_on_one_side(tmp_path: Path) -> None:
    """A log that gives every step a key of its own (a session id per request): the runs its
    steps tie together are split as one, and the plan says how many."""
    steps = [
        dict(line, session_id=f"step-{i}") for i, line in enumerate(trajectories([(3, "none")], 0))
    ]
    others = [
        dict(line, session_id=f"other-{i}")
        for i, line in enumerate(trajectories([(1, "none")] * 4, 1))
    ]
    write_jsonl(tmp_path / "traces" / "chat.jsonl", steps + others)
    conn = connect(tmp_path / "ws")
    try:
        run_check(conn, [tmp_path / "traces"], CuratorConfig())
        every = [Target("call", trace_id(line)) for line in steps + others]
        decide(conn, every, "accept")
        sides = set()
        for seed in range(8):
            options = ExportOptions(
                heldout_per_task=3, near_dup_threshold=0, max_heldout_share=0.5, seed=seed
            )
            plan = preview_export(conn, CuratorConfig(), options)
            assert plan.duplicates.step_runs_linked == 3
            step_ids = {trace_id(line) for line in steps}
            sides.add(frozenset(e.split for e in plan.examples if e.trace_id in step_ids))
    finally:
        conn.close()
    assert all(len(side) == 1 for side in sides)
    assert len(sides) == 2  # the seeds put the trajectory in held-out as well as in train
