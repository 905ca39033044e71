"""Start-up: a command imports only its own module, and the check path stays off the network
stack (httpx and the provider clients cost a third of a second before any work)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from core.cli import SUBCOMMANDS, build_parser, main

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = """
import sys
from core.cli import main
code = main(sys.argv[1:])
heavy = sorted(m for m in ("httpx", "core.providers.registry", "core.eval.runner", "rich",
                           "textual", "core.cli.export_cmd") if m in sys.modules)
print("imported:" + ",".join(heavy))
sys.exit(code)
"""


def _imports_after(*argv: str) -> list[str]:
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, *argv], cwd=ROOT, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    last = done.stdout.strip().splitlines()[-1]
    return [m for m in last.removeprefix("imported:").split(",") if m]


def test_check_imports_no_provider_eval_or_ui_module(tmp_path: Path) -> None:
    args = ("check", "sample_traces", "--workspace", str(tmp_path / "ws"))
    assert _imports_after(*args) == []


MODULES = """
import sys
from core.cli import main
code = main(sys.argv[1:])
print("modules:" + ",".join(sorted(sys.modules)))
sys.exit(code)
"""


def _modules_after(*argv: str, cwd: Path = ROOT) -> set[str]:
    """Every module imported by one curator command run in a fresh interpreter."""
    env = dict(os.environ, PYTHONPATH=str(ROOT))  # this checkout's core, from any folder
    done = subprocess.run(
        [sys.executable, "-c", MODULES, *argv], cwd=cwd, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    last = done.stdout.strip().splitlines()[-1]
    return set(last.removeprefix("modules:").split(","))


def test_check_help_imports_nothing_of_the_check() -> None:
    loaded = _modules_after("check", "--help")
    assert {"core.check.run", "core.check_settings", "pydantic"}.isdisjoint(loaded)


def test_unchanged_check_without_config_builds_no_settings(tmp_path: Path) -> None:
    # The defaults' fingerprint is known: a check that reads and evaluates nothing needs
    # neither pydantic nor the settings models (about half its CPU time).
    args = ("check", str(ROOT / "sample_traces"), "--workspace", str(tmp_path / "ws"))
    assert "pydantic" in _modules_after(*args, cwd=tmp_path)  # the first check evaluates
    loaded = _modules_after(*args, cwd=tmp_path)
    assert {"pydantic", "core.check_settings", "core.check.evaluate"}.isdisjoint(loaded)


def test_check_reads_provider_and_eval_settings_only_when_the_file_has_them(
    tmp_path: Path,
) -> None:
    config = tmp_path / "curator.toml"
    config.write_text("[bands]\nmax_discovery_rounds = 5\n")
    args = ("check", str(ROOT / "sample_traces"), "--workspace", str(tmp_path / "ws"))
    loaded = _modules_after(*args, cwd=tmp_path)
    assert "core.check_settings" in loaded
    assert {"core.config", "core.eval.settings", "core.providers.settings"}.isdisjoint(loaded)
    config.write_text("[bands]\nmax_discovery_rounds = 5\n[eval]\nconcurrency = 2\n")
    assert "core.eval.settings" in _modules_after(*args, cwd=tmp_path)


def test_version_imports_no_command(capsys) -> None:
    assert _imports_after("--version") == []


def test_help_still_lists_every_command(capsys) -> None:
    assert main(["--help"]) == 0
    out = capsys.readouterr().out
    assert all(name in out for name in SUBCOMMANDS)


def test_unknown_command_is_a_usage_error(capsys) -> None:
    assert main(["chek"]) == 2
    assert "invalid choice" in capsys.readouterr().err


def test_parser_of_one_command_has_only_that_subparser() -> None:
    parser = build_parser("check")
    assert parser.parse_args(["check", "x"]).command == "check"
