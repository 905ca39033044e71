"""Provider errors: one parser per provider for its error shapes, and what to do next.

Shapes seen in the wild:

* gRPC style (Fireworks control plane): ``{"code": 5, "message": "...", "details": [...]}``;
* flat (Fireworks inference): ``{"message": "...", "code": "NOT_FOUND", "type": "error"}``;
* nested (OpenAI, Together, Fireworks inference):
  ``{"error": {"message", "type", "param", "code"}}``.

Every :class:`ProviderError` carries the HTTP status, the provider's message, a hint and the raw
body (already redacted) so the user can see exactly what the provider said.
"""

from __future__ import annotations

from typing import Any

import orjson

from core.providers.advice import status_advice

#: gRPC status numbers to their names, as the Fireworks control plane sends them.
GRPC_CODES: dict[int, str] = {
    0: "OK",
    1: "CANCELLED",
    2: "UNKNOWN",
    3: "INVALID_ARGUMENT",
    4: "DEADLINE_EXCEEDED",
    5: "NOT_FOUND",
    6: "ALREADY_EXISTS",
    7: "PERMISSION_DENIED",
    8: "RESOURCE_EXHAUSTED",
    9: "FAILED_PRECONDITION",
    10: "ABORTED",
    11: "OUT_OF_RANGE",
    12: "UNIMPLEMENTED",
    13: "INTERNAL",
    14: "UNAVAILABLE",
    15: "DATA_LOSS",
    16: "UNAUTHENTICATED",
}


class ProviderError(Exception):
    """A provider answered with an error, or could not be reached."""

    def __init__(
        self,
        provider: str,
        message: str,
        *,
        status: int | None = None,
        code: str = "",
        hint: str = "",
        raw_body: str = "",
    ) -> None:
        self.provider = provider
        self.status = status
        self.code = code
        self.message = message
        self.hint = hint
        self.raw_body = raw_body
        super().__init__(self.one_line())

    def one_line(self) -> str:
        """``fireworks: HTTP 404 NOT_FOUND: Dataset not found — check the id ...``."""
        parts = [f"{self.provider}:"]
        if self.status is not None:
            parts.append(f"HTTP {self.status}")
        if self.code:
            parts.append(f"{self.code}:")
        elif self.status is not None:
            parts[-1] += ":"
        parts.append(" ".join(self.message.split()) or "no message")
        text = " ".join(parts)
        return f"{text} — {self.hint}" if self.hint else text


class UnsupportedOperation(ProviderError):
    """The provider has no API for this step (e.g. Together dedicated endpoints)."""


class InvalidRequest(ProviderError):
    """We refused to send a request the provider documents as invalid (a usage error)."""


def _as_dict(body: bytes | str) -> dict[str, Any] | None:
    try:
        parsed = orjson.loads(body)
    except orjson.JSONDecodeError:
        return None
    return parsed if isinstance(parsed, dict) else None


def _code_name(code: Any) -> str:
    if isinstance(code, bool):
        return ""
    if isinstance(code, int):
        return GRPC_CODES.get(code, str(code))
    return str(code) if code not in (None, "") else ""


def parse_error_body(body: bytes | str) -> tuple[str, str]:
    """(code, message) from any of the three shapes; ("", text) when not JSON."""
    data = _as_dict(body)
    if data is None:
        text = body.decode("utf-8", "replace") if isinstance(body, bytes) else body
        return "", text.strip()[:500]
    inner = data.get("error")
    if isinstance(inner, dict):  # nested: OpenAI, Together, Fireworks inference
        code = _code_name(inner.get("code")) or str(inner.get("type") or "")
        message = str(inner.get("message") or "")
        if inner.get("param"):
            message += f" (param: {inner['param']})"
        return code, message
    if isinstance(inner, str):  # some gateways send {"error": "text"}
        return "", inner
    return _code_name(data.get("code")), str(data.get("message") or data.get("detail") or "")


def parse_fireworks_error(body: bytes | str) -> tuple[str, str]:
    """Fireworks: gRPC style on the control plane, flat or nested on inference."""
    return parse_error_body(body)


def parse_together_error(body: bytes | str) -> tuple[str, str]:
    """Together: nested ``{"error": {...}}``, sometimes flat ``{"message": ...}``."""
    return parse_error_body(body)


def parse_openai_error(body: bytes | str) -> tuple[str, str]:
    """OpenAI: nested ``{"error": {"message", "type", "param", "code"}}``."""
    return parse_error_body(body)


PARSERS = {
    "fireworks": parse_fireworks_error,
    "together": parse_together_error,
    "openai": parse_openai_error,
}


def hint_for(status: int, key_var: str) -> str:
    """What the user can do about an HTTP status (see ``core.providers.advice``)."""
    return status_advice(status, key_var)


def error_from_response(
    provider: str, status: int, body: bytes, *, key_var: str, redactor: Any
) -> ProviderError:
    """Build a :class:`ProviderError` from an HTTP error response, redacting the body."""
    code, message = PARSERS.get(provider, parse_error_body)(body)
    raw = redactor(body.decode("utf-8", "replace"))[:2000]
    return ProviderError(
        provider,
        redactor(message) or f"HTTP {status} with an empty body",
        status=status,
        code=redactor(code),
        hint=hint_for(status, key_var),
        raw_body=raw,
    )
