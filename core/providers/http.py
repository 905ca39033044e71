"""One httpx client per provider: auth header, retries, error parsing and redaction.

Relative paths go to the provider's API root with ``Authorization: Bearer <key>``; absolute URLs
(signed upload URLs) go out with no credentials at all. Request bodies are rebuilt on every
attempt from factories, so a retried upload re-sends the whole file.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Container
from typing import Any

import httpx
import orjson

from core import __version__
from core.progress import check_cancel
from core.providers.credentials import BASE_URL_VARIABLES, KEY_VARIABLES, Credentials, redact
from core.providers.errors import ProviderError, error_from_response
from core.providers.pacing import pause
from core.providers.retries import RetryPolicy
from core.providers.settings import ProviderSettings
from core.redaction import configured_secrets, scrub_body, scrub_text

log = logging.getLogger("core.providers")

BodyFactory = Callable[[], dict[str, Any]]


def api_root(base_url: str) -> str:
    """``https://host[/prefix]/v1`` whether or not the configured base ends in ``/v1``."""
    return base_url.rstrip("/").removesuffix("/v1") + "/v1"


class ApiClient:
    """Sends requests for one provider with its key, policy and error shapes."""

    def __init__(
        self,
        credentials: Credentials,
        settings: ProviderSettings,
        *,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.provider = credentials.provider
        self.root = api_root(credentials.base_url)
        self.settings = settings
        self._credentials = credentials
        self._sleep = sleep
        self._http = httpx.Client(
            timeout=settings.timeout(),
            follow_redirects=False,
            headers={"User-Agent": f"trace-curator/{__version__}"},
        )

    def __repr__(self) -> str:
        return f"ApiClient(provider={self.provider!r}, root={self.root!r})"

    def close(self) -> None:
        """Close the connection pool."""
        self._http.close()

    def redact(self, text: str) -> str:
        """``text`` without the key (or any other configured one)."""
        return scrub_body(redact(text, [self._credentials.api_key]))

    def request(
        self,
        method: str,
        path: str,
        *,
        json: Any = None,
        params: dict[str, Any] | None = None,
        body: BodyFactory | None = None,
        headers: dict[str, str] | None = None,
        accept: Container[int] = (),
        upload: bool = False,
        cancel: threading.Event | None = None,
    ) -> httpx.Response:
        """Send one logical request, retrying transient failures.

        Args:
            method: HTTP verb.
            path: path under the API root (``/files``), or an absolute signed URL, which is sent
                without the Authorization header.
            json: a JSON body (``None`` sends none).
            params: query parameters; ``None`` values are dropped.
            body: a factory returning httpx keyword arguments (``files``, ``data``,
                ``content``), called again for each attempt.
            headers: extra headers.
            accept: non-2xx statuses handed back to the caller instead of raised (409, 302).
            upload: use the long upload timeouts.
            cancel: stop between attempts when set.

        Raises:
            ProviderError: an error response, or no answer after every attempt.
        """
        absolute = path.startswith(("http://", "https://"))
        url = path if absolute else self.root + path
        shown = url.split("?", 1)[0]  # a signed URL's query is itself a credential
        send_headers = dict(headers or {})
        if not absolute:
            send_headers["Authorization"] = f"Bearer {self._credentials.api_key.get_secret_value()}"
        query = {k: v for k, v in (params or {}).items() if v is not None}
        policy = RetryPolicy.for_providers(self.settings)
        attempt = 0
        while True:
            attempt += 1
            check_cancel(cancel)
            extra = body() if body is not None else {}
            try:
                response = self._http.request(
                    method,
                    url,
                    json=json,
                    params=query or None,
                    headers=send_headers,
                    timeout=self.settings.timeout(upload=upload),
                    **extra,
                )
            except httpx.TransportError as exc:
                reason = self.redact(f"{type(exc).__name__}: {exc}".rstrip(": "))
                delay = policy.next_delay(attempt)
                if delay is None:
                    raise self._unreachable(url, reason, attempt) from None
                log.info(
                    "%s %s failed (%s); retry %d in %.2fs", method, shown, reason, attempt, delay
                )
                self._wait(delay, cancel)
                continue
            status = response.status_code
            if status not in accept and not response.is_success:
                delay = policy.next_delay(attempt, status=status, headers=response.headers)
                if delay is not None:
                    log.info(
                        "%s %s -> HTTP %d; retry %d in %.2fs",
                        method,
                        shown,
                        status,
                        attempt,
                        delay,
                    )
                    response.close()
                    self._wait(delay, cancel)
                    continue
            if response.is_success or status in accept:
                return _scrubbed(response)
            raise error_from_response(
                self.provider,
                status,
                response.read(),
                key_var=KEY_VARIABLES[self.provider],
                redactor=self.redact,
            )

    def _wait(self, delay: float, cancel: threading.Event | None) -> None:
        if cancel is None:
            self._sleep(delay)
        else:
            pause(delay, cancel)

    def json(self, method: str, path: str, **kwargs: Any) -> dict[str, Any]:
        """:meth:`request` and parse a JSON object body."""
        response = self.request(method, path, **kwargs)
        return self.parse(response)

    def parse(self, response: httpx.Response) -> dict[str, Any]:
        """A response body as a JSON object, or a clear error when it is not one."""
        try:
            data = orjson.loads(response.content) if response.content else {}
        except orjson.JSONDecodeError:
            data = None
        if not isinstance(data, dict):
            raise ProviderError(
                self.provider,
                f"expected a JSON object from {response.request.url.path}, got "
                f"{self.redact(response.text[:200])!r}",
                status=response.status_code,
                hint="the base URL may point at something that is not the provider's API",
            )
        return data

    def _unreachable(self, url: str, reason: str, attempts: int) -> ProviderError:
        host = httpx.URL(url).host
        variable = BASE_URL_VARIABLES[self.provider]
        return ProviderError(
            self.provider,
            f"no answer from {host} after {attempts} attempts ({reason})",
            hint=f"check the network, or the base URL (config or {variable})",
        )


def _scrubbed(response: httpx.Response) -> httpx.Response:
    """The response with every configured secret removed from its body and headers.

    This is where provider answers enter: a server echoing the key in a success field (a job
    name, a state, a signed URL) cannot get it any further.
    """
    if not configured_secrets():
        return response
    content = response.read()
    text = content.decode("utf-8", "replace")
    clean = scrub_body(text)
    headers = {name: scrub_text(value) for name, value in response.headers.items()}
    if clean == text and headers == dict(response.headers.items()):
        return response
    return httpx.Response(
        response.status_code,
        headers=headers,
        content=clean.encode() if clean != text else content,
        request=response.request,
    )
