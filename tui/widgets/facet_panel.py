"""The facets sidebar: every facet's values with live counts; enter or space toggles one."""

from __future__ import annotations

from textual.binding import Binding
from textual.content import Content
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from core.review.query import FACETS, CallFilter, Facet, FacetValue
from core.textsafe import safe_line

_TITLES: dict[Facet, str] = {
    "task": "Task",
    "kind": "Kind",
    "verdict": "Verdict",
    "rule": "Rule",
    "decision": "Decision",
    "model": "Model",
    "file": "File",
}
_SEPARATOR = "\t"


class FacetPanel(OptionList):
    """Facet values as checkable options; counts are what choosing a value would show."""

    BINDINGS = [
        Binding("space", "select", "Toggle", show=False),
        Binding("k", "cursor_up", "Up", show=False),
        Binding("j", "cursor_down", "Down", show=False),
    ]

    DEFAULT_CSS = """
    FacetPanel {
        width: 30;
        height: 1fr;
        max-height: 100%;
        border: none;
        padding: 0;
        background: $panel;
        scrollbar-gutter: stable;  /* counts arriving must not shift the columns */
        &:focus { border: none; }
    }
    """

    class Toggled(Message):
        """A facet value was chosen or unchosen."""

        def __init__(self, facet: Facet, value: str) -> None:
            super().__init__()
            self.facet = facet
            self.value = value

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._counts: dict[Facet, list[FacetValue]] = {}
        self._filter = CallFilter()

    def show_counts(self, counts: dict[Facet, list[FacetValue]], call_filter: CallFilter) -> None:
        """Redraw with new counts, keeping the highlighted option where it was."""
        self._counts, self._filter = counts, call_filter
        self._rebuild()

    def show_filter(self, call_filter: CallFilter) -> None:
        """Redraw the check marks at once, before the new counts arrive."""
        self._filter = call_filter
        self._rebuild()

    def _rebuild(self) -> None:
        highlighted = self.highlighted_option
        keep = highlighted.id if highlighted is not None else None
        width = max(12, (self.scrollable_content_region.width or 30) - 1)
        options: list[Option] = []
        for facet in FACETS:
            values = self._counts.get(facet, [])
            chosen = self._filter.values(facet)
            title = Content.assemble(
                (_TITLES[facet], "bold $text-accent"),
                (f"  {len(chosen)} chosen" if chosen else "", "italic $text-muted"),
            )
            options.append(Option(title, id=f"head{_SEPARATOR}{facet}", disabled=True))
            for value in values:
                options.append(
                    Option(
                        _prompt(value, value.value in chosen, width),
                        id=f"{facet}{_SEPARATOR}{value.value}",
                    )
                )
        self.set_options(options)
        if keep is not None:
            try:
                self.highlighted = self.get_option_index(keep)
            except Exception:  # the value is gone from the counts
                self.highlighted = None

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        option_id = event.option.id or ""
        facet, _, value = option_id.partition(_SEPARATOR)
        if facet in FACETS:
            self.post_message(self.Toggled(facet, value))  # type: ignore[arg-type]

    def on_resize(self) -> None:
        if self._counts:
            self._rebuild()


def _prompt(value: FacetValue, chosen: bool, width: int) -> Content:
    mark = "■ " if chosen else "□ "
    count = f"{value.count:,}"
    label_width = max(1, width - len(mark) - len(count) - 1)
    label = safe_line(value.label)  # a task or model name from the corpus
    label = label if len(label) <= label_width else label[: label_width - 1] + "…"
    return Content.assemble(
        (mark, "bold $accent" if chosen else "$text-muted"),
        (label.ljust(label_width), "bold" if chosen else ""),
        (" " + count, "$text-muted" if value.count == 0 else ""),
    )
