"""The one redaction choke point: configured secrets never reach what we print, store or write.

Keys come from environment variables only and leave the process only in an ``Authorization``
header. A hostile or buggy server can echo one back: in an error body, in a success field
(a job name, a state), inside a ``\\u``-escaped JSON string or a model's answer. Everything a
server sends passes through :func:`scrub_text` or :func:`scrub_json` at the two HTTP edges
(``core.providers.http`` and ``core.eval.client``) before anyone reads it, so no later printer,
store writer or report writer ever holds a key.

A secret is any value registered by :func:`register_secret` (every resolved provider or eval
key) plus the value of every ``*_API_KEY`` environment variable. Each is removed raw, JSON
escaped (``\\u0066w-…`` in either case) and URL-encoded; JSON bodies are decoded first, so any
mix of escapes is caught.
"""

from __future__ import annotations

import os
import threading
from functools import lru_cache
from typing import Any
from urllib.parse import quote, quote_plus

import orjson
from pydantic import SecretStr

REDACTED = "[redacted]"
MIN_SECRET_CHARS = 4  # shorter values would blank out ordinary text

_registered: set[str] = set()
_lock = threading.Lock()


def register_secret(secret: SecretStr | str | None) -> None:
    """Remember a key so every later scrub removes it."""
    value = secret.get_secret_value() if isinstance(secret, SecretStr) else secret
    if value and len(value) >= MIN_SECRET_CHARS:
        with _lock:
            _registered.add(value)


def configured_secrets() -> list[str]:
    """Registered keys and the values of ``*_API_KEY`` variables, longest first."""
    found = {
        value.strip()
        for name, value in os.environ.items()
        if name.endswith("_API_KEY") and len(value.strip()) >= MIN_SECRET_CHARS
    }
    with _lock:
        found |= _registered
    return sorted(found, key=len, reverse=True)


def scrub_text(text: str, secrets: list[str] | None = None) -> str:
    """``text`` with every form of every secret replaced by ``[redacted]``."""
    for secret in configured_secrets() if secrets is None else secrets:
        for form in _forms(secret):
            if form in text:
                text = text.replace(form, REDACTED)
    return text


def scrub_json(value: Any, secrets: list[str] | None = None) -> Any:
    """A decoded JSON value with secrets removed from every string (keys included)."""
    secrets = configured_secrets() if secrets is None else secrets
    if not secrets:
        return value
    if isinstance(value, str):
        return scrub_text(value, secrets)
    if isinstance(value, list):
        return [scrub_json(item, secrets) for item in value]
    if isinstance(value, dict):
        return {
            scrub_text(str(key), secrets): scrub_json(item, secrets) for key, item in value.items()
        }
    return value


def scrub_body(text: str) -> str:
    """A response body without secrets; a JSON body is checked after decoding its escapes."""
    secrets = configured_secrets()
    if not secrets:
        return text
    cleaned = scrub_text(text, secrets)
    try:
        decoded = orjson.loads(cleaned)
    except orjson.JSONDecodeError:
        return cleaned
    scrubbed = scrub_json(decoded, secrets)
    return cleaned if scrubbed == decoded else orjson.dumps(scrubbed).decode()


@lru_cache(maxsize=64)
def _forms(secret: str) -> tuple[str, ...]:
    escaped = orjson.dumps(secret).decode()[1:-1]
    unicode_lower = "".join(f"\\u{ord(c):04x}" for c in secret)
    percent = "".join(f"%{byte:02X}" for byte in secret.encode())
    forms = {
        secret,
        escaped,
        unicode_lower,
        unicode_lower.upper().replace("\\U", "\\u"),
        quote(secret, safe=""),
        quote_plus(secret),
        percent,
        percent.lower(),
    }
    return tuple(sorted(forms, key=len, reverse=True))
