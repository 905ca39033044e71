"""Resource ids that satisfy the strictest provider rule (Fireworks datasets).

``^[a-z][a-z0-9-]{0,61}[a-z0-9]$``: 2–63 chars of lowercase letters, digits and ``-``, starting
with a letter and not ending with ``-``. Ids we derive are deterministic, so a re-run of the same
step lands on the same remote resource and can be recognised instead of duplicated.
"""

from __future__ import annotations

import hashlib
import re
import secrets

ID_PATTERN = re.compile(r"^[a-z][a-z0-9-]{0,61}[a-z0-9]$")
MAX_ID_LENGTH = 63


def is_valid_id(value: str) -> bool:
    """True when ``value`` is a usable resource id."""
    return bool(ID_PATTERN.fullmatch(value))


def slug(text: str, max_length: int = 40) -> str:
    """Lowercase ``text`` squeezed to ``a-z0-9`` and single dashes, at most ``max_length``."""
    squeezed = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return squeezed[:max_length].strip("-")


def derived_id(prefix: str, readable: str, *material: str) -> str:
    """``prefix-readable-<12 hex>`` from a stable digest of ``material``; always valid."""
    digest = hashlib.sha256("\x1f".join(material).encode()).hexdigest()[:12]
    head = slug(prefix, 10) or "tc"
    if not head[0].isalpha():
        head = "tc-" + head
    room = MAX_ID_LENGTH - len(head) - len(digest) - 2
    middle = slug(readable, max(room, 0))
    parts = [head, middle, digest] if middle else [head, digest]
    result = "-".join(parts)
    assert is_valid_id(result), result
    return result


def fresh_id(prefix: str, readable: str) -> str:
    """A new id for something created once per command (a job): readable plus random."""
    return derived_id(prefix, readable, secrets.token_hex(8))


def last_segment(name: str) -> str:
    """``accounts/a/datasets/x`` → ``x``; a bare id is returned as is."""
    return name.rstrip("/").rsplit("/", 1)[-1]
