"""Which providers the screens can use before trying: a key (and account) set for each."""

from __future__ import annotations

from core.providers.credentials import PROVIDERS, CredentialsError, resolve_credentials
from core.providers.settings import ProviderSettings


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
