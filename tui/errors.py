"""What a failed worker tells the user: one line from the exception, never a traceback.

The core's exceptions already say what went wrong and what to do (a missing key names its
variable; a provider error carries the HTTP status, the provider's message and a hint).
"""

from __future__ import annotations

from core.config import ConfigError
from core.export import ExportError
from core.progress import Cancelled
from core.providers.credentials import CredentialsError
from core.providers.errors import ProviderError
from core.providers.exports import ExportError as UploadExportError
from core.store.db import StoreError

#: Exceptions whose text is written for the user; anything else also gets its type name.
EXPECTED: tuple[type[Exception], ...] = (
    CredentialsError,
    ProviderError,
    ExportError,
    UploadExportError,
    ConfigError,
    StoreError,
    OSError,
)


def user_message(exc: BaseException) -> str:
    """One line for a notification or a status pane."""
    if isinstance(exc, Cancelled):
        return "cancelled"
    text = " ".join(str(exc).split())
    if isinstance(exc, EXPECTED) and text:
        return text
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__
