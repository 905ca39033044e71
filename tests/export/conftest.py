"""Fixtures for export tests: a realistic corpus under tmp_path, checked into a fresh store."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from export_corpus import Corpus, write_corpus

from core.check.run import run_check
from core.config import CuratorConfig
from core.store.db import connect


@pytest.fixture
def corpus(tmp_path: Path) -> Corpus:
    return write_corpus(tmp_path / "traces", runs=12)


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    return tmp_path / "workspace"


@pytest.fixture
def store(workspace: Path, corpus: Corpus) -> Iterator[sqlite3.Connection]:
    conn = connect(workspace)
    run_check(conn, [corpus.root], CuratorConfig())
    yield conn
    conn.close()
