"""Fixtures for the review core: a small corpus indexed into a fresh workspace."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from core.check.run import run_check
from core.config import CuratorConfig
from core.store.db import connect
from tests.review.corpus_factory import write_corpus


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    return write_corpus(tmp_path / "traces")


@pytest.fixture
def workspace(tmp_path: Path, corpus: Path) -> Path:
    folder = tmp_path / "ws"
    conn = connect(folder)
    run_check(conn, [corpus], CuratorConfig())
    conn.close()
    return folder


@pytest.fixture
def conn(workspace: Path) -> Iterator[sqlite3.Connection]:
    connection = connect(workspace)
    yield connection
    connection.close()


def call_id_where(conn: sqlite3.Connection, where: str, *params: object) -> int:
    """The id of the first call (corpus order) matching a SQL condition on ``c``."""
    row = conn.execute(
        f"SELECT c.id FROM calls c JOIN files f ON f.id = c.file_id WHERE {where}"
        " ORDER BY f.path, c.line LIMIT 1",
        params,
    ).fetchone()
    assert row is not None, where
    return row[0]
