"""Task inference: declared matches first (metadata, file glob, system regex), then defaults."""

from __future__ import annotations

from core.config import CuratorConfig
from core.corpus.records import call_facts
from core.corpus.tasks import TaskMatcher

CONFIG = CuratorConfig.model_validate(
    {
        "tasks": {
            "support": {"match": {"metadata": {"agent": "support", "env.stage": "prod"}}},
            "booking": {"match": {"file": "logs/booking-*.jsonl"}},
            "triage": {"match": {"system": r"(?i)you triage tickets", "file": "*.jsonl"}},
            "summary": {"kind": "text"},
        }
    }
)
MATCHER = TaskMatcher.from_config(CONFIG)


def line(system: str = "You are helpful.", metadata: dict | None = None) -> dict:
    messages = [{"role": "system", "content": system}, {"role": "user", "content": "hi"}]
    return {"messages": messages, "metadata": metadata or {}}


def task_of(record: dict, relpath: str = "logs/misc.jsonl") -> str:
    return call_facts(record, relpath.rpartition("/")[2], relpath, 1, MATCHER).task


def test_metadata_match_needs_every_key_and_value_dotted_paths_included():
    assert task_of(line(metadata={"agent": "support", "env": {"stage": "prod"}})) == "support"
    assert task_of(line(metadata={"agent": "support", "env": {"stage": "dev"}})) == "unknown"
    assert task_of(line(metadata={"agent": "support"})) == "unknown"


def test_file_glob_matches_the_relative_path():
    assert task_of(line(), "logs/booking-2026.jsonl") == "booking"
    assert task_of(line(), "other/bookings-2026.jsonl") == "unknown"
    assert task_of(line(), "other/booking-2026.jsonl") == "booking"  # the stem names the task


def test_system_prompt_regex_and_every_condition_must_hold():
    assert task_of(line("You TRIAGE tickets for ACME.")) == "triage"
    assert task_of(line("You TRIAGE tickets."), "logs/triage.jsonl.gz") == "triage"
    assert task_of(line("You answer questions.")) == "unknown"


def test_declared_match_wins_over_metadata_task():
    record = line(metadata={"task": "planning", "agent": "support", "env": {"stage": "prod"}})
    assert task_of(record) == "support"


def test_defaults_apply_without_a_match_and_know_declared_names():
    assert task_of(line(metadata={"task": "refunds"})) == "refunds"
    assert task_of(line(), "logs/planning.jsonl") == "planning"
    assert task_of(line(), "logs/summary-late.jsonl") == "summary"  # a declared name
    default = call_facts(line(), "summary.jsonl", "summary.jsonl", 1)
    assert default.task == "unknown"  # without the config, only the story's names
