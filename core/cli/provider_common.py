"""What the provider commands share: options, opening store/config/client, error lines.

Every failure becomes one line on stderr (``curator: error: fireworks: HTTP 404 ...: ... —
what to do``) and an exit code: 2 for usage, config, missing keys and requests we refuse to
send; 1 for provider, network and export-verification failures; 130 when interrupted.
"""

from __future__ import annotations

import argparse
import functools
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from pydantic import ValidationError

from core.cli.common import (
    add_config_option,
    add_workspace_option,
    open_workspace,
    scratch_store,
)
from core.cli.exit_codes import ExitCode
from core.cli.output import print_error
from core.config import ConfigError, load_config
from core.progress import Cancelled
from core.providers.credentials import PROVIDERS, CredentialsError
from core.providers.errors import InvalidRequest, ProviderError
from core.providers.exports import ExportError
from core.providers.registry import DEFAULT_PROVIDER
from core.providers.settings import ProviderSettings
from core.store.db import StoreError

Handler = Callable[[argparse.Namespace], int]


def add_common_options(parser: argparse.ArgumentParser, *, provider: bool = True) -> None:
    """``--workspace``, ``--config`` and (usually) ``--provider``."""
    add_workspace_option(parser)
    add_config_option(parser)
    if provider:
        parser.add_argument(
            "--provider",
            choices=PROVIDERS,
            default=None,
            help=f"fine-tuning provider (default: {DEFAULT_PROVIDER})",
        )


def provider_settings(args: argparse.Namespace) -> ProviderSettings:
    """The ``[providers]`` settings of the chosen config file."""
    config, _ = load_config(args.config)
    return config.providers


@contextmanager
def open_store(args: argparse.Namespace, *, create: bool = True) -> Iterator[sqlite3.Connection]:
    """The workspace database for this command, closed afterwards.

    With ``create`` False and no workspace, an in-memory store: the command still talks to
    the provider, and leaves no ``.curator/`` behind.
    """
    from core.store.db import db_path, workspace_dir

    if not create and not db_path(workspace_dir(getattr(args, "workspace", None))).is_file():
        conn = scratch_store()
    else:
        conn, _ = open_workspace(args, create=create)
    try:
        yield conn
    finally:
        conn.close()


def reports_errors(handler: Handler) -> Handler:
    """Turn the layer's exceptions into one error line and the matching exit code."""

    @functools.wraps(handler)
    def wrapper(args: argparse.Namespace) -> int:
        try:
            return handler(args)
        except (CredentialsError, ConfigError, StoreError, InvalidRequest) as exc:
            print_error(str(exc))
            return ExitCode.USAGE
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(part) for part in first["loc"])
            print_error(f"--{where.replace('_', '-')}: {first['msg']}")
            return ExitCode.USAGE
        except (ProviderError, ExportError) as exc:
            print_error(str(exc))
            return ExitCode.GATE_FAILED
        except Cancelled:
            print_error("interrupted")
            return ExitCode.INTERRUPTED

    return wrapper


def progress_bar(percent: float | None, width: int = 20) -> str:
    """``[#######.............]  35%`` or blanks when unknown."""
    if percent is None:
        return " " * (width + 7)
    filled = max(0, min(width, round(width * percent / 100)))
    return f"[{'#' * filled}{'.' * (width - filled)}] {percent:3.0f}%"
