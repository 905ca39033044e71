"""Opening provider clients for workers, and which providers are usable before trying.

The same ``open_provider`` the CLI uses; a missing key raises ``CredentialsError`` naming the
variable, which the screens show as it is.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from core.providers.base import Provider
from core.providers.credentials import PROVIDERS, CredentialsError, resolve_credentials
from core.providers.registry import open_provider
from core.providers.settings import ProviderSettings


@contextmanager
def open_client(name: str, settings: ProviderSettings) -> Iterator[Provider]:
    """A client for one worker's calls, closed afterwards."""
    client = open_provider(name, settings)
    try:
        yield client
    finally:
        client.close()


def provider_problems(settings: ProviderSettings) -> dict[str, str | None]:
    """Each provider → None when its key (and account) are set, else the message saying which
    variable is missing. Reads the environment only; sends nothing."""
    problems: dict[str, str | None] = {}
    for name in PROVIDERS:
        try:
            resolve_credentials(name, settings)
        except CredentialsError as exc:
            problems[name] = str(exc).removeprefix(f"{name}: ")
        else:
            problems[name] = None
    return problems
