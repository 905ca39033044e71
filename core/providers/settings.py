"""Provider settings: base URLs, upload threshold, timeouts, polling and retry policy.

Lives under ``[providers]`` in ``curator.toml``. Every key has a default; unknown keys are an
error like everywhere else in the config. Base URLs here are overridden by the environment
variables the official SDKs read (``FIREWORKS_BASE_URL``, ``TOGETHER_BASE_URL``,
``OPENAI_BASE_URL``) so a proxy or a local fake server can stand in for the real API.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pydantic import Field

from core.settings_base import BaseUrl, StrictSettings

if TYPE_CHECKING:
    import httpx

#: Above this size a Fireworks dataset goes through signed URLs instead of ``:upload``.
#: The API documents 150 MB; decimal megabytes keep us on the safe side of it.
DEFAULT_UPLOAD_THRESHOLD_BYTES = 150_000_000


class ProviderSettings(StrictSettings):
    """Everything the provider layer reads from config; secrets never live here."""

    fireworks_base_url: BaseUrl = "https://api.fireworks.ai"
    together_base_url: BaseUrl = "https://api.together.xyz/v1"
    openai_base_url: BaseUrl = "https://api.openai.com/v1"
    upload_threshold_bytes: int = Field(DEFAULT_UPLOAD_THRESHOLD_BYTES, ge=1)
    connect_timeout_seconds: float = Field(10.0, gt=0)
    read_timeout_seconds: float = Field(60.0, gt=0)
    upload_timeout_seconds: float = Field(600.0, gt=0)
    poll_interval_seconds: float = Field(5.0, gt=0)
    ready_timeout_seconds: float = Field(3600.0, gt=0)
    max_attempts: int = Field(3, ge=1, le=10, description="first try plus retries")
    backoff_initial_seconds: float = Field(0.5, ge=0)
    backoff_max_seconds: float = Field(8.0, ge=0)
    max_retry_after_seconds: float = Field(60.0, ge=0)
    delay_scale: float = Field(
        1.0, ge=0, description="multiplies every retry and poll delay; tests make it tiny"
    )

    def base_url(self, provider: str) -> str:
        """The configured base URL of one provider."""
        return str(getattr(self, f"{provider}_base_url"))

    def timeout(self, *, upload: bool = False) -> httpx.Timeout:
        """Explicit httpx timeouts; uploads get a longer write and read budget."""
        import httpx  # here, not at the top: the config (read by every command) holds these

        long = self.upload_timeout_seconds
        read = long if upload else self.read_timeout_seconds
        return httpx.Timeout(
            connect=self.connect_timeout_seconds,
            read=read,
            write=long,
            pool=self.connect_timeout_seconds,
        )

    def poll_delay(self) -> float:
        """Seconds between two polls of a job, dataset or deployment."""
        return self.poll_interval_seconds * self.delay_scale
