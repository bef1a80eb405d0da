"""The screenshot tour: every screen of Safe Signal at each screen size and theme.

Run from a clone: ``python docs/screenshots.py`` (no desktop needed). It makes a demo profile
(trainer.app.demo) in a temporary data folder, drives the real main window on a fake clock, and
writes each screen as it would look on a screen of each size, in each theme:

    docs/screenshots/tour/<width>x<height>-<theme>/<nn>-<screen>.png

Each size runs in a process of its own on Qt's offscreen platform, given a screen of exactly that
size, so what the app reads of the screen is true. The main window fills the screen below a
title bar of TITLE_BAR_PX; dialogs are drawn over it, centred; what does not fit is cut off, as
on a real screen. For each screen the tour also checks that its main action (Start, Begin
practice, Save, Pause / End, Skip / Continue, OK...) lies inside the screen and is not hidden,
and lists the screens where it does not (exit status 1 with ``--strict``).

Options: ``--sizes 1024x600,1280x800``, ``--themes light,dark``, ``--screens home,settings``
(``--list`` names them), ``--out DIR``, ``--strict``, ``--desktop`` (draw on the real display
instead of offscreen). Each screen starts afresh from a copy of the demo data folder, so a
step that breaks spoils only its own picture; the steps below are small on purpose.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots" / "tour"
SIZES: tuple[tuple[int, int], ...] = ((1024, 600), (1280, 800), (1920, 1080))
THEMES: tuple[str, ...] = ("light", "dark", "high_contrast")
TITLE_BAR_PX = 30  # what a window manager's title bar takes from the screen's height
DEMO_NOW = datetime(2026, 11, 20, 8, 15, tzinfo=UTC)  # the demo history runs up to here
LEAD_IN_S = 3.0  # the 3-2-1 before the first breath

if TYPE_CHECKING:
    from PySide6.QtGui import QPixmap
    from PySide6.QtWidgets import QAbstractButton, QApplication, QWidget

    from trainer.session.clock import FakeClock
    from trainer.store.store import Store
    from ui.common.ticker import ManualTicker
    from ui.shell.main_window import MainWindow


# -- one screen at a time -----------------------------------------------------------------------


@dataclass
class View:
    """What a step leaves on screen: the widget to draw, how it sits on the screen, and the
    buttons a person needs there (each as ``(name, button)``; ``None`` when it is missing).

    ``kind`` is ``window`` (the main window under a title bar), ``dialog`` (a window of its own
    centred over the main window), ``float`` (a small window where it puts itself) or ``full``
    (full screen). ``keyboard_only`` marks screens meant to have no buttons (presentation mode).
    """

    widget: QWidget
    kind: str = "window"
    actions: list[tuple[str, QAbstractButton | None]] = field(default_factory=list)
    keyboard_only: bool = False


@dataclass
class Tour:
    """The app as one step sees it: a main window on demo data, a fake clock, one screen size."""

    app: QApplication
    window: MainWindow
    store: Store
    clock: FakeClock
    ticker: ManualTicker
    size: tuple[int, int]
    extra: list[QWidget] = field(default_factory=list)  # windows a step opened, closed after

    def advance(self, seconds: float) -> None:
        """Let ``seconds`` pass on the fake clock and draw a frame."""
        self.clock.advance(seconds)
        self.ticker.fire()
        self.app.processEvents()


def button(widget: object, *path: str) -> tuple[str, QAbstractButton | None]:
    """The button at ``widget.<path>`` with its text, or its path and ``None`` when missing (a
    renamed attribute then shows in the tour's list instead of breaking it)."""
    from PySide6.QtWidgets import QAbstractButton

    found: object = widget
    for name in path:
        found = getattr(found, name, None)
    dotted = ".".join(path)
    if isinstance(found, QAbstractButton):
        return (found.text().replace("&", "") or found.accessibleName() or dotted), found
    return dotted, None


def box_button(widget: QWidget, standard: str) -> tuple[str, QAbstractButton | None]:
    """A dialog's standard button (``Close``, ``Ok``...) in its button box."""
    from PySide6.QtWidgets import QDialogButtonBox

    kind = getattr(QDialogButtonBox.StandardButton, standard)
    for box in widget.findChildren(QDialogButtonBox):
        found = box.button(kind)
        if found is not None:
            return found.text().replace("&", ""), found
    return standard, None


def all_buttons(widget: QWidget) -> list[tuple[str, QAbstractButton | None]]:
    """Every button shown in ``widget`` (for screens whose way out is any button at all)."""
    from PySide6.QtWidgets import QAbstractButton

    found = [b for b in widget.findChildren(QAbstractButton) if b.isVisible()]
    return [(b.text() or b.accessibleName() or b.toolTip(), b) for b in found] or [
        ("to leave it", None)
    ]


# -- the steps: each leaves one screen on show ---------------------------------------------------


def go_home(t: Tour) -> View:
    w = t.window
    w.home.list.setCurrentRow(0)
    return View(w, actions=[button(w.home, "start_button")])


def go_attention_home(t: Tour) -> View:
    w = t.window
    w.switch_buttons.button(1).click()
    return View(w, actions=[button(w.attention_home, "start_button")])


def _before(t: Tour, row: int = 0) -> None:
    """From home to the before-ratings of the breathing exercise in ``row``."""
    w = t.window
    w.home.list.setCurrentRow(row)
    w.home.start()
    if w.stack.currentWidget() is w.screens.made("where"):
        w.where.skip()


def go_before(t: Tour) -> View:
    _before(t)
    t.window.before.tension.set_value(6)
    return View(t.window, actions=[button(t.window.before, "continue_button")])


def _practise(t: Tour, row: int = 0) -> None:
    """A breathing practice (default length) well into its third minute, mid in-breath."""
    _before(t, row)
    t.window.before.tension.set_value(6)
    t.window.before.pain.set_value(5)
    t.window.before.confirm()
    t.advance(LEAD_IN_S + 63.2)


def _practice_actions(t: Tour) -> list[tuple[str, QAbstractButton | None]]:
    screen = t.window.practice
    return [button(screen, "pause_button"), button(screen, "end_button")]


def pacer_step(visual: str) -> Callable[[Tour], View]:
    def step(t: Tour) -> View:
        _practise(t)
        t.window.practice.set_visual(visual)
        t.advance(0.0)
        return View(t.window, actions=_practice_actions(t))

    return step


def go_focus(t: Tour) -> View:
    _practise(t)
    t.window.practice.open_focus()
    view = t.window.practice.focus_view
    assert view is not None
    t.advance(0.0)
    return View(view, kind="full", actions=all_buttons(view))


def go_eyes_closed(t: Tour) -> View:
    _practise(t)
    t.window.practice.set_eyes_closed(True)
    t.advance(0.0)
    return View(t.window, actions=_practice_actions(t))


def _attention(t: Tour, words: str) -> None:
    """From the attention list to the where-it-hurts step of the exercise named with ``words``."""
    w = t.window
    w.switch_buttons.button(1).click()
    home = w.attention_home
    rows = [home.list.item(r).text().lower() for r in range(home.list.count())]
    home.list.setCurrentRow(next((r for r, text in enumerate(rows) if words in text), 0))
    home.start()


def go_where(t: Tour) -> View:
    _attention(t, "somatic")
    for region in ("lower_back", "right_knee"):
        t.window.where.map.toggle(region)
    where = t.window.where
    return View(t.window, actions=[button(where, "skip_button"), button(where, "continue_button")])


def _attention_practice(t: Tour, words: str) -> None:
    _attention(t, words)
    w = t.window
    if w.stack.currentWidget() is w.screens.made("where"):
        for region in ("lower_back",):
            w.where.map.toggle(region)
        w.where.go_on()
        if w.stack.currentWidget() is w.screens.made("where"):  # a comfortable area next
            w.where.go_on()
    w.before.tension.set_value(6)
    w.before.pain.set_value(6)
    w.before.confirm()


def _attention_actions(t: Tour) -> list[tuple[str, QAbstractButton | None]]:
    screen = t.window.attention
    return [button(screen, "pause_button"), button(screen, "end_button")]


def go_attention(t: Tour) -> View:
    _attention_practice(t, "somatic")
    steps = t.window.attention.steps
    index = next((i for i, s in enumerate(steps) if s.spotlight == "pulse" and s.focus), 1)
    t.advance(LEAD_IN_S + (steps[index].start_s + steps[index].end_s) / 2)
    return View(t.window, actions=_attention_actions(t))


def go_counting(t: Tour) -> View:
    _attention_practice(t, "count")
    steps = t.window.attention.steps
    index = next((i for i, s in enumerate(steps) if s.counting), 0)
    t.advance(LEAD_IN_S + steps[index].start_s + 33.0)
    return View(t.window, actions=_attention_actions(t))


def _after(t: Tour) -> None:
    """A breathing practice run to its end: the after-ratings."""
    _practise(t)
    session = t.window.session
    assert session is not None
    t.advance(session.plan.planned_s + session.plan.end_cue_s + 5.0)  # past the quiet close


def go_after(t: Tour) -> View:
    _after(t)
    t.window.after.tension.set_value(3)
    return View(t.window, actions=[button(t.window.after, "continue_button")])


def go_summary(t: Tour) -> View:
    _after(t)
    t.window.after.tension.set_value(3)
    t.window.after.pain.set_skipped(True)
    t.window.after.confirm()
    return View(t.window, actions=[button(t.window.summary, "done_button")])


def history_step(tab: int) -> Callable[[Tour], View]:
    def step(t: Tour) -> View:
        t.window.show_history()
        history = t.window.history
        history.tabs.setCurrentIndex(tab)
        return View(t.window, actions=[button(history, "back_button")])

    return step


def go_settings(t: Tour) -> View:
    from trainer.desk.reminders import ReminderPlan
    from ui.shell.reminders import ReminderService

    w = t.window
    # As ui.shell.app does where reminders run (not started: nothing is due in the tour).
    service = ReminderService(w.profile.app_preferences, utc_now=w.utc_now, tz=w.tz, parent=w)
    service.set_plan(ReminderPlan(enabled=True))
    w.reminders = service
    w.open_settings()
    dialog = w.settings_dialog
    assert dialog is not None
    return View(dialog, kind="dialog", actions=[button(dialog, "ok_button")])


def go_help(t: Tour) -> View:
    t.window.open_help()
    dialog = t.window.help_dialog
    assert dialog is not None
    return View(dialog, kind="dialog", actions=[button(dialog, "close_button")])


def go_welcome(t: Tour) -> View:
    t.window.show_welcome()
    dialog = t.window.welcome_dialog
    assert dialog is not None
    return View(dialog, kind="dialog", actions=[button(dialog, "welcome", "next_button")])


def go_editor(t: Tour) -> View:
    t.window.home.new_pattern()
    editor = t.window.home.editor
    assert editor is not None
    return View(editor, kind="dialog", actions=[button(editor, "save_button")])


def go_finder(t: Tour) -> View:
    t.window.show_finder()
    return View(t.window, actions=[button(t.window.finder, "start_button")])


def go_finder_running(t: Tour) -> View:
    t.window.show_finder()
    t.window.finder.start()
    t.advance(LEAD_IN_S + 20.0)
    finder = t.window.finder
    return View(t.window, actions=[button(finder, "pause_button"), button(finder, "stop_button")])


def _presentation(t: Tour) -> Any:
    t.window.open_presentation()
    shown = t.window.presentation
    assert shown is not None
    shown.resize(*t.size)
    return shown


def go_presentation_list(t: Tour) -> View:
    return View(_presentation(t), kind="full", keyboard_only=True)


def presentation_step(kind: str) -> Callable[[Tour], View]:
    def step(t: Tour) -> View:
        shown = _presentation(t)
        for _ in range(len(shown.list.choices)):
            if shown.list.current.kind == kind:
                break
            shown.list.step_choice(1)
        shown.start()
        t.advance(LEAD_IN_S + (30.0 if kind == "attention" else 6.0))
        return View(shown, kind="full", keyboard_only=True)

    return step


def go_demonstration(t: Tour) -> View:
    t.window.set_demonstration(True)
    return View(t.window, actions=[button(t.window.home, "start_button")])


def go_mini_pacer(t: Tour) -> View:
    t.window.open_mini_pacer()
    mini = t.window.mini_pacer
    assert mini is not None
    t.advance(2.5)
    return View(mini, kind="float", actions=all_buttons(mini))


def go_profiles(t: Tour) -> View:
    t.window.manage_profiles()
    dialog = t.window.profiles.dialog
    assert dialog is not None
    return View(dialog, kind="dialog", actions=[box_button(dialog, "Close")])


def go_reminder(t: Tour) -> View:
    from ui.shell.reminders import ReminderPopup

    popup = ReminderPopup()
    t.extra.append(popup)
    popup.show_reminder(10)
    t.app.processEvents()
    return View(popup, kind="float", actions=all_buttons(popup))


HISTORY_TABS = ("summary", "ratings", "change", "exercise", "calendar", "sessions")

# The screens, in the order a person meets them: (name, step). Pictures are numbered this way.
SCREENS: tuple[tuple[str, Callable[[Tour], View]], ...] = (
    ("welcome", go_welcome),
    ("home", go_home),
    ("attention-home", go_attention_home),
    ("before-rating", go_before),
    ("session-circle", pacer_step("circle")),
    ("session-column", pacer_step("column")),
    ("session-wave", pacer_step("wave")),
    ("focus-mode", go_focus),
    ("eyes-closed", go_eyes_closed),
    ("where-it-hurts", go_where),
    ("attention-session", go_attention),
    ("breath-counting", go_counting),
    ("after-rating", go_after),
    ("summary", go_summary),
    *((f"history-{tab}", history_step(i)) for i, tab in enumerate(HISTORY_TABS)),
    ("settings", go_settings),
    ("help-keys", go_help),
    ("pattern-editor", go_editor),
    ("find-my-pace", go_finder),
    ("find-my-pace-running", go_finder_running),
    ("presentation-list", go_presentation_list),
    ("presentation-breathing", presentation_step("breathing")),
    ("presentation-attention", presentation_step("attention")),
    ("demonstration", go_demonstration),
    ("mini-pacer", go_mini_pacer),
    ("profiles", go_profiles),
    ("reminder", go_reminder),
)
REPORT = "report"  # the PDF report's pages: one set, the same at every size and theme
NAMES = (*(name for name, _step in SCREENS), REPORT)


def file_name(name: str) -> str:
    """``07-session-wave.png``: numbered in the order of SCREENS."""
    return f"{NAMES.index(name) + 1:02d}-{name}.png"


# -- drawing a screen as it sits on the screen ---------------------------------------------------


def _title_bar(painter: Any, x: int, y: int, width: int, title: str) -> None:
    """A plain title bar, as a window manager would draw one."""
    from PySide6.QtCore import QRect, Qt
    from PySide6.QtGui import QColor

    painter.fillRect(QRect(x, y, width, TITLE_BAR_PX), QColor("#3b3f45"))
    painter.setPen(QColor("#f0f0f0"))
    painter.drawText(QRect(x, y, width, TITLE_BAR_PX), Qt.AlignmentFlag.AlignCenter, title)


def place(t: Tour, view: View) -> tuple[int, int]:
    """Where the view's widget sits on the screen (its top-left, below any title bar), after
    sizing it as a window manager would: the main window fills the screen; a dialog keeps the
    size it asks for, no larger than the screen unless its minimum is; full screen fills it."""
    width, height = t.size
    w = view.widget
    if view.kind == "full":
        w.resize(width, height)
        return 0, 0
    if view.kind == "float":
        return w.x(), w.y()
    if view.kind == "dialog":
        wanted = w.size().expandedTo(w.sizeHint())
        w.resize(min(wanted.width(), width), min(wanted.height(), height - TITLE_BAR_PX))
        t.app.processEvents()
        x = max(0, (width - w.width()) // 2)
        y = max(TITLE_BAR_PX, (height - TITLE_BAR_PX - w.height()) // 2 + TITLE_BAR_PX)
        return x, y
    return 0, TITLE_BAR_PX


def picture(t: Tour, view: View, origin: tuple[int, int]) -> QPixmap:
    """The whole screen: the main window under its title bar, and the view over it."""
    from PySide6.QtGui import QColor, QPainter, QPixmap

    width, height = t.size
    screen = QPixmap(width, height)
    screen.fill(QColor("#202124"))
    painter = QPainter(screen)
    if view.kind != "full":
        _title_bar(painter, 0, 0, width, t.window.windowTitle())
        painter.drawPixmap(0, TITLE_BAR_PX, t.window.grab())
    if view.widget is not t.window:
        x, y = origin
        if view.kind == "dialog":
            _title_bar(painter, x, y - TITLE_BAR_PX, view.widget.width(), view.widget.windowTitle())
        painter.drawPixmap(x, y, view.widget.grab())
    painter.end()
    return screen


def misplaced(t: Tour, view: View, origin: tuple[int, int]) -> list[str]:
    """What is wrong with the view's main actions: missing, hidden, cut off or off screen."""
    from PySide6.QtCore import QPoint, QRect

    if view.keyboard_only:
        return []
    width, height = t.size
    screen = QRect(0, 0, width, height)
    found: list[str] = []
    for name, b in view.actions:
        if b is None:
            found.append(f"no button {name}")
            continue
        if not b.isVisible():
            found.append(f"{name!r} is hidden")
            continue
        shown = b.visibleRegion().boundingRect()
        if shown.width() < b.width() - 1 or shown.height() < b.height() - 1:
            found.append(f"{name!r} is partly hidden (scrolled or cut off by its screen)")
            continue
        top_left = b.mapTo(view.widget, QPoint(0, 0)) + QPoint(*origin)
        where = QRect(top_left, b.size())
        if not screen.contains(where):
            found.append(
                f"{name!r} is off screen (at {where.x()},{where.y()} "
                f"{where.width()}x{where.height()}; the screen is {width}x{height}, the window "
                f"{view.widget.width()}x{view.widget.height()})"
            )
    return found


# -- running a size ----------------------------------------------------------------------------


def _silence() -> None:
    """Sound and modal questions that would wait for a person: silent, and answered."""
    from ui.common import sound
    from ui.common.dialogs import Dialogs

    class SilentOutput:
        def play(self, stream: object, *, replace: bool) -> None:
            del stream, replace

        def fade_out(self) -> None:
            pass

        def poll(self) -> str | None:
            return None

        def close(self) -> None:
            pass

    sound.QtCueOutput = lambda rate, parent=None: SilentOutput()  # type: ignore[assignment,misc]

    def said(*args: object, **kwargs: object) -> None:
        print(f"  (a dialog said: {args[2] if len(args) > 2 else args})", file=sys.stderr)

    Dialogs.error = classmethod(lambda cls, *a, **k: said(*a))  # type: ignore[method-assign,assignment]
    Dialogs.info = classmethod(lambda cls, *a, **k: said(*a))  # type: ignore[method-assign,assignment]
    Dialogs.problem = classmethod(lambda cls, *a, **k: said(*a))  # type: ignore[method-assign,assignment]
    Dialogs.confirm = classmethod(lambda cls, *a, **k: True)  # type: ignore[method-assign,assignment]


def _quiet_qt() -> None:
    """Leave out the offscreen platform's notes about what it cannot do."""
    from PySide6.QtCore import qInstallMessageHandler

    def handler(_kind: object, _context: object, message: str) -> None:
        if "propagateSizeHints" not in message and "This plugin does not support" not in message:
            print(message, file=sys.stderr)

    qInstallMessageHandler(handler)


def make_demo(folder: Path) -> None:
    """A data folder with the demo profile's 60 days of practice up to DEMO_NOW."""
    from trainer.app.demo import create_demo_profile
    from trainer.content.catalog import load_catalog
    from trainer.content.scripts import load_scripts
    from trainer.store.store import Store

    store = Store.open_in(folder)
    try:
        create_demo_profile(store, "Sam", load_catalog(), load_scripts(), now=lambda: DEMO_NOW)
    finally:
        store.close()


@contextmanager
def opened(app: QApplication, demo: Path, work: Path, size: tuple[int, int]) -> Iterator[Tour]:
    """A main window on a fresh copy of the demo data, on the demo profile, filling the screen
    below a title bar; everything it opened is closed afterwards."""
    from PySide6.QtCore import QEvent

    from trainer.content.catalog import load_catalog
    from trainer.session.clock import FakeClock
    from trainer.store.store import Store
    from ui.common.ticker import ManualTicker
    from ui.shell.main_window import MainWindow

    if work.exists():
        shutil.rmtree(work)
    shutil.copytree(demo, work)
    store = Store.open_in(work)
    clock = FakeClock()
    start_s = clock.now_s()
    ticker = ManualTicker()
    profile = next(p for p in store.profiles.all() if "demo" in p.name)
    window = MainWindow(
        store=store,
        catalog=load_catalog(),
        clock=clock,
        utc_now=lambda: DEMO_NOW + timedelta(seconds=clock.now_s() - start_s),
        ticker=ticker,
        profile_id=profile.id,
    )
    window.resize(size[0], size[1] - TITLE_BAR_PX)
    window.move(0, TITLE_BAR_PX)
    window.show()
    app.processEvents()
    tour = Tour(app, window, store, clock, ticker, size)
    try:
        yield tour
    finally:
        window.end_without_asking()
        for other in tour.extra:
            other.close()
            other.deleteLater()
        for top in app.topLevelWidgets():
            if top.isVisible():
                top.hide()
        window.deleteLater()  # with its screens and dialogs
        app.sendPostedEvents(None, int(QEvent.Type.DeferredDelete))
        app.processEvents()
        store.close()


def run_size(
    size: tuple[int, int], themes: Sequence[str], names: Sequence[str], out: Path
) -> list[Finding]:
    """Every screen in ``names`` at ``size`` in each theme; returns what does not fit."""
    from PySide6.QtWidgets import QApplication

    from ui.common.theme import THEMES as THEME_SET
    from ui.common.theme import apply_theme

    app = QApplication.instance() or QApplication(["safesignal-tour"])
    assert isinstance(app, QApplication)
    _quiet_qt()
    _silence()
    at = f"{size[0]}x{size[1]}"
    findings: list[Finding] = []
    with tempfile.TemporaryDirectory(prefix="safesignal-tour-") as tmp:
        demo = Path(tmp) / "demo"
        make_demo(demo)
        for theme in themes:
            apply_theme(app, THEME_SET[theme])
            folder = out / f"{at}-{theme}"
            folder.mkdir(parents=True, exist_ok=True)
            for name, step in SCREENS:
                if name not in names:
                    continue
                with opened(app, demo, Path(tmp) / "data", size) as tour:
                    try:
                        view = step(tour)
                        app.processEvents()
                        origin = place(tour, view)
                        app.processEvents()
                        picture(tour, view, origin).save(str(folder / file_name(name)))
                        found = misplaced(tour, view, origin)
                    except Exception:  # one broken step must not end the tour
                        found = [f"the step failed:\n{traceback.format_exc()}"]
                    findings += [Finding(name, at, theme, what) for what in found]
    return findings


@dataclass(frozen=True)
class Finding:
    """Something wrong on one screen at one size in one theme."""

    screen: str
    size: str
    theme: str
    what: str


def summary(findings: Sequence[Finding]) -> list[str]:
    """One line per screen and size: what is wrong there and in which themes, in the order of
    SCREENS."""
    themes: dict[tuple[str, str, str], list[str]] = {}
    for f in findings:
        themes.setdefault((f.screen, f.size, f.what), []).append(f.theme)
    lines: dict[tuple[str, str, str], list[str]] = {}
    for (screen, size, what), seen in themes.items():
        lines.setdefault((screen, size, ", ".join(seen)), []).append(what)
    order = sorted(lines, key=lambda key: (NAMES.index(key[0]), key[1]))
    return [
        f"{screen} at {size} ({seen}): {'; '.join(lines[screen, size, seen])}"
        for screen, size, seen in order
    ]


def write_report(out: Path) -> None:
    """The demo profile's PDF report, each page as ``report/report-<n>.png`` (A4 at 100 dpi)."""
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QSize
    from PySide6.QtPdf import QPdfDocument
    from PySide6.QtWidgets import QApplication

    from trainer.analysis.report import prepare_report
    from trainer.store.store import Store
    from ui.report.document import render_report

    app = QApplication.instance() or QApplication(["safesignal-tour"])
    del app
    folder = out / REPORT
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="safesignal-tour-") as tmp:
        make_demo(Path(tmp))
        store = Store.open_in(Path(tmp))
        try:
            profile = next(p for p in store.profiles.all() if "demo" in p.name)
            content = prepare_report(
                store.sessions.table(profile.id),
                store.regions.pain_marks(profile.id),
                profile_name=profile.name,
                tz=UTC,
                today=DEMO_NOW.date(),
                created_at=DEMO_NOW,
            )
        finally:
            store.close()
    data = QByteArray(render_report(content))
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    document = QPdfDocument()
    document.load(buffer)
    for old in folder.glob("report-*.png"):
        old.unlink()
    for page in range(document.pageCount()):
        points = document.pagePointSize(page)
        size = QSize(round(points.width() * 100 / 72), round(points.height() * 100 / 72))
        document.render(page, size).save(str(folder / f"report-{page + 1}.png"))


# -- the command ---------------------------------------------------------------------------------


def _size(text: str) -> tuple[int, int]:
    match = re.fullmatch(r"(\d+)x(\d+)", text.strip())
    if match is None:
        raise argparse.ArgumentTypeError(f"{text!r} is not a size like 1024x600")
    return int(match[1]), int(match[2])


def _list(choices: Sequence[str]) -> Callable[[str], list[str]]:
    def parse(text: str) -> list[str]:
        chosen = [part.strip() for part in text.split(",") if part.strip()]
        wrong = [part for part in chosen if part not in choices]
        if wrong:
            raise argparse.ArgumentTypeError(
                f"unknown: {', '.join(wrong)} (choose from {', '.join(choices)})"
            )
        return chosen

    return parse


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python docs/screenshots.py",
        description="Draw every screen at each size and theme into docs/screenshots/tour/.",
    )
    parser.add_argument(
        "--sizes",
        type=lambda text: [_size(part) for part in text.split(",")],
        default=list(SIZES),
        help="screen sizes, such as 1024x600,1920x1080 (default: %(default)s)",
    )
    parser.add_argument("--themes", type=_list(THEMES), default=list(THEMES), help="themes")
    parser.add_argument(
        "--screens", type=_list(NAMES), default=list(NAMES), help="screens (see --list)"
    )
    parser.add_argument(
        "--out", type=Path, default=OUT, help="where to write (default: %(default)s)"
    )
    parser.add_argument(
        "--strict", action="store_true", help="exit 1 if any main action is off screen"
    )
    parser.add_argument(
        "--desktop", action="store_true", help="draw on this desktop, not offscreen"
    )
    parser.add_argument("--list", action="store_true", help="name the screens and stop")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    return parser.parse_args(list(argv))


def _worker_command(args: argparse.Namespace, size: tuple[int, int], found: Path) -> list[str]:
    return [
        sys.executable,
        str(Path(__file__).resolve()),
        "--worker",
        "--sizes",
        f"{size[0]}x{size[1]}",
        "--themes",
        ",".join(args.themes),
        "--screens",
        ",".join(args.screens),
        "--out",
        str(args.out),
        str(found),
    ]


def main(argv: Sequence[str] | None = None) -> int:
    """Run the tour; print where the pictures are and which screens' main actions do not fit."""
    arguments = list(sys.argv[1:] if argv is None else argv)
    found_file: Path | None = None
    if "--worker" in arguments:  # the last argument is where a worker writes its problems
        found_file = Path(arguments.pop())
    args = parse_args(arguments)
    if args.list:
        print("\n".join(NAMES))
        return 0
    sys.path.insert(0, str(ROOT))
    screens = [name for name in args.screens if name != REPORT]
    if args.worker:
        assert found_file is not None
        if not args.desktop:
            os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        seen = run_size(args.sizes[0], args.themes, screens, args.out)
        found_file.write_text(json.dumps([list(vars(f).values()) for f in seen]))
        return 0
    started = time.perf_counter()
    args.out.mkdir(parents=True, exist_ok=True)
    findings: list[Finding] = []
    with tempfile.TemporaryDirectory(prefix="safesignal-tour-") as tmp:
        for size in args.sizes if screens else []:
            at = f"{size[0]}x{size[1]}"
            found = Path(tmp) / f"found-{at}.json"
            env = dict(os.environ)
            if not args.desktop:  # a screen of exactly this size: what the app reads is true
                config = Path(tmp) / f"screen-{at}.json"
                config.write_text(json.dumps({"screens": [screen_config(size)]}))
                env["QT_QPA_PLATFORM"] = f"offscreen:configfile={config}"
            print(f"{at}: {', '.join(args.themes)} ...", flush=True)
            done = subprocess.run(_worker_command(args, size, found), env=env, check=False)
            if done.returncode != 0 or not found.exists():
                stopped = f"the tour stopped (exit status {done.returncode})"
                findings.append(Finding("welcome", at, "-", stopped))
            else:
                findings += [Finding(*row) for row in json.loads(found.read_text())]
    if REPORT in args.screens:
        if not args.desktop:
            os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        write_report(args.out)
    print(f"Pictures in {args.out} ({time.perf_counter() - started:.0f} s).")
    if findings:
        lines = summary(findings)
        print(f"\nScreens whose main action does not fit or cannot be found ({len(lines)}):")
        for line in lines:
            print(f"- {line}")
    else:
        print("Every screen's main action is on screen and visible.")
    return 1 if findings and args.strict else 0


def screen_config(size: tuple[int, int]) -> dict[str, object]:
    """One screen of ``size`` for Qt's offscreen platform, at 96 dpi and one pixel a point."""
    width, height = size
    return {
        "name": "tour",
        "x": 0,
        "y": 0,
        "width": width,
        "height": height,
        "logicalDpi": 96,
        "logicalBaseDpi": 96,
        "dpr": 1,
    }


if __name__ == "__main__":
    sys.exit(main())
