"""Running an eval: resolve both models, answer every example (cache first), score, store.

:func:`run_eval` is what the CLI and the Evals screen call (the screen from a thread worker);
:func:`run_eval_async` is the same for an async worker. Both take a progress callback and a
cancel event; a cancelled or interrupted eval keeps every answer it got, and running the same
plan again resumes it. :func:`rescore_eval` scores a stored eval again without any request.
"""

from __future__ import annotations

import asyncio
import hashlib
import threading
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from pathlib import Path

import httpx
import orjson

from core.config import CuratorConfig
from core.eval import store
from core.eval.answers import AnswerCollector, items
from core.eval.client import Exchange
from core.eval.diagnosis import diagnose
from core.eval.heldout import Example, load_heldout
from core.eval.kinds import declared_kinds, example_kind
from core.eval.outputs import Output, gold_answer, read_answer
from core.eval.report import summary_json
from core.eval.results import SIDES, EvalResult, RunInfo
from core.eval.scoring import score_task
from core.eval.settings import EvalSettings
from core.eval.specs import ModelTarget, resolve_model
from core.progress import Cancelled, Progress, no_progress
from core.store.db import connect, db_path

MISSING = Output("", "missing", "no answer stored: the eval was interrupted")


class EvalNotFound(Exception):
    """No stored eval has that id."""


@dataclass(frozen=True, slots=True)
class EvalPlan:
    """What to evaluate: the held-out set, both MODEL specs, how many examples, which tasks."""

    heldout: Path
    candidate: str
    baseline: str
    n: int | None = 50
    tasks: list[str] | None = None
    concurrency: int | None = None  # overrides [eval] concurrency
    no_cache: bool = False
    job_id: str | None = None  # the candidate's fine-tune job; else looked up by its model id
    last_turn_only: bool = False  # one example per line (its last turn), not one per step


def run_eval(
    plan: EvalPlan,
    *,
    workspace: Path,
    config: CuratorConfig | None = None,
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
    env: Mapping[str, str] | None = None,
    transport: httpx.AsyncBaseTransport | None = None,
) -> EvalResult:
    """Run (or resume) an eval in a fresh event loop; see :func:`run_eval_async`."""
    return asyncio.run(
        run_eval_async(
            plan,
            workspace=workspace,
            config=config,
            progress=progress,
            cancel=cancel,
            env=env,
            transport=transport,
        )
    )


async def run_eval_async(
    plan: EvalPlan,
    *,
    workspace: Path,
    config: CuratorConfig | None = None,
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
    env: Mapping[str, str] | None = None,
    transport: httpx.AsyncBaseTransport | None = None,
) -> EvalResult:
    """Answer every held-out example with both models, then score and store the eval.

    Args:
        plan: what to evaluate.
        workspace: the workspace folder (its SQLite store holds the cache and the result).
        config: settings and model profiles; defaults when None.
        progress: called with (answers done, answers total, detail) as answers arrive.
        cancel: set it to stop; answers so far stay stored and the next run resumes.
        env: environment for keys and base URLs (``os.environ`` when None).
        transport: an httpx transport for tests.

    Raises:
        ModelSpecError: a MODEL argument cannot be used (e.g. its key variable is unset).
        HeldoutError: the held-out set cannot be read.
        StoreError: the workspace cannot be opened.
        Cancelled: ``cancel`` was set.
    """
    config = config or CuratorConfig()
    settings = config.eval
    if plan.concurrency is not None:
        settings = settings.model_copy(update={"concurrency": plan.concurrency})
    targets = {
        "candidate": resolve_model(plan.candidate, settings, config.models, env, config.providers),
        "baseline": resolve_model(plan.baseline, settings, config.models, env, config.providers),
    }
    heldout = load_heldout(plan.heldout, plan.tasks, plan.n, last_turn_only=plan.last_turn_only)
    examples = [e for task_examples in heldout.examples.values() for e in task_examples]
    required = list(config.tasks.planning.required_fields)
    kinds = declared_kinds(config, heldout.examples)
    conn = connect(workspace)
    try:
        eval_id, resumed = store.open_run(
            conn,
            _plan_key(heldout.content_hash, targets, plan.no_cache),
            {
                "heldout_dir": str(heldout.root),
                "export_hash": heldout.manifest_hash,
                "job_id": plan.job_id or store.job_for_model(conn, targets["candidate"].model),
                "candidate_spec": plan.candidate,
                "baseline_spec": plan.baseline,
                "candidate": targets["candidate"].public(),
                "baseline": targets["baseline"].public(),
                "tasks": list(heldout.examples),
                "n": plan.n,
                "settings": {
                    "eval": settings.model_dump(),
                    "required_fields": required,
                    "kinds": kinds,
                    "last_turn_only": plan.last_turn_only,
                    "traces": store.traces_of(examples),
                },
            },
        )
        store.save_examples(conn, eval_id, examples)
        answers = AnswerCollector(conn, eval_id, targets, settings, progress or no_progress, kinds)
        try:
            await answers.collect(
                examples, no_cache=plan.no_cache, cancel=cancel, transport=transport
            )
        except (Cancelled, asyncio.CancelledError, KeyboardInterrupt):
            store.finish_run(conn, eval_id, "cancelled", sent=answers.sent, cached=answers.cached)
            raise
        except BaseException:
            store.finish_run(conn, eval_id, "failed", sent=answers.sent, cached=answers.cached)
            raise
        info = RunInfo(
            eval_id=eval_id,
            db_path=db_path(workspace),
            requests_sent=answers.sent,
            cached=answers.cached,
            resumed=resumed,
            heldout=heldout.root,
            export_hash=heldout.manifest_hash,
            last_turn_only=plan.last_turn_only,
        )
        result = build_result(examples, answers.exchanges, targets, settings, required, info, kinds)
        store.finish_run(
            conn,
            eval_id,
            "done",
            sent=answers.sent,
            cached=answers.cached,
            summary=summary_json(result),
        )
        return result
    finally:
        conn.close()


def rescore_eval(workspace: Path, eval_id: int, config: CuratorConfig | None = None) -> EvalResult:
    """Score a stored eval again from its stored examples and answers; sends nothing.

    Settings are the ones the eval ran with; ``config`` only supplies the planning fields and
    the tasks' declared kinds (else the ones the eval ran with).
    Items an interrupted eval never answered count as ``missing``.
    """
    conn = connect(workspace)
    try:
        run = store.get_run(conn, eval_id)
        if run is None:
            raise EvalNotFound(f"no eval #{eval_id} in {db_path(workspace)}")
        examples = store.stored_examples(conn, eval_id, run.tasks, run.settings.get("traces"))
        exchanges = store.linked_items(conn, eval_id)
    finally:
        conn.close()
    settings = EvalSettings.model_validate(run.settings["eval"])
    required = (
        list(config.tasks.planning.required_fields) if config else run.settings["required_fields"]
    )
    kinds = declared_kinds(config, run.tasks) if config else run.settings.get("kinds", {})
    targets = {
        "candidate": ModelTarget.from_public(run.candidate),
        "baseline": ModelTarget.from_public(run.baseline),
    }
    info = RunInfo(
        eval_id=eval_id,
        db_path=db_path(workspace),
        heldout=Path(run.heldout_dir),
        export_hash=run.export_hash,
        last_turn_only=bool(run.settings.get("last_turn_only", False)),
    )
    return build_result(examples, exchanges, targets, settings, required, info, kinds)


def answer_kinds(
    workspace: Path, eval_id: int, known: Collection[store.Item] = ()
) -> dict[store.Item, str]:
    """The taxonomy kind of each answer a run has stored so far, except the ``known`` items.

    What a progress display counts while the eval runs; gold answers are ``ok``.
    """
    conn = connect(workspace)
    try:
        run = store.get_run(conn, eval_id)
        exchanges = store.linked_items(conn, eval_id)
        fresh = {item: exchange for item, exchange in exchanges.items() if item not in known}
        if run is None or not fresh:
            return {}
        examples = {(e.task, e.position): e for e in store.stored_examples(conn, eval_id, [])}
    finally:
        conn.close()
    declared = run.settings.get("kinds", {})
    return {
        item: _read(item, examples[item[:2]], exchanges, declared.get(item[0])).kind
        for item in fresh
        if item[:2] in examples
    }


def list_evals(workspace: Path, limit: int = 100) -> list[store.StoredRun]:
    """The stored evals, newest first (status, models, held-out set, summary)."""
    conn = connect(workspace)
    try:
        return store.list_runs(conn, limit)
    finally:
        conn.close()


def build_result(
    examples: list[Example],
    exchanges: Mapping[store.Item, Exchange | None],
    targets: Mapping[str, ModelTarget],
    settings: EvalSettings,
    required_fields: list[str],
    info: RunInfo,
    declared: Mapping[str, str] | None = None,
) -> EvalResult:
    """Read and score answered examples into an :class:`EvalResult` (no I/O).

    ``declared`` maps a task to the output kind the config declares for it.
    """
    declared = declared or {}
    outputs = {
        item: _read(item, example, exchanges, declared.get(example.task))
        for item, example in items(examples)
    }
    by_task: dict[str, list[Example]] = {}
    for example in examples:
        by_task.setdefault(example.task, []).append(example)
    tasks = {
        task: score_task(
            task,
            [
                (
                    e,
                    outputs[(task, e.position, "candidate")],
                    outputs[(task, e.position, "baseline")],
                )
                for e in task_examples
            ],
            targets["candidate"],
            targets["baseline"],
            settings,
            required_fields,
            declared.get(task),
        )
        for task, task_examples in by_task.items()
    }
    diagnoses = []
    for side in SIDES:
        if targets[side].is_gold:
            continue
        side_outputs = [output for key, output in outputs.items() if key[2] == side]
        diagnosis = diagnose(side, targets[side], side_outputs, settings)
        if diagnosis is not None:
            diagnoses.append(diagnosis)
    return EvalResult(targets["candidate"], targets["baseline"], tasks, diagnoses, info)


def _read(
    item: store.Item,
    example: Example,
    exchanges: Mapping[store.Item, Exchange | None],
    declared: str | None,
) -> Output:
    if item not in exchanges:
        return MISSING
    exchange = exchanges[item]
    if exchange is None:
        return gold_answer(example)
    return read_answer(exchange, example, example_kind(example, declared))


def _plan_key(content_hash: str, targets: Mapping[str, ModelTarget], no_cache: bool) -> str:
    parts: dict[str, object] = {"heldout": content_hash, "no_cache": no_cache}
    parts.update({side: target.public() for side, target in targets.items()})
    return hashlib.sha256(orjson.dumps(parts, option=orjson.OPT_SORT_KEYS)).hexdigest()
