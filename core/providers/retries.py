"""When and how long to wait before retrying a provider request.

Retried: HTTP 408, 429 and 5xx, and transport failures (refused or dropped connections,
timeouts). The server's ``retry-after-ms`` or ``retry-after`` (seconds or an HTTP date) wins
over our exponential backoff, capped by ``max_retry_after_seconds``; every delay is multiplied
by ``delay_scale`` so tests can run the real policy in milliseconds.
"""

from __future__ import annotations

import email.utils
import random
import time
from collections.abc import Mapping

from core.providers.settings import ProviderSettings

RETRYABLE_STATUSES = frozenset({408, 429, 500, 502, 503, 504})


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


def backoff_delay(attempt: int, settings: ProviderSettings) -> float:
    """Exponential backoff with a little jitter for the ``attempt``-th failure (1-based)."""
    base = settings.backoff_initial_seconds * (2 ** (attempt - 1))
    capped = min(base, settings.backoff_max_seconds)
    return capped * (1 - 0.25 * random.random()) * settings.delay_scale


def retry_delay(
    attempt: int, settings: ProviderSettings, headers: Mapping[str, str] | None = None
) -> float:
    """How long to sleep before the next attempt, honouring the server's hint when sane."""
    hinted = server_retry_after(headers or {})
    if hinted is not None and hinted <= settings.max_retry_after_seconds:
        return hinted * settings.delay_scale
    return backoff_delay(attempt, settings)
