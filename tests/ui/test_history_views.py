"""The history's plots show every datum: legends beside the data, never over it; the calendar
shows exactly the period chosen; date ticks that can be read; a zero change that can be seen;
and a warm line at the top about the practice so far."""

from __future__ import annotations

from datetime import UTC, date

import pyqtgraph as pg
import pytest
from PySide6.QtCore import QPointF, QRectF

from tests.ui.test_history import new
from trainer.app.profile import ProfileInUse
from trainer.content.catalog import load_catalog
from trainer.store.sessions import NewSession
from trainer.store.store import Store
from ui.history.screen import HistoryScreen

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
        screen.tabs.setCurrentWidget(widget.parentWidget())
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
