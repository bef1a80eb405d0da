"""The windows that live beside the main one: presentation mode for a room, and the mini pacer
for a corner of the screen while working. Neither records anything."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt

from trainer.app.profile import Change, ProfileInUse
from trainer.content.breathing import BreathingPattern
from trainer.errors import SafeSignalError
from ui.common.ticker import FrameTicker, ManualTicker

if TYPE_CHECKING:
    from ui.practice.presentation import PresentationWindow
    from ui.shell.main_window import MainWindow
    from ui.shell.mini_pacer import MiniPacer

RESET_EXERCISE = "coherent-5-5"  # the 1-minute reset: an even, easy 5 in, 5 out
RESET_MINUTES = 1


class DeskTools:
    """Opens, raises and closes the presentation window and the mini pacer (one of each)."""

    def __init__(self, window: MainWindow) -> None:
        self._window = window
        self._profile = window.profile
        self.presentation: PresentationWindow | None = None
        self.mini_pacer: MiniPacer | None = None
        window.profile.changed.add(self._on_profile_changed)

    def _on_profile_changed(self, change: Change) -> None:
        # The mini pacer stays open across a change of settings or of profile: it follows.
        if change in (Change.PROFILE, Change.SETTINGS) and self.mini_pacer is not None:
            self.mini_pacer.pacer.set_reduced_motion(self._profile.settings().reduced_motion)

    def open_presentation(self, on_closed: Callable[[], None]) -> None:
        """Show the exercises full screen for a room (on a chosen screen when there are
        several); ``on_closed`` is called when it closes."""
        if self.presentation is not None:
            self.presentation.raise_()
            self.presentation.activateWindow()
            return
        from ui.practice.presentation import PresentationWindow, choose_screen

        screen = choose_screen(self._window)
        if screen is None:
            return
        main = self._window
        if isinstance(main.ticker, FrameTicker):
            ticker: FrameTicker | ManualTicker = FrameTicker(rate_hz=screen.refreshRate())
        else:
            ticker = main.ticker  # tests drive one manual ticker
        window = PresentationWindow(
            catalog=main.catalog,
            scripts=main.scripts,
            body_map=main.body_map,
            clock=main.clock,
            utc_now=main.utc_now,
            ticker=ticker,
        )
        if isinstance(ticker, FrameTicker):
            ticker.setParent(window)
        window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        def closed() -> None:
            self.presentation = None
            on_closed()

        window.closed.connect(closed)
        self.presentation = window
        window.present_on(screen)

    def open_mini_pacer(self, pattern: BreathingPattern) -> None:
        """A small always-on-top pacer of ``pattern`` (a new pattern for one already open)."""
        from ui.shell.mini_pacer import MiniPacer

        if self.mini_pacer is not None:
            self.mini_pacer.set_pattern(pattern)
            self.mini_pacer.raise_()
            return
        if isinstance(self._window.ticker, FrameTicker):
            ticker: FrameTicker | ManualTicker = FrameTicker()
        else:
            ticker = self._window.ticker  # tests drive one manual ticker
        prefs = self._profile.app_preferences
        mini = MiniPacer(pattern, clock=self._window.clock, ticker=ticker, prefs=prefs)
        if isinstance(ticker, FrameTicker):
            ticker.setParent(mini)
        mini.pacer.set_reduced_motion(self._profile.settings().reduced_motion)
        mini.closed.connect(self._on_mini_closed)
        self.mini_pacer = mini
        mini.open()

    def _on_mini_closed(self) -> None:
        if self.mini_pacer is not None:
            self.mini_pacer.deleteLater()
        self.mini_pacer = None

    def close(self) -> None:
        """The app is closing: close both."""
        if self.presentation is not None:
            self.presentation.close()
        if self.mini_pacer is not None:
            self.mini_pacer.close()


# -- starting a practice from the tray or a reminder ----------------------------------------------


def last_exercise(profile: ProfileInUse) -> tuple[str, str, str] | None:
    """The newest session's (exercise id, kind, title) of the profile in use."""
    try:
        latest = profile.sessions(limit=1)
    except SafeSignalError:
        return None
    return (latest[0].exercise_id, latest[0].kind, latest[0].title) if latest else None


def start_last_exercise(window: MainWindow) -> None:
    """Start the exercise practised last, as it is set up now (unless something is under way)."""
    last = last_exercise(window.profile)
    if window.busy() or last is None:
        return
    exercise_id, kind, _title = last
    if kind != "attention":
        start_listed(window, exercise_id)
        return
    for script in window.scripts:
        if script.id == exercise_id:
            window.stack.setCurrentWidget(window.attention_home)
            window.prepare_attention(script, window.attention_home.minutes_for(script))
            return


def start_reset(window: MainWindow) -> None:
    """A minute of even, easy breathing, started at once (unless something is under way), with
    the light check-in chosen in the settings: one question, or none."""
    if not window.busy():
        start_listed(window, RESET_EXERCISE, RESET_MINUTES, quick=True)


def start_listed(
    window: MainWindow, exercise_id: str, minutes: int | None = None, *, quick: bool = False
) -> None:
    """Start a listed breathing exercise, as it is set up now (or for ``minutes``); ``quick``:
    a quick reset (see :meth:`MainWindow.start_exercise`)."""
    home = window.home
    exercise = home.exercise_by_id(exercise_id)
    if exercise is not None:
        window.stack.setCurrentWidget(home)
        plan = home.plan_for(exercise) if minutes is None else exercise.plan(minutes)
        window.start_exercise(exercise, plan, quick=quick)
