"""The provider layer and its commands stay headless: no textual, and no rich of our own.

(httpx itself imports rich when ``click`` is installed, as the SDK test extras do, to offer
its own CLI; so for rich we check our sources rather than ``sys.modules``.)
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
COMMANDS = ("upload_cmd", "finetune_cmd", "jobs_cmd", "cancel_cmd", "deploy_cmd", "provider_common")
OURS = [
    *sorted((ROOT / "core/providers").glob("*.py")),
    *(ROOT / "core/cli" / f"{name}.py" for name in COMMANDS),
]


def test_provider_modules_do_not_import_textual() -> None:
    code = (
        "import pkgutil, importlib, sys, core.providers, core.cli\n"
        "for m in pkgutil.walk_packages(core.providers.__path__, 'core.providers.'):\n"
        "    importlib.import_module(m.name)\n"
        "assert 'textual' not in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)


def test_our_sources_never_import_rich_or_textual() -> None:
    pattern = re.compile(r"^\s*(import|from)\s+(rich|textual)\b", re.MULTILINE)
    for path in OURS:
        assert not pattern.search(path.read_text()), path
