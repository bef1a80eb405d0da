"""The main window: moves between home, rating, practice, summary and history screens."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import Signal
from PySide6.QtGui import QCloseEvent, QKeySequence, QPaintEvent, QShortcut
from PySide6.QtWidgets import QMainWindow, QStackedWidget, QWidget

from trainer.catalog import Catalog, Exercise
from trainer.clock import Clock
from trainer.errors import SafeSignalError
from trainer.session import Session, SessionPlan, SessionState
from trainer.store import Store
from ui.dialogs import Dialogs
from ui.finder_screen import FinderScreen
from ui.history import HistoryScreen
from ui.home import HomeScreen, length_text
from ui.rating import RatingScreen
from ui.session_screen import SessionScreen
from ui.summary import SummaryScreen
from ui.ticker import FrameTicker, ManualTicker

ACTIVE_STATES = (SessionState.RUNNING, SessionState.PAUSED, SessionState.RATE_AFTER)


class MainWindow(QMainWindow):
    """Owns the screens and the current session; gets everything else from ``ui.app``."""

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
    ) -> None:
        super().__init__()
        self._store = store
        self._clock = clock
        self._utc_now = utc_now
        self._profile_id = profile_id
        self._painted = False
        self.session: Session | None = None
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
        self.practice = SessionScreen(ticker, preferences=store.preferences_for(profile_id))
        self.after = RatingScreen(
            "How do you feel now?",
            "Take a moment to notice your body, then rate the same two things again.",
            clock,
            can_cancel=False,
            continue_text="Save (Enter)",
        )
        self.summary = SummaryScreen()
        self.history = HistoryScreen()
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
            self.history,
            self.finder,
        ):
            self.stack.addWidget(screen)
        self.setCentralWidget(self.stack)

        self.home.start_requested.connect(self.start_exercise)
        self.home.history_requested.connect(self.show_history)
        self.home.finder_requested.connect(self.show_finder)
        self.before.confirmed.connect(self._on_before_confirmed)
        self.before.cancelled.connect(self._on_before_cancelled)
        self.after.confirmed.connect(self._on_after_confirmed)
        self.summary.done.connect(self.show_home)
        self.summary.history_requested.connect(self.show_history)
        self.history.back.connect(self.show_home)
        self.finder.done.connect(self.show_home)
        self.finder.pattern_saved.connect(self._on_pattern_saved)
        finder_shortcut = QShortcut(QKeySequence("Ctrl+R"), self)
        finder_shortcut.activated.connect(self.show_finder)
        quit_shortcut = QShortcut(QKeySequence.StandardKey.Quit, self)
        quit_shortcut.activated.connect(self.close)
        self.home.list.setFocus()  # arrows and Enter work the moment the window opens

    # -- navigation -----------------------------------------------------------------------------

    def _show(self, screen: QWidget) -> None:
        self.stack.setCurrentWidget(screen)

    def show_home(self) -> None:
        """Back to the list of exercises."""
        self._show(self.home)
        self.home.list.setFocus()

    def show_history(self) -> None:
        """Show this profile's sessions."""
        try:
            sessions = self._store.sessions(self._profile_id)
        except SafeSignalError as exc:
            Dialogs.error(self, "Could not show your history", str(exc))
            return
        self.history.show_sessions(sessions)
        self._show(self.history)
        self.history.take_focus()

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
        """Prepare a session of ``plan`` (made from ``exercise``) and ask for the before-ratings."""
        self.session = Session(
            plan,
            clock=self._clock,
            utc_now=self._utc_now,
            recorder=self._store,
            profile_id=self._profile_id,
        )
        self.session.subscribe(self._on_session_state)
        self.before.reset(f"{exercise.title} · {length_text(plan)}")
        self._show(self.before)
        self.before.tension.setFocus()

    def _on_before_confirmed(self, tension: int | None, pain: int | None) -> None:
        assert self.session is not None
        try:
            self.session.confirm_before(tension, pain)
        except SafeSignalError as exc:
            Dialogs.error(self, "Could not start the session", str(exc))
            return
        self.practice.begin(self.session)
        self._show(self.practice)
        self.practice.setFocus()

    def _on_before_cancelled(self) -> None:
        if self.session is not None:
            self.session.abandon()
            self.session = None
        self.show_home()

    def _on_session_state(self, state: SessionState) -> None:
        if state is SessionState.RATE_AFTER and self.session is not None:
            self.after.reset(self.session.plan.title)
            self._show(self.after)
            self.after.tension.setFocus()

    def _on_after_confirmed(self, tension: int | None, pain: int | None) -> None:
        session = self.session
        assert session is not None
        assert session.session_id is not None
        try:
            session.confirm_after(tension, pain)
            stored = self._store.get_session(session.session_id)
        except SafeSignalError as exc:
            Dialogs.error(
                self,
                "Could not save the session",
                f"{exc}\n\nYour ratings are still on screen; try Save again.",
            )
            return
        self.session = None
        self.summary.show_session(stored)
        self._show(self.summary)
        self.summary.setFocus()

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
        if session is not None and session.state in ACTIVE_STATES:
            if not Dialogs.confirm(
                self,
                "Quit Safe Signal?",
                "A session is in progress. If you quit now, the time you have practised is "
                "kept, without after-ratings.",
                "Quit",
                "Stay",
            ):
                event.ignore()
                return
            try:
                session.abandon()
            except SafeSignalError as exc:
                Dialogs.error(self, "Could not save the session", str(exc))
        self.practice.sound.close()
        event.accept()
