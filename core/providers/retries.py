"""The one retry policy of every HTTP request curator sends: providers and eval alike.

Retried: HTTP 408, 429 and 5xx, and transport failures (refused or dropped connections,
timeouts). The server's ``retry-after-ms`` or ``retry-after`` (seconds or an HTTP date) wins
over our exponential backoff: we never come back sooner than asked. When it asks for longer
than ``max_retry_after_seconds`` we do not retry at all (waiting the cap and retrying early
would only earn another refusal); the caller reports the response as it came. Backoff doubles
from ``backoff_initial_seconds`` up to ``backoff_max_seconds``, with up to 25 % jitter added
(never below the base, never above the maximum); every delay is multiplied by ``delay_scale``
so tests can run the real policy in milliseconds.

The control plane (``[providers]``) and the inference plane (``[eval]``) each read their
numbers from their own config section into a :class:`RetryPolicy`; the loops that sleep
(sync in ``core.providers.http``, async in ``core.eval.client``) only ask it for the delay.
"""

from __future__ import annotations

import email.utils
import random
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from core.eval.settings import EvalSettings
    from core.providers.settings import ProviderSettings

RETRYABLE_STATUSES = frozenset({408, 429, 500, 502, 503, 504})
JITTER = 0.25
EVAL_BACKOFF_MAX_SECONDS = 8.0  # [eval] has no key for it: its requests are short and many


def is_retryable_status(status: int) -> bool:
    """True for statuses worth another attempt: 408, 429 and 5xx."""
    return status in RETRYABLE_STATUSES or status >= 500


def server_retry_after(headers: Mapping[str, str], *, now: float | None = None) -> float | None:
    """Seconds the server asked us to wait, from ``retry-after-ms`` or ``retry-after``."""
    lowered = {key.lower(): value for key, value in headers.items()}
    millis = lowered.get("retry-after-ms")
    if millis is not None:
        try:
            return max(0.0, float(millis) / 1000.0)
        except ValueError:
            pass
    value = lowered.get("retry-after")
    if value is None:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    parsed = email.utils.parsedate_tz(value)
    if parsed is None:
        return None
    moment = email.utils.mktime_tz(parsed)
    return max(0.0, moment - (time.time() if now is None else now))


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """How many attempts a request gets and how long to wait between them."""

    max_attempts: int = 3
    backoff_initial_seconds: float = 0.5
    backoff_max_seconds: float = 8.0
    max_retry_after_seconds: float = 60.0
    delay_scale: float = 1.0

    @classmethod
    def for_providers(cls, settings: ProviderSettings) -> RetryPolicy:
        """The ``[providers]`` policy (upload, fine-tune, jobs, deploy)."""
        return cls(
            max_attempts=settings.max_attempts,
            backoff_initial_seconds=settings.backoff_initial_seconds,
            backoff_max_seconds=settings.backoff_max_seconds,
            max_retry_after_seconds=settings.max_retry_after_seconds,
            delay_scale=settings.delay_scale,
        )

    @classmethod
    def for_eval(cls, settings: EvalSettings) -> RetryPolicy:
        """The ``[eval]`` policy (chat completions)."""
        return cls(
            max_attempts=settings.retries + 1,
            backoff_initial_seconds=settings.backoff_s,
            backoff_max_seconds=max(EVAL_BACKOFF_MAX_SECONDS, settings.backoff_s),
            max_retry_after_seconds=settings.max_retry_wait_s,
        )

    def backoff(self, attempt: int) -> float:
        """Exponential backoff plus jitter after the ``attempt``-th failure (1-based)."""
        base = min(self.backoff_initial_seconds * 2 ** (attempt - 1), self.backoff_max_seconds)
        jittered = min(base * (1 + JITTER * random.random()), self.backoff_max_seconds)
        return max(base, jittered) * self.delay_scale

    def next_delay(
        self,
        attempt: int,
        *,
        status: int | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> float | None:
        """Seconds to wait before attempt ``attempt + 1``, or None when not to retry.

        Args:
            attempt: the attempt that just failed, 1-based.
            status: its HTTP status; None for a transport failure (always retryable).
            headers: its response headers, for the server's retry-after.
        """
        if attempt >= self.max_attempts:
            return None
        if status is not None and not is_retryable_status(status):
            return None
        hinted = server_retry_after(headers or {})
        if hinted is None:
            return self.backoff(attempt)
        if hinted > self.max_retry_after_seconds:
            return None  # the server will refuse until then; waiting less would not help
        return hinted * self.delay_scale
