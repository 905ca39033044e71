"""Past exports from the store, newest first: hash, folder, examples, uploads, checks, date."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from rich.text import Text
from textual.binding import Binding
from textual.message import Message
from textual.widgets import DataTable

from core.export import ExportRecord


class ExportsTable(DataTable):
    """One row per recorded export; the row key is the export's id."""

    BINDINGS = [
        Binding("j", "cursor_down", "Down", show=False),
        Binding("k", "cursor_up", "Up", show=False),
    ]

    DEFAULT_CSS = """
    ExportsTable { height: 1fr; }
    """

    class Highlighted(Message):
        """The cursor is on another export (None: the list is empty)."""

        def __init__(self, record: ExportRecord | None) -> None:
            super().__init__()
            self.record = record

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)
        self.records: dict[int, ExportRecord] = {}

    def on_mount(self) -> None:
        for label in ("hash", "folder", "examples", "uploaded to", "checks", "created"):
            self.add_column(label, key=label)

    def show_exports(self, records: list[ExportRecord], uploaded: dict[str, list[str]]) -> None:
        """Replace the rows, keeping the cursor on the same export when it is still there."""
        current = self.current
        self.records = {record.id: record for record in records}
        self.clear()
        for record in records:
            providers = ", ".join(uploaded.get(record.manifest_hash, [])) or "—"
            self.add_row(
                record.manifest_hash[:12],
                shown_folder(record.out_dir),
                Text(f"{record.examples:,}", justify="right"),
                providers,
                f"{record.provider} {record.selection}",
                local_time(record.created_at),
                key=str(record.id),
            )
        if current is not None and current.id in self.records:
            self.move_cursor(row=self.get_row_index(str(current.id)))
        if not records:
            self.post_message(self.Highlighted(None))

    @property
    def current(self) -> ExportRecord | None:
        if not self.records or self.cursor_row < 0 or self.cursor_row >= self.row_count:
            return None
        key = self.coordinate_to_cell_key((self.cursor_row, 0)).row_key.value
        return self.records.get(int(key)) if key is not None else None

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        event.stop()
        self.post_message(self.Highlighted(self.current))


def shown_folder(path: str) -> str:
    """A folder as short as it can be: relative to the working folder, else ``~/…``."""
    folder = Path(path)
    for base, prefix in ((Path.cwd(), ""), (Path.home(), "~/")):
        try:
            return prefix + str(folder.relative_to(base))
        except ValueError:
            continue
    return path


def local_time(iso: str) -> str:
    """``2026-10-02 14:03`` in the local time zone."""
    try:
        return datetime.fromisoformat(iso).astimezone().strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return iso
