"""Keyboard focus is visible on every kind of control, in every theme: reached with Tab, the
control gains a 2-pixel outline in the accent colour. Check boxes have a clear edge in every
theme (Fusion's own were faint on dark backgrounds)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDoubleSpinBox,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QSlider,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QTimeEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ui.common.theme import LIGHT, THEMES, Theme, apply_theme


def _list() -> QWidget:
    view = QListWidget()
    view.addItems(["Monday", "Tuesday"])
    return view


def _table() -> QWidget:
    table = QTableWidget(2, 2)
    for row in range(2):
        for column in range(2):
            table.setItem(row, column, QTableWidgetItem(f"{row}, {column}"))
    return table


def _tabs() -> QWidget:
    tabs = QTabWidget()
    tabs.addTab(QWidget(), "Ratings")
    tabs.addTab(QWidget(), "Calendar")
    return tabs


def _combo() -> QWidget:
    combo = QComboBox()
    combo.addItems(["Circle", "Column", "Wave"])
    return combo


def _tool() -> QWidget:
    button = QToolButton()
    button.setText("More")
    button.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
    return button


KINDS: dict[str, Callable[[], QWidget]] = {
    "push button": lambda: QPushButton("Start"),
    "check box": lambda: QCheckBox("Reduced motion"),
    "radio button": lambda: QRadioButton("Dark"),
    "drop-down list": _combo,
    "text field": lambda: QLineEdit(),
    "text area": lambda: QPlainTextEdit(),
    "spin box": lambda: QSpinBox(),
    "decimal spin box": lambda: QDoubleSpinBox(),
    "time": lambda: QTimeEdit(),
    "date": lambda: QDateEdit(QDate(2026, 3, 1)),
    "slider": lambda: QSlider(Qt.Orientation.Horizontal),
    "list": _list,
    "table": _table,
    "tabs": _tabs,
    "tool button": _tool,
}


@pytest.fixture(autouse=True)
def light_again(qapp):
    yield
    apply_theme(qapp, LIGHT)


def accent_pixels(widget: QWidget, theme: Theme) -> int:
    image = widget.grab().toImage().convertToFormat(QImage.Format.Format_RGB32)
    accent = QColor(theme.accent).rgb()
    return sum(
        image.pixel(x, y) == accent for y in range(image.height()) for x in range(image.width())
    )


@pytest.mark.parametrize("theme", list(THEMES.values()), ids=list(THEMES))
@pytest.mark.parametrize("kind", list(KINDS))
def test_tab_gives_a_clear_accent_outline(qtbot, qapp, kind, theme) -> None:
    apply_theme(qapp, theme)
    window = QWidget()
    layout = QVBoxLayout(window)
    before = QPushButton("Before")
    control = KINDS[kind]()
    layout.addWidget(before)
    layout.addWidget(control)
    qtbot.addWidget(window)
    window.resize(320, 160)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    before.setFocus()
    QApplication.processEvents()
    resting = accent_pixels(control, theme)
    qtbot.keyClick(before, Qt.Key.Key_Tab)
    QApplication.processEvents()
    focused = QApplication.focusWidget()
    assert focused is not None
    assert focused is control or control.isAncestorOf(focused)
    gained = accent_pixels(control, theme) - resting
    # Two pixels deep along at least one long side and more (a tab: all round the tab).
    outlined = control.tabBar().tabRect(0) if isinstance(control, QTabWidget) else control.rect()
    assert gained >= 2 * (outlined.width() + outlined.height()), f"{kind}: only {gained} pixels"


@pytest.mark.parametrize("theme", list(THEMES.values()), ids=list(THEMES))
def test_a_check_box_has_a_clear_edge_in_every_theme(qtbot, qapp, theme) -> None:
    apply_theme(qapp, theme)
    box = QCheckBox("Reduced motion")
    qtbot.addWidget(box)
    box.show()
    qtbot.waitExposed(box)
    image = box.grab().toImage().convertToFormat(QImage.Format.Format_RGB32)
    border = QColor(theme.border).rgb()
    edge = sum(
        image.pixel(x, y) == border for y in range(image.height()) for x in range(image.width())
    )
    side = box.style().pixelMetric(box.style().PixelMetric.PM_IndicatorWidth, None, box)
    assert edge >= 2 * side  # at least two sides of the box, drawn in the border colour
    box.setChecked(True)
    image = box.grab().toImage().convertToFormat(QImage.Format.Format_RGB32)
    accent = QColor(theme.accent).rgb()
    filled = sum(
        image.pixel(x, y) == accent for y in range(image.height()) for x in range(image.width())
    )
    assert filled >= side * side // 3  # checked: filled with the accent
