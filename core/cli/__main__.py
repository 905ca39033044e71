"""``python -m core.cli`` runs the curator command."""

from core.cli import run

run()
