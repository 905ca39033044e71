"""The unbuilt default settings stand for ``CheckSettings()`` exactly, fingerprint included."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from core.check_defaults import DEFAULT_FINGERPRINT, DefaultCheckSettings
from core.check_settings import CheckSettings
from core.models import Severity

ROOT = Path(__file__).resolve().parents[1]


def test_pinned_fingerprint_is_the_defaults_fingerprint() -> None:
    # Changing a default changes CheckSettings().fingerprint(): pin the new value in
    # core/check_defaults.py, or unchanged corpora would keep verdicts of the old defaults.
    assert CheckSettings().fingerprint() == DEFAULT_FINGERPRINT


def test_defaults_read_like_the_real_settings() -> None:
    defaults, real = DefaultCheckSettings(), CheckSettings()
    assert defaults.fingerprint() == real.fingerprint()
    assert defaults.bands == real.bands and defaults.runs == real.runs
    assert defaults.tasks.all_tasks() == real.tasks.all_tasks()
    assert defaults.severity("output.length") is Severity.OFF
    assert defaults.severity("output.empty") is real.severity("output.empty")
    fields = set(CheckSettings.model_fields)
    assert defaults.model_dump(mode="json", include=fields) == real.model_dump(
        mode="json", include=fields
    )
    assert defaults.settings() is defaults.settings()  # built once


def test_fingerprint_alone_imports_no_pydantic() -> None:
    script = (
        "import sys\n"
        "from core.check_defaults import DefaultCheckSettings\n"
        "print(DefaultCheckSettings().fingerprint(), 'pydantic' in sys.modules)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert done.stdout.split() == [DEFAULT_FINGERPRINT, "False"], done.stderr
