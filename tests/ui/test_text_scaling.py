"""Text follows the system font size: with a larger application font every label, heading and
control on the main screens is larger, and no ordinary text is set in fixed pixels."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QComboBox,
    QLabel,
    QLineEdit,
    QTabBar,
    QWidget,
)

from tests.ui.conftest import FakeUtc
from ui.shell.main_window import MainWindow

UI = Path(__file__).resolve().parents[2] / "ui"
LARGE_PT = 18
TEXT_KINDS = (QLabel, QAbstractButton, QComboBox, QLineEdit, QTabBar)
# Where type is set in pixels on purpose: it is sized to the space it has, not read as text.
PIXEL_SIZES_ALLOWED: dict[str, str] = {
    "pacer.py": "the column's scale grows with the window, from 0.9x to 1.25x the system's text",
    "presentation.py": "room-sized words scaled to the projector window's height",
    "focus_mode.py": "the focus-mode word grows with the window, never below 1.5x the system's",
}
# Point sizes that do not follow the screen's font on purpose.
POINT_SIZES_ALLOWED: dict[str, str] = {
    "theme.py": "a floor under the base size (MIN_BASE_POINT_SIZE); larger sizes are kept",
    "layout.py": "the PDF report is set for paper, in points, whatever the screen",
}


@pytest.fixture
def keep_font(qapp: QApplication):
    font = QFont(qapp.font())
    yield
    qapp.setFont(font)


def text_sizes(root: QWidget) -> list[tuple[str, float]]:
    """(what, point size) of every visible piece of text in ``root``'s window, in tree order."""
    window = root.window()
    found = []
    for widget in (window, *window.findChildren(QWidget)):
        if not isinstance(widget, TEXT_KINDS) or not widget.isVisible():
            continue
        text = getattr(widget, "text", lambda: "")() if not isinstance(widget, QTabBar) else "tabs"
        found.append((f"{type(widget).__name__}({text!r})", widget.font().pointSizeF()))
    return found


def screens(window: MainWindow, qtbot) -> dict[str, list[tuple[str, float]]]:
    """The text sizes of the home screen, the history and the settings dialog."""
    sizes = {"home": text_sizes(window)}
    window.show_history()
    sizes["history"] = text_sizes(window)
    window.show_home()
    window.open_settings()
    dialog = window.settings_dialog
    assert dialog is not None
    qtbot.waitExposed(dialog)
    sizes["settings"] = text_sizes(dialog)
    dialog.close()
    return sizes


def test_text_grows_with_the_system_font(
    qtbot, qapp, keep_font, store, catalog, clock, ticker, window: MainWindow
) -> None:
    usual = screens(window, qtbot)
    window.close()
    font = QFont(qapp.font())
    assert font.pointSizeF() < LARGE_PT
    font.setPointSizeF(LARGE_PT)
    qapp.setFont(font)
    large_window = MainWindow(
        store=store,
        catalog=catalog,
        clock=clock,
        utc_now=FakeUtc(clock),
        ticker=ticker,
        profile_id=store.profiles.default_id(),
    )
    qtbot.addWidget(large_window)
    large_window.show()
    qtbot.waitExposed(large_window)
    large = screens(large_window, qtbot)
    for screen, sizes in usual.items():
        assert [what for what, _ in large[screen]] == [what for what, _ in sizes], screen
        assert len(sizes) > 5, f"{screen}: too little text found to judge"
        for (what, usual_pt), (_, large_pt) in zip(sizes, large[screen], strict=True):
            assert usual_pt > 0, f"{screen}: {what} has no point size (set in pixels?)"
            assert large_pt > usual_pt, f"{screen}: {what} stays {usual_pt} pt"
    headings = [pt for what, pt in large["home"] if what.startswith("QLabel")]
    assert max(headings) > LARGE_PT  # the heading is larger still


def _lines(pattern: str) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for path in sorted(UI.rglob("*.py")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if re.search(pattern, line):
                found.setdefault(path.name, []).append(line.strip())
    return found


def test_no_ordinary_text_is_set_in_fixed_pixels() -> None:
    assert set(_lines(r"setPixelSize\(")) <= set(PIXEL_SIZES_ALLOWED)
    assert _lines(r"font-size|font:\s*\d") == {}  # nor in a style sheet


def test_point_sizes_are_relative_to_the_font_in_use() -> None:
    fixed = {
        name: [line for line in lines if "pointSize" not in line.split("(", 1)[1]]
        for name, lines in _lines(r"setPointSize(F)?\(").items()
    }
    assert {name for name, lines in fixed.items() if lines} <= set(POINT_SIZES_ALLOWED)
