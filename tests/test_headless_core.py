"""``core`` must stay headless: importing every core module loads neither textual nor rich."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import core

# httpx imports its optional command-line helper (click + rich) when click is installed, as the
# providers' SDKs in the test extra do; hiding click shows what core itself imports.
SCRIPT = """
import importlib, pkgutil, sys
sys.modules["click"] = None
import core
for module in pkgutil.walk_packages(core.__path__, "core."):
    if module.name.endswith("__main__"):
        continue
    importlib.import_module(module.name)
loaded = sorted(m for m in sys.modules if m.split(".")[0] in ("textual", "rich"))
print(len([m for m in sys.modules if m.startswith("core.")]))
sys.exit(1 if loaded else 0)
"""


def test_core_imports_neither_textual_nor_rich() -> None:
    root = Path(core.__file__).parent.parent
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT], cwd=root, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert int(result.stdout.strip()) >= 20  # it really walked the package
