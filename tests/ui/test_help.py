"""Help: the shortcuts it lists are the ones the code binds, the figures and sources say what the
program does, the welcome can be asked for again, and the text keeps a readable width."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from trainer.analysis.progress import (
    DROP_PERCENT,
    DROP_POINTS,
    MIN_SESSIONS_CHANGE,
    MIN_SESSIONS_TREND,
)
from trainer.content.scripts import load_scripts
from ui.shell.help import SHORTCUTS, HelpDialog, figures_html, shortcuts_html, sources_html

UI = Path(__file__).resolve().parents[2] / "ui"
# A key bound in code: QKeySequence("Ctrl+R"), setShortcut("Ctrl+H"), a button's "F2"...
BOUND_KEY = re.compile(r"""["']((?:Ctrl|Alt|Shift)\+[A-Za-z0-9,]|F\d{1,2})["']""")


@pytest.fixture(scope="module")
def scripts():
    return load_scripts()


@pytest.fixture
def help_dialog(qtbot, catalog, scripts, ticker) -> HelpDialog:
    dialog = HelpDialog(catalog, scripts)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    return dialog


def listed_keys() -> str:
    return " ".join(keys for _screen, rows in SHORTCUTS for keys, _action in rows)


def test_every_key_the_code_binds_is_listed() -> None:
    bound = set()
    for source in UI.rglob("*.py"):
        if source.name not in ("help.py", "screen_keys.py"):  # the lists themselves
            bound.update(BOUND_KEY.findall(source.read_text(encoding="utf-8")))
    assert {"Ctrl+H", "Ctrl+R", "Ctrl+N", "Ctrl+P", "F2"} <= bound  # the search finds them
    listed = listed_keys()
    missing = sorted(key for key in bound if key not in listed)
    assert missing == []
    # Bound through standard keys rather than text: undo, quit, delete.
    for key in ("Ctrl+Z", "Ctrl+Q", "Del"):
        assert key in listed


def test_the_app_wide_keys_are_listed() -> None:
    anywhere = dict(SHORTCUTS)["Anywhere"]
    keys = [keys for keys, _action in anywhere]
    for key in (
        "F1",
        "Ctrl+,",
        "F5",
        "Ctrl+Shift+M",
        "Ctrl+Shift+D",
        "Ctrl+Shift+R",
        "Alt+O",
        "Ctrl+Q",
    ):
        assert key in keys


def test_each_screen_is_listed_once_with_its_keys() -> None:
    screens = [screen for screen, _rows in SHORTCUTS]
    assert len(screens) == len(set(screens))
    assert all(rows for _screen, rows in SHORTCUTS)
    text = shortcuts_html()
    assert text.count("<h3>") == len(SHORTCUTS)
    assert "Ctrl+Shift+M" in text


def test_the_figures_are_explained_honestly() -> None:
    text = re.sub(r"\s+", " ", figures_html())
    for words in (
        "self-reports",
        "not proof",
        "95% interval",
        "Median",
        "Wilcoxon p",
        f"Sessions {DROP_POINTS} points or {DROP_PERCENT}% lower",
        "7-day average",
        "Slope per week",
        f"once there are {MIN_SESSIONS_CHANGE} sessions with both ratings",
        f"after {MIN_SESSIONS_TREND} sessions",
        "regression to the mean",
        "what happened, not why",
    ):
        assert words in text, words


def test_the_sources_of_every_exercise_are_listed(catalog, scripts) -> None:
    plain = html.unescape(sources_html(catalog, scripts))
    for exercise in catalog.exercises:
        assert exercise.title in plain
        assert exercise.source in plain
    for script in scripts:
        assert script.source in plain
    for study in ("Ashar et al. 2022", "Lehrer", "Shaffer & Meehan 2020", "Balban et al. 2023"):
        assert study in plain
    assert "https://doi.org/10.1001/jamapsychiatry.2021.2669" in plain
    assert "not medical advice" in plain


def test_text_follows_the_system_font() -> None:
    for text in (shortcuts_html(), figures_html()):
        assert "font-size" not in text
        assert "pt;" not in text


def test_show_the_welcome_again(qtbot, help_dialog) -> None:
    with qtbot.waitSignal(help_dialog.welcome_requested):
        qtbot.mouseClick(help_dialog.welcome_button, Qt.MouseButton.LeftButton)
    assert not help_dialog.isVisible()


def test_escape_closes(help_dialog, press) -> None:
    press(Qt.Key.Key_Escape)
    assert not help_dialog.isVisible()


def test_the_tabs_by_keyboard(help_dialog, press) -> None:
    assert QApplication.focusWidget() is help_dialog.keys
    press(Qt.Key.Key_Tab, Qt.KeyboardModifier.ControlModifier)
    assert help_dialog.tabs.currentWidget() is help_dialog.figures
    press(Qt.Key.Key_S, Qt.KeyboardModifier.AltModifier)
    assert help_dialog.tabs.currentWidget() is help_dialog.sources
    assert QApplication.focusWidget() is help_dialog.sources
    press(Qt.Key.Key_K, Qt.KeyboardModifier.AltModifier)
    assert help_dialog.tabs.currentWidget() is help_dialog.keys


def test_lines_stay_readable_in_a_wide_window_and_wrap_in_a_narrow_one(qtbot, help_dialog) -> None:
    browser = help_dialog.figures
    help_dialog.show_tab(1)
    help_dialog.resize(1600, 700)
    qtbot.waitUntil(lambda: browser.viewport().width() > 1400)
    assert browser.lineWrapColumnOrWidth() == browser.reading_width_px()
    help_dialog.resize(360, 500)
    qtbot.waitUntil(lambda: browser.viewport().width() < 340)
    assert browser.lineWrapColumnOrWidth() < browser.viewport().width()
    assert browser.horizontalScrollBar().maximum() == 0
