"""Shared fixtures: a fresh workspace store per test."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from core.store.db import connect


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    return tmp_path / "ws"


@pytest.fixture
def conn(workspace: Path) -> sqlite3.Connection:
    connection = connect(workspace)
    yield connection
    connection.close()
