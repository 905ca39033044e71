"""The fake provider server's plumbing: threaded HTTP/1.1, request recording, faults, routing.

Handlers see a :class:`Call` (method, path, query, headers, body) and return a :class:`Reply`.
Every request is recorded before routing, so tests can assert on exactly what was sent.
"""

from __future__ import annotations

import re
import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from email.parser import BytesParser
from email.policy import HTTP
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

import orjson


@dataclass
class Call:
    """One recorded request."""

    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: bytes
    raw_path: str = ""

    def json(self) -> Any:
        return orjson.loads(self.body) if self.body else None

    def form(self) -> dict[str, tuple[str | None, bytes]]:
        """Multipart (or urlencoded) fields: name → (filename, bytes)."""
        return parse_form(self.headers.get("content-type", ""), self.body)


@dataclass
class Reply:
    """What to answer: status, JSON (or raw bytes) and headers."""

    status: int = 200
    payload: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    raw: bytes | None = None


@dataclass
class Fault:
    """An injected failure for the next ``times`` requests matching method and path regex.

    ``status`` 0 drops the connection without an answer, after reading ``read_bytes`` of the
    body (a connection dropped mid-upload); with ``process`` the request is handled first and
    only the answer is lost.
    """

    path: str
    method: str | None = None
    status: int = 0
    headers: dict[str, str] = field(default_factory=dict)
    payload: Any = None
    times: int = 1
    read_bytes: int = 0
    process: bool = False

    def matches(self, method: str, path: str) -> bool:
        return (self.method in (None, method)) and re.search(self.path, path) is not None


Route = tuple[str, re.Pattern[str], Callable[..., Reply]]


def parse_form(content_type: str, body: bytes) -> dict[str, tuple[str | None, bytes]]:
    """Parse multipart/form-data or urlencoded bodies."""
    if content_type.startswith("application/x-www-form-urlencoded"):
        pairs = parse_qs(body.decode(), keep_blank_values=True)
        return {key: (None, values[-1].encode()) for key, values in pairs.items()}
    if not content_type.startswith("multipart/form-data"):
        return {}
    head = f"Content-Type: {content_type}\r\n\r\n".encode()
    message = BytesParser(policy=HTTP).parsebytes(head + body)
    fields: dict[str, tuple[str | None, bytes]] = {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        fields[str(name)] = (part.get_filename(), part.get_payload(decode=True) or b"")
    return fields


class FakeHTTPServer(ThreadingHTTPServer):
    """Threaded server holding the routes, the faults and the request log."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int]) -> None:
        super().__init__(address, _Handler)
        self.routes: list[Route] = []
        self.faults: list[Fault] = []
        self.calls: list[Call] = []
        self.lock = threading.RLock()

    def route(self, method: str, pattern: str, handler: Callable[..., Reply]) -> None:
        self.routes.append((method, re.compile(pattern + r"\Z"), handler))

    def take_fault(self, method: str, path: str) -> Fault | None:
        with self.lock:
            for fault in self.faults:
                if fault.times > 0 and fault.matches(method, path):
                    fault.times -= 1
                    return fault
        return None

    def dispatch(self, call: Call) -> Reply:
        for method, pattern, handler in self.routes:
            found = pattern.match(call.path)
            if found and method == call.method:
                with self.lock:
                    return handler(call, **found.groupdict())
        return Reply(404, {"error": {"message": f"no route {call.method} {call.path}"}})


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    server: FakeHTTPServer

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        pass

    def _handle(self) -> None:
        split = urlsplit(self.path)
        query = {key: values[-1] for key, values in parse_qs(split.query).items()}
        headers = {key.lower(): value for key, value in self.headers.items()}
        fault = self.server.take_fault(self.command, split.path)
        if fault is not None and fault.status == 0 and not fault.process:
            self._drop(headers, fault.read_bytes)
            return
        body = self._read_body(headers)
        call = Call(self.command, split.path, query, headers, body, raw_path=self.path)
        with self.server.lock:
            self.server.calls.append(call)
        if fault is not None and fault.process:
            self.server.dispatch(call)
            self._drop(headers, 0)
            return
        if fault is not None:
            reply = Reply(fault.status, fault.payload, dict(fault.headers))
        else:
            try:
                reply = self.server.dispatch(call)
            except Exception as exc:  # a fake-server bug must show as a 500, not hang the test
                reply = Reply(500, {"error": {"message": f"fake server bug: {exc!r}"}})
        self._send(reply)

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = _handle

    def _read_body(self, headers: dict[str, str]) -> bytes:
        if headers.get("transfer-encoding", "").lower() == "chunked":
            chunks = []
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    self.rfile.readline()
                    return b"".join(chunks)
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
        length = int(headers.get("content-length") or 0)
        return self.rfile.read(length) if length else b""

    def _drop(self, headers: dict[str, str], read_bytes: int) -> None:
        length = int(headers.get("content-length") or 0)
        if read_bytes and length:
            self.rfile.read(min(read_bytes, length))
        self.close_connection = True
        try:
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass

    def _send(self, reply: Reply) -> None:
        if reply.raw is not None:
            data = reply.raw
        elif reply.payload is None:
            data = b""
        else:
            data = orjson.dumps(reply.payload)
        self.send_response(reply.status)
        headers = {"Content-Type": "application/json", **reply.headers}
        for key, value in headers.items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)
