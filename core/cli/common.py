"""Options and set-up shared by several commands: workspace, config, corpus paths."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # imported where used: ``curator --version`` needs neither
    import sqlite3

    from core.config import CuratorConfig


class CommandError(Exception):
    """A problem the user must fix; main prints it as one line and exits 2."""


def add_workspace_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--workspace",
        type=Path,
        metavar="DIR",
        help="workspace folder holding the store (default: ./.curator)",
    )


def add_config_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--config",
        type=Path,
        metavar="FILE",
        help="config file (default: ./curator.toml when present, else built-in defaults)",
    )


def open_workspace(args: argparse.Namespace) -> tuple[sqlite3.Connection, Path]:
    """Connect to the workspace named by ``--workspace``; raise CommandError on failure."""
    from core.store.db import StoreError, connect, workspace_dir

    folder = workspace_dir(getattr(args, "workspace", None))
    try:
        return connect(folder), folder
    except StoreError as exc:
        raise CommandError(str(exc)) from None


def read_config(args: argparse.Namespace) -> tuple[CuratorConfig, Path | None]:
    """The config named by ``--config`` (or the default); raise CommandError when bad."""
    from core.config import ConfigError, load_config

    try:
        return load_config(getattr(args, "config", None))
    except ConfigError as exc:
        raise CommandError(str(exc)) from None
