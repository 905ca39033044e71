"""Eval state in the workspace store: runs, their examples, and the response cache.

A response is keyed by a hash of (endpoint, model, request body) and written the moment it
arrives, in its own short transaction, so an interrupted eval resumes without repeating calls.
Only successful (2xx) responses are served from the cache: a 404 or a timeout is kept for the
record, and the next run asks again (after ``curator deploy``, say). Keys are never stored.
"""

from __future__ import annotations

import hashlib
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import orjson

from core.eval.client import Exchange
from core.eval.heldout import Example
from core.store.db import transaction

Item = tuple[str, int, str]  # task, position, side


@dataclass(frozen=True, slots=True)
class StoredRun:
    """One row of ``eval_runs``, decoded."""

    eval_id: int
    status: str
    created_at: str
    heldout_dir: str
    export_hash: str | None
    job_id: str | None
    candidate: dict[str, Any]
    baseline: dict[str, Any]
    tasks: list[str]
    n: int | None
    settings: dict[str, Any]
    requests_sent: int
    cached: int
    summary: dict[str, Any] | None


def request_key(endpoint: str, model: str, body: dict[str, Any]) -> str:
    """The cache key of a request: sha256 of the canonical (endpoint, model, body)."""
    canonical = orjson.dumps(
        {"endpoint": endpoint, "model": model, "body": body}, option=orjson.OPT_SORT_KEYS
    )
    return hashlib.sha256(canonical).hexdigest()


def cached_response(conn: sqlite3.Connection, key: str) -> tuple[int, Exchange] | None:
    """The latest successful response stored under a key, with its row id."""
    row = conn.execute(
        "SELECT * FROM eval_responses WHERE request_key = ? AND status BETWEEN 200 AND 299"
        " ORDER BY id DESC LIMIT 1",
        (key,),
    ).fetchone()
    return (row["id"], _exchange(row)) if row else None


def record_answer(
    conn: sqlite3.Connection,
    eval_id: int,
    item: Item,
    *,
    key: str | None = None,
    endpoint: str = "",
    model: str = "",
    body: dict[str, Any] | None = None,
    exchange: Exchange | None = None,
    response_id: int | None = None,
) -> int | None:
    """Link an item of a run to its answer, storing a new exchange first when given one.

    Gold items link to no response. Returns the response id.
    """
    with transaction(conn):
        if exchange is not None:
            response_id = conn.execute(
                "INSERT INTO eval_responses (request_key, endpoint, model, request, status, body,"
                " error, error_message, latency_ms, attempts, created_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    key,
                    endpoint,
                    model,
                    orjson.dumps(body).decode(),
                    exchange.status,
                    exchange.body,
                    exchange.error,
                    exchange.error_message,
                    exchange.latency_ms,
                    exchange.attempts,
                    _now(),
                ),
            ).lastrowid
        conn.execute(
            "INSERT OR REPLACE INTO eval_items (eval_id, task, position, side, response_id)"
            " VALUES (?, ?, ?, ?, ?)",
            (eval_id, *item, response_id),
        )
    return response_id


def open_run(conn: sqlite3.Connection, plan_key: str, columns: dict[str, Any]) -> tuple[int, bool]:
    """Resume the latest unfinished run of the same plan, else start one; (id, resumed)."""
    row = conn.execute(
        "SELECT id, status FROM eval_runs WHERE plan_key = ? ORDER BY id DESC LIMIT 1",
        (plan_key,),
    ).fetchone()
    now = _now()
    with transaction(conn):
        if row is not None and row["status"] != "done":
            conn.execute(
                "UPDATE eval_runs SET status = 'running', updated_at = ? WHERE id = ?",
                (now, row["id"]),
            )
            return row["id"], True
        encoded = {k: _encode(v) for k, v in columns.items()}
        names = ", ".join(encoded)
        marks = ", ".join("?" for _ in encoded)
        cursor = conn.execute(
            f"INSERT INTO eval_runs (plan_key, status, created_at, updated_at, {names})"
            f" VALUES (?, 'running', ?, ?, {marks})",
            (plan_key, now, now, *encoded.values()),
        )
        return int(cursor.lastrowid or 0), False


def save_examples(conn: sqlite3.Connection, eval_id: int, examples: list[Example]) -> None:
    """Keep the examples with the run, so a stored eval re-scores without the held-out dir."""
    with transaction(conn):
        conn.executemany(
            "INSERT OR IGNORE INTO eval_examples (eval_id, task, position, line, record)"
            " VALUES (?, ?, ?, ?, ?)",
            [
                (eval_id, e.task, e.position, e.line, orjson.dumps(e.record).decode())
                for e in examples
            ],
        )


def linked_items(conn: sqlite3.Connection, eval_id: int) -> dict[Item, Exchange | None]:
    """Every answered item of a run: its exchange, or None for a gold item."""
    rows = conn.execute(
        "SELECT i.task, i.position, i.side, r.* FROM eval_items i"
        " LEFT JOIN eval_responses r ON r.id = i.response_id WHERE i.eval_id = ?",
        (eval_id,),
    )
    return {
        (row["task"], row["position"], row["side"]): _exchange(row) if row["attempts"] else None
        for row in rows
    }


def traces_of(examples: list[Example]) -> dict[str, list[str]]:
    """``task -> trace id by position``: kept in a run's settings for the examples' ids."""
    traces: dict[str, list[str]] = {}
    for example in examples:
        traces.setdefault(example.task, []).append(example.trace)
    return traces


def stored_examples(
    conn: sqlite3.Connection,
    eval_id: int,
    tasks: list[str],
    traces: dict[str, list[str]] | None = None,
) -> list[Example]:
    """The examples of a run, by the run's task order, then position; ``traces`` is what
    :func:`traces_of` stored with the run."""
    rows = conn.execute(
        "SELECT task, position, line, record FROM eval_examples WHERE eval_id = ?"
        " ORDER BY task, position",
        (eval_id,),
    )
    traces = traces or {}
    examples = [
        Example(
            row["task"],
            row["position"],
            row["line"],
            orjson.loads(row["record"]),
            _at(traces.get(row["task"], []), row["position"]),
        )
        for row in rows
    ]
    order = {task: index for index, task in enumerate(tasks)}
    return sorted(examples, key=lambda e: (order.get(e.task, len(order)), e.position))


def finish_run(
    conn: sqlite3.Connection,
    eval_id: int,
    status: str,
    *,
    sent: int = 0,
    cached: int = 0,
    summary: dict[str, Any] | None = None,
) -> None:
    """Mark a run done / cancelled / failed and add its request counts."""
    with transaction(conn):
        conn.execute(
            "UPDATE eval_runs SET status = ?, updated_at = ?, requests_sent = requests_sent + ?,"
            " cached = cached + ?, summary = COALESCE(?, summary) WHERE id = ?",
            (status, _now(), sent, cached, _encode(summary), eval_id),
        )


def job_for_model(conn: sqlite3.Connection, model: str) -> str | None:
    """The fine-tune job whose output (or deployed) model is ``model``, when the store knows it."""
    row = conn.execute(
        "SELECT j.job_id FROM provider_jobs j WHERE j.output_model = ?"
        " UNION ALL SELECT j.job_id FROM provider_deployments d"
        " JOIN provider_jobs j ON j.id = d.job_row WHERE d.inference_model = ? OR d.model = ?"
        " LIMIT 1",
        (model, model, model),
    ).fetchone()
    return row[0] if row else None


def get_run(conn: sqlite3.Connection, eval_id: int) -> StoredRun | None:
    """One stored run, or None."""
    row = conn.execute("SELECT * FROM eval_runs WHERE id = ?", (eval_id,)).fetchone()
    return _run(row) if row else None


def list_runs(conn: sqlite3.Connection, limit: int = 100) -> list[StoredRun]:
    """The stored runs, newest first."""
    rows = conn.execute("SELECT * FROM eval_runs ORDER BY id DESC LIMIT ?", (limit,))
    return [_run(row) for row in rows]


def _run(row: sqlite3.Row) -> StoredRun:
    return StoredRun(
        eval_id=row["id"],
        status=row["status"],
        created_at=row["created_at"],
        heldout_dir=row["heldout_dir"],
        export_hash=row["export_hash"],
        job_id=row["job_id"],
        candidate=orjson.loads(row["candidate"]),
        baseline=orjson.loads(row["baseline"]),
        tasks=orjson.loads(row["tasks"]),
        n=row["n"],
        settings=orjson.loads(row["settings"]),
        requests_sent=row["requests_sent"],
        cached=row["cached"],
        summary=orjson.loads(row["summary"]) if row["summary"] else None,
    )


def _exchange(row: sqlite3.Row) -> Exchange:
    return Exchange(
        status=row["status"],
        body=row["body"],
        latency_ms=row["latency_ms"],
        attempts=row["attempts"],
        error=row["error"],
        error_message=row["error_message"],
    )


def _at(values: list[str], index: int) -> str:
    return values[index] if 0 <= index < len(values) else ""


def _encode(value: Any) -> Any:
    if isinstance(value, dict | list):
        return orjson.dumps(value).decode()
    return value


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
