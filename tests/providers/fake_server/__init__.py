"""A local stand-in for the Fireworks, Together and OpenAI fine-tuning APIs.

One threaded HTTP server on 127.0.0.1 speaks all three (Fireworks at the root, Together under
``/together``, OpenAI under ``/openai/v1``), keeps state, records every request and injects
faults. Tests start it with the ``fake_server`` fixture; people run it with
``python -m tests.providers.fake_server --port 8765`` for a dry run without an account.
"""

from __future__ import annotations

import threading
from typing import Any

from tests.providers.fake_server import (
    chat_routes,
    fireworks_routes,
    openai_routes,
    together_routes,
)
from tests.providers.fake_server.http_core import Call, FakeHTTPServer, Fault, Reply
from tests.providers.fake_server.state import FakeState

__all__ = ["Call", "Fault", "FakeProviderServer", "Reply"]


class FakeProviderServer:
    """The fake server, its state, its request log and its fault queue."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0) -> None:
        self.httpd = FakeHTTPServer((host, port))
        self.port = self.httpd.server_address[1]
        self.url = f"http://{host}:{self.port}"
        self.state = FakeState()
        fireworks_routes.register(self.httpd, self.state, self.url)
        together_routes.register(self.httpd, self.state, self.url)
        openai_routes.register(self.httpd, self.state, self.url)
        chat_routes.register(self.httpd, self.state)
        self._thread: threading.Thread | None = None

    @property
    def base_urls(self) -> dict[str, str]:
        """What to set ``*_BASE_URL`` to for each provider (our clients and the SDKs)."""
        return {
            "fireworks": self.url,
            "together": f"{self.url}{together_routes.PREFIX}",
            "openai": f"{self.url}{openai_routes.PREFIX}",
        }

    def env(self, keys: dict[str, str], account: str = "demo") -> dict[str, str]:
        """Environment variables pointing every client at this server."""
        env = {
            "FIREWORKS_BASE_URL": self.base_urls["fireworks"],
            "TOGETHER_BASE_URL": self.base_urls["together"],
            "OPENAI_BASE_URL": self.base_urls["openai"],
            "FIREWORKS_ACCOUNT_ID": account,
        }
        variables = {"fireworks": "FIREWORKS_API_KEY", "together": "TOGETHER_API_KEY"}
        variables["openai"] = "OPENAI_API_KEY"
        env.update({variables[name]: key for name, key in keys.items()})
        return env

    @property
    def calls(self) -> list[Call]:
        with self.httpd.lock:
            return list(self.httpd.calls)

    def calls_to(self, method: str, fragment: str) -> list[Call]:
        """Recorded requests with this method whose path contains ``fragment``."""
        return [c for c in self.calls if c.method == method and fragment in c.path]

    def calls_at(self, method: str, path: str) -> list[Call]:
        """Recorded requests with exactly this method and path."""
        return [c for c in self.calls if c.method == method and c.path == path]

    def fail(self, path: str, **kwargs: Any) -> Fault:
        """Inject a :class:`Fault` (see its fields) for requests whose path matches ``path``."""
        fault = Fault(path, **kwargs)
        with self.httpd.lock:
            self.httpd.faults.append(fault)
        return fault

    def start(self) -> FakeProviderServer:
        self._thread = threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
