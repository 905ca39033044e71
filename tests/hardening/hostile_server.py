"""A hostile stand-in for Fireworks and an OpenAI-compatible model server: it echoes the
``Authorization`` header it receives back in every field it can.

The echo comes raw, ``\\u``-escaped inside JSON strings and URL-encoded, in success answers
(dataset and job states, job and deployment names, status messages, output models) and in a
model's answers, the places a key was seen leaking from (issue 14).
"""

from __future__ import annotations

import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import quote, urlsplit

import orjson

ACCOUNT = r"/v1/accounts/(?P<account>[^/]+)"


def _escaped(text: str) -> str:
    """A JSON string literal with every character as ``\\uXXXX``."""
    return '"' + "".join(f"\\u{ord(c):04x}" for c in text) + '"'


class _Handler(BaseHTTPRequestHandler):
    server: HostileServer.HTTPD

    def log_message(self, format: str, *args: Any) -> None:  # quiet
        pass

    def _answer(self, status: int, body: str) -> None:
        data = body.encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("X-Echo", self.headers.get("Authorization", ""))
        self.end_headers()
        self.wfile.write(data)

    def _route(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        auth = self.headers.get("Authorization", "")
        path = urlsplit(self.path).path
        escaped, encoded = _escaped(auth), quote(auth, safe="")
        self.server.seen.append(auth)
        job = re.fullmatch(ACCOUNT + r"/supervisedFineTuningJobs(/(?P<id>[^/:]+))?(:cancel)?", path)
        if path.endswith("/chat/completions"):
            request = orjson.loads(body)
            answer = f'{{"ok": true, "note": {escaped}, "raw": "{auth}", "url": "{encoded}"}}'
            content = orjson.dumps(answer).decode()
            self._answer(
                200,
                f'{{"id": {escaped}, "model": "{request.get("model")}", "choices": [{{"index": 0,'
                f' "message": {{"role": "assistant", "content": {content}}},'
                f' "finish_reason": "stop"}}], "usage": {{"prompt_tokens": 5,'
                f' "completion_tokens": 5}}, "system_fingerprint": "{auth}"}}',
            )
        elif re.fullmatch(ACCOUNT + r"/datasets(/[^/]+:upload)?", path):
            self._answer(200, "{}")
        elif re.fullmatch(ACCOUNT + r"/datasets/[^/:]+", path):
            self._answer(200, f'{{"name": "d", "state": "{auth}", "displayName": {escaped}}}')
        elif job is not None:
            if path.endswith(":cancel"):
                self._answer(200, "{}")
                return
            self._answer(
                200,
                f'{{"name": "accounts/a/supervisedFineTuningJobs/{encoded}", "state": "{auth}",'
                f' "status": {{"code": "INTERNAL", "message": {escaped}}}, "outputModel":'
                f' "accounts/a/models/{encoded}", "dataset": {escaped}, "baseModel": "{auth}",'
                f' "createTime": "{auth}"}}',
            )
        elif re.fullmatch(ACCOUNT + r"/deployments(/[^/]+)?", path):
            self._answer(
                200,
                f'{{"name": "accounts/a/deployments/{encoded}", "state": "READY",'
                f' "baseModel": "accounts/a/models/{encoded}",'
                f' "status": {{"message": {escaped}}}}}',
            )
        else:
            self._answer(404, f'{{"error": {{"message": "no route; you sent {auth}"}}}}')

    do_GET = do_POST = do_PUT = _route


class HostileServer:
    """Start with ``with HostileServer() as server:``; ``server.url`` is its root."""

    class HTTPD(ThreadingHTTPServer):
        daemon_threads = True
        seen: list[str]

    def __init__(self) -> None:
        self.httpd = self.HTTPD(("127.0.0.1", 0), _Handler)
        self.httpd.seen = []
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self._thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def seen(self) -> list[str]:
        return self.httpd.seen

    def __enter__(self) -> HostileServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
