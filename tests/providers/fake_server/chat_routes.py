"""Fake inference: ``POST .../chat/completions`` on each provider, so an eval runs end to end.

Fireworks answers a tuned model (``accounts/<a>/models/<m>`` outside ``accounts/fireworks``)
only once a READY deployment serves it, else the real 404 ("not deployed"), which is what a
first eval of a fresh model meets. The "model" is a stand-in: it answers the task's shape
(an array when the system prompt asks for one, else an object with the planning fields) so
metrics come out between zero and the gold, never identical to it.
"""

from __future__ import annotations

import time
from typing import Any

import orjson

from tests.providers.fake_server.http_core import Call, FakeHTTPServer, Reply
from tests.providers.fake_server.state import FakeState

NOT_DEPLOYED = {
    "message": "Model not found, inaccessible, and/or not deployed",
    "code": "NOT_FOUND",
    "type": "error",
}
PLAN = {"entity_type": "business", "target_count": 10, "city": None, "tool_steps": ["search"]}


def _answer(messages: list[dict[str, Any]]) -> str:
    system = " ".join(str(m.get("content") or "") for m in messages if m.get("role") == "system")
    if "array" in system.lower():
        return "[]"
    return orjson.dumps(PLAN).decode()


def _completion(model: str, content: str) -> dict[str, Any]:
    return {
        "id": f"chatcmpl-{int(time.time() * 1000)}",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": model,
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": content},
                "finish_reason": "stop",
            }
        ],
        "usage": {"prompt_tokens": 100, "completion_tokens": len(content) // 4 + 1},
    }


def register(server: FakeHTTPServer, state: FakeState) -> None:
    """Add chat completions for Fireworks (``/inference/v1``), Together and OpenAI."""

    def served(model: str) -> bool:
        if not model.startswith("accounts/") or model.startswith("accounts/fireworks/"):
            return True  # a serverless base model
        return any(
            d.get("baseModel") == model and d.get("state") == "READY"
            for d in state.deployments.values()
        )

    def chat(provider: str) -> Any:
        def handler(call: Call) -> Reply:
            if not state.authorized(provider, call.headers.get("authorization", "")):
                return Reply(401, {"error": {"message": "invalid API key", "type": "auth"}})
            body = call.json() or {}
            model = str(body.get("model") or "")
            if provider == "fireworks" and not served(model):
                return Reply(404, dict(NOT_DEPLOYED))
            return Reply(200, _completion(model, _answer(body.get("messages") or [])))

        return handler

    server.route("POST", "/inference/v1/chat/completions", chat("fireworks"))
    server.route("POST", "/together/chat/completions", chat("together"))
    server.route("POST", "/openai/v1/chat/completions", chat("openai"))
