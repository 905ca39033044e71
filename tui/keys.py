"""Bindings that are also commands: one place gives a key its footer label and palette title.

A binding's ``tooltip`` holds its palette title (``review: Accept call``); the App turns every
enabled binding with such a title into a command palette entry, and ``?`` lists them all.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from textual.binding import Binding
from textual.dom import DOMNode
from textual.screen import Screen


def verb(keys: str, action: str, label: str, title: str, *, show: bool = True) -> Binding:
    """A binding with a short footer ``label`` and a ``group: Title`` for palette and help."""
    return Binding(keys, action, label, show=show, tooltip=title)


@dataclass(frozen=True, slots=True)
class KeyCommand:
    """One command as the palette and the help screen list it."""

    keys: str
    title: str
    action: str
    node: DOMNode
    enabled: bool


def key_commands(screen: Screen) -> Iterator[KeyCommand]:
    """Every titled binding active on ``screen`` (focused widget, screen, app), keys merged."""
    merged: dict[tuple[int, str], KeyCommand] = {}
    for active in screen.active_bindings.values():
        binding = active.binding
        if ":" not in (binding.tooltip or ""):
            continue
        shown = binding.key_display or screen.app.get_key_display(binding)
        slot = (id(active.node), binding.action)
        if slot in merged:
            previous = merged[slot]
            if shown not in previous.keys.split(" "):
                merged[slot] = KeyCommand(
                    f"{previous.keys} {shown}",
                    previous.title,
                    previous.action,
                    previous.node,
                    previous.enabled,
                )
            continue
        merged[slot] = KeyCommand(
            shown, binding.tooltip, binding.action, active.node, active.enabled
        )
    yield from sorted(merged.values(), key=lambda c: c.title)
