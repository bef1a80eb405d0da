"""The history plots (pyqtgraph): ratings over time, change per session, change by exercise and
the practice calendar.

Each plot makes its items once and gives them new data with ``setData``/``setOpts``; tests read
them back with ``getData()``. Times on the x axes are seconds since 1970 (UTC), drawn in local
time by pyqtgraph's date axis. ``hover_row`` methods turn a point in the plot's coordinates into
the session (or day) under it, for the details line under the plots.

Colours come from the theme given to ``__init__``; ``recolour(theme)`` gives the same items
another theme's colours (the history screen calls it when the theme changes).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, tzinfo
from typing import Final, cast

import numpy as np
import pyqtgraph as pg
from pyqtgraph.graphicsItems.LegendItem import ItemSample
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF
from PySide6.QtWidgets import (
    QGraphicsGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QWidget,
)

from trainer.analysis.history import (
    RATING_COLUMNS,
    SKIPPED,
    Calendar,
    FloatArray,
    IntArray,
    SessionTable,
    changes,
    local_noon,
    rolling_mean,
)
from trainer.analysis.progress import Analysis, ChangeStats, GroupChange
from trainer.content.contrast import contrast_ratio
from ui.common.theme import Theme, mix

DAY_S = 86400.0
NEAR_PX = 12.0  # how close (in pixels) the pointer must be to a point to show its details
EXERCISE_MIN_PX: Final = 190  # the change-by-exercise plot, before its rows ask for more
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
# Calendar shades: no practice, then up to 5, 10, 20 and more minutes.
CALENDAR_STEPS_MIN = (5.0, 10.0, 20.0)


def calendar_colours(theme: Theme) -> tuple[str, ...]:
    """The calendar's shades, from no practice to the most: a faint square for a day without,
    then the accent from lighter to stronger. Every day with practice stands out from the plot's
    background by at least 3:1 (tests/ui/test_theme_contrast.py), and more practice always
    contrasts more: darker in the light theme, brighter in the dark ones."""
    return (
        mix(theme.accent, theme.surface, 0.85),
        mix(theme.accent, theme.surface, 0.3),
        theme.accent,
        mix(theme.accent, theme.text, 0.35),
        mix(theme.accent, theme.text, 0.7),
    )


def plot_colours(theme: Theme) -> dict[str, str]:
    """Every colour the plots draw lines, marks and bars with (checked for contrast against
    ``theme.surface``, their background)."""
    return {
        "before": theme.accent,  # filled dots
        "after": theme.pacer,  # rings
        "trend": theme.text,
        "lower": theme.accent,  # a rating lower after practice
        "higher": mix(theme.muted_text, theme.surface, 0.25),
        "mean": theme.text,
        "same": theme.text,  # a session with no change: a diamond on the zero line
        "zero": theme.muted_text,
        "pain": theme.accent,
        "tension": mix(theme.muted_text, theme.surface, 0.1),
        "axis": theme.muted_text,
        "axis_text": theme.text,
    }


class DayAxis(pg.AxisItem):
    """A time axis (seconds since 1970 UTC) labelled with days in ``tz``: "3 Nov", "10 Nov", or,
    when zoomed out, months ("Nov 2026"). One level of ticks, as far apart as a label is wide
    plus a gap, so labels never run together."""

    DAY_STEPS: Final = (1, 2, 7, 14)
    MONTH_STEPS: Final = (1, 2, 3, 6, 12, 24, 60)

    def __init__(self, tz: tzinfo) -> None:
        pg.AxisItem.__init__(self, "bottom")
        self.tz = tz

    def _label_px(self, sample: str) -> float:
        chosen = cast("dict[str, object]", self.__dict__["style"]).get("tickFont")
        metrics = QFontMetricsF(chosen if isinstance(chosen, QFont) else self.font())
        return metrics.horizontalAdvance(sample) + 2.0 * metrics.horizontalAdvance("M")

    def step(self, low: float, high: float, size: float) -> tuple[int, int]:
        """The spacing of the ticks for ``low`` to ``high`` across ``size`` pixels: (days, 0)
        or (0, months)."""
        if size <= 0 or high <= low:
            return 1, 0
        days_per_px = (high - low) / DAY_S / size
        need = self._label_px("30 Sep") * days_per_px
        for days in self.DAY_STEPS:
            if days >= need:
                return days, 0
        need = self._label_px("Sep 2026") * days_per_px
        for months in self.MONTH_STEPS:
            if months * 28 >= need:
                return 0, months
        return 0, self.MONTH_STEPS[-1]

    def tickValues(
        self, min_value: float, max_value: float, size: float
    ) -> list[tuple[float, list[float]]]:
        low, high = sorted((min_value, max_value))
        days, months = self.step(low, high, size)
        if high - low > 200 * 366 * DAY_S:
            return []
        first = datetime.fromtimestamp(low, self.tz).date()
        last = datetime.fromtimestamp(high, self.tz).date()
        ticks: list[date] = []
        if days:
            day = first
            while day <= last:
                if (day.toordinal() - 1) % days == 0:  # day 1 (1 Jan of year 1) is a Monday
                    ticks.append(day)
                day += timedelta(days=1)
        else:
            index = first.year * 12 + first.month - 1
            while True:
                year, month = divmod(index, 12)
                day = date(year, month + 1, 1)
                if day > last:
                    break
                every = month % months == 0 if months <= 12 else month == 0 == year % (months // 12)
                if every:
                    ticks.append(day)
                index += 1
        stamps = [datetime(d.year, d.month, d.day, tzinfo=self.tz).timestamp() for d in ticks]
        spacing = (days or 30 * months) * DAY_S
        return [(spacing, [t for t in stamps if low <= t <= high])]

    def tickStrings(self, values: list[float], scale: float, spacing: float) -> list[str]:
        months = spacing > 20 * DAY_S
        strings = []
        for value in values:
            day = datetime.fromtimestamp(value, self.tz).date()
            strings.append(
                f"{day.strftime('%b')} {day.year}" if months else f"{day.day} {day.strftime('%b')}"
            )
        return strings


def _plot(theme: Theme, *, dates: bool, name: str, tz: tzinfo = UTC) -> pg.PlotWidget:
    axes = {"bottom": DayAxis(tz)} if dates else {}
    widget = pg.PlotWidget(background=theme.surface, axisItems=axes)
    widget.setAccessibleName(name)
    item = widget.getPlotItem()
    item.setMenuEnabled(False)
    item.hideButtons()
    _colour_plot(widget, theme)
    item.showGrid(x=False, y=True, alpha=0.25)
    return widget


def _colour_plot(widget: pg.PlotWidget, theme: Theme) -> None:
    """The background, axes, axis labels and legend (if any) in ``theme``'s colours."""
    widget.setBackground(theme.surface)
    item = widget.getPlotItem()
    for side in ("left", "bottom"):
        axis = item.getAxis(side)
        axis.setPen(pg.mkPen(theme.muted_text))
        axis.setTextPen(pg.mkPen(theme.text))
    legend = item.legend
    if legend is not None:
        legend.setBrush(pg.mkBrush(QColor(theme.surface)))
        legend.setLabelTextColor(theme.text)
        for _sample, label in legend.items:
            label.setText(label.text)  # the labels' colour is applied when their text is set


def _translucent(colour: str, alpha: int) -> QColor:
    see_through = QColor(colour)
    see_through.setAlpha(alpha)
    return see_through


class _StillSample(ItemSample):
    """A legend sample that only shows: clicking it does not hide the item it stands for."""

    def mouseClickEvent(self, event: object) -> None:
        return


class _KeyRow(pg.LegendItem):
    """A legend that cannot be dragged onto the data."""

    def __init__(self, **options: object) -> None:
        pg.LegendItem.__init__(self, **options)

    def mouseDragEvent(self, ev: object) -> None:
        return


def _legend(widget: pg.PlotWidget, theme: Theme) -> pg.LegendItem:
    """A legend in a row of its own above the plot area, never over the data: it takes the
    title's place in the plot's layout, and items made with ``name=`` join it."""
    size = f"{widget.font().pointSizeF():g}pt"  # the system's text size, not pyqtgraph's 9 pt
    item = widget.getPlotItem()
    legend = _KeyRow(
        offset=None,
        labelTextColor=theme.text,
        labelTextSize=size,
        colCount=6,
        frame=False,
        horSpacing=6,
        sampleType=_StillSample,
    )
    _grid(legend).setContentsMargins(0, 2, 0, 2)
    legend.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
    item.layout.removeItem(item.titleLabel)
    item.titleLabel.hide()
    item.layout.addItem(legend, 0, 1)
    item.layout.setAlignment(legend, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
    item.legend = legend
    return legend


def _space_legend(legend: pg.LegendItem) -> None:
    """Room between one entry of a legend and the next (after its entries are added)."""
    grid = _grid(legend)
    for column in range(1, grid.columnCount() - 1, 2):
        grid.setColumnSpacing(column, 18)


def _grid(legend: pg.LegendItem) -> QGraphicsGridLayout:
    """A legend's own grid of samples and labels (pyqtgraph names it ``layout``)."""
    return cast(QGraphicsGridLayout, legend.layout)


def nearest(xs: FloatArray, x: float, tolerance: float) -> int | None:
    """The index of the sorted ``xs`` nearest to ``x`` if within ``tolerance``."""
    if xs.size == 0:
        return None
    i = int(np.searchsorted(xs, x))
    best = min((j for j in (i - 1, i) if 0 <= j < xs.size), key=lambda j: abs(xs[j] - x))
    return best if abs(xs[best] - x) <= tolerance else None


class RatingsPlot:
    """One rating (pain or tension) over time: before and after each session, and the 7-day
    mean of before-ratings as the trend line."""

    def __init__(self, measure: str, theme: Theme, tz: tzinfo = UTC) -> None:
        self.measure = measure
        self.widget = _plot(
            theme, dates=True, name=f"{measure.capitalize()} ratings over time", tz=tz
        )
        item = self.widget.getPlotItem()
        item.setLabel("left", f"{measure.capitalize()} (0–10)")
        item.setYRange(-0.5, 10.5, padding=0)
        item.setLimits(yMin=-1, yMax=11)
        item.setMouseEnabled(x=True, y=False)
        item.getAxis("left").setTicks([[(v, str(v)) for v in range(0, 11, 2)]])
        self.legend = _legend(self.widget, theme)
        self.before = item.plot(
            [], [], pen=None, symbol="o", symbolSize=7, symbolPen=None, name="Before practice"
        )
        self.after = item.plot(
            [], [], pen=None, symbol="o", symbolSize=7, symbolBrush=None, name="After practice"
        )
        self.trend = item.plot([], [], name="Before, 7-day average")
        _space_legend(self.legend)
        self.recolour(theme)
        self.trend.setDownsampling(auto=True, method="peak")
        self.trend.setClipToView(True)
        self._stamps = np.zeros(0)
        self._drawn: tuple[float, float, int, int] | None = None
        self._points = {"before": (np.zeros(0), np.zeros(0)), "after": (np.zeros(0), np.zeros(0))}
        item.getViewBox().sigXRangeChanged.connect(self._draw_points)

    def recolour(self, theme: Theme) -> None:
        """Draw the same items in ``theme``'s colours."""
        colours = plot_colours(theme)
        _colour_plot(self.widget, theme)
        self.before.setSymbolBrush(pg.mkBrush(colours["before"]))
        self.after.setSymbolPen(pg.mkPen(colours["after"], width=1.5))
        self.trend.setPen(pg.mkPen(colours["trend"], width=2))

    def update(self, table: SessionTable, days: IntArray, tz: tzinfo) -> None:
        """Show ``table``'s sessions (with their local ``days``)."""
        before_col, after_col = RATING_COLUMNS[self.measure]
        before, after = table.ratings[:, before_col], table.ratings[:, after_col]
        has_before, has_after = before != SKIPPED, after != SKIPPED
        self._points = {
            "before": (table.stamps[has_before], before[has_before].astype(float)),
            "after": (table.stamps[has_after], after[has_after].astype(float)),
        }
        self._stamps = table.stamps
        trend_days, means = rolling_mean(days, before)
        self.trend.setData(local_noon(trend_days, tz), means, connect=_gaps(trend_days))
        _fit_x(self.widget, table.stamps)
        self._draw_points()

    def _draw_points(self) -> None:
        """Give the dots to draw: one per rating per sliver of the visible time (a third of the
        plot's width in pixels); thousands of sessions thus draw fast and look the same."""
        (low, high), _ = self.widget.getPlotItem().getViewBox().viewRange()
        slivers = max(200, self.widget.width() // 3)
        key = (low, high, slivers, id(self._points))
        if key == self._drawn:
            return
        self._drawn = key
        for name, curve in (("before", self.before), ("after", self.after)):
            x, y = self._points[name]
            curve.setData(*thin_out(x, y, low, high, slivers))

    def hover_row(self, x: float, pixel_s: float) -> int | None:
        """The session nearest to time ``x`` (within a few pixels of ``pixel_s`` seconds each)."""
        return nearest(self._stamps, x, NEAR_PX * pixel_s)


def thin_out(
    x: FloatArray, y: FloatArray, low: float, high: float, slivers: int
) -> tuple[FloatArray, FloatArray]:
    """The points with ``low <= x <= high``, keeping one per value of ``y`` in each of
    ``slivers`` equal slices of that span (the first in time)."""
    inside = np.flatnonzero((x >= low) & (x <= high))
    if inside.size <= slivers or high <= low:
        return x[inside], y[inside]
    sliver = np.floor((x[inside] - low) / (high - low) * slivers).astype(np.int64)
    key = sliver * 64 + np.round(y[inside]).astype(np.int64)
    _, first = np.unique(key, return_index=True)
    keep = inside[np.sort(first)]
    return x[keep], y[keep]


def _gaps(days: IntArray) -> IntArray:
    """Connect consecutive trend points unless a week or more lies between them."""
    if days.size == 0:
        return np.zeros(0, dtype=np.int64)
    return np.append(np.diff(days) < 7, False).astype(np.int64)


def _fit_x(widget: pg.PlotWidget, stamps: FloatArray) -> None:
    if stamps.size:
        low, high = float(stamps.min()), float(stamps.max())
        pad = max(DAY_S, 0.03 * (high - low))
        widget.getPlotItem().setXRange(low - pad, high + pad, padding=0)


class ChangePlot:
    """Change in one rating per session (after minus before) as bars, with the mean change and
    its 95% confidence band. Bars below zero (lower after practice) are drawn in the accent; a
    session with no change gets a diamond on the zero line (a bar of height 0 would not show)."""

    def __init__(self, measure: str, theme: Theme, tz: tzinfo = UTC) -> None:
        self.measure = measure
        self.widget = _plot(theme, dates=True, name=f"Change in {measure} per session", tz=tz)
        item = self.widget.getPlotItem()
        item.setLabel("left", f"{measure.capitalize()} change")
        item.setMouseEnabled(x=True, y=False)
        self.lower = pg.BarGraphItem(x=[], height=[], width=1, pen=None)
        self.higher = pg.BarGraphItem(x=[], height=[], width=1, pen=None)
        self.band = pg.LinearRegionItem(
            values=(0, 0), orientation="horizontal", movable=False, pen=pg.mkPen(None)
        )
        self.band.setZValue(-10)
        self.mean = pg.InfiniteLine(angle=0, movable=False)
        self.zero = pg.InfiniteLine(angle=0, movable=False)
        # A plain scatter: set once per update, not redone at every change of the view's range.
        self.same = pg.ScatterPlotItem([], [], symbol="d", size=11, pen=None)
        self.legend = _legend(self.widget, theme)
        # Samples for the legend only: the mean line and the band are drawn by their own items.
        self.mean_sample = pg.PlotDataItem([], [])
        self.band_sample = pg.BarGraphItem(x=[], height=[], width=1, pen=None)
        for part in (self.band, self.zero, self.mean):
            item.addItem(part)
        for bar, words in ((self.lower, "Lower after"), (self.higher, "Higher after")):
            item.addItem(bar)
            self.legend.addItem(bar, words)
        item.addItem(self.same)
        self.legend.addItem(self.same, "No change")
        self.legend.addItem(self.mean_sample, "Average")
        self.legend.addItem(self.band_sample, "Its 95% interval")
        _space_legend(self.legend)
        self._stamps = np.zeros(0)
        self._rows = np.zeros(0, dtype=np.int64)
        self.recolour(theme)

    def recolour(self, theme: Theme) -> None:
        """Draw the same items in ``theme``'s colours."""
        colours = plot_colours(theme)
        _colour_plot(self.widget, theme)
        self.lower.setOpts(brush=pg.mkBrush(colours["lower"]))
        self.higher.setOpts(brush=pg.mkBrush(colours["higher"]))
        # The confidence band is an area behind the bars (its bounds are in the caption): the
        # accent at low opacity reads on light and dark backgrounds.
        self.band.setBrush(pg.mkBrush(_translucent(theme.accent, 80)))
        self.band.update()
        self.band_sample.setOpts(brush=pg.mkBrush(_translucent(theme.accent, 80)))
        mean_pen = pg.mkPen(colours["mean"], width=2, style=Qt.PenStyle.DashLine)
        self.mean.setPen(mean_pen)
        self.mean_sample.setPen(mean_pen)
        self.zero.setPen(pg.mkPen(colours["zero"]))
        self.same.setBrush(pg.mkBrush(colours["same"]))
        self.legend.update()

    def update(self, table: SessionTable, stats: ChangeStats) -> None:
        """Bars for ``table``'s sessions with both ratings; the mean and band from ``stats``."""
        rows, change = changes(table, self.measure)
        stamps = table.stamps[rows]
        width = _bar_width(stamps)
        down, up = change < 0, change > 0
        self.lower.setOpts(x=stamps[down], height=change[down], width=width)
        self.higher.setOpts(x=stamps[up], height=change[up], width=width)
        same = change == 0
        self.same.setData(x=stamps[same], y=change[same])
        figure = stats.mean
        shown = figure.value is not None and figure.low is not None and figure.high is not None
        self.mean.setVisible(shown)
        self.band.setVisible(shown)
        if shown:
            assert figure.value is not None
            assert figure.low is not None
            assert figure.high is not None
            self.mean.setValue(figure.value)
            self.band.setRegion((figure.low, figure.high))
        self._stamps, self._rows = stamps, rows
        span = max(2.0, float(np.abs(change).max()) + 0.5) if change.size else 2.0
        self.widget.getPlotItem().setYRange(-span, span, padding=0)
        _fit_x(self.widget, stamps)

    def bars(self) -> tuple[FloatArray, FloatArray]:
        """Every bar's time and height, in time order (for tests and the report)."""
        xs, heights = [], []
        for bar in (self.lower, self.higher):
            xs.append(np.asarray(bar.opts["x"], dtype=float))
            heights.append(np.asarray(bar.opts["height"], dtype=float))
        same_x, same_y = self.same.getData()
        if same_x is not None and same_y is not None:
            xs.append(np.asarray(same_x, dtype=float))
            heights.append(np.asarray(same_y, dtype=float))
        x, h = np.concatenate(xs), np.concatenate(heights)
        order = np.argsort(x, kind="stable")
        return x[order], h[order]

    def hover_row(self, x: float, pixel_s: float) -> int | None:
        """The session (a row of the table given to :meth:`update`) of the bar nearest ``x``."""
        found = nearest(self._stamps, x, NEAR_PX * pixel_s)
        return None if found is None else int(self._rows[found])


def _bar_width(stamps: FloatArray) -> float:
    """Most of a day for a few sessions; thinner when sessions are closer together."""
    if stamps.size < 2:
        return 0.6 * DAY_S
    gaps = np.diff(stamps)
    gaps = gaps[gaps > 0]
    typical = float(np.median(gaps)) if gaps.size else DAY_S
    return max(60.0, min(0.6 * DAY_S, 0.8 * typical))


class ExercisePlot:
    """Mean change in pain and in tension per exercise, with 95% CIs and the number of
    sessions; exercises with too few sessions are listed without a figure."""

    def __init__(self, theme: Theme) -> None:
        self.widget = _plot(theme, dates=False, name="Change by exercise")
        item = self.widget.getPlotItem()
        item.setLabel("bottom", "Mean change, after - before (95% CI)")
        item.showGrid(x=True, y=False, alpha=0.25)
        item.setMouseEnabled(x=False, y=False)
        item.getViewBox().invertY(True)
        self.legend = _legend(self.widget, theme)
        self.zero = pg.InfiniteLine(angle=90, movable=False)
        item.addItem(self.zero)
        self.whiskers: dict[str, pg.ErrorBarItem] = {}
        self.means: dict[str, pg.PlotDataItem] = {}
        for measure, symbol in (("pain", "o"), ("tension", "s")):
            whisker = pg.ErrorBarItem(x=np.zeros(0), y=np.zeros(0))
            item.addItem(whisker)
            self.whiskers[measure] = whisker
            self.means[measure] = item.plot(
                [],
                [],
                pen=None,
                symbol=symbol,
                symbolSize=10,
                symbolPen=None,
                name=measure.capitalize(),
            )
        _space_legend(self.legend)
        self.groups: tuple[GroupChange, ...] = ()
        self.recolour(theme)

    def recolour(self, theme: Theme) -> None:
        """Draw the same items in ``theme``'s colours."""
        colours = plot_colours(theme)
        _colour_plot(self.widget, theme)
        self.zero.setPen(pg.mkPen(colours["zero"]))
        for measure in ("pain", "tension"):
            self.whiskers[measure].setData(pen=pg.mkPen(colours[measure], width=2))
            self.means[measure].setSymbolBrush(pg.mkBrush(colours[measure]))

    def update(self, analysis: Analysis) -> None:
        """Show ``analysis.by_exercise`` (most practised at the top)."""
        self.groups = analysis.by_exercise
        ticks = []
        for i, group in enumerate(self.groups):
            enough = group.pain.enough or group.tension.enough
            note = "" if enough else ", not enough yet"
            ticks.append((float(i), f"{group.label} (n = {group.n_sessions}{note})"))
        self.widget.getPlotItem().getAxis("left").setTicks([ticks])
        for offset, measure in ((-0.12, "pain"), (0.12, "tension")):
            ys, xs, lows, highs = [], [], [], []
            for i, group in enumerate(self.groups):
                mean = group.pain.mean if measure == "pain" else group.tension.mean
                if mean.value is None or mean.low is None or mean.high is None:
                    continue
                ys.append(i + offset)
                xs.append(mean.value)
                lows.append(mean.value - mean.low)
                highs.append(mean.high - mean.value)
            y, x = np.array(ys, dtype=float), np.array(xs, dtype=float)
            self.means[measure].setData(x, y)
            self.whiskers[measure].setData(
                x=x, y=y, left=np.array(lows), right=np.array(highs), beam=0.15
            )
        item = self.widget.getPlotItem()
        item.setYRange(-0.6, max(len(self.groups), 1) - 0.4, padding=0)
        # A row per exercise, tall enough for its name and two marks; the page scrolls if need be.
        row_px = 2 * self.widget.fontMetrics().height()
        self.widget.setMinimumHeight(max(EXERCISE_MIN_PX, row_px * len(self.groups) + 90))
        reach = [
            abs(v)
            for g in self.groups
            for f in (g.pain.mean, g.tension.mean)
            for v in (f.low, f.high)
            if v is not None
        ]
        span = max([1.0, *reach]) + 0.3
        item.setXRange(-span, span, padding=0)

    def hover_row(self, y: float) -> GroupChange | None:
        """The exercise on the row nearest ``y``."""
        i = round(y)
        return self.groups[i] if 0 <= i < len(self.groups) else None


CALENDAR_KEY: Final = ("No practice", "Up to 5 min", "5–10 min", "10–20 min", "Over 20 min")
MIN_CELL_PX: Final = 34
PAGE_WEEKS: Final = 26  # half a year of the calendar at a time: the days stay big enough to read


class CalendarPlot:
    """Minutes practised per day as squares (weeks left to right, Monday at the top), each with
    its day of the month; only the days of the period shown are drawn.

    A long period is shown a page of :data:`PAGE_WEEKS` weeks at a time, the latest first, with
    Earlier and Later buttons (in ``pager``). ``key`` is a row of swatches saying what each
    shade means; ``view`` (the plot, ``widget``) goes below it."""

    def __init__(self, theme: Theme) -> None:
        self.widget = _plot(theme, dates=False, name="Practice calendar")
        item = self.widget.getPlotItem()
        item.setMouseEnabled(x=False, y=False)
        item.showGrid(x=False, y=False)
        item.getViewBox().invertY(True)
        item.getViewBox().setAspectLocked(True)
        item.getAxis("left").setTicks([[(i + 0.5, name) for i, name in enumerate(WEEKDAYS)]])
        self.widget.setMinimumHeight(int(MIN_CELL_PX * 5))  # shorter still: the squares shrink
        self.image = pg.ImageItem(axisOrder="col-major")
        item.addItem(self.image)
        self.numbers: list[pg.TextItem] = []  # made as needed (a page at most), then reused
        self.earlier = QPushButton("◀ Earlier")
        self.earlier.setAccessibleName("Earlier weeks")
        self.earlier.clicked.connect(lambda: self.turn(-1))
        self.later = QPushButton("Later ▶")
        self.later.setAccessibleName("Later weeks")
        self.later.clicked.connect(lambda: self.turn(1))
        self.page_label = QLabel()
        self.view = self.widget  # what the page shows below the key
        self.key = QWidget()
        self.key.setAccessibleName("What the colours mean")
        self.key.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        row = QHBoxLayout(self.key)
        row.setContentsMargins(0, 0, 0, 0)
        self.swatches: list[QLabel] = []
        for text in CALENDAR_KEY:
            swatch = QLabel()
            swatch.setFixedSize(16, 16)
            swatch.setAccessibleName(text)
            row.addWidget(swatch)
            row.addWidget(QLabel(text))
            row.addSpacing(12)
            self.swatches.append(swatch)
        row.addStretch(1)
        self.pager = QWidget()  # the page buttons and which months the page shows
        self.pager.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        turns = QHBoxLayout(self.pager)
        turns.setContentsMargins(0, 0, 0, 0)
        for part in (self.earlier, self.page_label, self.later):
            turns.addWidget(part)
        self._shades = np.zeros((5, 4), dtype=np.uint8)
        self._ink: tuple[str, ...] = ()
        self.calendar: Calendar | None = None
        self.end_week = 0  # the page shown ends before this week of the calendar
        self.recolour(theme)

    def recolour(self, theme: Theme) -> None:
        """Draw the same calendar in ``theme``'s colours."""
        _colour_plot(self.widget, theme)
        shades = calendar_colours(theme)
        self._shades = np.array([QColor(colour).getRgb() for colour in shades], dtype=np.uint8)
        # Day numbers in whichever of the text and background colours reads best on the shade.
        self._ink = tuple(
            theme.text
            if contrast_ratio(theme.text, shade) >= contrast_ratio(theme.surface, shade)
            else theme.surface
            for shade in shades
        )
        for swatch, colour in zip(self.swatches, shades, strict=True):
            swatch.setStyleSheet(
                f"background: {colour}; border: 1px solid {theme.muted_text}; border-radius: 2px"
            )
        if self.calendar is not None:
            self._draw_page()

    def levels(self, minutes: FloatArray) -> IntArray:
        """The shade (0 = no practice ... 4 = the most) of minutes per day."""
        level = np.searchsorted(np.array(CALENDAR_STEPS_MIN), np.nan_to_num(minutes), "left")
        found: IntArray = np.where(np.nan_to_num(minutes) > 0, level + 1, 0).astype(np.int64)
        return found

    def shades(self, minutes: FloatArray) -> np.ndarray:
        """RGBA colours for minutes per day (NaN, a day outside the period or still to come, is
        transparent)."""
        rgba = self._shades[self.levels(minutes)]
        rgba[np.isnan(minutes)] = (0, 0, 0, 0)
        return rgba

    def update(self, calendar: Calendar) -> None:
        """Show ``calendar``, from its latest page."""
        self.calendar = calendar
        self.end_week = calendar.minutes.shape[0]
        self._draw_page()

    def page(self) -> tuple[int, int]:
        """The weeks of the calendar on the page shown: ``range(*page())``."""
        return max(0, self.end_week - PAGE_WEEKS), self.end_week

    def turn(self, pages: int) -> None:
        """Show the page ``pages`` earlier (negative) or later (positive), if there is one.
        Pages are counted back from the latest, so only the earliest may be shorter."""
        if self.calendar is None:
            return
        end = self.end_week + pages * PAGE_WEEKS
        if 0 < end <= self.calendar.minutes.shape[0]:
            self.end_week = end
            self._draw_page()

    def _draw_page(self) -> None:
        calendar = self.calendar
        assert calendar is not None
        start, stop = self.page()
        weeks = stop - start
        self.image.setImage(
            self.shades(calendar.minutes[start:stop]), autoLevels=False, levels=(0, 255)
        )
        ticks: list[tuple[float, str]] = []
        for week in range(weeks):
            days = [calendar.day(start + week, d) for d in range(7)]
            firsts = [d for d in days if d.day == 1 and calendar.first_day <= d]
            if firsts:
                month = firsts[0]
            elif week == 0 and not any(  # the page's first month, unless another starts soon
                calendar.day(start + w, 6).day <= 7 for w in range(1, min(3, weeks))
            ):  # (a week holds a month's 1st when its Sunday is one of the month's first 7 days)
                month = max(days[0], calendar.first_day)
            else:
                continue
            year = f" {month.year}" if not ticks or month.month == 1 else ""
            ticks.append((week + 0.5, f"{month.strftime('%b')}{year}"))
        self.widget.getPlotItem().getAxis("bottom").setTicks([ticks])
        self._number_days(calendar, start, stop)
        total = calendar.minutes.shape[0]
        wide = max(weeks, min(total, PAGE_WEEKS))  # a short earliest page keeps the squares' size
        self.widget.getPlotItem().setRange(xRange=(0, wide), yRange=(0, 7), padding=0.02)
        paged = total > PAGE_WEEKS
        self.pager.setVisible(paged)
        self.earlier.setEnabled(start > 0)
        self.later.setEnabled(stop < calendar.minutes.shape[0])
        shown_first = max(calendar.day(start, 0), calendar.first_day)
        shown_last = min(calendar.day(stop - 1, 6), calendar.last_day)
        same_year = shown_first.year == shown_last.year
        self.page_label.setText(
            f"{shown_first:%b}{'' if same_year else f' {shown_first.year}'} to {shown_last:%b %Y}"
        )
        self.pager.setMinimumWidth(self.pager.sizeHint().width())  # the row makes room for it

    def _number_days(self, calendar: Calendar, start: int, stop: int) -> None:
        """Each day of the period on the page gets its number in its square."""
        levels = self.levels(calendar.minutes)
        shown = [
            (week, weekday)
            for week in range(start, stop)
            for weekday in range(7)
            if calendar.shown(week, weekday)
        ]
        item = self.widget.getPlotItem()
        while len(self.numbers) < len(shown):
            number = pg.TextItem(anchor=(0.5, 0.5))
            item.addItem(number)
            self.numbers.append(number)
        for number, (week, weekday) in zip(self.numbers, shown, strict=False):
            ink = self._ink[levels[week, weekday]]
            number.setText(str(calendar.day(week, weekday).day), color=ink)
            number.setPos(week - start + 0.5, weekday + 0.5)
            number.setVisible(True)
        for number in self.numbers[len(shown) :]:
            number.setVisible(False)

    def day_numbers(self) -> list[tuple[float, float, str]]:
        """The day numbers drawn on the page: (x, y, text) of each (for tests)."""
        return [
            (n.pos().x(), n.pos().y(), n.textItem.toPlainText())
            for n in self.numbers
            if n.isVisible()
        ]

    def hover_day(self, x: float, y: float) -> tuple[date, float] | None:
        """The day under (``x``, ``y``) of the page and its minutes; ``None`` off the period's
        days or in the future."""
        calendar = self.calendar
        if calendar is None or x < 0 or y < 0:
            return None
        start, stop = self.page()
        week, weekday = start + int(x), int(y)
        if week >= stop or weekday >= 7:
            return None
        minutes = float(calendar.minutes[week, weekday])
        if np.isnan(minutes):
            return None
        return calendar.day(week, weekday), minutes
