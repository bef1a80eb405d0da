"""No text is wider than the control that shows it, in any theme: every button's label fits the
room its style leaves for it (chosen buttons are bold, focused ones have a thicker border), and
every label that neither wraps nor elides fits its width, on the main screens."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from PySide6.QtCore import QSize
from PySide6.QtGui import QFont, QFontMetrics, Qt, QTextDocument
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QCheckBox,
    QLabel,
    QPushButton,
    QRadioButton,
    QStyle,
    QStyleOptionButton,
    QWidget,
)

from trainer.app.demo import create_demo_profile
from trainer.content.scripts import load_scripts
from ui.common.theme import THEMES, apply_theme
from ui.shell.main_window import MainWindow
from ui.widgets.elided import ElidedLabel

WINDOW = QSize(1024, 570)  # a small laptop's screen below a title bar
SLACK_PX = 1  # rounding in the style's arithmetic


def shown_text(text: str) -> str:
    """A label's text as drawn: mnemonics' ampersands gone, ``&&`` kept as one."""
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&")


def widest_line(metrics: QFontMetrics, text: str) -> int:
    return max((metrics.horizontalAdvance(line) for line in text.split("\n")), default=0)


def button_room(button: QAbstractButton, *, checked: bool, focused: bool) -> tuple[int, int]:
    """(width the text needs, width the style leaves for it) with the button chosen and/or
    focused: the style sheet makes a chosen push button bold and a focused one's border 2 px."""
    option = QStyleOptionButton()
    button.initStyleOption(option)  # type: ignore[attr-defined]
    if checked:
        option.state |= QStyle.StateFlag.State_On
        option.state &= ~QStyle.StateFlag.State_Off
    if focused:
        option.state |= QStyle.StateFlag.State_HasFocus
    font = QFont(button.font())
    if checked and isinstance(button, QPushButton):
        font.setBold(True)  # QPushButton:checked { font-weight: bold } (ui.common.theme)
    need = widest_line(QFontMetrics(font), shown_text(button.text()))
    style = button.style()
    if isinstance(button, QCheckBox):
        element = QStyle.SubElement.SE_CheckBoxContents
    elif isinstance(button, QRadioButton):
        element = QStyle.SubElement.SE_RadioButtonContents
    else:
        element = QStyle.SubElement.SE_PushButtonContents
    room = style.subElementRect(element, option, button).width()
    if not button.icon().isNull():
        need += button.iconSize().width() + 4  # Qt's gap between icon and text
    if isinstance(button, QPushButton) and button.menu() is not None:
        need += style.pixelMetric(QStyle.PixelMetric.PM_MenuButtonIndicator, option, button)
    return need, room


def label_room(label: QLabel) -> tuple[int, int]:
    """(width the text needs, width it has) for a label that neither wraps nor elides."""
    text = label.text()
    rich = label.textFormat() is Qt.TextFormat.RichText or (
        label.textFormat() is Qt.TextFormat.AutoText and Qt.mightBeRichText(text)
    )
    if rich:
        document = QTextDocument()
        document.setDefaultFont(label.font())
        document.setDocumentMargin(0)
        document.setHtml(text)
        need = round(document.idealWidth())
    else:
        need = widest_line(label.fontMetrics(), shown_text(text))
    room = label.contentsRect().width() - 2 * max(label.margin(), 0)
    if label.indent() > 0:
        room -= label.indent()
    return need, room


def too_wide(root: QWidget) -> list[str]:
    """Every visible button or label in ``root``'s window whose text does not fit."""
    found: list[str] = []
    for widget in (root, *root.findChildren(QWidget)):
        if not widget.isVisible() or widget.width() <= 0:
            continue
        if isinstance(widget, QAbstractButton) and widget.text():
            if not isinstance(widget, (QPushButton, QCheckBox, QRadioButton)):
                continue  # tool buttons show icons here
            for checked in (False, True) if widget.isCheckable() else (False,):
                focused_too = widget.focusPolicy() != widget.focusPolicy().NoFocus
                for focused in (False, True) if focused_too else (False,):
                    need, room = button_room(widget, checked=checked, focused=focused)
                    if need > room + SLACK_PX:
                        state = " ".join(
                            word for word, on in (("chosen", checked), ("focused", focused)) if on
                        )
                        found.append(
                            f"button {shown_text(widget.text())!r} {state}: needs {need} px, "
                            f"has {room}"
                        )
        elif isinstance(widget, QLabel) and not isinstance(widget, ElidedLabel):
            pixmap = widget.pixmap()
            if widget.wordWrap() or not widget.text() or not pixmap.isNull():
                continue
            need, room = label_room(widget)
            if need > room + SLACK_PX:
                found.append(f"label {widget.text()!r}: needs {need} px, has {room}")
    return sorted(set(found))


DEMO_NOW = datetime(2026, 11, 20, 8, 15, tzinfo=UTC)


@pytest.fixture
def demo_window(window: MainWindow, store, catalog) -> MainWindow:
    """The main window on a demo profile's 60 days, at a small laptop's size."""
    name, _count = create_demo_profile(store, "Sam", catalog, load_scripts(), now=lambda: DEMO_NOW)
    found = store.profiles.by_name(name)
    assert found is not None
    window.switch_profile(found.id)
    window.resize(WINDOW)
    return window


def _before(window: MainWindow) -> QWidget:
    window.show_home()
    window.home.start()
    window.before.tension.set_value(6)
    window.before.pain.set_skipped(True)  # "Skip pain rating", chosen: bold
    return window


def _session(window: MainWindow, ticker, clock) -> QWidget:
    _before(window)
    window.before.confirm()
    clock.advance(3.0 + 10.0)
    ticker.fire()
    return window


def screens(window: MainWindow, ticker, clock, qtbot) -> Iterator[tuple[str, QWidget]]:
    """Each main screen in turn, as the app shows it."""
    yield "home", window
    window.home.ease_in.setChecked(True)
    yield "home, ease in", window
    window.home.ease_in.setChecked(False)
    window.switch_buttons.button(1).click()
    yield "attention home", window
    window.attention_home.start()
    yield "where it hurts", window
    window.where.go_on()
    if window.stack.currentWidget() is window.where:
        window.where.go_on()
    window.before.tension.set_value(5)
    window.before.pain.set_value(5)
    window.before.confirm()
    clock.advance(3.0 + 20.0)
    ticker.fire()
    yield "attention", window
    # Kept as interrupted on the fake clock's day, months before the demo's: the calendar then
    # spans more than half a year and shows its Earlier / Later buttons.
    window.flow.leave(interrupted=True)
    window.switch_buttons.button(0).click()
    yield "before rating", _before(window)
    window.before.confirm()
    clock.advance(3.0 + 10.0)
    ticker.fire()
    for visual in ("circle", "column", "wave"):
        window.practice.set_visual(visual)
        yield f"session, {visual}", window
    window.flow.leave(interrupted=True)
    window.show_home()
    window.show_history()
    for index in range(window.history.tabs.count()):
        window.history.tabs.setCurrentIndex(index)
        yield f"history, {window.history.tabs.tabText(index)}", window
    window.show_home()
    window.open_settings()
    dialog = window.settings_dialog
    assert dialog is not None
    qtbot.waitExposed(dialog)
    yield "settings", dialog
    dialog.close()


@pytest.fixture
def light_after(qapp: QApplication) -> Iterator[None]:
    """The light theme again afterwards, for the tests that follow."""
    yield
    apply_theme(qapp, THEMES["light"])


@pytest.mark.usefixtures("light_after")
@pytest.mark.parametrize("theme", sorted(THEMES))
def test_no_text_is_wider_than_its_control(
    qapp: QApplication, qtbot, demo_window: MainWindow, ticker, clock, theme: str
) -> None:
    apply_theme(qapp, THEMES[theme])
    found: dict[str, list[str]] = {}
    for name, root in screens(demo_window, ticker, clock, qtbot):
        qapp.processEvents()
        wide = too_wide(root)
        if wide:
            found[name] = wide
    assert found == {}, "\n" + "\n".join(f"{k}: {v}" for k, v in found.items())


def test_the_check_sees_a_bold_label_outgrow_its_button(qtbot, qapp: QApplication) -> None:
    """The check itself: a chosen (bold) button sized for its plain text is too narrow."""
    apply_theme(qapp, THEMES["light"])
    button = QPushButton("Skip pain rating")
    button.setCheckable(True)
    qtbot.addWidget(button)
    button.show()
    button.setFixedWidth(button.sizeHint().width())
    assert too_wide(button) != []  # chosen, the bold text needs more than it has
    button.setMinimumWidth(0)
    button.setMaximumWidth(10_000)
    bold = QFont(button.font())
    bold.setBold(True)
    button.setFixedWidth(QFontMetrics(bold).horizontalAdvance(button.text()) + 40)
    assert too_wide(button) == []
    label = QLabel("A label that is much too long for its width")
    qtbot.addWidget(label)
    label.show()
    label.setFixedWidth(60)
    assert too_wide(label) != []
