"""Fixtures for eval tests: realistic held-out sets and a scripted OpenAI-compatible server.

The server listens on 127.0.0.1 (a free port) and answers ``POST /v1/chat/completions`` by the
request's ``model``: gold (the held-out gold for those messages), empty, fenced, think,
thinking-only, truncated, prose, not-deployed (Fireworks 404), lora-412 (nested error),
bad-key (401 echoing the key),
unavailable (gRPC-style 503), completions (a /completions-shaped body), slow (sleeps past the
client timeout) and rate-limited (429 with ``retry-after: 1`` once per request, then gold).
``gold`` replays the whole gold message, ``tool_calls`` included; ``scripted`` answers the
message a test set with :meth:`ScriptedServer.script` for that prompt; ``tool-as-text`` writes
the gold's tool calls into the content, as a server without a tool-call parser returns them.
Every request is logged, so tests can assert how many calls went out.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import orjson
import pytest

from core.config import CuratorConfig
from core.eval.heldout import load_heldout
from core.eval.settings import EvalSettings
from tests.eval.kind_sets import KIND_SETS

# Evals against the local stand-in: short timeouts, one retry, a small bootstrap.
FAST_CONFIG = CuratorConfig(
    eval=EvalSettings(timeout_s=5, retries=1, backoff_s=0, bootstrap_resamples=200)
)

PLAN_SYSTEM = (
    "You plan data-collection runs. Answer with one JSON object with entity_type, "
    "target_count, city and tool_steps (tools: web_search, scrape, enrich)."
)
EXTRACT_SYSTEM = (
    "Extract every business on the page as a JSON array of objects with name, address, phone "
    "and website. Use null for what the page does not state. Never invent fields."
)
ENRICH_SYSTEM = (
    "Fill the entity's missing fields from the content. Answer with the entity as a JSON "
    "object. Leave null what the content does not state; never overwrite a filled field."
)


def _line(system: str, user: str, gold: Any) -> dict[str, Any]:
    return {
        "messages": [
            {"role": "system", "content": system},
            {"role": "user", "content": user},
            {"role": "assistant", "content": orjson.dumps(gold).decode(), "weight": 1},
        ]
    }


PLANNING = [
    _line(
        PLAN_SYSTEM,
        "Find 20 vegan restaurants in Lisbon with phone numbers and websites.",
        {
            "entity_type": "restaurant",
            "target_count": 20,
            "city": "Lisbon",
            "tool_steps": [
                {"tool": "web_search", "query": "vegan restaurants Lisbon"},
                {"tool": "scrape", "target": "search results"},
                {"tool": "enrich", "fields": ["phone", "website"]},
            ],
        },
    ),
    _line(
        PLAN_SYSTEM,
        "I need 50 dentists in Porto, with addresses.",
        {
            "entity_type": "dentist",
            "target_count": 50,
            "city": "Porto",
            "tool_steps": [
                {"tool": "web_search", "query": "dentists Porto"},
                {"tool": "scrape", "target": "directory pages"},
            ],
        },
    ),
    _line(
        PLAN_SYSTEM,
        "List 10 coworking spaces in Berlin.",
        {
            "entity_type": "coworking space",
            "target_count": 10,
            "city": "Berlin",
            "tool_steps": [{"tool": "web_search", "query": "coworking Berlin"}],
        },
    ),
]

EXTRACTION = [
    _line(
        EXTRACT_SYSTEM,
        "Page https://example.org/lisbon-vegan\n\nAi Mamma Vegan, Rua da Rosa 12, Lisbon. "
        "Tel +351 21 123 4567.\nPlant Base Cafe, Avenida da Liberdade 200. www.plantbase.pt",
        [
            {
                "name": "Ai Mamma Vegan",
                "address": "Rua da Rosa 12, Lisbon",
                "phone": "+351 21 123 4567",
                "website": None,
            },
            {
                "name": "Plant Base Cafe",
                "address": "Avenida da Liberdade 200",
                "phone": None,
                "website": "www.plantbase.pt",
            },
        ],
    ),
    _line(
        EXTRACT_SYSTEM,
        "Page https://example.org/porto-dentists\n\nClinica Sorriso - Rua de Santa Catarina 45, "
        "Porto - 22 200 1234",
        [
            {
                "name": "Clinica Sorriso",
                "address": "Rua de Santa Catarina 45, Porto",
                "phone": "22 200 1234",
                "website": None,
            }
        ],
    ),
    _line(
        EXTRACT_SYSTEM,
        "Page https://example.org/berlin-cowork\n\nSorry, this page has moved.",
        [],
    ),
]

ENRICHMENT = [
    _line(
        ENRICH_SYSTEM,
        'Entity: {"name": "Plant Base Cafe", "address": "Avenida da Liberdade 200", '
        '"phone": null, "website": "www.plantbase.pt", "opening_hours": null}\n\n'
        "Content: Plant Base Cafe welcomes you daily 9:00-18:00. Call +351 21 987 6543.",
        {
            "name": "Plant Base Cafe",
            "address": "Avenida da Liberdade 200",
            "phone": "+351 21 987 6543",
            "website": "www.plantbase.pt",
            "opening_hours": "daily 9:00-18:00",
        },
    ),
    _line(
        ENRICH_SYSTEM,
        'Entity: {"name": "Clinica Sorriso", "address": "Rua de Santa Catarina 45, Porto", '
        '"phone": "22 200 1234", "website": null, "email": null}\n\n'
        "Content: Clinica Sorriso. Book online at sorriso.pt.",
        {
            "name": "Clinica Sorriso",
            "address": "Rua de Santa Catarina 45, Porto",
            "phone": "22 200 1234",
            "website": "sorriso.pt",
            "email": None,
        },
    ),
]

HELDOUT = {"planning": PLANNING, "extraction": EXTRACTION, "enrichment": ENRICHMENT}


def write_heldout(root: Path, tasks: dict[str, list[dict[str, Any]]] | None = None) -> Path:
    """Write ``root/<task>/heldout.jsonl`` files and a manifest; return root."""
    for task, lines in (tasks or HELDOUT).items():
        folder = root / task
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "heldout.jsonl").write_bytes(b"".join(orjson.dumps(x) + b"\n" for x in lines))
    (root / "manifest.json").write_bytes(orjson.dumps({"hash": "export-abc123"}))
    return root


@pytest.fixture
def heldout_dir(tmp_path: Path) -> Path:
    return write_heldout(tmp_path / "heldout")


NOT_DEPLOYED = {
    "message": "Model not found, inaccessible, and/or not deployed",
    "code": "NOT_FOUND",
    "type": "error",
}


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128  # the default 5 drops concurrent connects (1 s SYN retry)


class ScriptedServer:
    """The scripted OpenAI-compatible server; ``log`` holds every request received."""

    def __init__(self) -> None:
        self.golds: dict[bytes, str] = {}
        self.gold_calls: dict[bytes, list[dict[str, Any]]] = {}
        self.scripted: dict[bytes, dict[str, Any]] = {}
        self.log: list[dict[str, Any]] = []
        self.release = threading.Event()
        self.slow_seconds = 1.0
        self._seen: set[bytes] = set()
        self._lock = threading.Lock()
        self.httpd = _Server(("127.0.0.1", 0), self._handler())
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/v1"

    def learn(self, heldout: Path) -> None:
        """Learn the gold answer of every example in a held-out folder."""
        for examples in load_heldout(heldout).examples.values():
            for example in examples:
                self.golds[_key(example.prompt)] = example.gold
                calls = example.record["messages"][-1].get("tool_calls")
                if calls:
                    self.gold_calls[_key(example.prompt)] = calls

    def script(self, prompt: list[dict[str, Any]], message: dict[str, Any]) -> None:
        """What the ``scripted`` model answers to this prompt: an assistant message's keys."""
        self.scripted[_key(prompt)] = message

    def model(self, name: str) -> str:
        """The MODEL spec of a scripted model on this server."""
        return f"{self.url}#{name}"

    def requests_for(self, model: str) -> list[dict[str, Any]]:
        return [entry for entry in self.log if entry["body"].get("model") == model]

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:  # keep test output clean
                return

            def do_POST(self) -> None:
                raw = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                body = orjson.loads(raw)
                with server._lock:
                    server.log.append(
                        {
                            "path": self.path,
                            "body": body,
                            "authorization": self.headers.get("Authorization"),
                        }
                    )
                if self.path != "/v1/chat/completions":
                    return self._send(404, {"error": {"message": "no such route"}})
                status, payload, headers = server.answer(
                    body, raw, self.headers.get("Authorization", "")
                )
                self._send(status, payload, headers)

            def _send(self, status: int, payload: Any, headers: dict | None = None) -> None:
                data = payload if isinstance(payload, bytes) else orjson.dumps(payload)
                try:
                    self.send_response(status)
                    for name, value in (headers or {}).items():
                        self.send_header(name, value)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass

        return Handler

    def answer(self, body: dict[str, Any], raw: bytes, auth: str) -> tuple[int, Any, dict]:
        model = body["model"]
        if model == "bad-key":  # echoes the key back, as some providers do
            key = auth.removeprefix("Bearer ")
            return 401, {"error": {"message": f"Incorrect API key provided: {key}"}}, {}
        gold = self.golds.get(_key(body["messages"]), '{"unknown": "example"}')
        if model == "not-deployed":
            return 404, NOT_DEPLOYED, {}
        if model == "lora-412":
            return 412, {"error": {"type": "invalid_request", "message": "LoRA failed to load"}}, {}
        if model == "unavailable":
            return 503, {"code": 14, "message": "backend unavailable", "details": []}, {}
        if model == "completions":
            return 200, {"choices": [{"text": gold, "finish_reason": "stop"}]}, {}
        if model == "slow":
            self.release.wait(self.slow_seconds)
        if model == "rate-limited":
            with self._lock:
                first = raw not in self._seen
                self._seen.add(raw)
            if first:
                return 429, {"error": {"message": "rate limited"}}, {"retry-after": "1"}
        calls = self.gold_calls.get(_key(body["messages"]))
        if model == "scripted":
            scripted = self.scripted.get(_key(body["messages"]), {"content": ""})
            return 200, _completion(model, {"role": "assistant", **scripted}, "stop", raw), {}
        if model == "tool-as-text":
            text = "".join(
                f"<tool_call>{orjson.dumps(c['function']).decode()}</tool_call>"
                for c in calls or []
            )
            return 200, _completion(model, {"role": "assistant", "content": text}, "stop", raw), {}
        if model == "gold" and calls:
            message = {"role": "assistant", "content": gold or None, "tool_calls": calls}
            return 200, _completion(model, message, "tool_calls", raw), {}
        content, finish, extra = {
            "empty": ("", "stop", {}),
            "fenced": (f"```json\n{gold}\n```", "stop", {}),
            "think": (f"<think>Let me read the page first.</think>\n{gold}", "stop", {}),
            "thinking-only": ("", "stop", {"reasoning_content": "The user wants JSON..."}),
            "truncated": (gold[: len(gold) // 2], "length", {}),
            "prose": (f"Here is the JSON you asked for: {gold}", "stop", {}),
        }.get(model, (gold, "stop", {}))
        message = {"role": "assistant", "content": content, **extra}
        return 200, _completion(model, message, finish, raw), {}


def _completion(model: str, message: dict[str, Any], finish: str, raw: bytes) -> dict[str, Any]:
    calls = message.get("tool_calls")
    answered = len(message.get("content") or "") + (len(orjson.dumps(calls)) if calls else 0)
    return {
        "id": "chatcmpl-test",
        "object": "chat.completion",
        "model": model,
        "choices": [{"index": 0, "message": message, "finish_reason": finish}],
        "usage": {"prompt_tokens": len(raw) // 4, "completion_tokens": max(1, answered // 4)},
    }


def _key(messages: list[dict[str, Any]]) -> bytes:
    return orjson.dumps(messages, option=orjson.OPT_SORT_KEYS)


@pytest.fixture
def server(heldout_dir: Path) -> Iterator[ScriptedServer]:
    yield from _serve(heldout_dir)


@pytest.fixture
def kinds_dir(tmp_path: Path) -> Path:
    """A held-out set of a tool-calling agent and a text support bot (see kind_sets)."""
    return write_heldout(tmp_path / "kinds", KIND_SETS)


@pytest.fixture
def kinds_server(kinds_dir: Path) -> Iterator[ScriptedServer]:
    yield from _serve(kinds_dir)


def _serve(heldout: Path) -> Iterator[ScriptedServer]:
    scripted = ScriptedServer()
    scripted.learn(heldout)
    thread = threading.Thread(target=scripted.httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield scripted
    finally:
        scripted.release.set()
        scripted.httpd.shutdown()
        scripted.httpd.server_close()
        thread.join(timeout=5)
