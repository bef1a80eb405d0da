"""The main window: moves between the exercise lists, where it hurts, rating, practice, summary
and history screens."""

from __future__ import annotations

import contextlib
import itertools
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import (
    QAction,
    QCloseEvent,
    QFont,
    QFontMetrics,
    QKeySequence,
    QPaintEvent,
    QShortcut,
)
from PySide6.QtWidgets import (
    QApplication,
    QButtonGroup,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMenu,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from trainer.app.settings import (
    load_app_settings,
    load_profile_settings,
    save_app_settings,
)
from trainer.app.words import sessions_text
from trainer.content.attention import attention_plan
from trainer.content.bodymap import REGION_IDS, BodyMap, load_body_map
from trainer.content.catalog import Catalog, Exercise
from trainer.content.scripts import Script, load_scripts, resolve
from trainer.errors import SafeSignalError, StoreError
from trainer.session.clock import Clock, LocalZone
from trainer.session.machine import Ratings, Session, SessionPlan, SessionState, demonstration
from trainer.session.recovery import RecoveredSession, recover_unfinished
from trainer.session.rescue import rescue_record, save_rescued
from trainer.store.exchange import FORMATS, export_sessions, read_export
from trainer.store.store import Store
from ui.common.dialogs import Dialogs
from ui.common.theme import scaled_font
from ui.common.ticker import FrameTicker, ManualTicker
from ui.library.attention_home import AttentionHomeScreen
from ui.library.home import HomeScreen, length_text, minutes_text
from ui.practice.attention_screen import AttentionScreen
from ui.practice.finder_screen import FinderScreen
from ui.practice.rating import RatingScreen
from ui.practice.recovery import AfterRatingsDialog
from ui.practice.session_screen import SessionScreen, save_choice
from ui.practice.summary import SummaryScreen
from ui.practice.where_it_hurts import WhereItHurtsScreen
from ui.shell.profiles import ACTIVE_PROFILE_SETTING, ProfileBar, ProfilesDialog

if TYPE_CHECKING:
    from trainer.safety.lock import DataFolderLock
    from ui.history.screen import HistoryScreen
    from ui.practice.presentation import PresentationWindow
    from ui.shell.mini_pacer import MiniPacer
    from ui.shell.reminders import ReminderService

ACTIVE_STATES = (SessionState.RUNNING, SessionState.PAUSED, SessionState.RATE_AFTER)
RESET_EXERCISE = "coherent-5-5"  # the 1-minute reset: an even, easy 5 in, 5 out
RESET_MINUTES = 1
LAST_PAIN_PREFERENCE = "last_pain_regions"
LAST_COMFORT_PREFERENCE = "last_comfort_regions"
WHERE_FIRST_PREFERENCE = "breathing_where_first"
SWITCH_STYLE = (
    "QPushButton[segment] { border-radius: 0; padding: 6px 14px; }"
    'QPushButton[segment="breathing"] {'
    " border-top-left-radius: 6px; border-bottom-left-radius: 6px; }"
    'QPushButton[segment="attention"] {'
    " border-top-right-radius: 6px; border-bottom-right-radius: 6px; }"
)


def _local_zone() -> tzinfo:
    """This computer's time zone with its daylight-saving rules, so "the first 14 days" are the
    person's own days and a summer evening is not moved by winter's offset."""
    return LocalZone()


RESCUE_ACTION = "Save this session elsewhere…"


@dataclass
class _Preparing:
    """The practice being prepared before its ratings: what to start and the areas marked."""

    heading: str
    plan: SessionPlan | None = None  # a breathing exercise
    script: Script | None = None  # or an attention exercise at ``minutes``
    minutes: int = 0
    pain: tuple[str, ...] = ()
    comfort: tuple[str, ...] = ()


class MainWindow(QMainWindow):
    """Owns the screens and the current session; gets everything else from ``ui.shell.app``."""

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
        self._store = store
        self._catalog = catalog
        self._clock = clock
        self._utc_now = utc_now
        self._profile_id = profile_id
        self._painted = False
        self.session: Session | None = None
        self._scripts = load_scripts() if scripts is None else scripts
        self._body_map = load_body_map() if body_map is None else body_map
        self._preferences = store.preferences.for_profile(profile_id)
        self._preparing: _Preparing | None = None
        self.setWindowTitle("Safe Signal")
        self.resize(960, 720)

        self.home = HomeScreen(
            catalog, store=store, profile_id=profile_id, ticker=ticker, clock=clock
        )
        self.before = RatingScreen(
            "Before you begin",
            "How do you feel right now? There are no right answers; a rough number is fine.",
            clock,
            can_cancel=True,
            continue_text="Begin practice (Enter)",
        )
        self.practice = SessionScreen(ticker, preferences=self._preferences)
        self.attention_home = AttentionHomeScreen(self._scripts)
        # Made when first wanted: building the body maps would slow every start-up.
        self._ticker = ticker
        self._where: WhereItHurtsScreen | None = None
        self._attention_screen: AttentionScreen | None = None
        self.after = RatingScreen(
            "How do you feel now?",
            "Take a moment to notice your body, then rate the same two things again.",
            clock,
            can_cancel=False,
            continue_text="Save (Enter)",
        )
        self.summary = SummaryScreen()
        self._history: HistoryScreen | None = None  # made when first wanted (pyqtgraph)
        self._tz = _local_zone()
        self.finder = FinderScreen(
            ticker=ticker, clock=clock, utc_now=utc_now, store=store, profile_id=profile_id
        )
        self.stack = QStackedWidget()
        for screen in (
            self.home,
            self.before,
            self.practice,
            self.after,
            self.summary,
            self.finder,
            self.attention_home,
        ):
            self.stack.addWidget(screen)
        self._exercises_page: QWidget = self.home
        self._profiles_dialog: ProfilesDialog | None = None
        self.setCentralWidget(self._with_switch(self.stack))
        # Tab goes through the exercises page first, then the header, then round again.
        header_chain = (
            self.home.history_button,
            self.switch_buttons.button(0),
            self.switch_buttons.button(1),
            self.profile_bar.choice,
            self.profile_bar.manage,
        )
        for first, second in itertools.pairwise(header_chain):
            QWidget.setTabOrder(first, second)
        self._refresh_profiles()
        self.stack.currentChanged.connect(self._on_page_changed)
        self._on_page_changed()

        self.home.start_requested.connect(self.start_exercise)
        self.attention_home.start_requested.connect(self.prepare_attention)
        with contextlib.suppress(SafeSignalError):
            wanted = self._preferences.get(WHERE_FIRST_PREFERENCE, "off") == "on"
            self.home.where_first.setChecked(wanted)
        self.home.where_first.toggled.connect(self._on_where_first_toggled)
        self.home.history_requested.connect(self.show_history)
        self.home.finder_requested.connect(self.show_finder)
        self.before.confirmed.connect(self._on_before_confirmed)
        self.before.cancelled.connect(self._on_before_cancelled)
        self.after.confirmed.connect(self._on_after_confirmed)
        self.summary.done.connect(self.show_home)
        self.summary.history_requested.connect(self.show_history)
        self.finder.done.connect(self.show_home)
        self.finder.pattern_saved.connect(self._on_pattern_saved)
        finder_shortcut = QShortcut(QKeySequence("Ctrl+R"), self)
        finder_shortcut.activated.connect(self.show_finder)
        for keys, page in (("Ctrl+1", self.home), ("Ctrl+2", self.attention_home)):
            switch = QShortcut(QKeySequence(keys), self)
            switch.activated.connect(lambda page=page: self._switch_to(page))
        self._presentation: PresentationWindow | None = None
        self._mini: MiniPacer | None = None
        self.reminders: ReminderService | None = None  # given by ui.shell.app where reminders run
        self.data_lock: DataFolderLock | None = None  # given by ui.shell.app when it holds the lock
        self._build_menu()
        self.settings_dialog: QWidget | None = None
        self.help_dialog: QWidget | None = None
        self.welcome_dialog: QWidget | None = None
        self._apply_profile_settings()
        self.home.list.setFocus()  # arrows and Enter work the moment the window opens

    # -- navigation -----------------------------------------------------------------------------

    @property
    def where(self) -> WhereItHurtsScreen:
        """The "where do you feel it?" screen (made the first time it is needed)."""
        if self._where is None:
            self._where = WhereItHurtsScreen(self._body_map)
            self._where.confirmed.connect(self._on_regions_confirmed)
            self._where.cancelled.connect(self.show_home)
            self.stack.addWidget(self._where)
        return self._where

    @property
    def attention(self) -> AttentionScreen:
        """The guided attention practice screen (made the first time it is needed)."""
        if self._attention_screen is None:
            self._attention_screen = AttentionScreen(
                self._ticker, self._body_map, preferences=self._preferences
            )
            self.stack.addWidget(self._attention_screen)
        return self._attention_screen

    @property
    def history(self) -> HistoryScreen:
        """The history screen (made the first time it is needed: pyqtgraph is slow to import)."""
        if self._history is None:
            from ui.history.screen import HistoryScreen

            self._history = HistoryScreen(
                self._store, tz=self._tz, today=lambda: self._utc_now().astimezone(self._tz).date()
            )
            self._history.back.connect(self.show_home)
            self._history.report_requested.connect(self.save_report)
            self._history.export_requested.connect(self.export_history)
            self.stack.addWidget(self._history)
        return self._history

    def _show(self, screen: QWidget) -> None:
        self.stack.setCurrentWidget(screen)

    def _with_switch(self, stack: QStackedWidget) -> QWidget:
        """The pages under a header: the Breathing | Attention switch (over the two exercise
        lists only) and, always, whose practice this is."""
        self.switch = QWidget()
        row = QHBoxLayout(self.switch)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(0)
        self.switch_buttons = QButtonGroup(self)
        for index, (name, text) in enumerate(
            (("breathing", "Breathing (Ctrl+1)"), ("attention", "Attention (Ctrl+2)"))
        ):
            button = QPushButton(text)
            button.setCheckable(True)
            button.setProperty("segment", name)
            button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
            button.setAccessibleName(f"{name.capitalize()} exercises")
            bold = QFont(button.font())
            bold.setBold(True)  # the chosen one is bold: leave it room
            button.setMinimumWidth(QFontMetrics(bold).horizontalAdvance(text) + 32)
            self.switch_buttons.addButton(button, index)
            row.addWidget(button)
        row.addStretch(1)
        self.switch.setStyleSheet(SWITCH_STYLE)
        self.switch_buttons.idClicked.connect(
            lambda index: self._switch_to(self.home if index == 0 else self.attention_home)
        )
        self.profile_bar = ProfileBar()
        self.profile_bar.switch_requested.connect(self.switch_profile)
        self.profile_bar.manage_requested.connect(self.manage_profiles)
        self.menu_button = QPushButton("Menu")
        self.menu_button.setAccessibleName("Main menu")
        self.menu_button.setToolTip("Settings, profiles, presentation mode and help (F10)")
        header = QHBoxLayout()
        header.setContentsMargins(32, 12, 32, 0)
        header.addWidget(self.switch)
        header.addStretch(1)
        header.addWidget(self.profile_bar)
        header.addWidget(self.menu_button)
        self.demo_banner = QLabel(
            "Demonstration: nothing is recorded, and no ratings are asked. "
            "Ctrl+Shift+D goes back to recording."
        )
        self.demo_banner.setWordWrap(True)
        self.demo_banner.setAccessibleName("Demonstration mode is on")
        self.demo_banner.setFont(scaled_font(self.demo_banner, 1.0, bold=True))
        # Palette roles, so the banner follows a change of theme by itself.
        self.demo_banner.setStyleSheet(
            "QLabel { background: palette(highlight); color: palette(highlighted-text);"
            " border-radius: 6px; padding: 6px 12px; margin: 8px 32px 0 32px; }"
        )
        self.demo_banner.hide()
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addLayout(header)
        layout.addWidget(self.demo_banner)
        layout.addWidget(stack, 1)
        return central

    def _build_menu(self) -> None:
        """The main menu (F10 or the Menu button); every entry also has a key of its own."""
        menu = QMenu(self)
        self.main_menu = menu

        def action(
            text: str, keys: str | QKeySequence.StandardKey | None, slot: Callable[[], object]
        ) -> QAction:
            made = QAction(text, self)
            if keys is not None:
                made.setShortcut(QKeySequence(keys))
                made.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            made.triggered.connect(lambda _checked=False: slot())
            self.addAction(made)  # the key works even while the menu is closed
            menu.addAction(made)
            return made

        self.demonstration_action = action(
            "Demonstration, not recorded", "Ctrl+Shift+D", lambda: None
        )
        self.demonstration_action.setCheckable(True)
        self.demonstration_action.toggled.connect(self.set_demonstration)
        self.presentation_action = action("Presentation mode…", "F5", self.open_presentation)
        self.mini_action = action("Mini pacer", "Ctrl+Shift+M", self.open_mini_pacer)
        self.reset_action = action("A 1-minute reset", "Ctrl+Shift+R", self.start_reset)
        menu.addSeparator()
        self.profiles_action = action("Profiles…", None, self.manage_profiles)
        self.settings_action = action("Settings…", "Ctrl+,", self.open_settings)
        self.import_action = action("Import sessions…", "Ctrl+I", self.import_history)
        self.restore_action = action("Restore from a backup…", None, self.restore_from_backup)
        menu.addSeparator()
        self.help_action = action("Help", "F1", self.open_help)
        self.welcome_action = action("Welcome", None, self.show_welcome)
        menu.addSeparator()
        self.quit_action = action("Quit", QKeySequence.StandardKey.Quit, self.close)
        self.menu_button.setMenu(menu)
        for keys in ("F10", "Alt+M"):
            opener = QShortcut(QKeySequence(keys), self)
            opener.activated.connect(self.menu_button.showMenu)

    def _on_page_changed(self, _index: int = 0) -> None:
        page = self.stack.currentWidget()
        on_list = page in (self.home, self.attention_home)
        self.switch.setVisible(on_list)
        # Someone's session (or pace finder run) is under way: it stays theirs.
        free = page in (self.home, self.attention_home, self.summary) or (
            self._history is not None and page is self._history
        )
        self.profile_bar.set_locked(not free)
        if on_list:
            self._exercises_page = page
            self.switch_buttons.button(0 if page is self.home else 1).setChecked(True)

    def _switch_to(self, page: QWidget) -> None:
        """Show the breathing or the attention exercises (only from either list)."""
        if self.stack.currentWidget() in (self.home, self.attention_home):
            self._show(page)
            (self.home.list if page is self.home else self.attention_home.list).setFocus()

    def show_home(self) -> None:
        """Back to the list of exercises the person came from."""
        page = self._exercises_page
        self._show(page)
        (self.home.list if page is self.home else self.attention_home.list).setFocus()

    # -- settings, help and the welcome -----------------------------------------------------------

    def _apply_profile_settings(self) -> None:
        """Use the profile's own settings where they are not read afresh at each session: the
        default length (the practice screens read reduced motion, sound and pacer at begin)."""
        settings = load_profile_settings(self._preferences, self._catalog)
        self.home.set_default_minutes(settings.default_length_min)
        if self._mini is not None:  # open across a switch of profile
            self._mini.pacer.set_reduced_motion(settings.reduced_motion)

    def open_settings(self) -> None:
        """Settings for this computer (theme, reminders) and for the profile in use."""
        from ui.shell.settings_dialog import SettingsDialog

        try:
            name = self._store.profiles.get(self._profile_id).name
        except SafeSignalError as exc:
            Dialogs.error(self, "Could not open the settings", str(exc))
            return
        dialog = SettingsDialog(
            app_prefs=self._store.app_settings,
            profile_prefs=self._preferences,
            profile_name=name,
            lengths=self._catalog,
            data_dir=self._store.path.parent,
            parent=self,
        )
        reminders = self.reminders
        if reminders is not None:
            from ui.shell.reminders import ReminderEditor

            editor = ReminderEditor(reminders.plan)
            editor.set_status(reminders.next_due_text())
            dialog.add_section("Reminders", editor, save=lambda: reminders.set_plan(editor.plan()))
        dialog.applied.connect(self._on_settings_applied)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.settings_dialog = dialog
        dialog.open()

    def _on_settings_applied(self, app_settings: object, profile_settings: object) -> None:
        from trainer.app.settings import AppSettings, ProfileSettings
        from ui.common.theme import apply_theme_choice

        assert isinstance(app_settings, AppSettings)
        assert isinstance(profile_settings, ProfileSettings)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            apply_theme_choice(app, app_settings.theme)
        self.home.set_default_minutes(profile_settings.default_length_min)
        self.practice.set_sound_mode(profile_settings.sound_mode, remember=False)
        self.practice.volume.setValue(profile_settings.sound_volume_pct)
        self.practice.set_visual(profile_settings.pacer_visual)
        self.practice.set_reduced_motion(profile_settings.reduced_motion)
        if self._attention_screen is not None:
            self._attention_screen.set_reduced_motion(profile_settings.reduced_motion)
        if self._mini is not None:
            self._mini.pacer.set_reduced_motion(profile_settings.reduced_motion)

    def open_help(self) -> None:
        """Keys, what the figures mean, and the sources behind the exercises (F1)."""
        from ui.shell.help import HelpDialog

        dialog = HelpDialog(self._catalog, self._scripts, self)
        dialog.welcome_requested.connect(self.show_welcome)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.help_dialog = dialog
        dialog.open()

    def show_welcome(self) -> None:
        """The two short welcome pages, and a first exercise to try (shown once at first start,
        and again from the menu or Help)."""
        from ui.shell.welcome import WelcomeDialog

        dialog = WelcomeDialog(self._catalog, self)
        dialog.exercise_chosen.connect(self._on_welcome_done)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.welcome_dialog = dialog
        dialog.open()

    def _on_welcome_done(self, exercise_id: object) -> None:
        prefs = self._store.app_settings
        # Not saved? Then it shows again next time, which is all that is lost.
        with contextlib.suppress(SafeSignalError):
            save_app_settings(prefs, replace(load_app_settings(prefs), welcome_seen=True))
        if exercise_id is None or self.busy():
            return
        exercise = self.home.exercise_by_id(str(exercise_id))
        if exercise is not None:
            self._show(self.home)
            self.start_exercise(exercise, self.home.plan_for(exercise))

    # -- demonstrations and presentation ----------------------------------------------------------

    @property
    def demonstrating(self) -> bool:
        """Whether exercises run as demonstrations (nothing recorded, no ratings asked)."""
        return self.demonstration_action.isChecked()

    def set_demonstration(self, on: bool) -> None:
        """Run the next exercises as demonstrations (a clinician showing one), or record them.
        A session already under way keeps the way it started."""
        if self.demonstration_action.isChecked() != on:
            self.demonstration_action.setChecked(on)  # comes back here through toggled
            return
        self.demo_banner.setVisible(on)

    def open_presentation(self) -> None:
        """Show the exercises full screen for a room (on a chosen screen when there are
        several): large, high contrast, keyboard only, nothing personal, nothing recorded."""
        if self._presentation is not None:
            self._presentation.raise_()
            self._presentation.activateWindow()
            return
        if self.session is not None and self.session.state in ACTIVE_STATES:
            Dialogs.info(
                self,
                "Presentation mode",
                "Please finish or end this session first; presentation mode runs its own "
                "exercises.",
            )
            return
        from ui.practice.presentation import PresentationWindow, choose_screen

        screen = choose_screen(self)
        if screen is None:
            return
        if isinstance(self._ticker, FrameTicker):
            ticker: FrameTicker | ManualTicker = FrameTicker(rate_hz=screen.refreshRate())
        else:
            ticker = self._ticker  # tests drive one manual ticker
        window = PresentationWindow(
            catalog=self._catalog,
            scripts=self._scripts,
            body_map=self._body_map,
            clock=self._clock,
            utc_now=self._utc_now,
            ticker=ticker,
        )
        if isinstance(ticker, FrameTicker):
            ticker.setParent(window)
        window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        window.closed.connect(self._on_presentation_closed)
        self._presentation = window
        window.present_on(screen)

    @property
    def presentation(self) -> PresentationWindow | None:
        """The presentation window, while it is open."""
        return self._presentation

    def _on_presentation_closed(self) -> None:
        self._presentation = None
        self.activateWindow()
        if self.stack.currentWidget() in (self.home, self.attention_home):
            self.show_home()

    # -- at the desk ------------------------------------------------------------------------------

    def busy(self) -> bool:
        """Whether someone is practising or presenting (a reminder then waits its turn)."""
        running = self.session is not None and self.session.state in ACTIVE_STATES
        return running or self.finder.running or self._presentation is not None

    def bring_forward(self) -> None:
        """Show the window (from the tray or a reminder) in front of the others."""
        if self.isMinimized():
            self.showNormal()
        self.show()
        self.raise_()
        self.activateWindow()

    def last_exercise(self) -> tuple[str, str, str] | None:
        """The newest session's (exercise id, kind, title) of the profile in use."""
        try:
            latest = self._store.sessions.of_profile(self._profile_id, limit=1)
        except SafeSignalError:
            return None
        if not latest:
            return None
        return latest[0].exercise_id, latest[0].kind, latest[0].title

    def start_last_exercise(self) -> None:
        """Start the exercise practised last, as it is set up now (from the tray)."""
        self.bring_forward()
        last = self.last_exercise()
        if self.busy() or last is None:
            return
        exercise_id, kind, _title = last
        if kind == "attention":
            for script in self._scripts:
                if script.id == exercise_id:
                    self._show(self.attention_home)
                    self.prepare_attention(script, self.attention_home.minutes_for(script))
                    return
            return
        exercise = self.home.exercise_by_id(exercise_id)
        if exercise is not None:
            self._show(self.home)
            self.start_exercise(exercise, self.home.plan_for(exercise))

    def start_reset(self) -> None:
        """A 1-minute reset: a minute of even, easy breathing, started at once (from the tray,
        a reminder or Ctrl+Shift+R)."""
        self.bring_forward()
        if self.busy():
            return
        exercise = self.home.exercise_by_id(RESET_EXERCISE)
        if exercise is None:
            return
        self._show(self.home)
        self.start_exercise(exercise, exercise.plan(RESET_MINUTES))

    def open_mini_pacer(self) -> None:
        """A small always-on-top pacer of the highlighted breathing exercise, for a corner of
        the screen while working (nothing recorded)."""
        from ui.shell.mini_pacer import MiniPacer

        pattern = self.home.current_exercise().pattern
        if self._mini is not None:
            self._mini.set_pattern(pattern)
            self._mini.raise_()
            return
        if isinstance(self._ticker, FrameTicker):
            ticker: FrameTicker | ManualTicker = FrameTicker()
        else:
            ticker = self._ticker  # tests drive one manual ticker
        mini = MiniPacer(pattern, clock=self._clock, ticker=ticker, prefs=self._store.app_settings)
        if isinstance(ticker, FrameTicker):
            ticker.setParent(mini)
        reduced = load_profile_settings(self._preferences, self._catalog).reduced_motion
        mini.pacer.set_reduced_motion(reduced)
        mini.closed.connect(self._on_mini_closed)
        self._mini = mini
        mini.open()

    @property
    def mini_pacer(self) -> MiniPacer | None:
        """The mini pacer, while it is open."""
        return self._mini

    def _on_mini_closed(self) -> None:
        if self._mini is not None:
            self._mini.deleteLater()
        self._mini = None

    # -- profiles -------------------------------------------------------------------------------

    @property
    def profile_id(self) -> int:
        """The profile in use: every screen shows and saves only this profile's data."""
        return self._profile_id

    def _refresh_profiles(self) -> None:
        try:
            profiles = self._store.profiles.all()
            name = self._store.profiles.get(self._profile_id).name
        except SafeSignalError as exc:
            Dialogs.error(self, "Could not read the profiles", str(exc))
            return
        self.profile_bar.show_profiles(profiles, self._profile_id)
        self.setWindowTitle(f"Safe Signal · {name}")

    def switch_profile(self, profile_id: int) -> None:
        """Make ``profile_id`` the profile in use: its patterns, preferences and history replace
        the last one's everywhere, and nothing of the last one stays on screen. Refused (the
        switcher is locked) while a session or a pace-finder run is under way."""
        if self.session is not None and self.session.state in ACTIVE_STATES:
            return
        if self.finder.running:
            return
        try:
            self._store.profiles.get(profile_id)
        except SafeSignalError as exc:
            Dialogs.error(self, "Could not switch profile", str(exc))
            self._refresh_profiles()
            return
        self.session = None
        self._preparing = None
        self._profile_id = profile_id
        self._preferences = self._store.preferences.for_profile(profile_id)
        self.home.set_profile(profile_id)
        self.home.where_first.blockSignals(True)
        with contextlib.suppress(SafeSignalError):
            wanted = self._preferences.get(WHERE_FIRST_PREFERENCE, "off") == "on"
            self.home.where_first.setChecked(wanted)
        self.home.where_first.blockSignals(False)
        self.finder.set_profile(profile_id)
        self._rebuild_practice_screens()
        self._apply_profile_settings()
        self.summary.clear()
        if self._history is not None:
            self._history.show_profile(profile_id)
        # If this cannot be saved the switch still works; the next start opens the last one.
        with contextlib.suppress(SafeSignalError):
            self._store.app_settings.set(ACTIVE_PROFILE_SETTING, str(profile_id))
        self._refresh_profiles()
        if self._profiles_dialog is not None:
            self._profiles_dialog.set_active(profile_id)
        self.show_home()

    def _rebuild_practice_screens(self) -> None:
        """The practice screens hold the preferences of the profile they were made for
        (sound, visual, text size): make them again for the profile now in use."""
        old = self.practice
        self.practice = SessionScreen(self._ticker, preferences=self._preferences)
        self.stack.insertWidget(self.stack.indexOf(old), self.practice)
        self.stack.removeWidget(old)
        old.sound.close()
        old.deleteLater()
        if self._attention_screen is not None:
            old_attention = self._attention_screen
            self._attention_screen = None
            old_attention.shutdown()
            self.stack.removeWidget(old_attention)
            old_attention.deleteLater()

    def manage_profiles(self) -> None:
        """Open the profiles window (add, rename, archive, delete)."""
        if self._profiles_dialog is None:
            dialog = ProfilesDialog(self._store, self._profile_id, self)
            dialog.switch_requested.connect(self.switch_profile)
            dialog.changed.connect(self._on_profiles_changed)
            self._profiles_dialog = dialog
        self._profiles_dialog.reload()
        self._profiles_dialog.open()

    def _on_profiles_changed(self) -> None:
        """A profile was renamed, archived or deleted: if it was the one in use and it is no
        longer in use, carry on with the first profile that is."""
        try:
            current = {p.id: p for p in self._store.profiles.all()}.get(self._profile_id)
            if current is None or current.archived:
                self.switch_profile(self._store.profiles.default_id())
                return
        except SafeSignalError as exc:
            Dialogs.error(self, "Could not read the profiles", str(exc))
            return
        self._refresh_profiles()

    def show_history(self) -> None:
        """Show this profile's sessions, plots and figures."""
        self.history.show_profile(self._profile_id)
        self._show(self.history)
        self.history.take_focus()

    def save_report(self) -> None:
        """Ask where, then save a PDF for a clinician of the sessions the history shows."""
        history = self.history
        profile_id = history.profile_id
        if profile_id is None:
            return
        try:
            profile = self._store.profiles.get(profile_id)
        except SafeSignalError as exc:
            Dialogs.error(self, "Could not make the report", str(exc))
            return
        today = self._utc_now().astimezone(self._tz).date()
        suggested = Path.home() / f"Safe Signal report {profile.name} {today.isoformat()}.pdf"
        chosen = Dialogs.save_file(
            self, "Save the report for your clinician", str(suggested), "PDF files (*.pdf)"
        )
        if not chosen:
            return
        path = Path(chosen)
        if path.suffix.lower() != ".pdf":
            path = path.with_name(path.name + ".pdf")
        from ui.report.document import write_report

        shown = history.filter
        try:
            QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
            try:
                count = write_report(
                    path,
                    profile_name=profile.name,
                    table=history.all_sessions,
                    regions=history.marks,
                    tz=self._tz,
                    today=today,
                    created_at=self._utc_now(),
                    first_day=shown.first_day,
                    last_day=shown.last_day,
                    exercise=shown.exercise,
                    region=shown.region,
                )
            finally:
                QApplication.restoreOverrideCursor()  # whatever happened
        except SafeSignalError as exc:
            Dialogs.error(self, "Could not save the report", str(exc))
            return
        Dialogs.info(
            self,
            "Report saved",
            f"Saved a report of {sessions_text(count)} to {path}.\n\nIt holds health information: share "
            "it only with people you trust, such as your clinician.",
        )

    def restore_from_backup(self) -> bool:
        """Menu ▸ Restore from a backup…: see :func:`ui.shell.recover_db.restore_from_menu` (the
        window closes after a restore, so the app starts again from the restored data)."""
        from ui.shell.recover_db import restore_from_menu

        def stop_reminders() -> None:
            if self.reminders is not None:
                self.reminders.stop()

        return restore_from_menu(
            self,
            self._store,
            busy=self.busy(),
            now=self._utc_now,
            lock=self.data_lock,
            before_close=stop_reminders,
        )

    def export_history(self) -> None:
        """Ask where, then save every session of the profile in use as CSV or JSON."""
        try:
            profile = self._store.profiles.get(self._profile_id)
        except SafeSignalError as exc:
            Dialogs.error(self, "Could not export", str(exc))
            return
        today = self._utc_now().astimezone(self._tz).date()
        suggested = Path.home() / f"Safe Signal {profile.name} {today.isoformat()}.json"
        chosen = Dialogs.save_file(
            self,
            "Export sessions",
            str(suggested),
            "JSON, for importing again (*.json);;CSV, for spreadsheets (*.csv)",
        )
        if not chosen:
            return
        path = Path(chosen)
        fmt = path.suffix.lower().lstrip(".")
        if fmt not in FORMATS:
            fmt = "json"
            path = path.with_name(path.name + ".json")
        try:
            count = export_sessions(
                self._store, self._profile_id, path, fmt, tz=self._tz, now=self._utc_now
            )
        except SafeSignalError as exc:
            Dialogs.error(self, "Could not export the sessions", f"{exc}\n\nNothing was saved.")
            return
        Dialogs.info(
            self,
            "Sessions exported",
            f"Saved {sessions_text(count)} of {profile.name} to {path}.\n\nThe file holds health "
            "information (ratings, notes, where it hurt): keep it private and share it only "
            "with people you trust.",
        )

    def import_history(self) -> None:
        """Ask for a JSON export (or a session saved elsewhere when the disk was full), say how
        many sessions it holds and which profile they go to, and add them: all or nothing, and
        none twice."""
        if self.busy():
            Dialogs.error(
                self, "Import sessions", "Finish or end what is under way first, then import."
            )
            return
        chosen = Dialogs.open_file(
            self,
            "Import sessions",
            str(Path.home()),
            "Safe Signal sessions, JSON (*.json);;All files (*)",
        )
        if not chosen:
            return
        path = Path(chosen)
        try:
            profile = self._store.profiles.get(self._profile_id)
            sessions = read_export(path)  # checked whole, first
        except SafeSignalError as exc:
            Dialogs.error(self, "Could not import the sessions", f"{exc}\n\nNothing was imported.")
            return
        if not Dialogs.confirm(
            self,
            "Import sessions",
            f"Add the {sessions_text(len(sessions))} in {path.name} to the history of "
            f"{profile.name}? Sessions already there are not added twice.",
            "Import",
            "Cancel",
        ):
            return
        try:
            added, skipped = self._store.sessions.add(self._profile_id, sessions)
        except SafeSignalError as exc:
            Dialogs.error(self, "Could not import the sessions", f"{exc}\n\nNothing was imported.")
            return
        if self._history is not None:
            self._history.mark_stale()
        text = f"Added {sessions_text(added)} to the history of {profile.name}."
        if skipped:
            text += f" {sessions_text(skipped)} already there stayed as they were."
        Dialogs.info(self, "Sessions imported", text)

    def prepare_attention(self, script: Script, minutes: int) -> None:
        """Ask where it hurts (optional) before an attention exercise."""
        heading = f"{script.title} · {minutes_text(minutes)}"
        self._preparing = _Preparing(heading, script=script, minutes=minutes)
        if self.demonstrating:  # where it hurts is personal: a demonstration does not ask
            self._begin_session(attention_plan(script, minutes), heading)
            return
        self._ask_where(tuple(script.uses) or ("pain",))

    def _on_where_first_toggled(self, checked: bool) -> None:
        save_choice(self._preferences, WHERE_FIRST_PREFERENCE, "on" if checked else "off")

    def _ask_where(self, uses: tuple[str, ...]) -> None:
        self.where.begin(
            uses,
            self._remembered(LAST_PAIN_PREFERENCE),
            self._remembered(LAST_COMFORT_PREFERENCE) if "comfort" in uses else (),
        )
        self._show(self.where)
        self.where.setFocus()

    def _remembered(self, key: str) -> tuple[str, ...]:
        try:
            text = self._preferences.get(key, "")
        except SafeSignalError:
            return ()
        known = set(REGION_IDS)
        return tuple(r for r in text.split(",") if r in known)

    def _on_regions_confirmed(self, pain: object, comfort: object) -> None:
        preparing = self._preparing
        assert preparing is not None
        preparing.pain = tuple(str(r) for r in pain)  # type: ignore[attr-defined]
        preparing.comfort = tuple(str(r) for r in comfort)  # type: ignore[attr-defined]
        keep = [(LAST_PAIN_PREFERENCE, preparing.pain)]
        if preparing.script is not None and "comfort" in preparing.script.uses:
            keep.append((LAST_COMFORT_PREFERENCE, preparing.comfort))
        for key, regions in keep:
            if not regions:
                continue  # skipped today: last time's marks are still offered next time
            save_choice(self._preferences, key, ",".join(regions))
        if preparing.script is not None:
            plan = attention_plan(preparing.script, preparing.minutes)
        else:
            assert preparing.plan is not None
            plan = preparing.plan
        self._begin_session(plan, preparing.heading)

    def show_finder(self) -> None:
        """Open the resonance-rate finder (from the exercise list only)."""
        if self.stack.currentWidget() is not self.home:
            return
        self.finder.reset()
        self._show(self.finder)
        self.finder.setFocus()

    def _on_pattern_saved(self, pattern_id: int) -> None:
        self.home.reload_patterns(select_custom_id=pattern_id)

    # -- the flow of one session ----------------------------------------------------------------

    def start_exercise(self, exercise: Exercise, plan: SessionPlan) -> None:
        """Prepare a session of ``plan`` (made from ``exercise``) and ask for the before-ratings
        (first where it hurts, when the person asked for that on the home screen)."""
        heading = f"{exercise.title} · {length_text(plan)}"
        self._preparing = _Preparing(heading, plan=plan)
        if self.home.where_first.isChecked() and not self.demonstrating:
            self._ask_where(("pain",))
        else:
            self._begin_session(plan, heading)

    def _begin_session(self, plan: SessionPlan, heading: str) -> None:
        if self.demonstrating:
            self.session = demonstration(plan, clock=self._clock, utc_now=self._utc_now)
            self.session.subscribe(self._on_session_state)
            self._on_before_confirmed(None, None)  # no ratings: straight to the practice
            return
        self.session = Session(
            plan,
            clock=self._clock,
            utc_now=self._utc_now,
            recorder=self._store.sessions,
            profile_id=self._profile_id,
        )
        self.session.subscribe(self._on_session_state)
        self.before.reset(heading)
        self._show(self.before)
        self.before.tension.setFocus()

    def _on_before_confirmed(self, tension: int | None, pain: int | None) -> None:
        assert self.session is not None
        try:
            self.session.confirm_before(tension, pain)
        except SafeSignalError as exc:
            Dialogs.error(self, "Could not start the session", str(exc))
            return
        preparing = self._preparing
        assert preparing is not None
        assert self.session.session_id is not None
        if self.session.recorded and (preparing.pain or preparing.comfort):
            try:
                self._store.regions.save(self.session.session_id, preparing.pain, preparing.comfort)
            except SafeSignalError as exc:
                Dialogs.error(
                    self,
                    "Could not save where it hurts",
                    f"{exc}\n\nThe practice goes on; only the marked areas were not kept.",
                )
        script = preparing.script
        if script is None:
            self.practice.begin(self.session)
            self._show(self.practice)
            self.practice.setFocus()
            return
        steps = resolve(script.version(preparing.minutes), preparing.pain, preparing.comfort)
        self.attention.begin(self.session, steps)
        self._show(self.attention)
        self.attention.setFocus()

    def _on_before_cancelled(self) -> None:
        if self.session is not None:
            self.session.abandon()
            self.session = None
        self.show_home()

    def _on_session_state(self, state: SessionState) -> None:
        if state is SessionState.RATE_AFTER and self.session is not None:
            if not self.session.recorded:
                self._end_demonstration(self.session)
                return
            self.after.reset(self.session.plan.title)
            self._show(self.after)
            self.after.tension.setFocus()

    def _end_demonstration(self, session: Session) -> None:
        """A demonstration has run its course: say so, with nothing asked or kept."""
        session.confirm_after(None, None)
        self.session = None
        self.summary.show_demonstration(session.plan.title, session.practised_s)
        self._show(self.summary)
        self.summary.setFocus()

    def _on_after_confirmed(self, tension: int | None, pain: int | None) -> None:
        session = self.session
        assert session is not None
        assert session.session_id is not None
        try:
            session.confirm_after(tension, pain)
        except StoreError as exc:  # a full disk, a read-only folder: offer another place
            self._offer_rescue(session, Ratings(tension, pain), exc)
            return
        except SafeSignalError as exc:
            Dialogs.error(
                self,
                "Could not save the session",
                f"{exc}\n\nYour ratings are still on screen; try Save again.",
            )
            return
        self.session = None
        if self._history is not None:
            self._history.mark_stale()
        try:
            stored = self._store.sessions.get(session.session_id)
        except SafeSignalError as exc:  # saved, but not read back: no summary this time
            Dialogs.error(
                self,
                "Your session is saved",
                f"The session and your ratings are saved, but they could not be read back to "
                f"show the summary ({exc}). You will find it in your history.",
            )
            self.show_home()
            return
        self.summary.show_session(stored)
        self._show(self.summary)
        self.summary.setFocus()

    def offer_recovery(self, recovered: list[RecoveredSession] | None = None) -> None:
        """At start: keep every session the app never finished (it crashed, or the computer
        stopped) as interrupted, and offer the after-ratings for those of the person using it.
        Other profiles' sessions are kept too, quietly: they show as interrupted in their
        history. ``recovered``: what ui.shell.app already closed before today's backup."""
        if self.session is not None and self.session.state in ACTIVE_STATES:
            return  # only ever at start: a session under way here is not unfinished
        try:
            if recovered is None:
                recovered = recover_unfinished(self._store.sessions)
        except SafeSignalError as exc:
            Dialogs.error(
                self,
                "Could not look at your last session",
                f"{exc}\n\nNothing has been lost; Safe Signal will look again next time.",
            )
            return
        if recovered and self._history is not None:
            self._history.mark_stale()
        mine = [found for found in recovered if found.profile_id == self._profile_id]
        for found in mine:
            when = None  # one: "your last session"; several: each by its start
            if len(mine) > 1:
                when = f"{found.started_at.astimezone(self._tz):%A %d %B, %H:%M}"
            after = AfterRatingsDialog.ask(self, found, self._clock, when)
            if after is None:
                continue
            try:
                self._store.sessions.set_after_ratings(found.id, after)
            except SafeSignalError as exc:
                Dialogs.error(
                    self,
                    "Could not save the after-ratings",
                    f"{exc}\n\nThe session itself is kept, without after-ratings.",
                )

    def _offer_rescue(self, session: Session, after: Ratings, problem: StoreError) -> None:
        """The database would not take the finished session: say so, and offer to save it as
        a file elsewhere (to import later). Until it is written somewhere, nothing is let go."""
        if not Dialogs.confirm(
            self,
            "Could not save the session",
            f"{problem}\n\nNothing is lost: the session is still here and your ratings are "
            "still on screen. You can try Save again once there is room, or save this session "
            "to a file somewhere else (another folder, a USB stick) and add it to your history "
            "later.",
            RESCUE_ACTION,
            "Not now",
        ):
            return
        if self._save_elsewhere(session, after):
            self.show_home()

    def _save_elsewhere(self, session: Session, after: Ratings) -> bool:
        """Ask where, then write the session as it is in memory to a JSON file there (it imports
        later). Returns whether it was written; if not, the session is still here."""
        ended_at = session.ending_at()
        try:
            profile = self._store.profiles.get(self._profile_id).name
        except SafeSignalError:
            profile = ""
        preparing = self._preparing
        regions = (preparing.pain, preparing.comfort) if preparing is not None else ((), ())
        started = (session.started_at or ended_at).astimezone(self._tz)
        chosen = Dialogs.save_file(
            self,
            "Save this session elsewhere",
            f"safesignal-session-{started:%Y-%m-%d-%H%M}.json",
            "Safe Signal sessions (*.json)",
        )
        if not chosen:
            return False
        try:
            record = rescue_record(
                session, after, profile=profile, ended_at=ended_at, regions=regions
            )
            save_rescued(Path(chosen), record, profile=profile, now=ended_at)
        except SafeSignalError as exc:
            Dialogs.error(
                self,
                "Could not save the session there",
                f"{exc}\n\nThe session is still here; try another place.",
            )
            return False
        self.session = None
        Dialogs.info(
            self,
            "The session was saved elsewhere",
            f"This session was saved to {chosen}. When Safe Signal can save again, add it to "
            "your history with Menu ▸ Import sessions… (Ctrl+I).\n\nThe file holds health "
            "information: keep it private.",
        )
        return True

    def _rescue_before_quitting(self, session: Session, problem: StoreError) -> bool:
        """Quitting, and the database would not take the session's end: offer to save it to a
        file elsewhere first. Returns whether to go on quitting (saved, or the person chose to
        quit without it; what was saved every few seconds is kept either way)."""
        if Dialogs.confirm(
            self,
            "Could not save the session",
            f"{problem}\n\nThe session is still here. You can save it to a file somewhere else "
            "(another folder, a USB stick) before Safe Signal closes, and add it to your "
            "history later. If you quit without it, the time saved every few seconds is kept "
            "and shows as interrupted.",
            RESCUE_ACTION,
            "Quit without it",
        ):
            return self._save_elsewhere(session, Ratings(None, None))
        return True

    # -- window events --------------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if not self._painted:
            self._painted = True
            self.first_painted.emit()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.finder.running:
            if not Dialogs.confirm(
                self,
                "Quit Safe Signal?",
                "The pace finder is running. If you quit now, the paces you have finished are "
                "kept.",
                "Quit",
                "Stay",
            ):
                event.ignore()
                return
            self.finder.stop_for_quit()
        session = self.session
        if (
            session is not None
            and session.state in ACTIVE_STATES
            and session.recorded
            and not Dialogs.confirm(
                self,
                "Quit Safe Signal?",
                "A session is in progress. If you quit now, the time you have practised is "
                "kept, without after-ratings.",
                "Quit",
                "Stay",
            )
        ):
            event.ignore()
            return
        if session is not None and session.state in ACTIVE_STATES:
            try:
                session.abandon()
            except StoreError as exc:  # a full disk: keep it elsewhere, or stay
                if not self._rescue_before_quitting(session, exc):
                    event.ignore()
                    return
            except SafeSignalError as exc:
                Dialogs.error(self, "Could not save the session", str(exc))
        if self._presentation is not None:
            self._presentation.close()
        if self._mini is not None:
            self._mini.close()
        self.practice.sound.close()
        if self._attention_screen is not None:
            self._attention_screen.shutdown()
        event.accept()
