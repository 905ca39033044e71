"""What every screen of the app shares: the workspace, the config and the UI thread's connection.

Worker threads never use :attr:`ReviewSession.conn`; each opens its own with :meth:`connect`.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from core.config import CuratorConfig
from core.review.detail import DetailLoader
from core.store.db import connect


@dataclass
class ReviewSession:
    """The open workspace: its folder, config, UI-thread connection and detail cache."""

    workspace: Path
    config: CuratorConfig
    conn: sqlite3.Connection
    details: DetailLoader = field(init=False)

    def __post_init__(self) -> None:
        self.details = DetailLoader(self.config)

    @classmethod
    def open(cls, workspace: Path, config: CuratorConfig) -> ReviewSession:
        return cls(workspace, config, connect(workspace))

    def connect(self) -> sqlite3.Connection:
        """A new connection for the calling (worker) thread; the caller closes it."""
        return connect(self.workspace)
