"""The eval core and its CLI never import textual.

(``rich`` is not checked: httpx imports it for its own optional CLI when click is installed.)
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_eval_modules_do_not_import_the_ui() -> None:
    modules = sorted(f"core.eval.{path.stem}" for path in (ROOT / "core" / "eval").glob("*.py")) + [
        "core.cli.eval_command",
        "core.cli.probe_command",
    ]
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}: importlib.import_module(name)\n"
        "assert 'textual' not in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True)
