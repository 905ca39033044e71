"""The calls list: a Line API view over an array of call ids, fast at 100 000+ calls.

It never holds more than the rows near the viewport: rows are fetched by id for the visible
window (plus a margin) and rendered strips are kept in a small LRU, toolong-style. The first
line is a fixed header; the cursor and the selection are call indexes / ids.
"""

from __future__ import annotations

import time
from array import array
from collections import OrderedDict
from collections.abc import Callable, Sequence

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding
from textual.cache import LRUCache
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from core.review.query import CallRow
from tui.keys import verb
from tui.widgets.call_columns import header_segments, layout, row_segments

RowFetcher = Callable[[Sequence[int]], list[CallRow]]
ROW_CACHE = 3000
FETCH_MARGIN = 40


class CallsList(ScrollView, can_focus=True):
    """A virtual list of calls; the owner supplies ids and a function fetching rows by id."""

    BINDINGS = [
        Binding("up,k", "cursor_up", "Up", show=False),
        Binding("down,j", "cursor_down", "Down", show=False),
        Binding("pageup", "page_up", "Page up", show=False),
        Binding("pagedown", "page_down", "Page down", show=False),
        Binding("home", "first", "First", show=False),
        Binding("end,G", "last", "Last", show=False),
        verb("space", "toggle_selected", "Select", "review: Select or unselect call", show=False),
        verb("escape", "clear_selection", "Unselect", "review: Clear selection", show=False),
    ]

    COMPONENT_CLASSES = {
        "calls-list--header",
        "calls-list--cursor",
        "calls-list--cursor-blurred",
        "calls-list--selected",
        "calls-list--selected-mark",
        "calls-list--accept",
        "calls-list--accept-run",
        "calls-list--reject",
        "calls-list--reject-run",
        "calls-list--fail",
        "calls-list--pass",
        "calls-list--unknown",
        "calls-list--dim",
        "calls-list--text",
        "calls-list--empty",
    }

    DEFAULT_CSS = """
    CallsList {
        background: $surface;
        scrollbar-gutter: stable;
        overflow-x: hidden;
        & > .calls-list--header { background: $panel; color: $text-muted; text-style: bold; }
        & > .calls-list--cursor-blurred { background: $block-cursor-blurred-background; }
        & > .calls-list--cursor { background: $block-cursor-background 70%; }
        & > .calls-list--selected { background: $accent 20%; }
        & > .calls-list--selected-mark { color: $accent; }
        & > .calls-list--accept { color: $success; text-style: bold; }
        & > .calls-list--accept-run { color: $success 70%; }
        & > .calls-list--reject { color: $error; text-style: bold; }
        & > .calls-list--reject-run { color: $error 70%; }
        & > .calls-list--fail { color: $error; text-style: bold; }
        & > .calls-list--pass { color: $success; }
        & > .calls-list--unknown { color: $warning; }
        & > .calls-list--dim { color: $text-muted; }
        & > .calls-list--text { color: $foreground; }
        & > .calls-list--empty { color: $text-muted; text-style: italic; }
    }
    """

    cursor: reactive[int] = reactive(0, always_update=True, init=False)

    class Highlighted(Message):
        """The cursor moved to another call (None when the list is empty)."""

        def __init__(self, calls_list: CallsList, call_id: int | None) -> None:
            super().__init__()
            self.calls_list = calls_list
            self.call_id = call_id

        @property
        def control(self) -> CallsList:
            return self.calls_list

    class SelectionChanged(Message):
        """Calls were selected or unselected; ``count`` is how many are selected now."""

        def __init__(self, count: int) -> None:
            super().__init__()
            self.count = count

    class SortRequested(Message):
        """The user clicked a column header."""

        def __init__(self, column: str) -> None:
            super().__init__()
            self.column = column

    def __init__(
        self,
        fetch_rows: RowFetcher,
        *,
        empty_text: str = "No calls match.",
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._fetch_rows = fetch_rows
        self.empty_text = empty_text
        self.call_ids: array[int] = array("q")
        self.selected: set[int] = set()
        self.sort_key = "corpus"
        self.sort_descending = False
        self._rows: OrderedDict[int, CallRow] = OrderedDict()
        self._strips: LRUCache[tuple[object, ...], Strip] = LRUCache(1024)
        self._generation = 0
        self.first_paint_at: float | None = None  # for the benchmark

    # --- data -----------------------------------------------------------------------------

    def show_calls(self, call_ids: array[int], keep_call_id: int | None = None) -> None:
        """Show these calls; keep the cursor on ``keep_call_id`` when it is among them."""
        self.call_ids = call_ids
        if self.selected:
            self.selected.intersection_update(call_ids)
        self._rows.clear()
        self._invalidate()
        self.virtual_size = Size(self.size.width, len(call_ids) + 1)
        index = 0
        if keep_call_id is not None:
            try:
                index = call_ids.index(keep_call_id)
            except ValueError:
                index = min(self.cursor, max(0, len(call_ids) - 1))
        self.cursor = index
        self.post_message(self.SelectionChanged(len(self.selected)))

    def refresh_rows(self) -> None:
        """Forget fetched rows (their review state changed) and repaint."""
        self._rows.clear()
        self._invalidate()

    def set_sort(self, key: str, descending: bool) -> None:
        self.sort_key, self.sort_descending = key, descending
        self._invalidate()

    @property
    def current_call_id(self) -> int | None:
        if 0 <= self.cursor < len(self.call_ids):
            return self.call_ids[self.cursor]
        return None

    def row(self, call_id: int) -> CallRow | None:
        """The fetched row of a call, if it is near the viewport."""
        return self._rows.get(call_id)

    def selected_in_order(self) -> list[int]:
        """Selected call ids in list order (selection outside the list is dropped)."""
        return [i for i in self.call_ids if i in self.selected]

    def _invalidate(self) -> None:
        self._generation += 1
        self._strips.clear()
        self.refresh()

    def _ensure_rows(self, start: int) -> None:
        """Fetch every missing row from ``start`` to a margin past the viewport, in one query."""
        end = min(len(self.call_ids), start + self.size.height + FETCH_MARGIN)
        begin = max(0, start - FETCH_MARGIN // 2)
        missing = [i for i in self.call_ids[begin:end] if i not in self._rows]
        if not missing:
            return
        for row in self._fetch_rows(missing):
            self._rows[row.call_id] = row
        while len(self._rows) > ROW_CACHE:
            self._rows.popitem(last=False)

    # --- cursor ---------------------------------------------------------------------------

    def watch_cursor(self, old: int, new: int) -> None:
        clamped = max(0, min(new, len(self.call_ids) - 1)) if self.call_ids else 0
        if clamped != new:
            self.cursor = clamped
            return
        self._scroll_to_cursor()
        self._invalidate()
        self.post_message(self.Highlighted(self, self.current_call_id))

    def _scroll_to_cursor(self) -> None:
        rows_visible = max(1, self.scrollable_content_region.height - 1)
        top = round(self.scroll_y)
        if self.cursor < top:
            self.scroll_to(y=self.cursor, animate=False, immediate=True)
        elif self.cursor >= top + rows_visible:
            self.scroll_to(y=self.cursor - rows_visible + 1, animate=False, immediate=True)

    def action_cursor_up(self) -> None:
        self.cursor -= 1

    def action_cursor_down(self) -> None:
        self.cursor += 1

    def action_page_up(self) -> None:
        self.cursor -= max(1, self.scrollable_content_region.height - 2)

    def action_page_down(self) -> None:
        self.cursor += max(1, self.scrollable_content_region.height - 2)

    def action_first(self) -> None:
        self.cursor = 0

    def action_last(self) -> None:
        self.cursor = len(self.call_ids) - 1

    def action_toggle_selected(self) -> None:
        call_id = self.current_call_id
        if call_id is None:
            return
        self.selected ^= {call_id}
        self.post_message(self.SelectionChanged(len(self.selected)))
        self.cursor += 1

    def action_clear_selection(self) -> None:
        self.selected.clear()
        self._invalidate()
        self.post_message(self.SelectionChanged(0))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "clear_selection":
            return bool(self.selected)
        return True

    # --- rendering ------------------------------------------------------------------------

    def on_resize(self, event: events.Resize) -> None:
        self.virtual_size = Size(event.size.width, len(self.call_ids) + 1)
        self._invalidate()
        self._scroll_to_cursor()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._strips.clear()

    def on_focus(self) -> None:
        self._invalidate()

    def on_blur(self) -> None:
        self._invalidate()

    def render_line(self, y: int) -> Strip:
        if self.first_paint_at is None and self.call_ids:
            self.first_paint_at = time.perf_counter()
        width = self.scrollable_content_region.width
        columns = layout(width)
        if y == 0:
            style = self._style("header")
            segments = header_segments(columns, self.sort_key, self.sort_descending, style)
            return Strip(segments).adjust_cell_length(width, style)
        top = round(self.scroll_y)
        index = top + y - 1
        if index >= len(self.call_ids):
            if not self.call_ids and y == 1:
                style = self._style("empty")
                return Strip([Segment(f" {self.empty_text}", style)]).adjust_cell_length(width)
            return Strip.blank(width, self.rich_style)
        call_id = self.call_ids[index]
        cursor = index == self.cursor
        selected = call_id in self.selected
        key = (self._generation, index, width, cursor, selected)
        cached = self._strips.get(key)
        if cached is not None:
            return cached
        row = self._rows.get(call_id)
        if row is None:
            self._ensure_rows(top)
            row = self._rows.get(call_id)
        if row is None:
            return Strip.blank(width, self.rich_style)
        base = self.rich_style
        if selected:
            base += self._style("selected")
        if cursor:
            base += self._style("cursor" if self.has_focus else "cursor-blurred")
        segments = row_segments(row, columns, selected, self._style, base)
        strip = Strip(segments).adjust_cell_length(width, base)
        self._strips[key] = strip
        return strip

    def _style(self, name: str) -> Style:
        return self.get_component_rich_style(f"calls-list--{name}", partial=True)

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        if offset.y == 0:
            x = 1
            for column, width in layout(self.scrollable_content_region.width):
                if x <= offset.x < x + width:
                    self.post_message(self.SortRequested(column.key))
                    return
                x += width
            return
        index = round(self.scroll_y) + offset.y - 1
        if 0 <= index < len(self.call_ids):
            self.cursor = index
