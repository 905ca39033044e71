"""API keys from the environment, and redaction so a key never reaches output.

Keys are read only from environment variables, wrapped in :class:`Secret` (whose ``repr`` and
``str`` hide the value) and scrubbed from any text we show with :func:`redact`. Nothing here
writes a key anywhere.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from core.providers.settings import ProviderSettings

PROVIDERS: tuple[str, ...] = ("fireworks", "together", "openai")

KEY_VARIABLES: dict[str, str] = {
    "fireworks": "FIREWORKS_API_KEY",
    "together": "TOGETHER_API_KEY",
    "openai": "OPENAI_API_KEY",
}
BASE_URL_VARIABLES: dict[str, str] = {
    "fireworks": "FIREWORKS_BASE_URL",
    "together": "TOGETHER_BASE_URL",
    "openai": "OPENAI_BASE_URL",
}
FIREWORKS_ACCOUNT_VARIABLE = "FIREWORKS_ACCOUNT_ID"
REDACTED = "[redacted]"


class CredentialsError(Exception):
    """A required environment variable is missing; the message names it."""


class Secret:
    """A string that refuses to show itself in ``repr``, ``str`` or f-strings."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        """The raw value, for the one place that needs it: the Authorization header."""
        return self._value

    def __repr__(self) -> str:
        return "Secret('***')"

    __str__ = __repr__

    def __format__(self, spec: str) -> str:
        return repr(self)

    def __reduce__(self) -> tuple:
        raise TypeError("a Secret cannot be pickled")


@dataclass(frozen=True, repr=False)
class Credentials:
    """What one provider client needs: key, base URL and (Fireworks) account id."""

    provider: str
    api_key: Secret
    base_url: str
    account_id: str = ""

    def __repr__(self) -> str:
        return (
            f"Credentials(provider={self.provider!r}, base_url={self.base_url!r}, "
            f"account_id={self.account_id!r}, api_key=***)"
        )


def resolve_credentials(
    provider: str, settings: ProviderSettings, env: Mapping[str, str] | None = None
) -> Credentials:
    """Read one provider's key (and account) from ``env``; base URL from env, else config.

    Raises:
        CredentialsError: the key or the Fireworks account id is missing, naming the variable.
    """
    env = os.environ if env is None else env
    if provider not in KEY_VARIABLES:
        raise CredentialsError(f"unknown provider {provider!r}; use one of {', '.join(PROVIDERS)}")
    key_var = KEY_VARIABLES[provider]
    key = env.get(key_var, "").strip()
    if not key:
        raise CredentialsError(f"{provider}: {key_var} is not set; export your API key in it")
    account = ""
    if provider == "fireworks":
        account = env.get(FIREWORKS_ACCOUNT_VARIABLE, "").strip()
        if not account:
            raise CredentialsError(
                f"fireworks: {FIREWORKS_ACCOUNT_VARIABLE} is not set; export your account id in it"
            )
    base_url = env.get(BASE_URL_VARIABLES[provider], "").strip() or settings.base_url(provider)
    return Credentials(provider, Secret(key), base_url.rstrip("/"), account)


def redact(text: str, secrets: Iterable[Secret | str]) -> str:
    """``text`` with every secret value (and its bearer form) replaced by ``[redacted]``."""
    for secret in secrets:
        value = secret.reveal() if isinstance(secret, Secret) else secret
        if value and len(value) >= 4:
            text = text.replace(value, REDACTED)
    return text
