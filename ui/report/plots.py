"""The plots of the clinician's PDF report, drawn as vector shapes with QPainter: ratings over
time with the 7-day average of before-ratings, and for pain and for tension alike the change
within each session with the mean and its 95% CI, and the mean change per exercise with its CI
and n (pain and tension on one scale). Figures below the minimum number
of sessions are never drawn: the reason is written in their place."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from datetime import date
from typing import Final

import numpy as np
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QPainter, QPainterPath, QPen, QPolygonF

from trainer.analysis.history import (
    AFTER_PAIN,
    AFTER_TENSION,
    BEFORE_PAIN,
    BEFORE_TENSION,
    ROLLING_DAYS,
    changes,
    rolling_mean,
)
from trainer.analysis.progress import ChangeStats, GroupChange
from trainer.analysis.report import change_text, month_text, short_day_text, signed
from ui.report.layout import ACCENT, AFTER, BAND, BARS, INK, MUTED, RULE, SHADE, Block
from ui.report.parts import Parts

MAX_GROUP_ROWS: Final = 25  # rows of one per-exercise plot before it continues below


class ReportPlots(Parts):
    """Makes the plots' blocks (the report's layout inherits these)."""

    def _plot_title(self, p: QPainter, y: float, title: str, caption: str) -> float:
        """Paints a plot's title and caption; returns the height they took."""
        p.setFont(self.subheading_font)
        p.setPen(QColor(INK))
        line = self.metrics(self.subheading_font).height()
        p.drawText(QRectF(0, y, self.width, line), int(Qt.AlignmentFlag.AlignLeft), title)
        caption_h = self.text_height(self.small_font, self.width, caption)
        p.setFont(self.small_font)
        p.setPen(QColor(MUTED))
        flags = int(Qt.AlignmentFlag.AlignLeft | Qt.TextFlag.TextWordWrap)
        p.drawText(QRectF(0, y + line, self.width, caption_h + 1), flags, caption)
        return line + caption_h + self.mm(1.5)

    def _title_height(self, caption: str) -> float:
        return (
            self.metrics(self.subheading_font).height()
            + self.text_height(self.small_font, self.width, caption)
            + self.mm(1.5)
        )

    def _ratings_plot(self) -> Block:
        c = self.content
        caption = (
            "Each session's ratings on the day it was practised: filled dots before practice, "
            f"rings after. The line is the average of before-practice ratings over the "
            f"{ROLLING_DAYS} days up to each day with practice (the long-term trend); it breaks "
            f"where {ROLLING_DAYS} or more days passed without a rating."
        )
        panel_h = self.mm(44)
        gap = self.mm(4)
        axis_h = self.mm(6)
        legend_h = self.mm(5)
        title_h = self._title_height(caption)
        height = title_h + legend_h + 2 * panel_h + gap + axis_h + self.mm(6)
        first, last = int(c.days[0]), int(c.days[-1])
        span = max(last - first, 6)
        middle = (first + last) / 2 + 0.5  # the middle of the days, where points sit
        x_lo, x_hi = middle - span / 2 - 0.7, middle + span / 2 + 0.7
        offset = 0.2 if span <= 120 else 0.0  # before a little left of after, when there is room
        left = self.mm(12)
        plot_w = self.width - left - self.mm(1)

        def x_of(day: np.ndarray | float) -> np.ndarray:
            return left + (np.asarray(day, dtype=np.float64) - x_lo) / (x_hi - x_lo) * plot_w

        def paint(p: QPainter, y: float) -> None:
            top = y + self._plot_title(p, y, "Ratings over time", caption)
            self._legend(
                p,
                top,
                [
                    ("dot", "before practice"),
                    ("ring", "after practice"),
                    ("line", f"{ROLLING_DAYS}-day average of before-ratings"),
                ],
            )
            top += legend_h
            ticks = day_ticks(first, last)
            for i, (name, before_col, after_col) in enumerate(
                (("Pain", BEFORE_PAIN, AFTER_PAIN), ("Tension", BEFORE_TENSION, AFTER_TENSION))
            ):
                panel = QRectF(left, top + i * (panel_h + gap), plot_w, panel_h)
                self._rating_panel(p, panel, name, before_col, after_col, x_of, offset, ticks)
            axis_top = top + 2 * panel_h + gap
            p.setFont(self.axis_font)
            p.setPen(QColor(MUTED))
            for day, label in ticks:
                x = float(x_of(day + 0.5))
                p.drawLine(QPointF(x, axis_top), QPointF(x, axis_top + self.mm(1)))
                p.drawText(
                    QRectF(x - self.mm(12), axis_top + self.mm(1.2), self.mm(24), self.mm(4)),
                    int(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop),
                    label,
                )

        return Block(height, paint)

    def _rating_panel(
        self,
        p: QPainter,
        rect: QRectF,
        name: str,
        before_col: int,
        after_col: int,
        x_of: Callable[[np.ndarray | float], np.ndarray],
        offset: float,
        ticks: list[tuple[int, str]],
    ) -> None:
        c = self.content
        ratings = c.table.ratings

        def y_of(value: np.ndarray | float) -> np.ndarray:
            return rect.bottom() - np.asarray(value, dtype=np.float64) / 10.0 * rect.height()

        self._grid(p, rect, [(v, str(v)) for v in range(0, 11, 2)], y_of)
        p.setPen(QPen(QColor(RULE), self.mm(0.15)))
        for day, _label in ticks:
            x = float(x_of(day + 0.5))
            p.drawLine(QPointF(x, rect.top()), QPointF(x, rect.bottom()))
        p.setFont(self.small_bold)
        p.setPen(QColor(INK))
        name_w = self.metrics(self.small_bold).horizontalAdvance(name)
        name_h = self.metrics(self.small_bold).height()
        name_box = QRectF(rect.left(), rect.top(), name_w + self.mm(2.5), name_h + self.mm(1))
        p.fillRect(name_box, Qt.GlobalColor.white)
        p.drawText(
            name_box.adjusted(self.mm(1.2), self.mm(0.5), 0, 0),
            int(Qt.AlignmentFlag.AlignLeft),
            name,
        )
        before, after = ratings[:, before_col], ratings[:, after_col]
        if not np.any(before >= 0) and not np.any(after >= 0):
            self._note_in(p, rect, f"No {name.lower()} ratings in this range (all skipped).")
            return
        radius = self.mm(0.55)
        p.save()
        p.setClipRect(rect.adjusted(-radius * 2, -radius * 2, radius * 2, radius * 2))
        for values, shift, ring in ((before, -offset, False), (after, offset, True)):
            has = values >= 0
            xs = x_of(c.days[has] + 0.5 + shift)
            ys = y_of(values[has])
            points = distinct_points(xs, ys, self.mm(0.25))
            path = QPainterPath()
            for px, py in points:
                path.addEllipse(QPointF(px, py), radius, radius)
            colour = QColor(AFTER if ring else ACCENT)
            if ring:
                p.setPen(QPen(colour, self.mm(0.2)))
                p.setBrush(Qt.BrushStyle.NoBrush)
            else:
                p.setPen(Qt.PenStyle.NoPen)
                p.setBrush(QBrush(colour))
            p.drawPath(path)
        days, means = rolling_mean(c.days, before)
        if days.size:
            p.setPen(QPen(QColor(INK), self.mm(0.35)))
            p.setBrush(Qt.BrushStyle.NoBrush)
            xs, ys = x_of(days + 0.5), y_of(means)
            breaks = np.flatnonzero(np.diff(days) >= ROLLING_DAYS) + 1
            for run in np.split(np.arange(days.size), breaks):
                if run.size == 1:
                    p.drawPoint(QPointF(float(xs[run[0]]), float(ys[run[0]])))
                else:
                    p.drawPolyline(
                        QPolygonF([QPointF(float(xs[i]), float(ys[i])) for i in run.tolist()])
                    )
        p.restore()

    def _change_plot(self, measure: str) -> Block:
        """The change in ``measure`` ("pain" or "tension") within each session."""
        c = self.content
        _rows, change = changes(c.table, measure)
        stats = c.analysis.change(measure)
        n = int(change.size)
        name = measure.capitalize()
        caption = (
            f"{name} just after minus just before, one bar per session with both ratings, "
            "oldest on the left; a bar below the line means lower after practice, and a small "
            "ring on the line means no change. The dashed line is the mean and the band its 95% "
            "confidence interval. This is the change within sessions, not the trend over weeks."
        )
        title_h = self._title_height(caption)
        plot_h = self.mm(46)
        height = title_h + plot_h + self.mm(12)
        left = self.mm(12)
        plot_w = self.width - left - self.mm(1)
        reach = max(3, int(np.abs(change).max()) + 1 if n else 0)  # room above the longest bar

        def paint(p: QPainter, y: float) -> None:
            top = y + self._plot_title(p, y, f"{name}: change within each session", caption)
            rect = QRectF(left, top, plot_w, plot_h)

            def y_of(value: np.ndarray | float) -> np.ndarray:
                return rect.center().y() - np.asarray(value, dtype=np.float64) / reach * (
                    rect.height() / 2
                )

            step = 1 if reach <= 5 else 2
            ticks = [
                (v, signed(v, 0) if v else "0") for v in range(-reach, reach + 1) if v % step == 0
            ]
            self._grid(p, rect, ticks, y_of)
            if n == 0:
                self._note_in(p, rect, f"No sessions with both {measure} ratings in this range.")
                return
            self._bars(p, rect, change, y_of)
            zero = float(y_of(0.0))
            p.setPen(QPen(QColor(INK), self.mm(0.3)))
            p.drawLine(QPointF(rect.left(), zero), QPointF(rect.right(), zero))
            label = self._mean_line(p, rect, stats, y_of)
            self._x_index_axis(p, rect, n)
            p.setFont(self.small_font)
            p.setPen(QColor(INK if stats.enough else MUTED))
            p.drawText(
                QRectF(rect.left(), rect.bottom() + self.mm(5), rect.width(), self.mm(5)),
                int(Qt.AlignmentFlag.AlignLeft),
                f"Sessions with both {measure} ratings, oldest first (n = {n:,}). {label}",
            )

        return Block(height, paint)

    def _bars(
        self,
        p: QPainter,
        rect: QRectF,
        change: np.ndarray,
        y_of: Callable[[np.ndarray | float], np.ndarray],
    ) -> None:
        n = int(change.size)
        slot = rect.width() / n
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(QBrush(QColor(BARS)))
        if slot >= self.mm(0.5):
            width = min(slot * 0.72, self.mm(4))
            zeros = []
            for i, value in enumerate(change.tolist()):
                if value:
                    x = rect.left() + (i + 0.5) * slot - width / 2
                    top = float(y_of(max(value, 0.0)))
                    bottom = float(y_of(min(value, 0.0)))
                    p.drawRect(QRectF(x, top, width, bottom - top))
                else:
                    zeros.append(rect.left() + (i + 0.5) * slot)
            self._zero_marks(p, zeros, float(y_of(0.0)), min(width / 2, self.mm(0.9)))
            return
        # Too many sessions for a bar each: one column per 0.3 mm spanning the changes in it.
        columns = max(1, int(rect.width() / self.mm(0.3)))
        which = np.minimum((np.arange(n) * columns) // n, columns - 1)
        starts = np.flatnonzero(np.diff(which, prepend=-1))
        highs = np.maximum.reduceat(change, starts).clip(min=0)
        lows = np.minimum.reduceat(change, starts).clip(max=0)
        width = rect.width() / columns
        for column, high, low in zip(
            which[starts].tolist(), highs.tolist(), lows.tolist(), strict=True
        ):
            if high or low:
                top, bottom = float(y_of(high)), float(y_of(low))
                p.drawRect(QRectF(rect.left() + column * width, top, width * 0.9, bottom - top))

    def _zero_marks(self, p: QPainter, xs: Sequence[float], y: float, radius: float) -> None:
        """A small ring on the zero line for each session with no change (so it is seen)."""
        if not xs:
            return
        p.save()
        p.setPen(QPen(QColor(INK), self.mm(0.25)))
        p.setBrush(QBrush(QColor("#ffffff")))
        for x in xs:
            p.drawEllipse(QPointF(x, y), radius, radius)
        p.restore()
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(QBrush(QColor(BARS)))

    def _mean_line(
        self,
        p: QPainter,
        rect: QRectF,
        stats: ChangeStats,
        y_of: Callable[[np.ndarray | float], np.ndarray],
    ) -> str:
        """Paints the mean and its CI band when there are enough sessions; returns the words."""
        mean = stats.mean
        if mean.value is None or mean.low is None or mean.high is None:
            return f"No mean is drawn: {stats.reason}."
        band_top, band_bottom = float(y_of(mean.high)), float(y_of(mean.low))
        band = QColor(BAND)
        band.setAlphaF(0.18)
        p.fillRect(QRectF(rect.left(), band_top, rect.width(), band_bottom - band_top), band)
        pen = QPen(QColor(INK), self.mm(0.4))
        pen.setStyle(Qt.PenStyle.DashLine)
        p.setPen(pen)
        at = float(y_of(mean.value))
        p.drawLine(QPointF(rect.left(), at), QPointF(rect.right(), at))
        return f"Mean change {change_text(mean)}."

    def _x_index_axis(self, p: QPainter, rect: QRectF, n: int) -> None:
        p.setFont(self.axis_font)
        p.setPen(QColor(MUTED))
        step = nice_step(n, 8)
        for k in [1, *range(step, n + 1, step)]:
            if k != 1 and k - 1 < step * 0.6:
                continue
            x = rect.left() + (k - 0.5) / n * rect.width()
            p.drawLine(QPointF(x, rect.bottom()), QPointF(x, rect.bottom() + self.mm(1)))
            p.drawText(
                QRectF(x - self.mm(8), rect.bottom() + self.mm(1.2), self.mm(16), self.mm(4)),
                int(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop),
                f"{k:,}",
            )

    def _exercise_plots(self, measure: str) -> list[Block]:
        """The mean change in ``measure`` ("pain" or "tension") for each exercise."""
        groups = self.content.analysis.by_exercise
        if not groups:
            return []
        caption = (
            f"Mean change in {measure} within sessions (after minus before) for each exercise, "
            f"with its 95% confidence interval and the number of sessions with both {measure} "
            "ratings (n). Left of 0 means lower after practice."
        )
        # One scale for pain and tension, so their plots can be compared by eye.
        shown = [
            mean for g in groups for mean in (g.pain.mean, g.tension.mean) if mean.value is not None
        ]
        ends = [0.0]
        for figure in shown:
            ends += [v for v in (figure.low, figure.high, figure.value) if v is not None]
        lo = math.floor(min(ends) - 0.1)
        hi = math.ceil(max(ends) + 0.1)
        lo, hi = min(lo, -1), max(hi, 1)
        blocks = []
        for start in range(0, len(groups), MAX_GROUP_ROWS):
            chunk = groups[start : start + MAX_GROUP_ROWS]
            blocks.append(
                self._exercise_plot(measure, chunk, caption if start == 0 else "", lo, hi)
            )
        return blocks

    def _exercise_plot(
        self, measure: str, rows: Sequence[GroupChange], caption: str, lo: int, hi: int
    ) -> Block:
        row_h = self.mm(6.5)
        title_h = self._title_height(caption) if caption else self.mm(2)
        height = title_h + len(rows) * row_h + self.mm(9)
        label_w = self.mm(64)
        plot_left = label_w + self.mm(2)
        plot_w = self.width - plot_left - self.mm(2)

        def x_of(value: float) -> float:
            return plot_left + (value - lo) / (hi - lo) * plot_w

        def paint(p: QPainter, y: float) -> None:
            top = y + (
                self._plot_title(p, y, f"{measure.capitalize()}: mean change by exercise", caption)
                if caption
                else self.mm(2)
            )
            rect = QRectF(plot_left, top, plot_w, len(rows) * row_h)
            for i in range(0, len(rows), 2):
                p.fillRect(QRectF(0, top + i * row_h, self.width, row_h), QColor(SHADE))
            p.setFont(self.axis_font)
            for v in range(lo, hi + 1):
                x = x_of(v)
                p.setPen(QPen(QColor(INK if v == 0 else RULE), self.mm(0.3 if v == 0 else 0.15)))
                p.drawLine(QPointF(x, rect.top()), QPointF(x, rect.bottom()))
                p.setPen(QColor(MUTED))
                p.drawText(
                    QRectF(x - self.mm(5), rect.bottom() + self.mm(1), self.mm(10), self.mm(4)),
                    int(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop),
                    signed(v, 0) if v else "0",
                )
            for i, group in enumerate(rows):
                mid = top + (i + 0.5) * row_h
                stats = group.tension if measure == "tension" else group.pain
                label = f"{group.label}  (n = {stats.n:,})"
                p.setFont(self.small_font)
                p.setPen(QColor(INK))
                p.drawText(
                    QRectF(self.mm(1), mid - row_h / 2, label_w - self.mm(1), row_h),
                    int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                    self.elide(self.small_font, label, label_w - self.mm(2)),
                )
                mean = stats.mean
                if mean.value is None or mean.low is None or mean.high is None:
                    # The reason on its row's own colour, over the grid lines.
                    reason = stats.reason
                    reason_w = self.metrics(self.small_italic).horizontalAdvance(reason)
                    box = QRectF(
                        plot_left + self.mm(1), mid - row_h / 2, reason_w + self.mm(2), row_h
                    )
                    p.fillRect(box, QColor(SHADE if i % 2 == 0 else "#ffffff"))
                    p.setFont(self.small_italic)
                    p.setPen(QColor(MUTED))
                    p.drawText(
                        box.adjusted(self.mm(1), 0, 0, 0),
                        int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                        reason,
                    )
                    continue
                p.setPen(QPen(QColor(ACCENT), self.mm(0.4)))
                p.drawLine(QPointF(x_of(mean.low), mid), QPointF(x_of(mean.high), mid))
                for end in (mean.low, mean.high):
                    p.drawLine(
                        QPointF(x_of(end), mid - self.mm(1)), QPointF(x_of(end), mid + self.mm(1))
                    )
                p.setPen(Qt.PenStyle.NoPen)
                p.setBrush(QBrush(QColor(ACCENT)))
                p.drawEllipse(QPointF(x_of(mean.value), mid), self.mm(0.9), self.mm(0.9))
            p.setFont(self.axis_font)
            p.setPen(QColor(MUTED))
            p.drawText(
                QRectF(plot_left, rect.bottom() + self.mm(4.5), plot_w, self.mm(4)),
                int(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop),
                f"mean change in {measure}, points (95% CI)",
            )

        return Block(height, paint)

    def _grid(
        self,
        p: QPainter,
        rect: QRectF,
        ticks: Sequence[tuple[int, str]],
        y_of: Callable[[np.ndarray | float], np.ndarray],
    ) -> None:
        p.setPen(QPen(QColor(RULE), self.mm(0.15)))
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.drawRect(rect)
        p.setFont(self.axis_font)
        for value, label in ticks:
            y = float(y_of(value))
            p.setPen(QPen(QColor(RULE), self.mm(0.15)))
            p.drawLine(QPointF(rect.left(), y), QPointF(rect.right(), y))
            p.setPen(QColor(MUTED))
            p.drawText(
                QRectF(rect.left() - self.mm(9), y - self.mm(2), self.mm(8), self.mm(4)),
                int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
                label,
            )

    def _note_in(self, p: QPainter, rect: QRectF, text: str) -> None:
        """A line of text in the middle of a plot, on white so grid lines do not cross it."""
        flags = int(Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap)
        used = self.metrics(self.small_italic).boundingRect(rect, flags, text)
        p.fillRect(
            used.adjusted(-self.mm(1.5), -self.mm(0.5), self.mm(1.5), self.mm(0.5)),
            Qt.GlobalColor.white,
        )
        p.setFont(self.small_italic)
        p.setPen(QColor(MUTED))
        p.drawText(rect, flags, text)

    def _legend(self, p: QPainter, y: float, items: Sequence[tuple[str, str]]) -> None:
        x = self.mm(12)
        mid = y + self.mm(2)
        p.setFont(self.small_font)
        for kind, text in items:
            if kind == "dot":
                p.setPen(Qt.PenStyle.NoPen)
                p.setBrush(QBrush(QColor(ACCENT)))
                p.drawEllipse(QPointF(x + self.mm(1), mid), self.mm(0.8), self.mm(0.8))
            elif kind == "ring":
                p.setPen(QPen(QColor(AFTER), self.mm(0.25)))
                p.setBrush(Qt.BrushStyle.NoBrush)
                p.drawEllipse(QPointF(x + self.mm(1), mid), self.mm(0.8), self.mm(0.8))
            else:
                p.setPen(QPen(QColor(INK), self.mm(0.35)))
                p.drawLine(QPointF(x - self.mm(1), mid), QPointF(x + self.mm(3), mid))
            p.setPen(QColor(INK))
            text_w = self.metrics(self.small_font).horizontalAdvance(text)
            p.drawText(
                QRectF(x + self.mm(4), y, text_w + self.mm(1), self.mm(4)),
                int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                text,
            )
            x += self.mm(4) + text_w + self.mm(7)


# -- helpers ---------------------------------------------------------------------------------------


def distinct_points(xs: np.ndarray, ys: np.ndarray, cell: float) -> list[tuple[float, float]]:
    """The points, with those that would land within ``cell`` of one another drawn once (20,000
    sessions make the same marks as a few thousand, in a fraction of the file)."""
    if xs.size == 0:
        return []
    keys = np.stack([np.round(xs / cell), np.round(ys / cell)], axis=1)
    _, first = np.unique(keys, axis=0, return_index=True)
    first.sort()
    return list(zip(xs[first].tolist(), ys[first].tolist(), strict=True))


def nice_step(span: float, max_ticks: int) -> int:
    """A whole-number tick step (1, 2, 5, 10, 20, 50...) giving at most ``max_ticks`` ticks."""
    step = 1
    while span / step > max_ticks:
        for factor in (2, 2.5, 2):
            step = int(step * factor)
            if span / step <= max_ticks:
                break
    return step


def day_ticks(first: int, last: int, max_ticks: int = 8) -> list[tuple[int, str]]:
    """Ticks for an axis of calendar days (ordinals): days, Mondays, month starts or years."""
    span = max(last - first, 6)
    lo, hi = (first + last) // 2 - span // 2 - 1, (first + last) // 2 + span // 2 + 1
    start, end = date.fromordinal(lo), date.fromordinal(hi)
    years = end.year != start.year
    for step in (1, 2):
        if span / step <= max_ticks:
            return [
                (d, short_day_text(date.fromordinal(d), year=years and k == 0))
                for k, d in enumerate(range(first, last + 1, step))
            ]
    for weeks in (1, 2, 4):
        if span / (7 * weeks) <= max_ticks:
            monday = lo + (7 - date.fromordinal(lo).weekday()) % 7
            return [
                (d, short_day_text(date.fromordinal(d), year=years and k == 0))
                for k, d in enumerate(range(monday, hi + 1, 7 * weeks))
            ]
    for months in (1, 2, 3, 6, 12, 24, 60, 120):
        if span / (30.4 * months) <= max_ticks:
            break
    ticks = []
    year, month = start.year, start.month
    while True:
        month += 1
        if month > 12:
            year, month = year + 1, 1
        day = date(year, month, 1)
        if day.toordinal() > hi:
            break
        index = (year * 12 + month - 1) % months
        if index == 0 and (months < 12 or month == 1):
            ticks.append((day.toordinal(), str(year) if months >= 12 else month_text(day)))
    return ticks
