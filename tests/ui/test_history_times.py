"""Session times in the history table, its one-line description and the report read as the clock
read where each session was practised (its kept offset from UTC), not in today's zone."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtPdf import QPdfDocument

from trainer.analysis.history import RegionMarks, SessionTable
from ui.history.table import DATE, SessionTableModel
from ui.report.document import write_report

BERLIN_WINTER = timezone(timedelta(hours=1))
# 21:30 on a UTC-5 clock (New York in winter): 02:30 UTC, 03:30 in Berlin the next day.
EVENING_IN_NEW_YORK = datetime(2026, 1, 16, 2, 30, tzinfo=UTC)


def table() -> SessionTable:
    """Two sessions at the same moment a day apart: one kept UTC-5, one from before offsets."""
    rows = [
        (
            i + 1,
            "box",
            "Box breathing",
            (EVENING_IN_NEW_YORK + timedelta(days=i)).timestamp(),
            300.0,
            "completed",
            6,
            5,
            4,
            3,
            "",
            offset,
        )
        for i, offset in enumerate((-300, None))
    ]
    return SessionTable.from_rows(rows)


def test_the_table_shows_a_new_york_evening_as_21_30_in_berlin(qapp: object) -> None:
    model = SessionTableModel(BERLIN_WINTER)
    model.set_sessions(table(), RegionMarks.from_pairs([]))
    assert model.text(0, DATE) == "Thu 15 Jan 2026, 21:30"
    assert model.text(1, DATE) == "Sat 17 Jan 2026, 03:30"  # no offset kept: in today's zone


def test_a_time_from_another_zone_says_so_and_gives_the_time_here(qapp: object) -> None:
    model = SessionTableModel(BERLIN_WINTER)
    model.set_sessions(table(), RegionMarks.from_pairs([]))
    new_york, old = (model.view_row(session_id) for session_id in (1, 2))  # newest first
    tip = model.data(model.index(new_york, DATE), Qt.ItemDataRole.ToolTipRole)
    assert tip == (
        "The time where this session was practised (UTC-05:00). "
        "On this computer's clock it was Fri 16 Jan 2026, 03:30."
    )
    assert model.data(model.index(old, DATE), Qt.ItemDataRole.ToolTipRole) is None
    same_zone = SessionTableModel(timezone(timedelta(hours=-5)))
    same_zone.set_sessions(table(), RegionMarks.from_pairs([]))
    assert same_zone.elsewhere(0) is None  # nothing to explain at home


def test_the_report_rows_show_the_time_as_practised(qapp: object, tmp_path: Path) -> None:
    path = tmp_path / "report.pdf"
    write_report(
        path,
        table=table(),
        profile_name="Sam",
        tz=BERLIN_WINTER,
        today=date(2026, 2, 1),
        created_at=datetime(2026, 2, 1, 12, tzinfo=UTC),
    )
    document = QPdfDocument()
    assert document.load(str(path)) == QPdfDocument.Error.None_
    text = "\n".join(document.getAllText(i).text() for i in range(document.pageCount()))
    document.close()
    assert "15 Jan 2026 21:30" in text
    assert "from 15 Jan 2026 to 17 Jan 2026" in text  # the days as practised, like the rows
    assert "17 Jan 2026 03:30" in text
    assert "16 Jan 2026 03:30" not in text
    assert "where each session was practised" in text
