"""Opening a provider client by name, with its key from the environment."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager

from core.providers.base import Provider
from core.providers.credentials import PROVIDERS, CredentialsError, resolve_credentials
from core.providers.fireworks import FireworksProvider
from core.providers.openai import OpenAIProvider
from core.providers.settings import ProviderSettings
from core.providers.together import TogetherProvider

DEFAULT_PROVIDER = "fireworks"

_CLASSES = {
    "fireworks": FireworksProvider,
    "together": TogetherProvider,
    "openai": OpenAIProvider,
}


def open_provider(
    name: str, settings: ProviderSettings | None = None, env: Mapping[str, str] | None = None
) -> Provider:
    """A ready client for ``name`` (``fireworks``, ``together`` or ``openai``).

    Raises:
        CredentialsError: unknown provider, or its key (or account id) is not set.
    """
    if name not in _CLASSES:
        raise CredentialsError(f"unknown provider {name!r}; use one of {', '.join(PROVIDERS)}")
    settings = settings or ProviderSettings()
    return _CLASSES[name](resolve_credentials(name, settings, env), settings)


@contextmanager
def open_client(name: str, settings: ProviderSettings | None = None) -> Iterator[Provider]:
    """:func:`open_provider` for one block of calls, closed afterwards."""
    client = open_provider(name, settings)
    try:
        yield client
    finally:
        client.close()
