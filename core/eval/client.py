"""The inference-plane client: ``POST {base}/chat/completions`` with retries, async httpx.

Separate from the providers' control-plane clients on purpose: eval only needs one call, many
times, with bounded concurrency. When and how long to retry is the one policy of
``core.providers.retries`` with the ``[eval]`` numbers (``retries``, ``backoff_s``,
``max_retry_wait_s``). The result keeps the raw body, status and latency; the key is only ever
in the ``Authorization`` header, and every configured key is scrubbed (``core.redaction``) from
any body that echoes it, before the body is scored, stored or shown.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from typing import Any

import httpx
import orjson

from core.eval.settings import EvalSettings
from core.eval.specs import ModelTarget
from core.providers.credentials import redact
from core.providers.retries import RetryPolicy
from core.redaction import scrub_body


@dataclass(frozen=True, slots=True)
class Exchange:
    """What one request ended with, after retries.

    ``status`` is None when no HTTP response came back; ``error`` is then ``timeout`` or
    ``connection`` and ``error_message`` says what httpx reported.
    """

    status: int | None
    body: str | None
    latency_ms: float | None
    attempts: int
    error: str | None = None
    error_message: str | None = None


def build_request(
    target: ModelTarget,
    messages: list[dict[str, Any]],
    tools: list[dict[str, Any]] | None,
    json_answer: bool = True,
) -> dict[str, Any]:
    """The chat-completions body eval sends: temperature 0, the target's max_tokens.

    ``tools`` go as they are (``tool_choice`` is left to the server); the target's
    ``response_format`` only goes with examples whose answer is JSON (``json_answer``), since
    JSON mode would keep a model from calling a tool or replying in text.
    """
    body: dict[str, Any] = {
        "model": target.model,
        "messages": messages,
        "temperature": 0,
        "max_tokens": target.max_tokens,
    }
    if tools:
        body["tools"] = tools
    if target.response_format is not None and json_answer:
        body["response_format"] = target.response_format
    return body


class ChatClient:
    """One ``httpx.AsyncClient`` per model; use as ``async with ChatClient(...) as client``."""

    def __init__(
        self,
        target: ModelTarget,
        settings: EvalSettings,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.target = target
        self.settings = settings
        self.url = f"{target.endpoint}/chat/completions"
        headers = {"Content-Type": "application/json", "Accept": "application/json"}
        if target.api_key is not None:
            headers["Authorization"] = f"Bearer {target.api_key.get_secret_value()}"
        timeout = httpx.Timeout(settings.timeout_s, connect=min(10.0, settings.timeout_s))
        limits = httpx.Limits(max_connections=settings.concurrency, max_keepalive_connections=None)
        self._http = httpx.AsyncClient(
            headers=headers, timeout=timeout, limits=limits, transport=transport
        )

    async def __aenter__(self) -> ChatClient:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._http.aclose()

    async def complete(self, body: dict[str, Any]) -> Exchange:
        """Send one request, retrying what is worth retrying; never raises for HTTP trouble."""
        payload = orjson.dumps(body)
        policy = RetryPolicy.for_eval(self.settings)
        attempt = 0
        while True:
            attempt += 1
            started = time.perf_counter()
            try:
                response = await self._http.post(self.url, content=payload)
            except httpx.TimeoutException as exc:
                last = Exchange(None, None, _ms(started), attempt, "timeout", self._safe(exc))
                delay = policy.next_delay(attempt)
            except httpx.TransportError as exc:
                last = Exchange(None, None, _ms(started), attempt, "connection", self._safe(exc))
                delay = policy.next_delay(attempt)
            else:
                body = scrub_body(self._redact(response.text))
                last = Exchange(response.status_code, body, _ms(started), attempt)
                if response.is_success:
                    return last
                delay = policy.next_delay(
                    attempt, status=response.status_code, headers=response.headers
                )
            if delay is None:
                return last
            await asyncio.sleep(delay)

    def _redact(self, text: str) -> str:
        """Text without the key: some providers echo it back in error bodies."""
        return redact(text, [self.target.api_key] if self.target.api_key is not None else [])

    def _safe(self, exc: Exception) -> str:
        return self._redact(_describe(exc))


def _ms(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 3)


def _describe(exc: Exception) -> str:
    return f"{type(exc).__name__}: {exc}".rstrip(": ") if str(exc) else type(exc).__name__
