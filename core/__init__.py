"""Trace Curator's headless core: corpus, rules, store, export, providers and eval.

Nothing under ``core`` imports textual or rich; the CLI and the Textual app are two faces over
these functions.
"""

from __future__ import annotations

__version__ = "0.1.0"
