"""The chat client against the scripted server: retries, retry-after, timeouts, errors."""

from __future__ import annotations

import socket
import time

from core.eval.client import ChatClient, build_request
from core.eval.settings import EvalSettings
from core.eval.specs import resolve_model


def _body(server, model: str) -> dict:
    target = resolve_model(server.model(model), EvalSettings(), {}, {})
    messages = [{"role": "user", "content": "Find 20 vegan restaurants in Lisbon."}]
    return target, build_request(target, messages, None)


def test_request_body_is_what_eval_sends() -> None:
    settings = EvalSettings(max_tokens=77, response_format={"type": "json_object"})
    target = resolve_model("http://127.0.0.1:1/v1#m", settings, {}, {})
    tools = [{"type": "function", "function": {"name": "web_search"}}]
    body = build_request(target, [{"role": "user", "content": "hi"}], tools)
    assert body == {
        "model": "m",
        "messages": [{"role": "user", "content": "hi"}],
        "temperature": 0,
        "max_tokens": 77,
        "tools": tools,
        "response_format": {"type": "json_object"},
    }


async def test_429_is_retried_after_retry_after(server) -> None:
    target, body = _body(server, "rate-limited")
    started = time.monotonic()
    async with ChatClient(target, EvalSettings(retries=2)) as client:
        exchange = await client.complete(body)
    elapsed = time.monotonic() - started
    assert exchange.status == 200 and exchange.attempts == 2
    assert len(server.requests_for("rate-limited")) == 2
    assert elapsed >= 1.0  # the server said retry-after: 1


async def test_timeout_is_retried_then_reported(server) -> None:
    target, body = _body(server, "slow")
    settings = EvalSettings(timeout_s=0.2, retries=1, backoff_s=0)
    async with ChatClient(target, settings) as client:
        exchange = await client.complete(body)
    assert (exchange.status, exchange.error, exchange.attempts) == (None, "timeout", 2)
    assert len(server.requests_for("slow")) == 2


async def test_connection_error_is_reported() -> None:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    target = resolve_model(f"http://127.0.0.1:{port}/v1#m", EvalSettings(), {}, {})
    async with ChatClient(target, EvalSettings(retries=1, backoff_s=0)) as client:
        exchange = await client.complete(build_request(target, [], None))
    assert (exchange.status, exchange.error, exchange.attempts) == (None, "connection", 2)


async def test_404_is_not_retried_and_body_is_kept(server) -> None:
    target, body = _body(server, "not-deployed")
    async with ChatClient(target, EvalSettings(retries=3)) as client:
        exchange = await client.complete(body)
    assert exchange.status == 404 and exchange.attempts == 1
    assert "not deployed" in (exchange.body or "")


async def test_key_goes_only_in_the_authorization_header(server, monkeypatch) -> None:
    env = {"FIREWORKS_API_KEY": "fw-secret-123", "FIREWORKS_BASE_URL": server.url}
    target = resolve_model("fireworks:gold", EvalSettings(), {}, env)
    async with ChatClient(target, EvalSettings()) as client:
        await client.complete(build_request(target, [{"role": "user", "content": "x"}], None))
    assert server.log[-1]["authorization"] == "Bearer fw-secret-123"
    assert "fw-secret-123" not in str(server.log[-1]["body"])


async def test_a_retry_after_beyond_the_cap_is_not_retried_early(server) -> None:
    target, body = _body(server, "rate-limited")
    started = time.monotonic()
    async with ChatClient(target, EvalSettings(retries=3, max_retry_wait_s=0.05)) as client:
        exchange = await client.complete(body)
    # the server asked for 1 s, more than we will wait: report its 429 rather than ask again early
    assert (exchange.status, exchange.attempts) == (429, 1)
    assert time.monotonic() - started < 0.9
    assert len(server.requests_for("rate-limited")) == 1
