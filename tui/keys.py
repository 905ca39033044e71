"""Bindings that are also commands: one place gives a key its footer label and palette title.

A binding's ``tooltip`` holds its palette title (``review: Accept call``); the App turns every
enabled binding with such a title into a command palette entry, and ``?`` lists them all.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from textual.actions import ActionError, parse
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
    """Every titled binding of ``screen``: its focus chain first (those keys win), then every
    other shown widget's (``m`` on the detail pane while the list has focus), then the app's.
    A binding's keys are merged into one entry per (widget, action)."""
    merged: dict[tuple[int, str], KeyCommand] = {}

    def add(node: DOMNode, binding: Binding, enabled: bool) -> None:
        if ":" not in (binding.tooltip or ""):
            return
        shown = binding.key_display or screen.app.get_key_display(binding)
        slot = (id(node), binding.action)
        previous = merged.get(slot)
        if previous is None:
            merged[slot] = KeyCommand(shown, binding.tooltip, binding.action, node, enabled)
        elif shown not in previous.keys.split(" "):
            merged[slot] = KeyCommand(
                f"{previous.keys} {shown}", previous.title, previous.action, node, previous.enabled
            )

    for active in screen.active_bindings.values():
        add(active.node, active.binding, active.enabled)
    for node in (*screen.walk_children(), screen, screen.app):
        if node is not screen.app and not _shown(node):
            continue
        for _key, binding in node._bindings:
            add(node, binding, _applies(node, binding.action))
    yield from sorted(merged.values(), key=lambda c: c.title)


def _shown(node: DOMNode) -> bool:
    return all(getattr(n, "display", True) for n in node.ancestors_with_self)


def _applies(node: DOMNode, action: str) -> bool:
    try:
        _namespace, name, parameters = parse(action)
    except ActionError:
        return True
    return bool(node.check_action(name, parameters))
