"""The detail pane: the highlighted call's header, context gauge, findings, messages, metadata.

A Line API view: the call is rendered to strips once per call (and per width), then scrolling
only slices them, and a new call repaints this pane alone, never the screen's layout. Content
is cut when rendering so it never freezes; ``m`` shows it all.
"""

from __future__ import annotations

import time

from rich.console import RenderableType
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

from core.review.detail import CallDetail
from tui.keys import verb
from tui.safe import clean_segments
from tui.widgets.detail_render import (
    context_gauge,
    findings_text,
    messages_renderable,
    metadata_text,
    repair_status_text,
    title_text,
)


class CallDetailView(ScrollView, can_focus=True):
    """Shows one :class:`CallDetail`; scrolls with the usual keys when focused."""

    BINDINGS = [
        Binding("up,k", "scroll_up", "Scroll up", show=False),
        Binding("down,j", "scroll_down", "Scroll down", show=False),
        Binding("pageup", "page_up", "Page up", show=False),
        Binding("pagedown,space", "page_down", "Page down", show=False),
        Binding("home", "scroll_home", "Top", show=False),
        Binding("end", "scroll_end", "Bottom", show=False),
        verb("m", "toggle_expanded", "All", "view: Show all content (no cut)", show=False),
    ]

    DEFAULT_CSS = """
    CallDetailView {
        background: $surface;
        padding: 0 1;
        overflow-x: hidden;
        /* the scrollbar's column is kept even when not shown: text wrapped before the bar
           appeared would otherwise lose its last character under it */
        scrollbar-gutter: stable;
    }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.detail: CallDetail | None = None
        self.expanded = False
        self._message = "loading…"
        self._lines: list[Strip] = []
        self._rendered_width = -1
        self.rendered_at = 0.0  # perf_counter of the last render, for the benchmark

    def show(self, detail: CallDetail | None, *, keep_scroll: bool = False) -> None:
        """Show a call (None: nothing highlighted); a new call resets scroll and "show all"."""
        if detail is None or self.detail is None or detail.call_id != self.detail.call_id:
            self.expanded = False
            keep_scroll = False
        self.detail = detail
        self._message = "No call highlighted."
        self._rerender()
        if not keep_scroll:
            self.scroll_to(0, 0, animate=False, immediate=True)

    def show_message(self, message: str) -> None:
        """Show a line of text instead of a call (e.g. an empty filter)."""
        self.detail = None
        self._message = message
        self._rerender()
        self.scroll_to(0, 0, animate=False, immediate=True)

    def plain_lines(self) -> list[str]:
        """The rendered text, line by line (for tests and the benchmark)."""
        return [strip.text for strip in self._lines]

    def action_toggle_expanded(self) -> None:
        self.expanded = not self.expanded
        self._rerender()

    def action_page_down(self) -> None:
        self.scroll_relative(y=max(1, self.size.height - 2), animate=False)

    def action_page_up(self) -> None:
        self.scroll_relative(y=-max(1, self.size.height - 2), animate=False)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "toggle_expanded":
            return self.detail is not None
        return True

    def renderables(self) -> list[RenderableType]:
        detail = self.detail
        if detail is None:
            return [Text(self._message, style="dim italic")]
        repair_status = repair_status_text(detail)
        return [
            title_text(detail),
            context_gauge(detail),
            Text(),
            findings_text(detail.findings, detail.ungrounded),
            *([repair_status] if repair_status is not None else []),
            Text(),
            messages_renderable(detail, self.expanded),
            Text(),
            metadata_text(detail),
        ]

    def _rerender(self) -> None:
        width = self.scrollable_content_region.width
        if width <= 0:
            self._rendered_width = -1  # rendered on the first resize
            return
        console = self.app.console
        options = console.options.update(width=width, height=None, highlight=False)
        base = self.rich_style
        lines: list[Strip] = []
        for renderable in self.renderables():
            for segments in console.render_lines(renderable, options, pad=False):
                # The trace is untrusted: no control character reaches the terminal raw.
                lines.append(Strip(clean_segments(segments)).apply_style(base))
        self._lines = lines
        self._rendered_width = width
        self.virtual_size = Size(width, len(lines))
        self.refresh()
        self.rendered_at = time.perf_counter()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        if self._rendered_width > 0:
            self._rerender()

    def on_resize(self, event: events.Resize) -> None:
        if self.scrollable_content_region.width != self._rendered_width:
            self._rerender()

    def _rerender_if_stale(self) -> None:
        if self.scrollable_content_region.width != self._rendered_width:
            self._rerender()

    def render_line(self, y: int) -> Strip:
        index = round(self.scroll_y) + y
        width = self.scrollable_content_region.width
        if width > 0 and self._rendered_width > 0 and width != self._rendered_width:
            self.call_after_refresh(self._rerender_if_stale)  # wrapped for another width
        if 0 <= index < len(self._lines):
            return self._lines[index].adjust_cell_length(width, self.rich_style)
        return Strip.blank(width, self.rich_style)
