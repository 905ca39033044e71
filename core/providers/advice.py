"""What to do about an HTTP status from a provider: written once, for every caller.

The provider commands put it after the provider's message (``fireworks: HTTP 404 ...: ... —
check the id ...``); eval's diagnosis starts from it and adds what only an eval knows (the
endpoint and model it called, ``--concurrency``, ``curator probe``).
"""

from __future__ import annotations

STATUS_ADVICE: dict[int, str] = {
    400: "check the request values named in the message",
    401: "the key in {key_var} was rejected: check it",
    402: "billing: the account needs a payment method or credit",
    403: "the key has no access to this resource or account: check the account id and key",
    404: "check the id; list what exists with `curator jobs` or the provider's console",
    408: "the provider timed out: retry later",
    409: "it already exists: pick another id or reuse the existing one",
    412: "the LoRA failed to load: check its base model matches the deployment, redeploy",
    413: "the file is too large for this endpoint",
    422: "check the request values named in the message",
    429: "rate limited: wait and retry, or lower the request rate",
}
SERVER_TROUBLE = "the provider is having trouble; retry later"
OTHER = "see the provider's message"


def status_advice(status: int, key_var: str | None = None) -> str:
    """What the user can do about ``status``; ``key_var`` names the key's variable."""
    if status >= 500:
        return SERVER_TROUBLE
    return STATUS_ADVICE.get(status, OTHER).format(key_var=key_var or "the key variable")
