"""Placeholder until the rules branch lands."""

from __future__ import annotations

from typing import Any

from core.config import CuratorConfig
from core.models import Finding


def check_call(record: dict[str, Any], task: str, config: CuratorConfig) -> list[Finding]:
    return []
