"""The export core stays headless: importing it never pulls in textual or rich."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def test_export_modules_do_not_import_the_ui():
    code = (
        "import sys, pkgutil, importlib, core.export, core.cli.export_cmd\n"
        "for m in pkgutil.iter_modules(core.export.__path__):\n"
        "    importlib.import_module('core.export.' + m.name)\n"
        "print(sorted(n for n in ('textual', 'rich') if n in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).parents[2],
    )
    assert result.stdout.strip() == "[]"
