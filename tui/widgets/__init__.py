"""Widgets, one per file, each with its own bindings, CSS and messages."""
