"""Eval settings and named model profiles, as read from ``curator.toml``.

``[eval]`` holds request and statistics settings; ``[models.<name>]`` defines a model that
``--candidate``/``--baseline`` can name. Both are validated strictly: unknown keys are errors.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, model_validator

from core.settings_base import BaseUrl, StrictSettings

Provider = Literal["fireworks", "openai", "together"]


class EvalSettings(StrictSettings):
    """How eval requests are sent and how results are summarized."""

    max_tokens: int = Field(1024, ge=1, description="max_tokens of every request")
    response_format: dict[str, Any] | None = Field(
        None, description='sent as is, e.g. {type = "json_object"}; omitted when unset'
    )
    concurrency: int = Field(8, ge=1, le=256, description="requests in flight per model")
    timeout_s: float = Field(120.0, gt=0, description="per-request timeout, seconds")
    retries: int = Field(3, ge=0, le=10, description="retries on 408/429/5xx/connection errors")
    backoff_s: float = Field(0.5, ge=0, description="first retry delay; doubles up to 8 s")
    max_retry_wait_s: float = Field(60.0, ge=0, description="longest retry-after waited")
    bootstrap_resamples: int = Field(1000, ge=0, description="0 turns confidence intervals off")
    bootstrap_max_draws: int = Field(
        1_000_000,
        ge=1,
        description="cap on resamples × examples per task: full resamples up to 1000 examples",
    )
    seed: int = 0
    unusable_share: float = Field(
        0.5, ge=0, le=1, description="above this share of unusable outputs the report diagnoses"
    )


class ModelProfile(StrictSettings):
    """A named eval model: where it is served, under which id, with which key and price."""

    model: str = Field(min_length=1)
    base_url: BaseUrl | None = None
    provider: Provider | None = Field(
        None, description="take base URL and key variable from this provider when not given"
    )
    api_key_env: str | None = Field(None, description="environment variable holding the key")
    price_input_per_1m: float | None = Field(None, ge=0, description="USD per 1M input tokens")
    price_output_per_1m: float | None = Field(None, ge=0, description="USD per 1M output tokens")
    response_format: dict[str, Any] | None = None
    max_tokens: int | None = Field(None, ge=1)

    @model_validator(mode="after")
    def _where(self) -> ModelProfile:
        if self.base_url is None and self.provider is None:
            raise ValueError("give base_url or provider")
        return self
