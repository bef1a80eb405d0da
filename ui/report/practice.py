"""The report's sections on practice and what came with it: how much was practised and how
sessions ended (with a calendar of the days), sessions where pain or tension rose, the areas
marked over time, and every note in full. What they say comes from
:mod:`trainer.analysis.report`; this module lays it out."""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from datetime import date
from typing import Final

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPen

from trainer.analysis.report import (
    Adherence,
    adherence,
    adherence_lines,
    area_label,
    areas_over_time,
    month_text,
    practice_scope_text,
    rise_lines,
    rise_rows,
    rises,
    session_notes,
    span_text,
    status_counts_text,
)
from trainer.app.words import days_text, hours_text
from ui.report.layout import ACCENT, INK, MUTED, RULE, Block, Column
from ui.report.plots import ReportPlots

MONTHS_A_ROW: Final = 4
MAX_CALENDAR_MONTHS: Final = 36  # the most recent months drawn; the counts cover the whole period
MAX_AREA_COLUMNS: Final = 6  # columns of one table of areas; more continue in another below
LONG_MINUTES: Final = 10  # a day with this much practice or more is drawn darker
LIGHT: Final = "#cfe3e0"  # a day with some practice, under LONG_MINUTES
EMPTY_BORDER: Final = "#9a9a9a"
_UNIT_HEADS: Final = {"week": "Week", "month": "Month", "year": "Year"}
_WEEKDAY_INITIALS: Final = ("M", "T", "W", "T", "F", "S", "S")


class PracticeSections(ReportPlots):
    """Makes the blocks of the practice, rises, areas and notes sections."""

    # -- practice ----------------------------------------------------------------------------------

    def _practice(self) -> list[Block]:
        practice = adherence(self.content)
        if practice is None:
            return []
        blocks = [self._heading("Practice")]
        blocks += [self._bullet(line) for line in adherence_lines(practice)]
        scope = practice_scope_text(self.content)
        if scope:
            blocks.append(self._bullet(scope))
        blocks.append(self._bullet(f"How sessions went: {status_counts_text(practice)}."))
        blocks += self._practice_table(practice)
        blocks += self._calendar(practice)
        return blocks

    def _practice_table(self, practice: Adherence) -> list[Block]:
        number_w = self.mm(30)
        label_w = self.width - 3 * number_w
        right = Qt.AlignmentFlag.AlignRight
        columns = [
            Column(_UNIT_HEADS[practice.unit], label_w),
            Column("Sessions", number_w, right),
            Column("Minutes practised", number_w, right),
            Column("Days practised", number_w, right),
        ]
        head = self._table_head(columns, self.small_bold, space_before=3)
        rows = []
        for i, span in enumerate(practice.spans):
            partial = ""
            if practice.unit == "week" and span.n_days < 7:
                partial = f" ({days_text(span.n_days)})"
            rows.append(
                self._cells_row(
                    columns,
                    (
                        span_text(span.first, span.last, practice.unit) + partial,
                        f"{span.sessions:,}",
                        hours_text(span.minutes),
                        f"{span.days_practised:,} of {span.n_days:,}",
                    ),
                    shaded=i % 2 == 1,
                )
            )
            rows[-1].repeat = head
        head.keep = rows[0].height if rows else 0.0
        return [head, *rows]

    def _calendar(self, practice: Adherence) -> list[Block]:
        first, last = practice.first_day, practice.last_day
        months = []
        year, month = first.year, first.month
        while (year, month) <= (last.year, last.month):
            months.append((year, month))
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        cut = len(months) > MAX_CALENDAR_MONTHS
        months = months[-MAX_CALENDAR_MONTHS:]
        caption = (
            "Each day of the period: a filled day had practice (darker for "
            f"{LONG_MINUTES} minutes or more), an outlined day had none, and grey numbers are "
            "outside the period."
        )
        if cut:
            caption += (
                f" Only the last {MAX_CALENDAR_MONTHS} months are drawn; the counts above cover "
                "the whole period."
            )
        title = self._calendar_title(caption)
        rows = [
            self._month_row(months[i : i + MONTHS_A_ROW], practice)
            for i in range(0, len(months), MONTHS_A_ROW)
        ]
        title.keep = rows[0].height
        return [title, *rows]

    def _calendar_title(self, caption: str) -> Block:
        key_h = self.mm(6)
        height = self._title_height(caption) + key_h + self.mm(3)

        def paint(p: QPainter, y: float) -> None:
            top = y + self.mm(3)
            top += self._plot_title(p, top, "Days of practice", caption)
            x = 0.0
            size = self.mm(3.2)
            p.setFont(self.small_font)
            for fill, border, text in (
                (LIGHT, None, f"practised, under {LONG_MINUTES} minutes"),
                (ACCENT, None, f"{LONG_MINUTES} minutes or more"),
                (None, EMPTY_BORDER, "no practice"),
                (None, None, "outside the period"),
            ):
                box = QRectF(x, top + self.mm(0.5), size, size)
                self._day_box(p, box, fill, border)
                if fill is None and border is None:
                    p.setPen(QColor(RULE))
                    p.drawText(box, int(Qt.AlignmentFlag.AlignCenter), "1")
                p.setPen(QColor(INK))
                text_w = self.metrics(self.small_font).horizontalAdvance(text)
                p.drawText(
                    QRectF(x + size + self.mm(1.5), top, text_w + self.mm(1), self.mm(4.2)),
                    int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                    text,
                )
                x += size + self.mm(1.5) + text_w + self.mm(6)

        return Block(height, paint)

    def _day_box(self, p: QPainter, box: QRectF, fill: str | None, border: str | None) -> None:
        if fill is not None:
            p.fillRect(box, QColor(fill))
        if border is not None:
            p.setPen(QPen(QColor(border), self.mm(0.2)))
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.drawRect(box)

    def _month_row(self, months: Sequence[tuple[int, int]], practice: Adherence) -> Block:
        gap = self.mm(6)
        month_w = (self.width - gap * (MONTHS_A_ROW - 1)) / MONTHS_A_ROW
        cell = month_w / 7
        title_h = self.metrics(self.small_bold).height() + self.mm(1)
        head_h = self.mm(4)
        height = title_h + head_h + 6 * cell + self.mm(3)

        def paint(p: QPainter, y: float) -> None:
            for k, (year, month) in enumerate(months):
                left = k * (month_w + gap)
                p.setFont(self.small_bold)
                p.setPen(QColor(INK))
                p.drawText(
                    QRectF(left, y, month_w, title_h),
                    int(Qt.AlignmentFlag.AlignLeft),
                    month_text(date(year, month, 1)),
                )
                p.setFont(self.axis_font)
                p.setPen(QColor(MUTED))
                for d, initial in enumerate(_WEEKDAY_INITIALS):
                    p.drawText(
                        QRectF(left + d * cell, y + title_h, cell, head_h),
                        int(Qt.AlignmentFlag.AlignCenter),
                        initial,
                    )
                top = y + title_h + head_h
                self._month_cells(p, left, top, cell, year, month, practice)

        return Block(height, paint)

    def _month_cells(
        self,
        p: QPainter,
        left: float,
        top: float,
        cell: float,
        year: int,
        month: int,
        practice: Adherence,
    ) -> None:
        first_weekday, n_days = calendar.monthrange(year, month)
        inset = self.mm(0.5)
        p.setFont(self.axis_font)
        for day in range(1, n_days + 1):
            at = first_weekday + day - 1
            box = QRectF(
                left + (at % 7) * cell + inset,
                top + (at // 7) * cell + inset,
                cell - 2 * inset,
                cell - 2 * inset,
            )
            this = date(year, month, day)
            index = (this - practice.first_day).days
            ink = INK
            if not 0 <= index < practice.n_days:
                ink = RULE
            elif practice.practised_by_day[index]:
                long = practice.minutes_by_day[index] >= LONG_MINUTES
                self._day_box(p, box, ACCENT if long else LIGHT, None)
                ink = "#ffffff" if long else INK
            else:
                self._day_box(p, box, None, EMPTY_BORDER)
            p.setPen(QColor(ink))
            p.drawText(box, int(Qt.AlignmentFlag.AlignCenter), str(day))

    # -- sessions where pain rose ------------------------------------------------------------------

    def _rises(self) -> list[Block]:
        content = self.content
        blocks = [self._heading("Sessions where pain or tension rose")]
        blocks += [self._paragraph(line, self.body_font) for line in rise_lines(content)]
        pain = rises(content, "pain")
        listed = rise_rows(content, pain)
        if listed:
            more = pain.count - len(listed)
            title = "Sessions where pain rose (before → after)" + (
                f", the most recent {len(listed)}; the session table has all {pain.count:,}"
                if more
                else ""
            )
            blocks.append(self._paragraph(title, self.small_bold, space_before=1))
            blocks += [self._bullet(line, font=self.small_font) for line in listed]
        return blocks

    # -- where it hurt, over time ------------------------------------------------------------------

    def _areas(self) -> list[Block]:
        found = areas_over_time(self.content)
        if found is None or not found.areas:
            return []
        blocks = [self._heading("Where it hurt, over time")]
        blocks.append(
            self._paragraph(
                f"How many sessions each area was marked in, {found.unit} by {found.unit}. "
                "Marking an area is optional, so the row above the areas says how many sessions "
                "had any area marked.",
                self.small_font,
            )
        )
        label_w = self.mm(50)
        for start in range(0, len(found.spans), MAX_AREA_COLUMNS):
            chunk = range(start, min(start + MAX_AREA_COLUMNS, len(found.spans)))
            value_w = (self.width - label_w) / MAX_AREA_COLUMNS
            right = Qt.AlignmentFlag.AlignRight
            columns = [Column("", label_w)] + [
                Column(span_text(*found.spans[i], found.unit), value_w, right) for i in chunk
            ]
            head = self._table_head(columns, self.small_bold, space_before=2)
            rows = [
                self._cells_row(columns, ["Sessions"] + [f"{found.sessions[i]:,}" for i in chunk]),
                self._cells_row(
                    columns,
                    ["With an area marked"] + [f"{found.marked[i]:,}" for i in chunk],
                    muted=[True] * (len(chunk) + 1),
                ),
            ]
            for k, (area, counts) in enumerate(found.areas):
                rows.append(
                    self._cells_row(
                        columns,
                        [area_label(area)]
                        + [f"{counts[i]:,}" if counts[i] else "–" for i in chunk],
                        shaded=k % 2 == 0,
                    )
                )
            head.keep = rows[0].height + rows[1].height
            for row in rows:
                row.repeat = head
            blocks += [head, *rows]
        return blocks

    # -- notes ---------------------------------------------------------------------------------------

    def _notes(self) -> list[Block]:
        notes = session_notes(self.content)
        if not notes:
            return []
        blocks = [
            self._heading("Notes, in full"),
            self._paragraph(
                "Every note written with a session, in the person's own words, oldest first. "
                "The session table points to them by number.",
                self.small_font,
            ),
        ]
        indent = self.mm(4)
        for note in notes:
            head = self._paragraph(
                f"Note {note.number} · {note.heading}", self.small_bold, space_before=1.5
            )
            lines = self._text_lines(note.text, self.body_font, indent=indent)
            head.keep = sum(line.height for line in lines[:2])
            blocks += [head, *lines]
        return blocks
