"""The config dependency runs one way: the rules and the check never load eval or providers.

``core.config`` composes the checking settings (:mod:`core.check_settings`) with the provider
and eval settings; importing any rules or check module must load neither of those packages.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import core

SCRIPT = """
import importlib, pkgutil, sys
sys.modules["click"] = None
import core.check, core.check_settings, core.rules
for package in (core.rules, core.check):
    for module in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
        importlib.import_module(module.name)
loaded = sorted(m for m in sys.modules if m.startswith(("core.eval", "core.providers")))
print(len([m for m in sys.modules if m.startswith(("core.rules.", "core.check."))]))
print(" ".join(loaded) or "-")
"""


def test_rules_and_check_load_neither_eval_nor_providers() -> None:
    root = Path(core.__file__).parent.parent
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT], cwd=root, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    walked, loaded = result.stdout.split("\n")[:2]
    assert int(walked) >= 20  # it really imported the rules and the check
    assert loaded == "-"


def test_full_config_keeps_its_shape() -> None:
    from core.check_settings import CheckSettings
    from core.config import CuratorConfig

    config = CuratorConfig()
    assert isinstance(config, CheckSettings)
    assert list(CuratorConfig.model_fields) == [
        "bands",
        "rules",
        "tasks",
        "runs",
        "providers",
        "eval",
        "models",
    ]
    assert config.fingerprint() == CheckSettings().fingerprint()
