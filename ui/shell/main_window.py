"""The main window: moves between the exercise lists, where it hurts, rating, practice, summary
and history screens, showing what the practice flow (trainer.app.practice) asks for.

Only the first screen is built before the window shows; every other screen (and its imports)
is made the first time it is wanted.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, tzinfo
from typing import TYPE_CHECKING

from PySide6.QtCore import QPoint, QRect, QSize, Signal
from PySide6.QtGui import QCloseEvent, QKeySequence, QPaintEvent, QShortcut
from PySide6.QtWidgets import QMainWindow, QWidget

from trainer.app.profile import Change, ProfileInUse
from trainer.app.words import length_text, minutes_text
from trainer.content.catalog import Catalog, Exercise
from trainer.session.clock import Clock, LocalZone
from trainer.session.machine import Session, SessionPlan, SessionState
from trainer.store.store import Store
from ui.common.dialogs import Dialogs
from ui.common.ticker import FrameTicker, ManualTicker
from ui.library.home import HomeScreen
from ui.shell import desk_tools
from ui.shell.file_actions import FileActions
from ui.shell.header import Header
from ui.shell.menu import build_menu, open_help, open_settings, show_welcome
from ui.shell.profile_switch import ProfileSwitch
from ui.shell.screens import PageStack, Screens

if TYPE_CHECKING:
    from trainer.app.practice import PracticeFlow
    from trainer.content.bodymap import BodyMap
    from trainer.content.scripts import Script
    from trainer.safety.lock import DataFolderLock
    from trainer.session.recovery import RecoveredSession
    from ui.history.screen import HistoryScreen
    from ui.library.attention_home import AttentionHomeScreen
    from ui.practice.attention_screen import AttentionScreen
    from ui.practice.finder_screen import FinderScreen
    from ui.practice.presentation import PresentationWindow
    from ui.practice.rating import RatingScreen
    from ui.practice.session_screen import SessionScreen
    from ui.practice.summary import SummaryScreen
    from ui.practice.where_it_hurts import WhereItHurtsScreen
    from ui.shell.mini_pacer import MiniPacer
    from ui.shell.practice_view import PracticeView
    from ui.shell.reminders import ReminderService

# Every screen works in this much room: a 1024x600 screen under a title bar and a panel, or
# 1366x768 at 125% (1093x614). Tested in tests/ui/test_fit.py.
MINIMUM_SIZE = QSize(900, 520)
FIRST_SIZE = QSize(960, 720)  # the least it opens at, where the screen has room for it
LARGEST_FIRST_SIZE = QSize(1600, 1000)  # on a 4K screen: room to breathe, not a wall of it
FIRST_SHARE = 0.75  # of the screen's room, on a large screen
TITLE_BAR_PX = 40  # what a window manager's title bar and frame take above the window, about


def first_size(available: QSize) -> QSize:
    """The window's size when it opens on a screen with ``available`` room (its panels left
    out): about three quarters of that room (at least the usual 960x720, at most 1600x1000),
    never larger than the room under its title bar, never below the minimum."""
    share = QSize(round(available.width() * FIRST_SHARE), round(available.height() * FIRST_SHARE))
    room = QSize(available.width(), available.height() - TITLE_BAR_PX)
    wanted = share.expandedTo(FIRST_SIZE).boundedTo(LARGEST_FIRST_SIZE)
    return wanted.boundedTo(room).expandedTo(MINIMUM_SIZE)


def first_place(available: QRect, size: QSize) -> QPoint:
    """Where a window of ``size`` opens on a screen with ``available`` room: its frame (the
    title bar on top, which ``QWidget.move`` places) centred, never above or left of the room."""
    x = available.x() + max(0, (available.width() - size.width()) // 2)
    y = available.y() + max(0, (available.height() - size.height() - TITLE_BAR_PX) // 2)
    return QPoint(x, y)


class MainWindow(QMainWindow):
    """Shows one screen at a time; the practice flow and the profile in use do the work."""

    first_painted = Signal()

    def __init__(
        self,
        *,
        store: Store,
        catalog: Catalog,
        clock: Clock,
        utc_now: Callable[[], datetime],
        ticker: FrameTicker | ManualTicker,
        profile_id: int,
        scripts: tuple[Script, ...] | None = None,
        body_map: BodyMap | None = None,
    ) -> None:
        super().__init__()
        self.catalog = catalog
        self.clock, self.utc_now, self.ticker = clock, utc_now, ticker
        self.tz: tzinfo = LocalZone()  # this computer's zone, with its daylight-saving rules
        self._scripts, self._body_map = scripts, body_map
        self._painted = False
        self.profile = ProfileInUse(store, profile_id, catalog)
        self._flow: tuple[PracticeFlow, PracticeView] | None = None  # made when first wanted
        self.profile.changed.add(self._on_profile_changed)
        self.profile.problems.add(lambda it: Dialogs.problem(self, it.title, it.error, it.after))
        self.files = FileActions(self, self.profile, utc_now=utc_now, tz=self.tz)
        self.desk = desk_tools.DeskTools(self)
        self.reminders: ReminderService | None = None  # given by ui.shell.app where reminders run
        self.data_lock: DataFolderLock | None = None  # given by ui.shell.app when it holds the lock
        self.settings_dialog: QWidget | None = None
        self.help_dialog: QWidget | None = None
        self.welcome_dialog: QWidget | None = None
        self.setWindowTitle("Safe Signal")
        self.setMinimumSize(MINIMUM_SIZE)  # the pages never make it larger (see PageStack)
        room = self.screen().availableGeometry()  # what the screen's panels leave
        self.resize(first_size(room.size()))
        self.move(first_place(room, self.size()))  # centred in it

        self.home = HomeScreen(catalog, profile=self.profile, ticker=ticker, clock=clock)
        self.home.start_requested.connect(self.start_exercise)
        self.home.history_requested.connect(self.show_history)
        self.home.finder_requested.connect(self.show_finder)
        self.stack = PageStack()
        self.stack.addWidget(self.home)
        self.screens = Screens(self, self.stack)
        self._exercises_page: QWidget = self.home
        self.header = Header(self, self.stack, self.home.history_button)
        self.profiles = ProfileSwitch(
            self, self.profile, self.header.profile_bar, allowed=lambda: not self._busy_here()
        )
        self.switch, self.switch_buttons = self.header.switch, self.header.buttons
        self.profile_bar, self.demo_banner = self.header.profile_bar, self.header.demo_banner
        self.header.exercises_chosen.connect(self._switch_to_exercises)
        self.header.end_demonstration.connect(lambda: self.set_demonstration(False))
        self.setCentralWidget(self.header)
        menu = build_menu(self, self.header.menu_button)
        self.main_menu, self.demonstration_action = menu.menu, menu.demonstration
        self.profiles_action, self.import_action = menu.profiles, menu.import_sessions
        self.restore_action, self.welcome_action = menu.restore, menu.welcome
        QShortcut(QKeySequence("Ctrl+R"), self).activated.connect(self.show_finder)
        for keys, index in (("Ctrl+1", 0), ("Ctrl+2", 1)):
            switch = QShortcut(QKeySequence(keys), self)
            switch.activated.connect(lambda index=index: self._switch_to_exercises(index))
        self.profiles.refresh()
        self.stack.currentChanged.connect(self._on_page_changed)
        self._on_page_changed()
        self.home.take_focus()  # arrows and Enter work the moment the window opens

    # -- what the screens need, made when first wanted -------------------------------------------

    @property
    def scripts(self) -> tuple[Script, ...]:
        """The guided attention scripts (read the first time they are wanted)."""
        if self._scripts is None:
            from trainer.content.scripts import load_scripts

            self._scripts = load_scripts()
        return self._scripts

    def use_scripts(self, scripts: tuple[Script, ...]) -> None:
        """The scripts as read by the app's start (which says what was left out of them)."""
        if self._scripts is None:
            self._scripts = scripts

    @property
    def body_map(self) -> BodyMap:
        """The body map's regions (read the first time they are wanted)."""
        if self._body_map is None:
            from trainer.content.bodymap import load_body_map

            self._body_map = load_body_map()
        return self._body_map

    @property
    def flow(self) -> PracticeFlow:
        """The practice flow, and its view of dialogs and screens (made the first time a practice
        is started or asked about: the first screen does not need them)."""
        return self._practice()[0]

    @property
    def practice_view(self) -> PracticeView:
        """What the window shows of the practice flow."""
        return self._practice()[1]

    def _practice(self) -> tuple[PracticeFlow, PracticeView]:
        if self._flow is None:
            from trainer.app.practice import PracticeFlow
            from ui.shell.practice_view import PracticeView

            flow = PracticeFlow(self.profile, clock=self.clock, utc_now=self.utc_now, tz=self.tz)
            self._flow = flow, PracticeView(self, flow)
        return self._flow

    def _under_way(self) -> bool:
        """Whether a session is under way (no flow made yet: none is)."""
        return self._flow is not None and self._flow[0].session_under_way

    @property
    def before(self) -> RatingScreen:
        """The before-ratings."""
        return self.screens.before

    @property
    def after(self) -> RatingScreen:
        """The after-ratings."""
        return self.screens.after

    @property
    def practice(self) -> SessionScreen:
        """The breathing practice screen."""
        return self.screens.practice

    @property
    def attention(self) -> AttentionScreen:
        """The guided attention practice screen."""
        return self.screens.attention

    @property
    def summary(self) -> SummaryScreen:
        """The summary after a practice."""
        return self.screens.summary

    @property
    def where(self) -> WhereItHurtsScreen:
        """The "where it hurts" screen."""
        return self.screens.where

    @property
    def attention_home(self) -> AttentionHomeScreen:
        """The list of attention exercises."""
        screen = self.screens.attention_home
        screen.set_demonstrating(self._flow is not None and self._flow[0].demonstrating)
        return screen

    @property
    def finder(self) -> FinderScreen:
        """The resonance-rate finder."""
        return self.screens.finder

    @property
    def history(self) -> HistoryScreen:
        """The history screen."""
        return self.screens.history

    # -- navigation -----------------------------------------------------------------------------

    def show_screen(self, screen: QWidget) -> None:
        """Show ``screen`` and give it the keyboard."""
        self.stack.setCurrentWidget(screen)
        screen.setFocus()

    def _lists(self) -> tuple[QWidget | None, ...]:
        return (self.home, self.screens.made("attention_home"))

    def _on_page_changed(self, _index: int = 0) -> None:
        page = self.stack.currentWidget()
        on_list = page in self._lists()
        self.switch.setVisible(on_list)
        # Someone's session (or pace finder run) is under way: it stays theirs.
        free = ("summary", "history")
        self.profile_bar.set_locked(not on_list and page not in map(self.screens.made, free))
        if on_list and page is not None:
            self._exercises_page = page
            self.switch_buttons.button(0 if page is self.home else 1).setChecked(True)

    def _switch_to_exercises(self, index: int) -> None:
        """Show the breathing (0) or the attention (1) exercises (only from either list)."""
        if self.stack.currentWidget() in self._lists():
            self._exercises_page = self.home if index == 0 else self.attention_home
            self.show_home()

    def show_home(self) -> None:
        """Back to the list of exercises the person came from."""
        page = self._exercises_page
        self.stack.setCurrentWidget(page)
        (self.home if page is self.home else self.attention_home).take_focus()

    def show_finder(self) -> None:
        """Open the resonance-rate finder (from the exercise list only)."""
        if self.stack.currentWidget() is self.home:
            self.finder.reset()
            self.show_screen(self.finder)

    def show_history(self) -> None:
        """Show this profile's sessions, plots and figures (read afresh)."""
        self.history.reload()
        self.stack.setCurrentWidget(self.history)
        self.history.take_focus()

    # -- the practice flow ----------------------------------------------------------------------

    @property
    def session(self) -> Session | None:
        """The session prepared or under way, if any."""
        return None if self._flow is None else self._flow[0].session

    @property
    def demonstrating(self) -> bool:
        """Whether exercises run as demonstrations (nothing recorded, no ratings asked)."""
        return self.flow.demonstrating

    def set_demonstration(self, on: bool) -> None:
        """Run the next exercises as demonstrations (a clinician showing one), or record them.
        A session begun (its ratings asked, or under way) keeps the way it began: the switch is
        refused until it is over, with a word why, so the screen never says otherwise."""
        if self.demonstration_action.isChecked() != on:
            self.demonstration_action.setChecked(on)  # comes back here through toggled
            return
        session = self.session
        over = (SessionState.SAVED, SessionState.ABANDONED)
        begun = session is not None and session.state not in over
        if begun and on != self.flow.demonstrating:
            self.demonstration_action.blockSignals(True)
            self.demonstration_action.setChecked(self.flow.demonstrating)
            self.demonstration_action.blockSignals(False)
            text = "Please finish or end this session first: it stays as it began, "
            Dialogs.info(self, "Demonstration", text + "recorded or a demonstration.")
            return
        self.flow.demonstrating = on
        self.demo_banner.setVisible(on)
        self.home.set_demonstrating(on)  # its Start card says so too
        attention_home = self.screens.made("attention_home")
        if attention_home is not None:
            self.attention_home.set_demonstrating(on)
        self.profiles.set_demonstrating(on)  # no one's name on screen
        self.profiles_action.setEnabled(not on)  # nor the list of them

    def start_exercise(self, exercise: Exercise, plan: SessionPlan, *, quick: bool = False) -> None:
        """Prepare a session of ``plan`` (made from ``exercise``) and ask for the before-ratings
        (first where it hurts, when the person asked for that on the home screen); ``quick``:
        a quick reset, which asks only what the person chose in the settings."""
        heading = f"{exercise.title} · {length_text(plan)}"
        where = self.home.where_first.isChecked()
        self.flow.start_breathing(plan, heading, ask_where=where, quick=quick)

    def prepare_attention(self, script: Script, minutes: int) -> None:
        """Ask where it hurts (optional) before an attention exercise."""
        self.flow.start_attention(script, minutes, f"{script.title} · {minutes_text(minutes)}")

    def offer_recovery(self, recovered: list[RecoveredSession] | None = None) -> None:
        """At start: see :func:`ui.shell.practice_dialogs.offer_recovery`."""
        from ui.shell.practice_dialogs import offer_recovery

        offer_recovery(self, self.flow, self.clock, self.tz, recovered)

    # -- the rest of the menu -------------------------------------------------------------------

    def show_welcome(self) -> None:
        """The two short welcome pages, and a first exercise to try (unless busy by then)."""
        show_welcome(
            self, lambda chosen: None if self.busy() else desk_tools.start_listed(self, chosen)
        )

    def open_presentation(self) -> None:
        """Show the exercises full screen for a room: large, high contrast, keyboard only,
        nothing personal, nothing recorded (not while a session is under way here)."""
        if self._under_way() and self.desk.presentation is None:
            text = "Please finish or end this session first; presentation mode runs its own "
            Dialogs.info(self, "Presentation mode", text + "exercises.")
            return
        self.desk.open_presentation(self._on_presentation_closed)

    @property
    def presentation(self) -> PresentationWindow | None:
        """The presentation window, while it is open."""
        return self.desk.presentation

    def _on_presentation_closed(self) -> None:
        self.activateWindow()
        if self.stack.currentWidget() in self._lists():
            self.show_home()

    def open_mini_pacer(self) -> None:
        """A small always-on-top pacer of the highlighted breathing exercise."""
        self.desk.open_mini_pacer(self.home.current_exercise().pattern)

    @property
    def mini_pacer(self) -> MiniPacer | None:
        """The mini pacer, while it is open."""
        return self.desk.mini_pacer

    def open_settings(self) -> None:
        """Settings for this computer and for the profile in use (Ctrl+,)."""
        open_settings(self)

    def open_help(self) -> None:
        """Keys, what the figures mean, and the sources behind the exercises (F1)."""
        open_help(self)

    def export_history(self) -> None:
        """Save every session of the profile in use as CSV or JSON."""
        self.files.export_history()

    # -- at the desk ------------------------------------------------------------------------------

    def busy(self) -> bool:
        """Whether someone is practising or presenting, or an import is under way (a reminder
        then waits its turn, and the tray starts nothing)."""
        return self._busy_here() or self.desk.presentation is not None or self.files.importing

    def _busy_here(self) -> bool:
        """Whether someone's session or pace-finder run is under way in this window."""
        return self._under_way() or self._finding()

    def _finding(self) -> bool:
        """Whether a pace-finder run is under way."""
        return self.screens.made("finder") is not None and self.finder.running

    def bring_forward(self) -> None:
        """Show the window (from the tray or a reminder) in front of the others."""
        if self.isMinimized():
            self.showNormal()
        self.show()
        self.raise_()
        self.activateWindow()

    def last_exercise(self) -> tuple[str, str, str] | None:
        """The newest session's (exercise id, kind, title) of the profile in use."""
        return desk_tools.last_exercise(self.profile)

    def start_last_exercise(self) -> None:
        """Start the exercise practised last, as it is set up now (from the tray)."""
        self.bring_forward()
        desk_tools.start_last_exercise(self)

    def start_reset(self) -> None:
        """A 1-minute reset, started at once (from the tray, a reminder or Ctrl+Shift+R)."""
        self.bring_forward()
        desk_tools.start_reset(self)

    # -- profiles -------------------------------------------------------------------------------

    @property
    def profile_id(self) -> int:
        """The profile in use: every screen shows and saves only this profile's data."""
        return self.profile.profile_id

    def _refresh_profiles(self) -> None:
        self.profiles.refresh()

    def switch_profile(self, profile_id: int) -> None:
        """Make ``profile_id`` the profile in use: its patterns, preferences and history replace
        the last one's everywhere, and nothing of the last one stays on screen. Refused (the
        switcher is locked) while a session or a pace-finder run is under way."""
        self.profiles.switch(profile_id)

    def manage_profiles(self) -> None:
        """Open the profiles window (add, rename, archive, delete)."""
        self.profiles.manage()

    def _on_profile_changed(self, change: Change) -> None:
        if change is not Change.PROFILE:
            return
        # The practice screens hold the last profile's choices (sound, pacer, text size):
        # they are made again, for this profile, when next wanted.
        self._close_practice_screens()
        self.screens.forget("practice")
        self.screens.forget("attention")
        if self.screens.made("summary") is not None:
            self.summary.clear()
        self.show_home()

    # -- window events --------------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if not self._painted:
            self._painted = True
            self.first_painted.emit()

    def _close_practice_screens(self) -> None:
        """Let the practice screens' sound (and the attention screen's voice) go."""
        if self.screens.made("practice") is not None:
            self.practice.sound.close()
        if self.screens.made("attention") is not None:
            self.attention.shutdown()

    def end_without_asking(self) -> None:
        """The app must close now, with no one to ask (a signal, a session logout): keep what
        is under way (a session as interrupted, with the time practised; a pace-finder run's
        finished paces) and let the practice screens go. What cannot be kept now was saved
        every few seconds and is kept as interrupted at the next start."""
        from trainer.errors import SafeSignalError

        if self._finding():
            self.finder.stop_for_quit()
        if self._flow is not None and self._flow[1].save_pending() is not None:
            logging.getLogger(__name__).warning("after-ratings not saved: the database was busy")
        if self._under_way():
            try:
                self.flow.leave(interrupted=True)
            except SafeSignalError as exc:
                logging.getLogger(__name__).warning("could not keep the session: %s", exc)
        self.desk.close()
        self._close_practice_screens()

    def closeEvent(self, event: QCloseEvent) -> None:
        from ui.shell.practice_dialogs import may_quit

        finder = self.finder if self._finding() else None
        # After-ratings a quiet retry still holds are saved now, or rescued with the session.
        after = self._flow[1].save_pending() if self._flow is not None else None
        if not may_quit(self, self.flow, finder, after):
            event.ignore()
            return
        self.desk.close()
        self._close_practice_screens()
        event.accept()
