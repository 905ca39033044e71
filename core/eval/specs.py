"""Turning a MODEL argument into an endpoint, a model id, a key and a price.

Forms: ``gold`` (replays held-out answers, no HTTP), ``fireworks:<id>``, ``openai:<model>``,
``together:<model>``, a ``[models.<name>]`` profile from config, and
``http(s)://host:port/v1#<model>`` for any OpenAI-compatible server. Keys come only from
environment variables and are kept out of ``repr``, logs and the store.

Provider keys and base URLs are the provider layer's: ``*_API_KEY`` and ``*_BASE_URL``, else
``[providers]`` in config. ``FIREWORKS_BASE_URL`` is the API root there
(``https://api.fireworks.ai``); chat completions live under its ``/inference/v1``, so that is
appended unless the URL already ends in ``/v1``.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from pydantic import SecretStr

from core.eval.settings import EvalSettings, ModelProfile
from core.providers.credentials import BASE_URL_VARIABLES, KEY_VARIABLES
from core.providers.settings import ProviderSettings
from core.redaction import register_secret
from core.settings_base import check_base_url

GOLD = "gold"


class ModelSpecError(Exception):
    """A MODEL argument that cannot be used; the message is one line for the user."""


@dataclass(frozen=True, slots=True)
class ModelTarget:
    """A resolved eval model. ``api_key`` never appears in ``repr`` or :meth:`public`."""

    spec: str
    kind: str  # "gold" or "http"
    endpoint: str = ""
    model: str = ""
    max_tokens: int = 1024
    response_format: dict[str, Any] | None = None
    price_input_per_1m: float | None = None
    price_output_per_1m: float | None = None
    key_env: str | None = None
    api_key: SecretStr | None = field(default=None, repr=False)

    @property
    def is_gold(self) -> bool:
        return self.kind == GOLD

    @property
    def priced(self) -> bool:
        return self.price_input_per_1m is not None and self.price_output_per_1m is not None

    def public(self) -> dict[str, Any]:
        """Everything but the key: what the store and reports may hold."""
        return {
            "spec": self.spec,
            "kind": self.kind,
            "endpoint": self.endpoint,
            "model": self.model,
            "max_tokens": self.max_tokens,
            "response_format": self.response_format,
            "price_input_per_1m": self.price_input_per_1m,
            "price_output_per_1m": self.price_output_per_1m,
            "key_env": self.key_env,
        }

    @classmethod
    def from_public(cls, data: Mapping[str, Any]) -> ModelTarget:
        """Rebuild a keyless target from :meth:`public` (for re-scoring stored evals)."""
        return cls(**{k: data[k] for k in cls.__slots__ if k in data and k != "api_key"})


def resolve_model(
    spec: str,
    settings: EvalSettings,
    profiles: Mapping[str, ModelProfile],
    env: Mapping[str, str] | None = None,
    providers: ProviderSettings | None = None,
) -> ModelTarget:
    """Resolve a MODEL argument.

    Raises:
        ModelSpecError: unknown form, empty model id, or a missing key variable (named).
    """
    env = os.environ if env is None else env
    providers = providers or ProviderSettings()
    spec = spec.strip()
    if spec == GOLD:
        return ModelTarget(spec=GOLD, kind=GOLD, model=GOLD)
    if spec in profiles:
        return _from_profile(spec, profiles[spec], settings, env, providers)
    if spec.startswith(("http://", "https://")):
        base, sep, model = spec.partition("#")
        if not sep or not model.strip():
            raise ModelSpecError(f"{spec}: add the model id after '#', e.g. {base}#my-model")
        try:
            check_base_url(base)
        except ValueError as exc:
            raise ModelSpecError(f"{spec}: {exc}") from None
        return _target(spec, base, model.strip(), settings, key=None)
    provider, sep, model = spec.partition(":")
    if sep and provider in KEY_VARIABLES:
        if not model.strip():
            raise ModelSpecError(f"{spec}: no model id after '{provider}:'")
        key_env = KEY_VARIABLES[provider]
        key = _require_key(key_env, env, spec)
        base = inference_base(provider, env, providers)
        return _target(spec, base, model.strip(), settings, key=key, key_env=key_env)
    known = ", ".join(sorted(profiles)) or "none defined"
    raise ModelSpecError(
        f"{spec}: unknown model; use gold, fireworks:<id>, openai:<model>, together:<model>, "
        f"http://host:port/v1#<model> or a [models.<name>] profile ({known})"
    )


def inference_base(provider: str, env: Mapping[str, str], providers: ProviderSettings) -> str:
    """Where a provider serves chat completions: its base URL variable, else config."""
    base = env.get(BASE_URL_VARIABLES[provider], "").strip() or providers.base_url(provider)
    base = base.rstrip("/")
    if provider == "fireworks" and not base.endswith("/v1"):
        base += "/inference/v1"
    return base


def _from_profile(
    name: str,
    profile: ModelProfile,
    settings: EvalSettings,
    env: Mapping[str, str],
    providers: ProviderSettings,
) -> ModelTarget:
    if profile.base_url is not None:
        base = profile.base_url
    else:
        base = inference_base(profile.provider or "", env, providers)
    key_env = profile.api_key_env or (KEY_VARIABLES[profile.provider] if profile.provider else None)
    key = _require_key(key_env, env, name) if key_env else None
    return ModelTarget(
        spec=name,
        kind="http",
        endpoint=base.rstrip("/"),
        model=profile.model,
        max_tokens=profile.max_tokens or settings.max_tokens,
        response_format=(
            profile.response_format
            if profile.response_format is not None
            else settings.response_format
        ),
        price_input_per_1m=profile.price_input_per_1m,
        price_output_per_1m=profile.price_output_per_1m,
        key_env=key_env,
        api_key=key,
    )


def _target(
    spec: str,
    base: str,
    model: str,
    settings: EvalSettings,
    *,
    key: SecretStr | None,
    key_env: str | None = None,
) -> ModelTarget:
    return ModelTarget(
        spec=spec,
        kind="http",
        endpoint=base.rstrip("/"),
        model=model,
        max_tokens=settings.max_tokens,
        response_format=settings.response_format,
        key_env=key_env,
        api_key=key,
    )


def _require_key(key_env: str, env: Mapping[str, str], spec: str) -> SecretStr:
    key = env.get(key_env, "").strip()
    if not key:
        raise ModelSpecError(f"{spec}: {key_env} is not set; export it to call this model")
    secret = SecretStr(key)
    register_secret(secret)
    return secret
