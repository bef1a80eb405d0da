"""Changing the theme while the app runs: light, dark, high contrast and back, in one session;
every screen follows (palette, secondary labels, pacers, focus view, body map, history plots)."""

from __future__ import annotations

from datetime import UTC

import numpy as np
import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor, QImage, QPalette
from PySide6.QtWidgets import QApplication, QLabel, QWidget

from tests.ui.test_history import TODAY
from tests.ui.test_history import filled as filled  # a fixture
from trainer.app.profile import ProfileInUse
from trainer.content.bodymap import load_body_map
from trainer.content.catalog import load_catalog
from ui.common.theme import (
    DARK,
    HIGH_CONTRAST,
    LIGHT,
    THEME_CHOICES,
    THEME_TITLES,
    THEMES,
    Theme,
    apply_theme,
    apply_theme_choice,
    current_theme,
    muted,
    resolve_theme,
    style_sheet,
    theme_signals,
)
from ui.history.plots import calendar_colours, plot_colours
from ui.history.screen import HistoryScreen
from ui.practice.focus_mode import FocusView
from ui.widgets.body_map import BodyMapView
from ui.widgets.pacer import CirclePacer, ColumnPacer, WavePacer

ROUND_TRIP = (LIGHT, DARK, HIGH_CONTRAST, LIGHT)


class FakeHints:
    """Stands in for QStyleHints: only the colour scheme."""

    def __init__(self, scheme: Qt.ColorScheme) -> None:
        self.scheme = scheme

    def colorScheme(self) -> Qt.ColorScheme:
        return self.scheme


class FakeApp:
    """Stands in for the application: only its style hints."""

    def __init__(self, scheme: Qt.ColorScheme) -> None:
        self.hints = FakeHints(scheme)

    def styleHints(self) -> FakeHints:
        return self.hints


@pytest.fixture(autouse=True)
def light_again(qapp):
    yield
    apply_theme(qapp, LIGHT)


def colour_at(widget: QWidget, x: int = 2, y: int = 2) -> QColor:
    image = widget.grab().toImage().convertToFormat(QImage.Format.Format_RGB32)
    return image.pixelColor(QPoint(x, y))


def shown(qtbot, widget: QWidget, width: int = 360, height: int = 280) -> QWidget:
    qtbot.addWidget(widget)
    widget.resize(width, height)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def test_a_setting_names_a_theme_or_follows_the_system(qapp) -> None:
    assert resolve_theme("light", qapp) is LIGHT
    assert resolve_theme("dark", qapp) is DARK
    assert resolve_theme("high_contrast", qapp) is HIGH_CONTRAST
    assert resolve_theme("sepia", qapp) is LIGHT
    assert resolve_theme("system", FakeApp(Qt.ColorScheme.Dark)) is DARK  # type: ignore[arg-type]
    assert resolve_theme("system", FakeApp(Qt.ColorScheme.Light)) is LIGHT  # type: ignore[arg-type]
    unknown = FakeApp(Qt.ColorScheme.Unknown)
    assert resolve_theme("system", unknown) is LIGHT  # type: ignore[arg-type]
    assert set(THEME_CHOICES) == {"system", *THEMES}
    assert set(THEME_TITLES) == set(THEME_CHOICES)


def test_a_setting_of_system_follows_the_desktop_as_it_changes(qapp) -> None:
    assert apply_theme_choice(qapp, "high_contrast") is HIGH_CONTRAST
    hints = qapp.styleHints()
    hints.colorSchemeChanged.emit(Qt.ColorScheme.Dark)
    assert current_theme() is HIGH_CONTRAST  # a named theme stays
    apply_theme_choice(qapp, "system")
    hints.colorSchemeChanged.emit(Qt.ColorScheme.Dark)
    assert current_theme() is DARK
    hints.colorSchemeChanged.emit(Qt.ColorScheme.Light)
    assert current_theme() is LIGHT
    apply_theme_choice(qapp, "light")
    hints.colorSchemeChanged.emit(Qt.ColorScheme.Dark)
    assert current_theme() is LIGHT


def test_the_signal_says_when_a_theme_is_in_place(qapp) -> None:
    heard: list[tuple[str, str, str]] = []

    def on_change(theme: Theme) -> None:
        window = qapp.palette().color(QPalette.ColorRole.Window).name()
        heard.append((theme.name, current_theme().name, window))

    theme_signals().changed.connect(on_change)
    try:
        for theme in ROUND_TRIP:
            apply_theme(qapp, theme)
    finally:
        theme_signals().changed.disconnect(on_change)
    assert heard == [(t.name, t.name, t.window) for t in ROUND_TRIP]


def test_the_palette_and_secondary_labels_follow_each_change(qtbot, qapp) -> None:
    box = QWidget()
    label = QLabel("Seconds left", box)
    plain = QLabel("Breathe in", box)
    muted(label)
    shown(qtbot, box)
    for theme in ROUND_TRIP:
        apply_theme(qapp, theme)
        QApplication.processEvents()
        assert qapp.palette().color(QPalette.ColorRole.Window) == QColor(theme.window)
        assert qapp.palette().color(QPalette.ColorRole.Highlight) == QColor(theme.accent)
        assert label.palette().color(QPalette.ColorRole.WindowText) == QColor(theme.muted_text)
        assert plain.palette().color(QPalette.ColorRole.WindowText) == QColor(theme.text)
        assert current_theme() is theme


@pytest.mark.parametrize("cls", [CirclePacer, ColumnPacer, WavePacer])
def test_the_pacers_repaint_in_the_new_colours(qtbot, qapp, cls) -> None:
    pacer = shown(qtbot, cls())
    assert isinstance(pacer, cls)
    pacer.set_level(0.6)
    for theme in ROUND_TRIP:
        apply_theme(qapp, theme)
        QApplication.processEvents()
        assert colour_at(pacer) == QColor(theme.window)
        assert pacer.painted_theme == theme


def test_the_focus_view_follows_the_theme(qtbot, qapp) -> None:
    view = shown(qtbot, FocusView())
    for theme in ROUND_TRIP:
        apply_theme(qapp, theme)
        QApplication.processEvents()
        assert colour_at(view) == QColor(theme.window)


def test_the_body_map_follows_the_theme(qtbot, qapp) -> None:
    view = shown(qtbot, BodyMapView(load_body_map()), 480, 420)
    for theme in ROUND_TRIP:
        apply_theme(qapp, theme)
        QApplication.processEvents()
        assert colour_at(view) == QColor(theme.window)


def brush_colour(item: object) -> str:
    return QColor(item.opts["brush"].color()).name()  # type: ignore[attr-defined]


def test_the_history_plots_keep_their_items_and_take_the_new_colours(
    qtbot,
    qapp,
    filled,
    dialogs,
) -> None:
    in_use = ProfileInUse(filled, filled.profiles.default_id(), load_catalog())
    screen = HistoryScreen(in_use, tz=UTC, today=lambda: TODAY)
    shown(qtbot, screen, 1000, 760)
    screen.reload()
    screen.update_all_plots()
    ratings, change = screen.ratings_plots["pain"], screen.change_plots["pain"]
    exercise, calendar = screen.exercise_plot, screen.calendar_plot
    items = (ratings.before, ratings.after, ratings.trend, change.lower, change.mean)
    kept = [id(item) for item in items] + [id(calendar.image)]
    data = ratings.before.getData()
    assert data[0] is not None
    assert data[0].size > 0
    for theme in ROUND_TRIP:
        apply_theme(qapp, theme)
        QApplication.processEvents()
        colours = plot_colours(theme)
        assert [id(item) for item in items] + [id(calendar.image)] == kept
        assert ratings.widget.backgroundBrush().color() == QColor(theme.surface)
        axis = ratings.widget.getPlotItem().getAxis("left")
        assert axis.textPen().color() == QColor(theme.text)
        assert ratings.before.opts["symbolBrush"].color() == QColor(colours["before"])
        assert ratings.after.opts["symbolPen"].color() == QColor(colours["after"])
        assert ratings.trend.opts["pen"].color() == QColor(colours["trend"])
        assert brush_colour(change.lower) == colours["lower"]
        assert brush_colour(change.higher) == colours["higher"]
        assert change.mean.pen.color() == QColor(colours["mean"])
        assert exercise.means["pain"].opts["symbolBrush"].color() == QColor(colours["pain"])
        assert exercise.whiskers["tension"].opts["pen"].color() == QColor(colours["tension"])
        legend = ratings.widget.getPlotItem().legend
        assert all(label.opts["color"] == QColor(theme.text) for _, label in legend.items)
        assert f"color:{theme.text};" in legend.items[0][1].item.toHtml()  # as drawn
        # The calendar's days, in the theme's shades (days to come stay transparent).
        shown_rgba = calendar.image.image.reshape(-1, 4)
        opaque = {tuple(int(v) for v in rgba[:3]) for rgba in shown_rgba if rgba[3] == 255}
        shades = {QColor(c).getRgb()[:3] for c in calendar_colours(theme)}
        assert opaque
        assert opaque <= shades
        assert np.array_equal(ratings.before.getData()[0], data[0])  # the same data


def test_no_style_sheet_fixes_a_text_size() -> None:
    # Text follows the system's font size: nothing in the style sheet sets one.
    for theme in THEMES.values():
        sheet = style_sheet(theme)
        assert "font-size" not in sheet
        assert "font:" not in sheet
