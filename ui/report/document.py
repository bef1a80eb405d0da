"""The clinician's PDF report, drawn with QPainter on a QPdfWriter: A4 portrait, vector plots.

It holds the profile, the days covered, what the figures are, the practice over the period
(sessions, minutes and days practised week by week, how sessions ended, a calendar of the days),
the analysis in plain sentences, the figures table (each figure with its n, changes with 95%
CIs), the sessions where pain or tension rose, the areas marked over time, plots of pain and of
tension, every note in full, and every session in a table that runs over as many pages as it
needs, with its column heads repeated and "Page N of M" on each page. What it says comes from
:mod:`trainer.analysis.report`; this module lays it out (with the practice sections in
:mod:`ui.report.practice`, the plots in :mod:`ui.report.plots`, the blocks in
:mod:`ui.report.parts` and the measures in :mod:`ui.report.layout`).

For the app:

    write_report(path, profile_name=..., table=store.sessions.table(pid),
                 regions=store.regions.pain_marks(pid), tz=zone, today=today,
                 created_at=utc_now(), first_day=..., last_day=..., region=...)

For the command line (no QGuiApplication yet, maybe no display): :func:`write_report_headless`.
"""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Collection, Mapping, Sequence
from dataclasses import replace
from datetime import date, datetime, tzinfo
from pathlib import Path
from typing import IO, Any, Final

from PySide6.QtCore import QBuffer, QIODevice, QMarginsF, QPointF, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QGuiApplication,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QPen,
)

from trainer import __version__
from trainer.analysis.history import (
    AFTER_PAIN,
    AFTER_TENSION,
    BEFORE_PAIN,
    BEFORE_TENSION,
    RegionMarks,
    SessionTable,
)
from trainer.analysis.report import (
    ABOUT_FIGURES,
    HEALTH_NOTE,
    MINUS,
    NOT_A_DIAGNOSIS,
    TITLE,
    FigureRow,
    ReportContent,
    covered_text,
    created_text,
    figure_sections,
    group_rows,
    moment_text,
    prepare_report,
    range_text,
    rating_pair_text,
    session_notes,
)
from trainer.app.words import STATUS_WORDS, describe_regions, sessions_text, status_text
from trainer.errors import SafeSignalError
from trainer.safety.files import write_privately
from ui.report.layout import (
    ACCENT,
    INK,
    MARGIN_MM,
    MUTED,
    RESOLUTION_DPI,
    RULE,
    SHADE,
    Block,
    Column,
)
from ui.report.practice import PracticeSections

__all__ = ["ReportError", "render_report", "write_report", "write_report_headless"]


class ReportError(SafeSignalError):
    """The report could not be written; the message names the file and says why."""


# -- the public entries -------------------------------------------------------------------------


def write_report(
    path: Path | str,
    *,
    profile_name: str,
    table: SessionTable,
    regions: Mapping[int, Collection[str]] | RegionMarks | None = None,
    tz: tzinfo,
    today: date,
    created_at: datetime,
    first_day: date | None = None,
    last_day: date | None = None,
    exercise: str = "",
    region: str = "",
) -> int:
    """Write the PDF report of ``table`` to ``path``; return how many sessions it covers.

    ``table`` and ``regions`` are a profile's whole history as the store gives them
    (``store.sessions.table(pid)``, and ``store.regions.pain_marks(pid)`` or a mapping such as
    ``store.regions.pain_by_session(pid)``). The report covers the sessions from
    ``first_day`` to ``last_day`` (calendar days in ``tz``, both included; ``None`` for an open
    end) up to ``today``; with ``exercise`` (an exercise id) only that exercise's, and with
    ``region`` only those where that area hurt: the history screen's filter can be passed as it
    is. ``created_at`` (aware) is printed as the time the report was made. For example::

        write_report(path, profile_name=profile.name, table=store.sessions.table(pid),
                     regions=store.regions.pain_marks(pid), tz=zone, today=today,
                     created_at=utc_now(), first_day=shown.first_day,
                     last_day=shown.last_day, exercise=shown.exercise, region=shown.region)

    Needs a QGuiApplication (the app's QApplication will do) and runs in the calling thread.
    The file is written beside ``path`` and moved into place, readable only by this user: a
    failure leaves no half file (and an older file of that name as it was) and raises
    :class:`ReportError` naming ``path``. The name is used as given: a caller that asks for a
    name should add ``.pdf`` when it is missing. Takes well under a second for hundreds of
    sessions and about 3 s for 20,000 (a 343-page table).
    """
    content = prepare_report(
        table,
        regions,
        profile_name=profile_name,
        tz=tz,
        today=today,
        created_at=created_at,
        first_day=first_day,
        last_day=last_day,
        exercise=exercise,
        region=region,
    )
    _save(Path(path), render_report(content))
    return content.n_sessions


def write_report_headless(path: Path | str, **options: Any) -> int:
    """:func:`write_report` from the command line: makes the QGuiApplication it needs first,
    on the offscreen platform (unless QT_QPA_PLATFORM says otherwise) so no display is needed."""
    _gui_application()
    return write_report(path, **options)


_APP: list[QGuiApplication] = []  # the command line's application, kept alive until exit


def _gui_application() -> None:
    if QGuiApplication.instance() is not None:
        return
    if "QT_QPA_PLATFORM" not in os.environ and sys.platform not in ("win32", "darwin"):
        os.environ["QT_QPA_PLATFORM"] = "offscreen"  # Linux and the like may have no display
    _APP.append(QGuiApplication(["safesignal"]))


def render_report(content: ReportContent) -> bytes:
    """The report as the bytes of a PDF file."""
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    writer.setPageOrientation(QPageLayout.Orientation.Portrait)
    writer.setResolution(RESOLUTION_DPI)
    margins = QMarginsF(MARGIN_MM, MARGIN_MM, MARGIN_MM, MARGIN_MM)
    writer.setPageMargins(margins, QPageLayout.Unit.Millimeter)
    writer.setTitle(f"Safe Signal practice report: {content.profile_name}")
    writer.setCreator(f"Safe Signal {__version__}")
    layout = _Layout(content, writer)
    pages = layout.paginate(layout.blocks())
    painter = QPainter()
    if not painter.begin(writer):
        raise ReportError("Could not start drawing the report (Qt's PDF writer refused).")
    try:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        for number, page in enumerate(pages, start=1):
            if number > 1:
                writer.newPage()
            for top, block in page:
                block.paint(painter, top)
            layout.footer(painter, number, len(pages))
    finally:
        painter.end()
    buffer.close()
    return bytes(buffer.data().data())


# -- saving -------------------------------------------------------------------------------------


def _save(path: Path, data: bytes) -> None:
    """Write ``data`` beside ``path`` and move it into place (private to this user)."""
    if path.is_dir():
        raise ReportError(f"{path} is a folder; give a file name ending in .pdf.")

    def failed(reason: str) -> ReportError:
        return ReportError(f"Could not write the report to {path}: {reason}")

    with write_privately(path, failed, binary=True) as stream:
        _write_all(stream, data)


def _write_all(stream: IO[bytes], data: bytes) -> None:
    """Write ``data`` in pieces (a failure part-way is what the tests imitate)."""
    write = stream.write
    view = memoryview(data)
    for start in range(0, len(view), 1 << 20):
        write(view[start : start + (1 << 20)])


# -- layout -------------------------------------------------------------------------------------


def _is_number(text: str) -> bool:
    """A figure rather than a reason it is missing (reasons are set in italic)."""
    return bool(text) and (text[0].isdigit() or text[0] in "+" + MINUS or text.startswith("p "))


class _Layout(PracticeSections):
    """Turns a report's content into blocks, pages and paint."""

    # -- blocks ----------------------------------------------------------------------------------

    def blocks(self) -> list[Block]:
        out = [self._title(), *self._info()]
        if not self.content.n_sessions:
            out.append(
                self._paragraph(
                    "There are no sessions in this range, so there are no figures, plots or "
                    "table to show. Sessions appear here once they are practised and saved.",
                    self.body_font,
                    space_before=4,
                )
            )
            out += self._about()
            return out
        out += self._about()
        out += self._practice()
        out.append(self._heading("What the ratings show"))
        out += [self._bullet(sentence) for sentence in self.content.summary]
        out.append(self._heading("Figures"))
        out += self._figures()
        out += self._groups()
        out += self._rises()
        out += self._areas()
        out += self._plots()
        out += self._notes()
        out += self._session_table()
        return out

    def _title(self) -> Block:
        height = self.metrics(self.title_font).height() + self.mm(4)

        def paint(p: QPainter, y: float) -> None:
            p.setFont(self.title_font)
            p.setPen(QColor(INK))
            line = self.metrics(self.title_font).height()
            p.drawText(QRectF(0, y, self.width, line), int(Qt.AlignmentFlag.AlignLeft), TITLE)
            p.setPen(QPen(QColor(ACCENT), self.mm(0.6)))
            rule_y = y + line + self.mm(1.2)
            p.drawLine(QPointF(0, rule_y), QPointF(self.width, rule_y))

        return Block(height, paint)

    def _info(self) -> list[Block]:
        c = self.content
        rows = (
            ("Profile", c.profile_name),
            ("Sessions", covered_text(c)),
            ("Asked for", range_text(c)),
            ("Created", created_text(c)),
        )
        label_w = self.mm(24)
        value_w = self.width - label_w
        blocks = []
        for label, value in rows:
            height = self.text_height(self.body_font, value_w, value) + self.mm(1.2)

            def paint(p: QPainter, y: float, label: str = label, value: str = value) -> None:
                flags = int(Qt.AlignmentFlag.AlignLeft | Qt.TextFlag.TextWordWrap)
                p.setFont(self.small_bold)
                p.setPen(QColor(MUTED))
                p.drawText(QRectF(0, y + self.mm(0.4), label_w, self.mm(6)), flags, label)
                p.setFont(self.body_font)
                p.setPen(QColor(INK))
                p.drawText(QRectF(label_w, y, value_w, self.body_height), flags, value)

            blocks.append(Block(height, paint))
        return blocks

    def _about(self) -> list[Block]:
        blocks = [self._heading("About this report", keep_lines=3)]
        for text in (NOT_A_DIAGNOSIS, *ABOUT_FIGURES, HEALTH_NOTE):
            blocks.append(self._paragraph(text, self.small_font, bar=True))
        return blocks

    # -- tables of figures -------------------------------------------------------------------------

    def _figures(self) -> list[Block]:
        label_w = self.mm(62)
        value_w = (self.width - label_w) / 2
        columns = [Column("", label_w), Column("Pain", value_w), Column("Tension", value_w)]
        blocks = [self._table_head(columns, self.small_bold)]
        for section in figure_sections(self.content.analysis):
            blocks.append(self._section_row(section.title))
            blocks += [self._figure_row(columns, row) for row in section.rows]
        blocks[0].keep = blocks[1].height + blocks[2].height
        return blocks

    def _groups(self) -> list[Block]:
        analysis = self.content.analysis
        label_w = self.mm(62)
        value_w = (self.width - label_w) / 2
        pad = self.mm(1)
        blocks: list[Block] = []
        for title, groups in (
            ("By exercise", analysis.by_exercise),
            ("By where it hurt (a session counts for each area marked)", analysis.by_region),
        ):
            if not groups:
                continue
            columns = [
                Column(title, label_w),
                Column("Pain: mean change", value_w),
                Column("Tension: mean change", value_w),
            ]
            head = self._table_head(columns, self.small_bold, space_before=4)
            rows = [
                self._figure_row(
                    columns,
                    replace(
                        row, label=self.at_most(self.small_font, label_w - 2 * pad, row.label, 3)
                    ),
                )
                for row in group_rows(groups)
            ]
            head.keep = rows[0].height
            for row in rows:
                row.repeat = head
            blocks += [head, *rows]
        return blocks

    def _figure_row(self, columns: Sequence[Column], row: FigureRow) -> Block:
        pad = self.mm(1)
        cells = (row.label, row.pain, row.tension)
        fonts = [
            self.small_font if i == 0 or _is_number(text) else self.small_italic
            for i, text in enumerate(cells)
        ]
        heights = [
            self.text_height(font, col.width - 2 * pad, text)
            for font, col, text in zip(fonts, columns, cells, strict=True)
        ]
        height = max(heights) + 2 * pad

        def paint(p: QPainter, y: float) -> None:
            x = 0.0
            flags = int(Qt.AlignmentFlag.AlignLeft | Qt.TextFlag.TextWordWrap)
            for font, col, text in zip(fonts, columns, cells, strict=True):
                p.setFont(font)
                p.setPen(QColor(INK if font is not self.small_italic else MUTED))
                p.drawText(QRectF(x + pad, y + pad, col.width - 2 * pad, height), flags, text)
                x += col.width
            p.setPen(QPen(QColor(RULE), self.mm(0.15)))
            p.drawLine(QPointF(0, y + height), QPointF(self.width, y + height))

        return Block(height, paint)

    # -- plots -----------------------------------------------------------------------------------

    def _plots(self) -> list[Block]:
        plots = [
            self._ratings_plot(),
            self._change_plot("pain"),
            self._change_plot("tension"),
            *self._exercise_plots("pain"),
            *self._exercise_plots("tension"),
        ]
        heading = self._heading("Plots", keep_lines=0)
        heading.keep = plots[0].height
        return [heading, *plots]

    # -- the session table -------------------------------------------------------------------------

    def _session_columns(self) -> list[Column]:
        m = self.metrics(self.table_font)
        pad = self.mm(2)
        when = m.horizontalAdvance("00 Mmm 0000 00:00") + pad
        minutes = max(m.horizontalAdvance("Min"), m.horizontalAdvance("000.0")) + pad
        pair = max(m.horizontalAdvance("Tension"), m.horizontalAdvance("10 → 10")) + pad
        status = max(m.horizontalAdvance(w) for w in STATUS_WORDS.values()) + pad
        note = m.horizontalAdvance("note 00,000") + pad
        rest = self.width - when - minutes - 2 * pair - status - note
        right = Qt.AlignmentFlag.AlignRight
        centre = Qt.AlignmentFlag.AlignHCenter
        return [
            Column("When", when),
            Column("Exercise", rest * 0.45),
            Column("Min", minutes, right),
            Column("Tension", pair, centre),
            Column("Pain", pair, centre),
            Column("Where it hurt", rest * 0.55),
            Column("How it went", status),
            Column("Notes", note),
        ]

    def _session_table(self) -> list[Block]:
        c = self.content
        columns = self._session_columns()
        heading = self._heading(
            f"Every session, oldest first ({sessions_text(c.n_sessions)})",
            keep_lines=0,
            new_page=True,
        )
        note = self._paragraph(
            "Times are as the clock read where each session was practised. Tension and pain are "
            "before → after practice, 0 to 10; – means that rating was skipped. Minutes are the "
            "practice actually done. Names and areas too long for their column are cut short "
            "(…); notes are given in full, by number, under “Notes, in full”.",
            self.small_font,
        )
        head = self._table_head(columns, self.table_bold, space_before=0)
        m = self.metrics(self.table_font)
        row_h = m.height() + self.mm(1.2)
        head.keep = row_h
        pad = self.mm(0.8)
        cells_at, x = [], 0.0
        for col in columns:
            cells_at.append((x + pad, col.width - 2 * pad, col.align))
            x += col.width
        rows = _SessionRows(self, cells_at, row_h, (row_h + m.ascent() - m.descent()) / 2)
        ratings = c.table.ratings.tolist()
        ids = c.table.ids.tolist()
        minutes = (c.table.practised_s / 60).tolist()
        widths = [width for _x, width, _align in cells_at]
        blocks = [heading, note, head]
        note_refs = {n.row: f"note {n.number:,}" for n in session_notes(c)}
        for i in range(len(c.table)):
            where = describe_regions(c.regions.regions_of(ids[i]))
            rating = ratings[i]
            cells = (
                moment_text(c.table.started_local(i, c.tz))[4:],  # without the weekday
                self.elide(self.table_font, c.table.titles[i], widths[1]),
                f"{minutes[i]:.1f}",
                rating_pair_text(rating[BEFORE_TENSION], rating[AFTER_TENSION]),
                rating_pair_text(rating[BEFORE_PAIN], rating[AFTER_PAIN]),
                self.elide(self.table_font, where, widths[5]),
                self.elide(self.table_font, status_text(c.table.statuses[i]), widths[6]),
                note_refs.get(i, ""),
            )
            blocks.append(
                Block(row_h, functools.partial(rows.paint, cells, i % 2 == 1), repeat=head)
            )
        return blocks

    # -- pages -----------------------------------------------------------------------------------

    def paginate(self, blocks: Sequence[Block]) -> list[list[tuple[float, Block]]]:
        """Place the blocks on pages: each page a list of (top, block)."""
        pages: list[list[tuple[float, Block]]] = [[]]
        y = 0.0
        for block in blocks:
            fresh = not pages[-1]
            if not fresh and (block.new_page or y + block.height + block.keep > self.body_height):
                pages.append([])
                y = 0.0
                if block.repeat is not None:
                    pages[-1].append((y, block.repeat))
                    y += block.repeat.height
            pages[-1].append((y, block))
            y += block.height
        return pages

    def footer(self, p: QPainter, number: int, total: int) -> None:
        bottom = float(self.device.height())
        line_y = bottom - self.mm(5)
        p.setPen(QPen(QColor(RULE), self.mm(0.2)))
        p.drawLine(QPointF(0, line_y), QPointF(self.width, line_y))
        p.setFont(self.footer_font)
        p.setPen(QColor(MUTED))
        page = f"Page {number} of {total}"
        page_w = self.metrics(self.footer_font).horizontalAdvance(page) + self.mm(1)
        left = f"Safe Signal practice report · {self.content.profile_name} · {HEALTH_NOTE}"
        text_rect = QRectF(0, line_y + self.mm(1), self.width - page_w - self.mm(4), self.mm(4))
        p.drawText(
            text_rect,
            int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop),
            self.elide(self.footer_font, left, text_rect.width()),
        )
        p.drawText(
            QRectF(self.width - page_w, line_y + self.mm(1), page_w, self.mm(4)),
            int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop),
            page,
        )


class _SessionRows:
    """Paints the rows of the session table: one line each, already cut to fit, drawn at a
    point (quicker than laying text out in a box, which matters at 20,000 rows)."""

    def __init__(
        self,
        layout: _Layout,
        cells_at: Sequence[tuple[float, float, Qt.AlignmentFlag]],
        row_h: float,
        baseline: float,
    ) -> None:
        self.width = layout.width
        self.font = layout.table_font
        self.metrics = layout.metrics(layout.table_font)
        self.cells_at = [(x, width, _ALIGN_CODE[align]) for x, width, align in cells_at]
        self.row_h = row_h
        self.baseline = baseline
        self.shade = QColor(SHADE)
        self.ink = QColor(INK)
        self._advance: dict[str, float] = {}

    def paint(self, cells: Sequence[str], shaded: bool, p: QPainter, y: float) -> None:
        if shaded:
            p.fillRect(QRectF(0, y, self.width, self.row_h), self.shade)
        p.setFont(self.font)
        p.setPen(self.ink)
        base = y + self.baseline
        for (x, width, align), text in zip(self.cells_at, cells, strict=True):
            if not text:
                continue
            if align:
                advance = self._advance.get(text)
                if advance is None:
                    advance = self._advance[text] = self.metrics.horizontalAdvance(text)
                x += (width - advance) / align
            p.drawText(QPointF(x, base), text)


# How far along the free space a column's text starts: 0 left, 1 right, 2 the middle.
_ALIGN_CODE: Final = {
    Qt.AlignmentFlag.AlignLeft: 0,
    Qt.AlignmentFlag.AlignRight: 1,
    Qt.AlignmentFlag.AlignHCenter: 2,
}
