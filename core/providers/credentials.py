"""API keys from the environment, as pydantic ``SecretStr``, registered for redaction.

Keys are read only from environment variables and wrapped in ``SecretStr`` (whose ``repr`` and
``str`` hide the value), the one secret type of providers and eval alike. Each resolved key is
registered with :mod:`core.redaction`, which scrubs it from everything a server sends back.
Nothing here writes a key anywhere.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from pydantic import SecretStr

from core.providers.settings import ProviderSettings
from core.redaction import (
    MIN_SECRET_CHARS,
    configured_secrets,
    register_secret,
    scrub_text,
)

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


class CredentialsError(Exception):
    """A required environment variable is missing; the message names it."""


@dataclass(frozen=True, repr=False)
class Credentials:
    """What one provider client needs: key, base URL and (Fireworks) account id."""

    provider: str
    api_key: SecretStr
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
    secret = SecretStr(key)
    register_secret(secret)
    return Credentials(provider, secret, base_url.rstrip("/"), account)


def redact(text: str, secrets: Iterable[SecretStr | str]) -> str:
    """``text`` with these secrets (and every configured one) replaced by ``[redacted]``."""
    values = [s.get_secret_value() if isinstance(s, SecretStr) else s for s in secrets]
    extra = [value for value in values if value and len(value) >= MIN_SECRET_CHARS]
    return scrub_text(text, sorted({*extra, *configured_secrets()}, key=len, reverse=True))
