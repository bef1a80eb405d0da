"""Every message box shows our own line icon (help, info, warning from resources/icons/line),
never Qt's or the desktop's stock picture: a desktop icon theme is asked before the app's style,
so a box left to pick its own symbol showed the desktop's."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QColor, QIcon, QImage, QPixmap
from PySide6.QtWidgets import QMessageBox, QStyle

from ui.common.dialogs import MESSAGE_SYMBOLS, Dialogs, message_box
from ui.common.icons import ACCENT, icon
from ui.shell.main_window import MainWindow

RED = QColor(255, 0, 0)
# The real ways the app asks and tells, taken before the ``dialogs`` fixture answers them.
REAL = {name: Dialogs.__dict__[name] for name in ("confirm", "info", "error")}
STOCK_NAMES = ("dialog-information", "dialog-question", "dialog-warning", "dialog-error")


@pytest.fixture
def red_icon_theme(qapp, tmp_path: Path) -> Iterator[None]:
    """A desktop icon theme whose message-box pictures are pure red, in use for the test."""
    name = f"stockred-{tmp_path.name}"  # its own name, so no earlier lookup is remembered
    folder = tmp_path / "icons" / name
    (folder / "32").mkdir(parents=True)
    (folder / "index.theme").write_text(
        f"[Icon Theme]\nName={name}\nDirectories=32\n\n[32]\nSize=32\nType=Fixed\n"
    )
    for stock in STOCK_NAMES:
        pixmap = QPixmap(32, 32)
        pixmap.fill(RED)
        assert pixmap.save(str(folder / "32" / f"{stock}.png"))
    paths, theme = QIcon.themeSearchPaths(), QIcon.themeName()
    QIcon.setThemeSearchPaths([str(tmp_path / "icons"), *paths])
    QIcon.setThemeName(name)
    yield
    QIcon.setThemeName(theme)
    QIcon.setThemeSearchPaths(paths)


def is_red(image: QImage) -> bool:
    return any(
        image.pixelColor(x, y) == RED for y in range(image.height()) for x in range(image.width())
    )


def shows_ours(box: QMessageBox) -> str:
    """The name of our line icon the box shows (failing the test when it shows another)."""
    assert box.icon() is QMessageBox.Icon.NoIcon  # no standard symbol for Qt to pick
    name = box.property("symbol")
    assert name in ("help", "info", "warning")
    shown = box.iconPixmap()
    assert not shown.isNull()
    assert not is_red(shown.toImage())
    side = box.style().pixelMetric(QStyle.PixelMetric.PM_MessageBoxIconSize, None, box)
    wanted = icon(name, ACCENT).pixmap(QSize(side, side), box.devicePixelRatioF())
    assert shown.toImage() == wanted.toImage()
    return str(name)


def test_the_desktop_theme_would_show_its_stock_pictures(qtbot, red_icon_theme) -> None:
    """The checks below can fail: the desktop theme in use gives red message-box pictures (Qt
    6.11 asks it for a box's symbol before the app's style; a run with no other test before
    shows a plain box taking it)."""
    for stock in STOCK_NAMES:
        assert is_red(QIcon.fromTheme(stock).pixmap(32, 32).toImage()), stock


@pytest.mark.parametrize(
    ("kind", "name"),
    [
        (QMessageBox.Icon.Question, "help"),
        (QMessageBox.Icon.Information, "info"),
        (QMessageBox.Icon.Warning, "warning"),
        (QMessageBox.Icon.Critical, "warning"),
    ],
)
def test_every_kind_of_message_box_shows_our_symbol(qtbot, red_icon_theme, kind, name) -> None:
    box, _buttons = message_box(None, kind, "Title", "Words")
    qtbot.addWidget(box)
    assert shows_ours(box) == name == MESSAGE_SYMBOLS[kind]


def test_a_message_box_without_a_symbol_shows_none(qtbot, red_icon_theme) -> None:
    box, _buttons = message_box(None, QMessageBox.Icon.NoIcon, "Title", "Words")
    qtbot.addWidget(box)
    assert box.icon() is QMessageBox.Icon.NoIcon
    assert box.iconPixmap().isNull()


@pytest.fixture
def shown_boxes(monkeypatch: pytest.MonkeyPatch) -> list[QMessageBox]:
    """The message boxes the app opens through Dialogs, each answered at once (the safe
    answer: Esc's button), so the real boxes are built."""
    for name, method in REAL.items():
        monkeypatch.setattr(Dialogs, name, method)
    shown: list[QMessageBox] = []

    def answer(box: QMessageBox) -> int:
        shown.append(box)
        escape = box.escapeButton()
        if escape is not None:
            escape.click()
        return 0

    monkeypatch.setattr(QMessageBox, "exec", answer)
    return shown


def test_the_boxes_the_app_opens_show_our_symbols(
    qtbot, red_icon_theme, window: MainWindow, shown_boxes: list[QMessageBox], clock, ticker
) -> None:
    """ "Where this comes from", "End this session?" and the presentation-mode refusal."""
    window.home.show_source()
    assert shown_boxes[-1].windowTitle() == "Where this comes from"
    assert shows_ours(shown_boxes[-1]) == "info"
    window.set_demonstration(True)
    window.home.start_button.click()
    assert window.stack.currentWidget() is window.practice
    clock.advance(20.0)
    ticker.fire()
    qtbot.keyClick(window.practice, Qt.Key.Key_Escape)  # asks before ending: kept going
    assert shown_boxes[-1].windowTitle() in ("End this session?", "End the demonstration?")
    assert shows_ours(shown_boxes[-1]) == "help"
    assert window.stack.currentWidget() is window.practice
    window.open_presentation()  # refused while a session is under way
    assert window.presentation is None
    assert shown_boxes[-1].windowTitle() == "Presentation mode"
    assert shows_ours(shown_boxes[-1]) == "info"
    assert len(shown_boxes) == 3
