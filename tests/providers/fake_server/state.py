"""State the fake providers keep between requests: datasets, files, jobs, deployments.

Jobs follow a script of (state, percent) steps, advancing one step on every GET, so a test
sees queued → running → done. Tests queue custom scripts (a failing job, unknown states) with
:meth:`FakeState.script_next_job`.
"""

from __future__ import annotations

import itertools
import time
from collections import deque
from dataclasses import dataclass, field
from typing import Any

Step = tuple[str, float | None]

DEFAULT_SCRIPTS: dict[str, list[Step]] = {
    "fireworks": [
        ("JOB_STATE_CREATING", None),
        ("JOB_STATE_VALIDATING", None),
        ("JOB_STATE_RUNNING", 30),
        ("JOB_STATE_RUNNING", 70),
        ("JOB_STATE_WRITING_RESULTS", 100),
        ("JOB_STATE_COMPLETED", 100),
    ],
    "together": [
        ("pending", None),
        ("queued", None),
        ("running", 0),
        ("running", 50),
        ("uploading", 100),
        ("completed", 100),
    ],
    "openai": [
        ("validating_files", None),
        ("queued", None),
        ("running", None),
        ("succeeded", None),
    ],
}


@dataclass
class ScriptedJob:
    """A job resource plus where it is in its script."""

    provider: str
    resource: dict[str, Any]
    steps: list[Step]
    error: str | None = None
    position: int = 0
    cancelled: bool = False

    def advance(self) -> Step:
        """Move one step (stopping at the last) and return the current step."""
        if self.position < len(self.steps) - 1:
            self.position += 1
        return self.steps[self.position]

    @property
    def step(self) -> Step:
        return self.steps[self.position]


@dataclass
class FakeState:
    """Everything the three fake providers remember."""

    keys: dict[str, str] = field(default_factory=dict)
    datasets: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)
    dataset_content: dict[tuple[str, str], bytes] = field(default_factory=dict)
    dataset_gets_until_ready: dict[tuple[str, str], int] = field(default_factory=dict)
    signed_uploads: dict[str, tuple[tuple[str, str], int]] = field(default_factory=dict)
    jobs: dict[tuple[str, str], ScriptedJob] = field(default_factory=dict)
    deployments: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)
    deployment_gets: dict[tuple[str, str], int] = field(default_factory=dict)
    files: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)
    file_content: dict[tuple[str, str], bytes] = field(default_factory=dict)
    pending_puts: dict[str, tuple[str, str]] = field(default_factory=dict)
    scripts: dict[str, deque[tuple[list[Step], str | None]]] = field(default_factory=dict)
    ready_after_gets: int = 1
    deployment_ready_after_gets: int = 2
    page_size: int = 2
    report_example_count: int | None = None
    _ids: itertools.count = field(default_factory=lambda: itertools.count(1))

    def next_id(self, prefix: str) -> str:
        return f"{prefix}{next(self._ids):06d}"

    def script_next_job(
        self, provider: str, steps: list[Step], *, error: str | None = None
    ) -> None:
        """The next job created on ``provider`` follows ``steps`` (and fails with ``error``)."""
        self.scripts.setdefault(provider, deque()).append((steps, error))

    def take_script(self, provider: str) -> tuple[list[Step], str | None]:
        queue = self.scripts.get(provider)
        if queue:
            return queue.popleft()
        return list(DEFAULT_SCRIPTS[provider]), None

    def authorized(self, provider: str, header: str) -> bool:
        """A bearer token is present, and equals the configured key when one is set."""
        if not header.startswith("Bearer ") or not header[7:].strip():
            return False
        expected = self.keys.get(provider)
        return expected is None or header[7:] == expected


def now_rfc3339() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())


def count_examples(content: bytes) -> int:
    """Non-blank lines, as a provider counts examples."""
    return sum(1 for line in content.splitlines() if line.strip())
