"""The README's commands run as written, and print what the README shows.

Checks, exports, the decide examples and the dry run against the bundled stand-in server
(upload, finetune with the printed dataset id, jobs, deploy, eval) all run in a scratch folder.
"""

from __future__ import annotations

import difflib
import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "scripts" / "update_readme_outputs.py"


def _script():
    spec = importlib.util.spec_from_file_location("update_readme_outputs", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_readme_commands_run_and_their_outputs_ids_and_hashes_are_current(tmp_path: Path):
    readme = (ROOT / "README.md").read_text()
    rendered = _script().render(readme, tmp_path)
    diff = "".join(
        difflib.unified_diff(
            readme.splitlines(keepends=True),
            rendered.splitlines(keepends=True),
            "README.md",
            "from real runs",
        )
    )
    assert rendered == readme, (
        "README.md shows stale output: run `python scripts/update_readme_outputs.py` and"
        f" review the change\n{diff}"
    )


def test_readme_dry_run_leaves_the_repository_clean() -> None:
    ignored = (ROOT / ".gitignore").read_text().splitlines()
    for written in ("/curator.toml", ".curator/", "/eval.md", "/eval.json"):
        assert written in ignored
