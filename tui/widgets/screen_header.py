"""The header line every top-level screen shares: the app's name, what the screen says about
itself, and the screens you can switch to on the right, the current one highlighted."""

from __future__ import annotations

from rich.text import Text
from textual.widget import Widget

from tui.navigation import SCREEN_TABS
from tui.safe import clean_text, safe_line

NARROW = 100  # below this width, other screens show their key only


class ScreenHeader(Widget):
    """`` Trace Curator  <status>              1 Review  2 Datasets  3 Jobs ``."""

    DEFAULT_CSS = """
    ScreenHeader {
        dock: top;
        height: 1;
        background: $panel;
        color: $foreground;
    }
    """

    def __init__(self, title: str = "Trace Curator", *, tab: str, id: str | None = None) -> None:
        super().__init__(id=id)
        self.title = title
        self.tab = tab
        self._status = Text()

    def show_status(self, status: Text | str) -> None:
        """Replace what follows the title (counts, progress, the selected item)."""
        # The status quotes corpus text (task names, run ids): never raw controls.
        self._status = clean_text(Text(status) if isinstance(status, str) else status)
        self.refresh()

    def render(self) -> Text:
        width = self.size.width or 120
        tabs = self.tabs_text(width)
        title = safe_line(self.title)
        left = Text.assemble((f" {title} ", "bold reverse"), self._status)
        room = max(0, width - tabs.cell_len - 1)
        left.truncate(room, overflow="ellipsis", pad=True)
        left.append(" ")
        left.append_text(tabs)
        return left

    def tabs_text(self, width: int) -> Text:
        text = Text()
        for tab in SCREEN_TABS:
            if tab.mode == self.tab:
                text.append(f" {tab.key} {tab.label} ", style="bold reverse")
            elif width < NARROW:
                text.append(f" {tab.key} ", style="dim")
            else:
                text.append(f" {tab.key} ", style="bold")
                text.append(f"{tab.label} ", style="dim")
        return text
