"""Fine-tuning providers: one interface, three clients (Fireworks first, Together, OpenAI).

Public entry points:

* :func:`open_provider` — a client by name, keyed from the environment;
* :mod:`core.providers.workflow` — upload an export, start/follow/cancel jobs, deploy, all
  recorded in the workspace store (what the CLI and the app call);
* :mod:`core.providers.records` — the export → dataset → job → model chain from the store.

Keys come only from environment variables and never reach output, logs, the store or exports.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from core.providers.base import Provider
    from core.providers.credentials import PROVIDERS, CredentialsError
    from core.providers.errors import InvalidRequest, ProviderError, UnsupportedOperation
    from core.providers.models import (
        DatasetUpload,
        Deployment,
        DeployOptions,
        Job,
        JobSpec,
        UploadedDataset,
    )
    from core.providers.registry import DEFAULT_PROVIDER, open_provider
    from core.providers.settings import ProviderSettings
    from core.providers.states import JobState

# Names are imported on first use: ``core.config`` reads ``core.providers.settings``, and
# importing this package must not pull in httpx and the provider clients with it (start-up of
# every command, and of the check's worker processes).
_HOMES = {
    "Provider": "base",
    "PROVIDERS": "credentials",
    "CredentialsError": "credentials",
    "InvalidRequest": "errors",
    "ProviderError": "errors",
    "UnsupportedOperation": "errors",
    "DatasetUpload": "models",
    "Deployment": "models",
    "DeployOptions": "models",
    "Job": "models",
    "JobSpec": "models",
    "UploadedDataset": "models",
    "DEFAULT_PROVIDER": "registry",
    "open_provider": "registry",
    "ProviderSettings": "settings",
    "JobState": "states",
}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{home}"), name)


__all__ = [
    "DEFAULT_PROVIDER",
    "PROVIDERS",
    "CredentialsError",
    "DatasetUpload",
    "DeployOptions",
    "Deployment",
    "InvalidRequest",
    "Job",
    "JobSpec",
    "JobState",
    "Provider",
    "ProviderError",
    "ProviderSettings",
    "UnsupportedOperation",
    "UploadedDataset",
    "open_provider",
]
