"""Options and set-up shared by several commands: workspace, config, corpus paths."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # imported where used: ``curator --version`` needs neither
    import sqlite3

    from core.check_defaults import DefaultCheckSettings
    from core.check_settings import CheckSettings
    from core.config import CuratorConfig


class CommandError(Exception):
    """A problem the user must fix; main prints it as one line and exits 2."""


def add_workspace_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--workspace",
        type=Path,
        metavar="DIR",
        help="workspace folder (default: .curator here or in the nearest parent that has one)",
    )


def add_config_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--config",
        type=Path,
        metavar="FILE",
        help="config file (default: ./curator.toml when present, else built-in defaults)",
    )


def open_workspace(
    args: argparse.Namespace, *, create: bool = True, missing: str | None = None
) -> tuple[sqlite3.Connection, Path]:
    """Connect to the workspace named by ``--workspace`` (or found); raise CommandError on failure.

    Commands that only read (or need an index to act on) pass ``create=False``: they must not
    leave an empty ``.curator/`` behind in whatever folder they ran in; ``missing`` is then
    their error line (default: where no workspace was found).
    """
    from core.store.db import StoreError, connect, db_path, workspace_dir

    explicit = getattr(args, "workspace", None)
    folder = workspace_dir(explicit)
    if not create and not db_path(folder).is_file():
        raise CommandError(missing or missing_workspace(explicit))
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


def read_check_settings(
    args: argparse.Namespace,
) -> tuple[CheckSettings | DefaultCheckSettings, Path | None]:
    """The checking settings of the config (see :func:`read_config`), for commands that need
    no more: the provider and eval settings are then not imported unless the file has them,
    and without a file the defaults are built only when read (see :mod:`core.check_defaults`)."""
    from core.config_file import ConfigError, load_check_settings

    try:
        return load_check_settings(getattr(args, "config", None))
    except ConfigError as exc:
        raise CommandError(str(exc)) from None


def missing_workspace(explicit: Path | None) -> str:
    """The error line for a command that needs a workspace where there is none."""
    if explicit is not None:
        return f"{explicit}: no curator workspace there (`curator check PATH --workspace DIR`)"
    return (
        f"no curator workspace in {Path.cwd()} or a parent folder: run `curator check PATH`"
        " first, or give --workspace DIR"
    )


def scratch_store() -> sqlite3.Connection:
    """An in-memory store with the workspace schema, for commands run outside a workspace."""
    import sqlite3

    from core.store.db import migrate

    conn = sqlite3.connect(":memory:", isolation_level=None)
    conn.row_factory = sqlite3.Row
    conn.execute("PRAGMA foreign_keys=ON")
    migrate(conn)
    return conn


def has_sources(paths: list[Path]) -> bool:
    """False (each problem printed) when ``paths`` name no trace file: nothing to open a
    workspace for."""
    from core.cli.output import print_error
    from core.corpus.discover import discover

    sources, problems = discover(paths)
    if not sources:
        for problem in problems:
            print_error(problem)
    return bool(sources)
