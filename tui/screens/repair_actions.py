"""Notes, tags and repairs of the highlighted call: the keys that annotate rather than decide.

A mixin of :class:`~tui.screens.calls_screen.CallsScreen`; every change goes through
``core.review.decisions`` before the screen repaints.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from core.review.decisions import Target, set_note, set_repair, set_tags
from tui.keys import verb
from tui.modals.repair_diff import RepairDiff
from tui.modals.repair_editor import RepairEditor
from tui.modals.text_prompt import TextPrompt

if TYPE_CHECKING:
    from core.review.detail import CallDetail
    from tui.session import ReviewSession
    from tui.widgets.calls_list import CallsList


# Textual only merges BINDINGS of DOM classes, so the screen lists these in its own.
REPAIR_BINDINGS = [
    verb("n", "note", "Note", "review: Note on call…", show=False),
    verb("t", "tags", "Tags", "review: Tag call…", show=False),
    verb("e", "edit_output", "Edit", "repair: Edit the output…"),
    verb("E", "edit_in_editor", "$EDITOR", "repair: Edit the output in $EDITOR", show=False),
    verb("F", "auto_repair", "Fix", "repair: Auto-repair a fence or reasoning…"),
]


class RepairActions:
    """Keys: ``n`` note, ``t`` tags, ``e`` edit the output, ``E`` in $EDITOR, ``F`` auto-repair."""

    if TYPE_CHECKING:
        session: ReviewSession
        detail: CallDetail | None
        calls_list: CallsList

        def review_changed(self, *, advance: bool = False) -> None: ...
        def stored(self, write: Any, *args: Any) -> Any: ...
        def notify(self, message: str, **kwargs: object) -> None: ...
        @property
        def app(self): ...  # noqa: ANN201

    def loaded_detail(self) -> CallDetail | None:
        """The detail of the highlighted call, once loaded."""
        detail = self.detail
        if detail is None or detail.call_id != self.calls_list.current_call_id:
            return None
        return detail

    def action_note(self) -> None:
        detail = self.loaded_detail()
        if detail is None:
            return
        target = Target("call", detail.trace_id)

        def noted(text: str | None) -> None:
            if text is not None and text.strip() != (detail.own.note or ""):
                if self.stored(set_note, target, text) is not None:
                    self.review_changed()

        self.app.push_screen(TextPrompt("Note on this call", detail.own.note or ""), noted)

    def action_tags(self) -> None:
        detail = self.loaded_detail()
        if detail is None:
            return
        target = Target("call", detail.trace_id)

        def tagged(text: str | None) -> None:
            if text is None:
                return
            tags = [t.strip() for t in text.replace(",", " ").split() if t.strip()]
            if sorted(set(tags)) != sorted(detail.own.tags):
                if self.stored(set_tags, [target], tags) is not None:
                    self.review_changed()

        prompt = TextPrompt(
            "Tags (space or comma separated)",
            " ".join(detail.own.tags),
            "enter: save (empty removes all)  ·  esc: cancel",
        )
        self.app.push_screen(prompt, tagged)

    def action_edit_output(self) -> None:
        detail = self.loaded_detail()
        if detail is None or detail.parsed is None:
            return
        current = detail.own.repair if detail.own.repair is not None else detail.parsed.output
        title = f"Repair the output of {detail.run_id} seq {detail.seq} ({detail.task})"
        self.app.push_screen(RepairEditor(current or "", title), self.save_repair)

    def action_edit_in_editor(self) -> None:
        detail = self.loaded_detail()
        editor = os.environ.get("VISUAL") or os.environ.get("EDITOR")
        if not editor:
            self.notify(
                "$EDITOR is not set: export EDITOR=nano (or vim, code -w) before starting"
                " curator, or press e to edit here",
                title="no editor",
                severity="warning",
            )
            return
        if detail is None or detail.parsed is None:
            return
        current = detail.own.repair if detail.own.repair is not None else detail.parsed.output
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / f"{detail.trace_id[:12]}.json"
            path.write_text(current or "", encoding="utf-8")
            with self.app.suspend():
                subprocess.run([*shlex.split(editor), str(path)], check=False)
            self.save_repair(path.read_text(encoding="utf-8"))

    def save_repair(self, text: str | None) -> None:
        """Store an edited output as the call's repair (the original output removes it)."""
        detail = self.loaded_detail()
        if text is None or detail is None or detail.parsed is None:
            return
        original = detail.parsed.output or ""
        corrected = None if text.strip() == original.strip() else text
        if corrected == detail.own.repair:
            return
        if self.stored(set_repair, Target("call", detail.trace_id), corrected) is None:
            return  # a full disk or a busy workspace: said in a notification, nothing changed
        self.notify("repair saved" if corrected is not None else "repair removed")
        self.review_changed()

    def action_auto_repair(self) -> None:
        detail = self.loaded_detail()
        if detail is None or detail.parsed is None or detail.parsed.auto_repair is None:
            return
        repair = detail.parsed.auto_repair

        def confirmed(save: bool | None) -> None:
            if save:
                self.save_repair(repair.corrected)

        self.app.push_screen(RepairDiff(repair), confirmed)

    def check_repair_action(self, action: str) -> bool | None:
        """Whether a repair key applies to the highlighted call now.

        Judged on the last loaded detail, so the footer does not flicker (and redraw) while
        the next call's detail is loading; the action itself re-checks the current call.
        """
        detail = self.detail
        readable = detail is not None and detail.parsed is not None
        if action in ("edit_output", "edit_in_editor"):
            return readable or None
        if action == "auto_repair":
            return (readable and detail.parsed.auto_repair is not None) or None  # type: ignore[union-attr]
        return True
