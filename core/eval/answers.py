"""Getting one answer per (example, side): stored in this run, cached, gold, or requested.

Requests go out through one :class:`ChatClient` per model, at most ``concurrency`` at a time
per model; each answer is written to the store the moment it arrives, so cancelling (or a
``kill -9``) loses nothing already answered.
"""

from __future__ import annotations

import asyncio
import sqlite3
import threading
from collections.abc import Awaitable, Callable, Iterator, Mapping
from typing import Any

import httpx

from core.eval import store
from core.eval.client import ChatClient, Exchange, build_request
from core.eval.heldout import Example
from core.eval.kinds import example_kind
from core.eval.results import SIDES
from core.eval.settings import EvalSettings
from core.eval.specs import ModelTarget
from core.progress import Cancelled, Progress
from core.rules.kinds import OutputKind

Job = Callable[[ChatClient], Awaitable[None]]


def items(examples: list[Example]) -> Iterator[tuple[store.Item, Example]]:
    """Every (task, position, side) of the examples, with its example."""
    for example in examples:
        for side in SIDES:
            yield (example.task, example.position, side), example


class AnswerCollector:
    """Fills :attr:`exchanges` for one eval run: None for gold items, else the exchange."""

    def __init__(
        self,
        conn: sqlite3.Connection,
        eval_id: int,
        targets: Mapping[str, ModelTarget],
        settings: EvalSettings,
        progress: Progress,
        declared: Mapping[str, str] | None = None,
    ) -> None:
        self.conn = conn
        self.declared = declared or {}
        self.eval_id = eval_id
        self.targets = targets
        self.settings = settings
        self.progress = progress
        self.total = self.done = self.sent = self.cached = 0
        self.exchanges: dict[store.Item, Exchange | None] = {}

    async def collect(
        self,
        examples: list[Example],
        *,
        no_cache: bool,
        cancel: threading.Event | None,
        transport: httpx.AsyncBaseTransport | None,
    ) -> None:
        """Answer every item; raises :class:`Cancelled` when ``cancel`` is set."""
        self.total = len(examples) * len(SIDES)
        linked = store.linked_items(self.conn, self.eval_id)
        pending: dict[str, list[Job]] = {side: [] for side in SIDES}
        for item, example in items(examples):
            job = self._answer_without_request(item, example, linked, no_cache)
            if job is not None:
                pending[item[2]].append(job)
        self.progress(self.done, self.total, self.detail())
        clients: list[ChatClient] = []
        jobs: list[Awaitable[None]] = []
        for side in SIDES:
            if not pending[side]:
                continue
            client = ChatClient(self.targets[side], self.settings, transport=transport)
            clients.append(client)
            gate = asyncio.Semaphore(self.settings.concurrency)  # per model
            jobs += [_gated(gate, job, client, cancel) for job in pending[side]]
        try:
            await run_all(jobs, cancel)
        finally:
            for client in clients:
                await client.aclose()

    def detail(self) -> str:
        """The progress detail: answers so far, requests sent, answers from the cache."""
        return f"{self.done}/{self.total} answers, {self.sent} sent, {self.cached} cached"

    def _answer_without_request(
        self,
        item: store.Item,
        example: Example,
        linked: Mapping[store.Item, Exchange | None],
        no_cache: bool,
    ) -> Job | None:
        """Answer from gold, this run or the cache; else return the job that will ask."""
        target = self.targets[item[2]]
        if target.is_gold:
            if item not in linked:
                store.record_answer(self.conn, self.eval_id, item)
            self._settle(item, None)
            return None
        previous = linked.get(item)
        if previous is not None and _succeeded(previous):
            self.cached += 1
            self._settle(item, previous)
            return None
        kind = example_kind(example, self.declared.get(example.task))
        body = build_request(target, example.prompt, example.tools, kind == OutputKind.JSON)
        key = store.request_key(target.endpoint, target.model, body)
        hit = None if no_cache else store.cached_response(self.conn, key)
        if hit is not None:
            store.record_answer(self.conn, self.eval_id, item, response_id=hit[0])
            self.cached += 1
            self._settle(item, hit[1])
            return None
        return self._job(item, key, body)

    def _settle(self, item: store.Item, exchange: Exchange | None) -> None:
        self.exchanges[item] = exchange
        self.done += 1
        self.progress(self.done, self.total, self.detail())

    def _job(self, item: store.Item, key: str, body: dict[str, Any]) -> Job:
        async def send(client: ChatClient) -> None:
            exchange = await client.complete(body)
            store.record_answer(
                self.conn,
                self.eval_id,
                item,
                key=key,
                endpoint=client.target.endpoint,
                model=client.target.model,
                body=body,
                exchange=exchange,
            )
            self.sent += 1
            self._settle(item, exchange)

        return send


async def run_all(jobs: list[Awaitable[None]], cancel: threading.Event | None) -> None:
    """Await every job; on ``cancel`` stop them all (answers so far are stored) and raise."""
    tasks = [asyncio.ensure_future(job) for job in jobs]
    pending = set(tasks)
    try:
        while pending:
            if cancel is not None and cancel.is_set():
                raise Cancelled()
            done, pending = await asyncio.wait(
                pending, timeout=0.05, return_when=asyncio.FIRST_EXCEPTION
            )
            for task in done:
                if task.exception() is not None:
                    raise task.exception()  # type: ignore[misc]
    except BaseException:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)  # retrieves every outcome
        raise


async def _gated(
    gate: asyncio.Semaphore, job: Job, client: ChatClient, cancel: threading.Event | None
) -> None:
    async with gate:
        if cancel is not None and cancel.is_set():
            raise Cancelled()
        await job(client)


def _succeeded(exchange: Exchange) -> bool:
    return exchange.status is not None and 200 <= exchange.status < 300
