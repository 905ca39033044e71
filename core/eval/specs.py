"""Turning a MODEL argument into an endpoint, a model id, a key and a price.

Forms: ``gold`` (replays held-out answers, no HTTP), ``fireworks:<id>``, ``openai:<model>``,
``together:<model>``, a ``[models.<name>]`` profile from config, and
``http(s)://host:port/v1#<model>`` for any OpenAI-compatible server. Keys come only from
environment variables and are kept out of ``repr``, logs and the store.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from core.eval.settings import EvalSettings, ModelProfile

GOLD = "gold"


@dataclass(frozen=True, slots=True)
class ProviderDefaults:
    """Where a provider serves chat completions and which variables configure it."""

    key_env: str
    base_env: str
    default_base: str


PROVIDERS: dict[str, ProviderDefaults] = {
    "fireworks": ProviderDefaults(
        "FIREWORKS_API_KEY", "FIREWORKS_BASE_URL", "https://api.fireworks.ai/inference/v1"
    ),
    "openai": ProviderDefaults("OPENAI_API_KEY", "OPENAI_BASE_URL", "https://api.openai.com/v1"),
    "together": ProviderDefaults(
        "TOGETHER_API_KEY", "TOGETHER_BASE_URL", "https://api.together.xyz/v1"
    ),
}


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
    api_key: str | None = field(default=None, repr=False)

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
) -> ModelTarget:
    """Resolve a MODEL argument.

    Raises:
        ModelSpecError: unknown form, empty model id, or a missing key variable (named).
    """
    env = os.environ if env is None else env
    spec = spec.strip()
    if spec == GOLD:
        return ModelTarget(spec=GOLD, kind=GOLD, model=GOLD)
    if spec in profiles:
        return _from_profile(spec, profiles[spec], settings, env)
    if spec.startswith(("http://", "https://")):
        base, sep, model = spec.partition("#")
        if not sep or not model.strip():
            raise ModelSpecError(f"{spec}: add the model id after '#', e.g. {base}#my-model")
        return _target(spec, base, model.strip(), settings, key=None)
    provider, sep, model = spec.partition(":")
    if sep and provider in PROVIDERS:
        if not model.strip():
            raise ModelSpecError(f"{spec}: no model id after '{provider}:'")
        defaults = PROVIDERS[provider]
        base = env.get(defaults.base_env) or defaults.default_base
        key = _require_key(defaults.key_env, env, spec)
        return _target(spec, base, model.strip(), settings, key=key, key_env=defaults.key_env)
    known = ", ".join(sorted(profiles)) or "none defined"
    raise ModelSpecError(
        f"{spec}: unknown model; use gold, fireworks:<id>, openai:<model>, together:<model>, "
        f"http://host:port/v1#<model> or a [models.<name>] profile ({known})"
    )


def _from_profile(
    name: str, profile: ModelProfile, settings: EvalSettings, env: Mapping[str, str]
) -> ModelTarget:
    defaults = PROVIDERS[profile.provider] if profile.provider else None
    base = profile.base_url or (env.get(defaults.base_env) or defaults.default_base)  # type: ignore[union-attr]
    key_env = profile.api_key_env or (defaults.key_env if defaults else None)
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
    key: str | None,
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


def _require_key(key_env: str, env: Mapping[str, str], spec: str) -> str:
    key = env.get(key_env, "").strip()
    if not key:
        raise ModelSpecError(f"{spec}: {key_env} is not set; export it to call this model")
    return key
