"""The provider tests' fixtures (fake server, keys, exports), shared with the hardening tests."""

from __future__ import annotations

from tests.providers.conftest import cli, env, fake_server, make_export, monkeyenv, settings

__all__ = ["cli", "env", "fake_server", "make_export", "monkeyenv", "settings"]
