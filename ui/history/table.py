"""The table of past sessions: a model that makes each cell's text only when it is shown, so
20,000 sessions list at once; it sorts by any column and lets notes be edited."""

from __future__ import annotations

from datetime import tzinfo
from typing import Any, Final

import numpy as np
from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)

from trainer.analysis.history import SKIPPED, RegionMarks, SessionTable
from trainer.app.words import (
    SKIPPED_MARK,
    describe_regions,
    elsewhere_time_text,
    status_text,
)

COLUMNS: Final = (
    "Date",
    "Exercise",
    "Minutes",
    "Tension",
    "Pain",
    "Where it hurt",
    "Notes",
    "How it went",
)
DATE, EXERCISE, MINUTES, TENSION, PAIN, WHERE, NOTES, STATUS = range(len(COLUMNS))
SESSION_TIME_FORMAT: Final = "%a %d %b %Y, %H:%M"  # Tue 03 Mar 2026, 08:30
_CENTRED: Final = (MINUTES, TENSION, PAIN)
Index = QModelIndex | QPersistentModelIndex

# Characters that reorder the text around them (a right-to-left override shows "evil" as
# "live") or are invisible: in a note they are shown as a visible mark, never acted on.
_BIDI_MARKS: Final = {
    "\u061c": "ALM",
    "\u200e": "LRM",
    "\u200f": "RLM",
    "\u202a": "LRE",
    "\u202b": "RLE",
    "\u202c": "PDF",
    "\u202d": "LRO",
    "\u202e": "RLO",
    "\u2066": "LRI",
    "\u2067": "RLI",
    "\u2068": "FSI",
    "\u2069": "PDI",
}
_SHOWN: Final = str.maketrans(
    {
        **{code: f"⟨{name}⟩" for code, name in _BIDI_MARKS.items()},
        **{chr(c): "\ufffd" for c in (*range(0x20), *range(0x7F, 0xA0)) if chr(c) not in "\n\t"},
    }
)


def shown_note(text: str) -> str:
    """A note as History shows it: direction controls (U+202E and the like) as visible marks
    such as ⟨RLO⟩, other control characters as �, so the text reads as it was typed."""
    return text.translate(_SHOWN)


def _mark(value: int) -> str:
    return SKIPPED_MARK if value == SKIPPED else str(int(value))


class SessionTableModel(QAbstractTableModel):
    """Rows are sessions of a :class:`SessionTable`, newest first until sorted otherwise.

    Editing a note emits ``note_edited(session id, text)``; the screen saves it and calls
    :meth:`set_note` when it is saved (so a note that could not be saved is not shown as saved).
    """

    note_edited = Signal(int, str)

    def __init__(self, tz: tzinfo) -> None:
        super().__init__()
        self._tz = tz
        self._table = SessionTable.from_rows([])
        self._where = RegionMarks.from_pairs([])
        self._order = np.zeros(0, dtype=np.int64)
        self._notes: list[str] = []
        self._sort: tuple[int, Qt.SortOrder] = (DATE, Qt.SortOrder.DescendingOrder)

    def set_sessions(self, table: SessionTable, where: RegionMarks) -> None:
        """Show ``table`` (``where``: the areas that hurt), keeping the current sort."""
        self.beginResetModel()
        self._table, self._where = table, where
        self._notes = list(table.notes)
        self._order = self._sorted(*self._sort)
        self.endResetModel()

    # -- reading --------------------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else int(self._order.size)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.ToolTipRole:
            if section in (TENSION, PAIN):
                return f"Before → after the session, 0–10; {SKIPPED_MARK} means it was skipped"
            if section == NOTES:
                return "Your own notes: double-click or press F2 to write one"
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row, column = int(self._order[index.row()]), index.column()
        if role == Qt.ItemDataRole.DisplayRole and column == NOTES:
            return shown_note(self._notes[row])
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return self.text(row, column)  # a note is edited as it is
        if role == Qt.ItemDataRole.TextAlignmentRole and column in _CENTRED:
            return int(Qt.AlignmentFlag.AlignCenter)
        if role == Qt.ItemDataRole.ToolTipRole and column == NOTES and self._notes[row]:
            return shown_note(self._notes[row])
        if role == Qt.ItemDataRole.ToolTipRole and column == DATE:
            return self.elsewhere(row)
        return None

    def elsewhere(self, row: int) -> str | None:
        """For a session practised where the clock differed from this computer's, what its
        time was here (the table shows the time where it was practised); else ``None``."""
        shown = self._table.started_local(row, self._tz)
        here = shown.astimezone(self._tz)
        offset = shown.utcoffset()
        if offset is None or here.utcoffset() == offset:
            return None
        return elsewhere_time_text(
            round(offset.total_seconds() / 60), here.strftime(SESSION_TIME_FORMAT)
        )

    def text(self, row: int, column: int) -> str:
        """The text of ``column`` for the session at ``row`` of the table (not of the view)."""
        table = self._table
        if column == DATE:
            return table.started_local(row, self._tz).strftime(SESSION_TIME_FORMAT)
        if column == EXERCISE:
            return table.titles[row]
        if column == MINUTES:
            return f"{table.practised_s[row] / 60:.1f}"
        if column in (TENSION, PAIN):
            before, _, after, _ = (
                table.ratings[row] if column == PAIN else table.ratings[row][[1, 0, 3, 2]]
            )
            return f"{_mark(before)} → {_mark(after)}"
        if column == WHERE:
            return describe_regions(self._where.regions_of(int(table.ids[row])))
        if column == STATUS:
            return status_text(table.statuses[row])
        return self._notes[row]

    def session_id(self, view_row: int) -> int:
        """The id of the session shown on ``view_row``."""
        return int(self._table.ids[int(self._order[view_row])])

    def view_row(self, session_id: int) -> int | None:
        """Where the session ``session_id`` is shown, if it is."""
        found = np.flatnonzero(self._table.ids[self._order] == session_id)
        return int(found[0]) if found.size else None

    def table_row(self, view_row: int) -> int:
        """The row of the :class:`SessionTable` shown on ``view_row``."""
        return int(self._order[view_row])

    def ids_in_view_order(self) -> list[int]:
        """Session ids as listed, top to bottom."""
        return [int(i) for i in self._table.ids[self._order].tolist()]

    def note(self, session_id: int) -> str:
        """The note of a listed session."""
        rows = np.flatnonzero(self._table.ids == session_id)
        return self._notes[int(rows[0])] if rows.size else ""

    # -- editing notes --------------------------------------------------------------------------

    def flags(self, index: Index) -> Qt.ItemFlag:
        base = super().flags(index)
        if index.isValid() and index.column() == NOTES:
            return base | Qt.ItemFlag.ItemIsEditable
        return base

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or index.column() != NOTES or role != Qt.ItemDataRole.EditRole:
            return False
        text = str(value).strip()
        if text == self._notes[int(self._order[index.row()])]:
            return False
        self.note_edited.emit(self.session_id(index.row()), text)
        return True

    def set_note(self, session_id: int, text: str) -> None:
        """Show ``text`` as the (saved) note of ``session_id``."""
        rows = np.flatnonzero(self._table.ids == session_id)
        if not rows.size:
            return
        self._notes[int(rows[0])] = text
        at = self.view_row(session_id)
        if at is not None:
            cell = self.index(at, NOTES)
            self.dataChanged.emit(cell, cell)

    # -- sorting --------------------------------------------------------------------------------

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self.layoutAboutToBeChanged.emit()
        self._sort = (column, order)
        self._order = self._sorted(column, order)
        self.layoutChanged.emit()

    def _sorted(self, column: int, order: Qt.SortOrder) -> np.ndarray:
        """Row order for sorting by ``column``; ties keep time order (newest first when the
        sort is descending), and sessions without a change (a skipped rating) come last."""
        table = self._table
        n = len(table)
        missing = np.zeros(n, dtype=np.int64)
        if column == DATE:
            key: np.ndarray = np.arange(n, dtype=float)  # the table is in time order already
        elif column == MINUTES:
            key = table.practised_s
        elif column in (TENSION, PAIN):
            before_col = 0 if column == PAIN else 1
            before, after = table.ratings[:, before_col], table.ratings[:, before_col + 2]
            both = (before != SKIPPED) & (after != SKIPPED)
            key = np.where(both, after - before, 0).astype(float)
            missing = (~both).astype(np.int64)
        else:
            texts = [self.text(row, column).casefold() for row in range(n)]
            key = np.unique(np.array(texts, dtype=object), return_inverse=True)[1].astype(float)
        sign = -1.0 if order == Qt.SortOrder.DescendingOrder else 1.0
        tiebreak = sign * np.arange(n)
        return np.lexsort((tiebreak, sign * key, missing))
