"""The history's plots show every datum: legends beside the data, never over it; the calendar
shows exactly the period chosen; date ticks that can be read; a zero change that can be seen;
and a warm line at the top about the practice so far."""

from __future__ import annotations

import itertools
import re
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pyqtgraph as pg
import pytest
from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtWidgets import QLabel

from tests.ui.test_history import new
from trainer.analysis.history import changes
from trainer.analysis.progress import MIN_SESSIONS_CHANGE
from trainer.app.profile import ProfileInUse
from trainer.content.catalog import load_catalog
from trainer.store.sessions import NewSession
from trainer.store.store import Store
from ui.history.plots import PAGE_WEEKS
from ui.history.screen import CALENDAR_TAB, HistoryScreen

TODAY = date(2026, 3, 31)
# Worst days included: pain and tension 10, 9 and 8 before practice, from the first day on.
HARD_DAYS = [
    new(
        day,
        (10 - day % 3, 9 - day % 4),
        (10 - day % 2, 8 - day % 3),
        exercise="coherent" if day % 3 == 0 else "box",
    )
    for day in range(0, 29, 2)
]


def screen_of(qtbot, store: Store, sessions: list[NewSession], size: tuple[int, int]):
    store.sessions.add(store.profiles.default_id(), sessions)
    profile = ProfileInUse(store, store.profiles.default_id(), load_catalog())
    screen = HistoryScreen(profile, tz=UTC, today=lambda: TODAY)
    qtbot.addWidget(screen)
    screen.resize(*size)
    screen.show()
    qtbot.waitExposed(screen)
    screen.reload()
    return screen


def show_tab_of(screen: HistoryScreen, widget: pg.PlotWidget) -> None:
    """Show the tab that holds ``widget``."""
    for index in range(screen.tabs.count()):
        if screen.tabs.widget(index).isAncestorOf(widget):
            screen.tabs.setCurrentIndex(index)
            return
    raise AssertionError(f"no tab holds {widget.accessibleName()}")


def _marks_in_scene(widget: pg.PlotWidget, items: list[pg.GraphicsObject]) -> list[QRectF]:
    """Each drawn mark (a dot, a whisker's end) as a small rectangle in scene coordinates."""
    view = widget.getPlotItem().getViewBox()
    rects = []
    for item in items:
        if isinstance(item, pg.ErrorBarItem):
            x, y = item.opts["x"], item.opts["y"]
            ends = [
                (x - item.opts["left"], y),
                (x + item.opts["right"], y),
            ]
            points = [(a, b) for xs, ys in ends for a, b in zip(xs, ys, strict=True)]
            size = 4.0
        else:
            xs, ys = item.getData()
            points = list(zip(xs.tolist(), ys.tolist(), strict=True))
            size = float(item.opts["symbolSize"]) if item.opts["symbol"] else 2.0  # a line
        for x, y in points:
            centre = view.mapViewToScene(QPointF(float(x), float(y)))
            rects.append(QRectF(centre.x() - size / 2, centre.y() - size / 2, size, size))
    assert rects, "nothing drawn: the test would prove nothing"
    return rects


@pytest.mark.parametrize("size", [(700, 520), (1024, 600), (1920, 1080)])
def test_no_datum_lies_under_a_legend(qtbot, store: Store, size: tuple[int, int]) -> None:
    screen = screen_of(qtbot, store, HARD_DAYS, size)
    screen.update_all_plots()
    for index in range(screen.tabs.count()):  # lay every page out at this size
        screen.tabs.setCurrentIndex(index)
        qtbot.wait(1)
    checked = 0
    plots: list[tuple[pg.PlotWidget, list[pg.GraphicsObject]]] = [
        (plot.widget, [plot.before, plot.after, plot.trend])
        for plot in screen.ratings_plots.values()
    ]
    exercise = screen.exercise_plot
    plots.append((exercise.widget, [*exercise.means.values(), *exercise.whiskers.values()]))
    for widget, items in plots:
        show_tab_of(screen, widget)
        qtbot.wait(1)
        legend = widget.getPlotItem().legend
        assert legend is not None
        assert legend.isVisible()
        assert legend.items
        key = legend.sceneBoundingRect()
        assert key.width() > 0
        for mark in _marks_in_scene(widget, items):
            assert not key.intersects(mark), (widget.accessibleName(), size, mark, key)
            checked += 1
        # Nor any part of the plot area: a datum added later cannot hide under it either.
        area = widget.getPlotItem().getViewBox().sceneBoundingRect()
        assert not key.intersects(area)
    assert checked > 4 * len(HARD_DAYS)


def _spread(count: int, first: date, every: tuple[int, ...]) -> list[NewSession]:
    """Sessions on ``count`` distinct days from ``first`` (a pattern of gaps), two on some."""
    sessions, day, k = [], first, 0
    start = datetime.combine(first, datetime.min.time(), UTC) + timedelta(hours=9)
    while len(sessions) < count:
        offset = (day - first).days
        sessions.append(new(0, (6, 5)))
        at = start + timedelta(days=offset)
        sessions[-1] = replace(sessions[-1], started_at=at, ended_at=at + timedelta(minutes=5))
        day += timedelta(days=every[k % len(every)])
        k += 1
    return sessions


def _drawn_days(screen: HistoryScreen) -> list[date]:
    calendar = screen.calendar_plot.calendar
    assert calendar is not None
    start, stop = screen.calendar_plot.page()
    alpha = screen.calendar_plot.image.image[..., 3]
    assert alpha.shape == (stop - start, 7)
    return [
        calendar.day(start + w, d) for w in range(stop - start) for d in range(7) if alpha[w, d] > 0
    ]


def test_the_calendar_shows_exactly_the_period_filtered(qtbot, store: Store) -> None:
    first = date(2026, 1, 2)  # a Friday: the old calendar began on a Monday and lost days
    sessions = _spread(47, first, (1, 1, 2, 1, 3))
    sessions.append(replace(sessions[5], started_at=sessions[5].started_at + timedelta(hours=8)))
    screen = screen_of(qtbot, store, sessions, (1024, 600))
    practised = {s.started_at.date() for s in sessions}
    assert len(practised) == 47
    # All time: from the first session's day to today, every day of it, and 47 said.
    screen.update_all_plots()
    assert screen.calendar_period() == (first, TODAY)
    drawn = _drawn_days(screen)
    assert drawn == [first + timedelta(days=k) for k in range((TODAY - first).days + 1)]
    span = (TODAY - first).days + 1
    assert screen.calendar_count.text() == f"You practised on 47 of these {span} days."
    # Every day drawn has its number in its square; nothing else is numbered.
    calendar = screen.calendar_plot.calendar
    numbers = screen.calendar_plot.day_numbers()
    assert len(numbers) == len(drawn)
    for x, y, text in numbers:
        day = calendar.day(int(x), int(y))
        assert (x % 1, y % 1) == (0.5, 0.5)
        assert text == str(day.day)
    # The last 30 days: those days only, and the days practised among them.
    screen.set_period("Last 30 days")
    screen.update_all_plots()
    month = [TODAY - timedelta(days=k) for k in range(29, -1, -1)]
    assert _drawn_days(screen) == month
    inside = len(practised & set(month))
    assert 0 < inside < 47
    assert screen.calendar_count.text() == f"You practised on {inside} of these 30 days."
    # Chosen dates: exactly those.
    screen.set_dates(date(2026, 1, 7), date(2026, 1, 20))
    screen.update_all_plots()
    chosen = [date(2026, 1, 7) + timedelta(days=k) for k in range(14)]
    assert _drawn_days(screen) == chosen
    inside = len(practised & set(chosen))
    assert screen.calendar_count.text() == f"You practised on {inside} of these 14 days."


def test_a_long_calendar_turns_pages_and_has_a_key(qtbot, store: Store) -> None:
    year = [new(-400 + 3 * k, (5, 4)) for k in range(140)]
    screen = screen_of(qtbot, store, year, (1024, 600))
    screen.tabs.setCurrentIndex(CALENDAR_TAB)
    qtbot.wait(1)
    plot = screen.calendar_plot
    calendar = plot.calendar
    assert calendar is not None
    weeks = calendar.minutes.shape[0]
    assert weeks > 53  # more than a year of weeks
    # The latest half year first; the earlier pages, then back, cover every week once.
    assert plot.page() == (weeks - PAGE_WEEKS, weeks)
    assert plot.earlier.isVisible()
    page_start = calendar.day(weeks - PAGE_WEEKS, 0)
    assert page_start.year < TODAY.year  # so both years are named
    assert plot.page_label.text() == f"{page_start:%b %Y} to {TODAY:%b %Y}"
    assert not plot.later.isEnabled()
    seen = [plot.page()]
    while plot.earlier.isEnabled():
        plot.earlier.click()
        seen.append(plot.page())
    assert seen[-1][0] == 0
    assert sorted(w for start, stop in seen for w in range(start, stop)) == list(range(weeks))
    first = calendar.first_day
    assert plot.page_label.text().startswith(f"{first:%b} to ")  # the earliest page
    # Squares stay big enough for their day numbers; a page numbers its own days only.
    view = plot.widget.getPlotItem().getViewBox()
    assert view.width() / PAGE_WEEKS >= 28
    assert len(plot.day_numbers()) == len(_drawn_days(screen)) <= 7 * PAGE_WEEKS
    first_number = min(plot.day_numbers())
    assert first_number[2] == str(calendar.first_day.day)
    plot.later.click()
    assert plot.page() == seen[-2]
    labels = [w.text() for w in plot.key.findChildren(QLabel) if w.text()]
    assert labels == ["No practice", "Up to 5 min", "5–10 min", "10–20 min", "Over 20 min"]
    shades = {s.styleSheet() for s in plot.swatches}
    assert len(shades) == 5


def _drawn_labels(widget: pg.PlotWidget) -> list[tuple[QRectF, str]]:
    """The tick labels the bottom axis draws now, left to right, with their rectangles."""
    axis = widget.getPlotItem().getAxis("bottom")
    image = QImage(10, 10, QImage.Format.Format_ARGB32)
    painter = QPainter(image)
    try:
        specs = axis.generateDrawSpecs(painter)
    finally:
        painter.end()
    assert specs is not None
    texts = [(QRectF(rect), text) for rect, _flags, text in specs[2]]
    return sorted(texts, key=lambda t: t[0].left())


@pytest.mark.parametrize("size", [(700, 520), (1024, 600), (1920, 1080)])
@pytest.mark.parametrize("days", [12, 60, 420])
def test_date_ticks_say_day_and_month_and_never_run_together(
    qtbot, store: Store, size: tuple[int, int], days: int
) -> None:
    sessions = [new(k - days + 29, (5, 4)) for k in range(0, days, max(1, days // 40))]
    screen = screen_of(qtbot, store, sessions, size)
    screen.update_all_plots()
    for widget in (screen.ratings_plots["pain"].widget, screen.change_plots["tension"].widget):
        show_tab_of(screen, widget)
        qtbot.wait(1)
        labels = _drawn_labels(widget)
        assert len(labels) >= 3, labels
        gap = widget.fontMetrics().horizontalAdvance("0")  # at least a digit's width apart
        for (left, _), (right, _) in itertools.pairwise(labels):
            assert right.left() - left.right() >= gap, (size, days, labels)
        for _, text in labels:
            assert re.fullmatch(r"\d{1,2} [A-Z][a-z]{2}|[A-Z][a-z]{2} \d{4}", text), text


def test_a_session_without_change_is_a_visible_mark(qtbot, store: Store) -> None:
    sessions = [new(day, (6, 6 - day % 3), (5, 5)) for day in range(10)]
    screen = screen_of(qtbot, store, sessions, (1024, 600))
    screen.update_all_plots()
    for measure, same_rows in (("pain", [0, 3, 6, 9]), ("tension", list(range(10)))):
        plot = screen.change_plots[measure]
        x, y = plot.same.getData()
        assert x.tolist() == screen.shown.stamps[same_rows].tolist()
        assert y.tolist() == [0.0] * len(same_rows)
        assert plot.same.isVisible()
        assert plot.same.opts["symbol"] is not None
        assert plot.same.opts["size"] >= 8
        assert QColor(plot.same.opts["brush"].color()).alpha() == 255
        # Still one entry per session with both ratings, in time order.
        assert plot.bars()[0].tolist() == screen.shown.stamps.tolist()


def test_tension_change_is_plotted_as_pain_is(qtbot, store: Store) -> None:
    screen = screen_of(qtbot, store, HARD_DAYS, (1024, 600))
    screen.update_all_plots()
    table = screen.shown
    for measure in ("pain", "tension"):
        rows, change = changes(table, measure)
        plot = screen.change_plots[measure]
        x, heights = plot.bars()
        assert x.tolist() == table.stamps[rows].tolist()
        assert heights.tolist() == change.tolist()
        stats = screen.analysis.change(measure)
        assert stats.n == len(rows) >= MIN_SESSIONS_CHANGE
        assert plot.mean.isVisible()
        assert plot.mean.value() == pytest.approx(stats.mean.value)
        assert plot.band.getRegion() == pytest.approx((stats.mean.low, stats.mean.high))
        assert f"{measure.capitalize()}: dashed line" in screen.change_caption.text()
        shown_x, _ = screen.exercise_plot.means[measure].getData()
        means = [getattr(g, measure).mean for g in screen.analysis.by_exercise]
        with_interval = [m.value for m in means if None not in (m.value, m.low, m.high)]
        assert shown_x.tolist() == pytest.approx(with_interval)
        assert shown_x.size > 0


PRESSURE = ("don't", "break", "lose", "lost", "keep up", "must", "should", "miss", "only ")


def _glance(qtbot, store: Store, sessions: list[NewSession]) -> HistoryScreen:
    screen = screen_of(qtbot, store, sessions, (1024, 600))
    assert screen.glance.isVisible()
    text = screen.glance.text()
    assert not [w for w in PRESSURE if w in text.lower()], text
    return screen


def test_a_warm_line_greets_even_a_single_session(qtbot, store: Store) -> None:
    today = new(29, (6, 5), minutes=5.0)  # 31 March: today
    screen = _glance(qtbot, store, [today])
    assert screen.glance.text() == "In the last 7 days you practised for 5 minutes, on 1 day."
    assert screen.analysis.pain.mean.value is None  # too few sessions for any statistic
    assert screen.glance.geometry().bottom() < screen.tabs.geometry().top()  # at the top


def test_the_warm_line_counts_the_week_the_days_and_the_streak(qtbot, store: Store) -> None:
    screen = _glance(qtbot, store, HARD_DAYS)  # every other day from 2 to 30 March
    # 26, 28 and 30 March lie in the last 7 days; the day before today had practice, the day
    # before that none: no run of days to speak of.
    assert screen.glance.text() == (
        "In the last 7 days you practised for 15 minutes, on 3 days. 15 days of practice so far."
    )
    screen.set_exercise_filter("coherent")  # the line is about all practice, not the view
    assert "15 days of practice so far" in screen.glance.text()


def test_the_warm_line_names_a_run_of_days(qtbot, store: Store) -> None:
    run = [new(day, (6, 5), minutes=4.0 + day % 2) for day in range(20, 30)]
    screen = _glance(qtbot, store, run)
    assert screen.glance.text() == (
        "In the last 7 days you practised for 32 minutes, on 7 days. That is 10 days in a row. "
        "10 days of practice so far."
    )


def test_a_pause_is_met_kindly(qtbot, store: Store) -> None:
    screen = _glance(qtbot, store, [new(day, (6, 5)) for day in range(0, 12, 3)])
    assert screen.glance.text() == (
        "You have practised on 4 days so far. Nothing in the last 7 days, and that is all "
        "right: you can pick it up whenever it suits you."
    )


def test_a_small_window_scrolls_rather_than_squash_the_plots(qtbot, store: Store) -> None:
    screen = screen_of(qtbot, store, HARD_DAYS, (1024, 600))
    screen.update_all_plots()
    for widget in (
        screen.ratings_plots["pain"].widget,
        screen.change_plots["tension"].widget,
        screen.exercise_plot.widget,
    ):
        show_tab_of(screen, widget)
        qtbot.wait(1)
        assert widget.height() >= 190, widget.accessibleName()


def test_sessions_dated_after_today_are_left_out_of_the_figures_and_said(
    qtbot, store: Store
) -> None:
    sessions = [new(day, (6, 5), (4, 4)) for day in range(0, 29, 4)]  # up to 29 March
    sessions.append(new(31, (9, 9), (9, 9)))  # 2 April: after today (31 March)
    screen = screen_of(qtbot, store, sessions, (1024, 600))
    assert screen.analysis.after_today == 1
    assert screen.analysis.pain.n == len(sessions) - 1
    assert "1 session dated after today is left out" in screen.summary.text()
