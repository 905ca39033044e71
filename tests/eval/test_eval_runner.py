"""Whole evals against the scripted server: metrics, cache, resume, diagnosis, JSON shape."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from core.config import CuratorConfig
from core.eval.report import render_markdown, render_terminal, report_json
from core.eval.runner import EvalPlan, list_evals, rescore_eval, run_eval
from core.eval.settings import EvalSettings
from core.progress import Cancelled
from core.store.db import connect
from tests.eval.conftest import FAST_CONFIG

N_EXAMPLES = 8  # 3 planning + 3 extraction + 2 enrichment


def _run(heldout: Path, workspace: Path, candidate: str, baseline: str = "gold", **kw) -> object:
    plan = EvalPlan(heldout, candidate, baseline, **kw)
    return run_eval(plan, workspace=workspace, config=FAST_CONFIG)


def test_server_gold_ties_builtin_gold(server, heldout_dir: Path, tmp_path: Path) -> None:
    result = _run(heldout_dir, tmp_path / "ws", server.model("gold"))
    for task in result.tasks.values():
        assert task.count("tie") == task.n
        for name, row in task.metrics.items():
            if name.startswith(("latency", "prompt", "completion", "cost")):
                continue
            assert row.delta in (0, None), name
    assert result.tasks["extraction"].metrics["field_recall"].candidate == 1.0
    assert result.tasks["extraction"].metrics["hallucination_rate"].candidate == 0.0
    # enrichment gold: 1 null field (email) of 10 -> null_rate 0.1 for both
    assert result.tasks["enrichment"].metrics["null_rate"].candidate == pytest.approx(0.1)
    assert result.diagnoses == []


def test_empty_model_gets_the_story_zero_row(server, heldout_dir: Path, tmp_path: Path) -> None:
    result = _run(heldout_dir, tmp_path / "ws", server.model("empty"))
    metrics = {task: result.tasks[task].metrics for task in result.tasks}
    assert metrics["planning"]["valid_json"].candidate == 0.0
    assert metrics["planning"]["valid_json"].baseline == 1.0
    assert metrics["extraction"]["field_recall"].candidate == 0.0
    assert metrics["extraction"]["entity_count_ratio"].candidate == 0.0
    assert metrics["enrichment"]["field_recall"].candidate == 0.0
    assert metrics["enrichment"]["null_rate"].candidate == 1.0
    # Δ valid_json is −1 on every example, so every resample gives −1
    assert metrics["planning"]["valid_json"].ci95 == (-1.0, -1.0)
    assert result.tasks["planning"].count("loss") == 3
    assert result.tasks["planning"].errors == {"candidate": {"empty": 3}, "baseline": {"ok": 3}}


def test_second_run_makes_no_request_and_rescoring_neither(
    server, heldout_dir: Path, tmp_path: Path
) -> None:
    first = _run(heldout_dir, tmp_path / "ws", server.model("fenced"), server.model("gold"))
    assert first.run.requests_sent == 2 * N_EXAMPLES and len(server.log) == 2 * N_EXAMPLES
    second = _run(heldout_dir, tmp_path / "ws", server.model("fenced"), server.model("gold"))
    assert len(server.log) == 2 * N_EXAMPLES  # zero new HTTP requests
    assert (second.run.requests_sent, second.run.cached) == (0, 2 * N_EXAMPLES)
    assert second.run.eval_id != first.run.eval_id  # a finished eval is not resumed
    assert report_json(second) == report_json(first)
    rescored = rescore_eval(tmp_path / "ws", second.run.eval_id)
    assert len(server.log) == 2 * N_EXAMPLES
    for task in first.tasks:
        for name in ("valid_json", "valid_json_lenient", "score"):
            assert rescored.tasks[task].metrics[name] == first.tasks[task].metrics[name]


def test_no_cache_sends_again(server, heldout_dir: Path, tmp_path: Path) -> None:
    _run(heldout_dir, tmp_path / "ws", server.model("gold"))
    again = _run(heldout_dir, tmp_path / "ws", server.model("gold"), no_cache=True)
    assert again.run.requests_sent == N_EXAMPLES and len(server.log) == 2 * N_EXAMPLES


def test_interrupted_eval_resumes_where_it_stopped(
    server, heldout_dir: Path, tmp_path: Path
) -> None:
    cancel = threading.Event()
    answered = []

    def progress(done: int, total: int, detail: str = "") -> None:
        answered.append(done)
        if "3 sent" in detail:
            cancel.set()

    plan = EvalPlan(heldout_dir, server.model("gold"), "gold", concurrency=1)
    with pytest.raises(Cancelled):
        run_eval(
            plan, workspace=tmp_path / "ws", config=FAST_CONFIG, progress=progress, cancel=cancel
        )
    assert len(server.log) == 3
    assert list_evals(tmp_path / "ws")[0].status == "cancelled"
    resumed = run_eval(plan, workspace=tmp_path / "ws", config=FAST_CONFIG)
    assert resumed.run.resumed and resumed.run.eval_id == list_evals(tmp_path / "ws")[0].eval_id
    assert (resumed.run.requests_sent, len(server.log)) == (N_EXAMPLES - 3, N_EXAMPLES)
    assert all(task.count("tie") == task.n for task in resumed.tasks.values())
    assert list_evals(tmp_path / "ws")[0].status == "done"


def test_not_deployed_model_is_diagnosed(server, heldout_dir: Path, tmp_path: Path) -> None:
    result = _run(heldout_dir, tmp_path / "ws", server.model("not-deployed"))
    expected = (
        f"{N_EXAMPLES}/{N_EXAMPLES} requests: HTTP 404 Model not found, inaccessible, and/or "
        "not deployed — deploy it with `curator deploy`"
    )
    assert result.diagnoses[0].lines()[0].startswith(expected)
    markdown = render_markdown(result).splitlines()
    assert markdown[2].startswith("> **Diagnosis — candidate")
    assert markdown[3].startswith(f"> - {expected}")
    assert render_terminal(result).startswith(f"DIAGNOSIS candidate {server.model('not-deployed')}")
    assert "candidate unusable" in result.tasks["planning"].verdict
    # failures are kept for the record but never served from the cache: a rerun asks again
    _run(heldout_dir, tmp_path / "ws", server.model("not-deployed"))
    assert len(server.log) == 2 * N_EXAMPLES


def test_rate_limited_model_recovers(server, heldout_dir: Path, tmp_path: Path) -> None:
    result = _run(heldout_dir, tmp_path / "ws", server.model("rate-limited"), tasks=["planning"])
    assert result.tasks["planning"].errors["candidate"] == {"ok": 3}
    assert len(server.log) == 6  # each request: a 429, then the answer


def test_slow_model_times_out(server, heldout_dir: Path, tmp_path: Path) -> None:
    config = CuratorConfig(eval=EvalSettings(timeout_s=0.2, retries=0, bootstrap_resamples=50))
    plan = EvalPlan(heldout_dir, server.model("slow"), "gold", tasks=["enrichment"])
    result = run_eval(plan, workspace=tmp_path / "ws", config=config)
    assert result.tasks["enrichment"].errors["candidate"] == {"timeout": 2}
    assert "no answer within 0.2 s" in result.diagnoses[0].lines()[0]


def test_json_report_has_exactly_the_issue_shape(server, heldout_dir: Path, tmp_path: Path) -> None:
    result = _run(heldout_dir, tmp_path / "ws", server.model("think"), server.model("gold"))
    report = report_json(result)
    assert set(report) == {"candidate", "baseline", "tasks"}
    assert report["candidate"] == server.model("think")
    assert list(report["tasks"]) == ["planning", "extraction", "enrichment"]
    for task in report["tasks"].values():
        assert set(task) == {"n", "metrics", "errors", "kinds", "examples"}
        assert task["kinds"] == {"json": task["n"]}  # the story's tasks are json
        assert len(task["examples"]) == task["n"]
        for side in ("candidate", "baseline"):
            assert sum(task["errors"][side].values()) == task["n"]
        for row in task["metrics"].values():
            assert set(row) == {"candidate", "baseline", "delta", "ci95"}
    planning = report["tasks"]["planning"]["metrics"]
    assert {"valid_json", "required_fields", "has_tool_steps"} <= set(planning)
    assert planning["valid_json"]["candidate"] == 0.0
    assert planning["valid_json_lenient"]["candidate"] == 1.0
    lo, hi = planning["valid_json"]["ci95"]
    assert lo <= planning["valid_json"]["delta"] <= hi
    assert {"field_recall", "entity_count_ratio"} <= set(report["tasks"]["extraction"]["metrics"])
    assert {"field_recall", "null_rate"} <= set(report["tasks"]["enrichment"]["metrics"])
    example = report["tasks"]["planning"]["examples"][0]
    assert example["candidate"]["kind"] == "not_json" and example["outcome"] == "loss"


def test_store_links_eval_to_export_and_keeps_no_key(
    server, heldout_dir: Path, tmp_path: Path, monkeypatch
) -> None:
    monkeypatch.setenv("FIREWORKS_API_KEY", "fw-very-secret")
    monkeypatch.setenv("FIREWORKS_BASE_URL", server.url)
    result = _run(heldout_dir, tmp_path / "ws", "fireworks:gold", tasks=["planning"], n=2)
    assert server.log[0]["authorization"] == "Bearer fw-very-secret"
    stored = list_evals(tmp_path / "ws")[0]
    assert stored.export_hash == "export-abc123" and stored.status == "done"
    assert stored.candidate["spec"] == "fireworks:gold" and stored.n == 2
    assert stored.summary["tasks"]["planning"]["n"] == 2
    for path in (tmp_path / "ws").iterdir():
        assert b"fw-very-secret" not in path.read_bytes()
    assert "fw-very-secret" not in render_markdown(result) + render_terminal(result)


def test_prices_give_a_cost(server, heldout_dir: Path, tmp_path: Path) -> None:
    priced = {"base_url": server.url, "model": "gold"}
    priced |= {"price_input_per_1m": 1.0, "price_output_per_1m": 2.0}
    config = CuratorConfig.model_validate({"models": {"priced": priced}})
    plan = EvalPlan(heldout_dir, "priced", "gold", tasks=["planning"])
    row = run_eval(plan, workspace=tmp_path / "ws", config=config).tasks["planning"].metrics
    prompt, completion = row["prompt_tokens"].candidate, row["completion_tokens"].candidate
    assert row["cost_usd"].candidate == pytest.approx((prompt * 1.0 + completion * 2.0) / 1e6)
    assert row["cost_usd"].baseline is None and row["latency_p50_ms"].candidate > 0


def test_cancel_stops_requests_in_flight_promptly(
    server, heldout_dir: Path, tmp_path: Path
) -> None:
    server.slow_seconds = 3.0
    cancel = threading.Event()
    threading.Timer(0.2, cancel.set).start()
    plan = EvalPlan(heldout_dir, server.model("slow"), "gold")
    started = time.monotonic()
    with pytest.raises(Cancelled):
        run_eval(plan, workspace=tmp_path / "ws", config=FAST_CONFIG, cancel=cancel)
    assert time.monotonic() - started < 1.0  # a screen's Cancel does not wait for the model
    assert list_evals(tmp_path / "ws")[0].status == "cancelled"


def test_echoed_key_is_redacted_before_it_is_stored(
    server, heldout_dir: Path, tmp_path: Path, monkeypatch
) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-echoed-secret")
    monkeypatch.setenv("OPENAI_BASE_URL", server.url)
    result = _run(heldout_dir, tmp_path / "ws", "openai:bad-key", tasks=["planning"], n=1)
    assert (
        result.diagnoses[0]
        .lines()[0]
        .startswith(
            "1/1 requests: HTTP 401 Incorrect API key provided: [redacted] — the key in "
            "OPENAI_API_KEY was rejected: check it"
        )
    )
    for path in (tmp_path / "ws").iterdir():
        assert b"sk-echoed-secret" not in path.read_bytes()


def test_eval_is_linked_to_the_job_that_made_the_candidate(
    server, heldout_dir: Path, tmp_path: Path
) -> None:
    conn = connect(tmp_path / "ws")
    conn.execute(
        "INSERT INTO provider_jobs (provider, job_id, job_name, dataset_ref, base_model, spec,"
        " state, raw_state, output_model, created_at, updated_at)"
        " VALUES ('fireworks', 'sft-42', 'accounts/a/supervisedFineTuningJobs/sft-42', 'd',"
        " 'qwen3-8b', '{}', 'completed', 'JOB_STATE_COMPLETED', 'gold', 't', 't')"
    )
    conn.close()
    _run(heldout_dir, tmp_path / "ws", server.model("gold"), tasks=["planning"], n=1)
    assert list_evals(tmp_path / "ws")[0].job_id == "sft-42"
