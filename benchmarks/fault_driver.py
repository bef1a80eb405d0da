"""The fault-injection run's child: the real app, driven by keys as a person would drive it.

Starts Safe Signal through its own entry (``ui.shell.app.main``) on ``--data-dir`` and, once its
start has finished, answers what the start asks (the welcome: Esc; a session kept after a crash:
after-ratings or Esc, in turn), then does ``--sessions`` breathing sessions of ``--breaths``
breaths of the first exercise with real key events on the focused widgets: Alt+L and End (a
length in breaths), Alt+B and the number, Enter; the before-ratings (a digit, Tab, a digit,
Enter); the practice; the after-ratings; Enter on the summary. Then Ctrl+Q (where the platform
has no Quit key, as offscreen, the window is closed as its title bar's button would). Keys that
may open a question are pressed just after the driver's look at the screen, so it can see the
question and answer it. It reads the app's state only where a person sees it (the screen shown,
the session on it) and finds the start-up object to know when the start has finished and to
hear the pacer's frames; it adds nothing to the app. It also says:

    rating <id>                 the after-ratings are asked (with --wait-after: waits for rate)
    message <text>              what a refused save said
    question <title>: <text>    any other question, answered with Esc
    driver-error <what>         a mistake of the driver's own (the run stops)
    trace <step> <modal> <active>   each change of step (with FAULT_DRIVER_TRACE=1)

``kill -USR1`` prints where every thread of it is (faulthandler), for a driver that hangs.

It tells the parent (``benchmarks/faults.py``) what happens, one line each, flushed at once::

    ready                       the start has finished and every question is answered
    recovered <n>               sessions the start kept after a crash (rated or left)
    started <id>                the before-ratings are confirmed: session <id> is in the store
    practised <id> <s>          the seconds practised so far (every 0.25 s while practising)
    frame-gap-max <ms>          the longest gap between two pacer frames of that practice
    save-refused <id>           the after-ratings could not be saved (a message said why)
    saved <id>                  the summary is on screen: session <id> is saved with its ratings
    closed <code>               the app returned this exit code

and waits for a line on standard input where the parent must act first: ``go`` after ``ready``
(the parent looks at the data folder meanwhile), ``rate`` before the after-ratings (with
``--wait-after``), ``retry`` after a refused save.

    python benchmarks/fault_driver.py --data-dir DIR [--sessions 1] [--breaths 2] [--wait-after]
"""

from __future__ import annotations

import argparse
import faulthandler
import gc
import os
import queue
import signal
import sys
import threading
import time
from pathlib import Path
from typing import Any, Final

ROOT: Final = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

POLL_MS: Final = 20  # how often the driver looks at the screen
QUIET_POLLS: Final = 10  # polls with no question on screen before the start counts as done
PROGRESS_EVERY_S: Final = 0.25
TRACE: Final = bool(os.environ.get("FAULT_DRIVER_TRACE"))  # say each step and question seen


def say(line: str) -> None:
    """One line to the parent, at once."""
    print(line, flush=True)


def read_commands(into: queue.Queue[str]) -> None:
    """Lines from the parent (a thread: the event loop never waits on standard input)."""
    for line in sys.stdin:
        into.put(line.strip())
    into.put("eof")


class Driver:
    """Looks at the screen every few milliseconds and presses the next key."""

    def __init__(self, args: argparse.Namespace) -> None:
        from PySide6.QtCore import QTimer

        self.args = args
        self.commands: queue.Queue[str] = queue.Queue()
        threading.Thread(target=read_commands, args=(self.commands,), daemon=True).start()
        self.step = "starting"
        self.window: Any = None
        self.startup: Any = None
        self.quiet_polls = 0
        self.recovered = 0
        self.done = 0
        self.session_id: int | None = None
        self.last_progress_s = 0.0
        self.last_frame_s: float | None = None
        self.frame_gap_max_ms = 0.0
        self.traced: tuple[str, ...] = ()
        self.timer = QTimer()
        self.timer.timeout.connect(self.poll)
        self.timer.start(POLL_MS)

    # -- keys ------------------------------------------------------------------------------------

    def key(self, key: Any, modifier: Any = None) -> None:
        """Press and release ``key`` in the widget with the keyboard focus."""
        from PySide6.QtCore import Qt
        from PySide6.QtTest import QTest
        from PySide6.QtWidgets import QApplication

        target = QApplication.focusWidget()
        if target is None:
            raise RuntimeError(f"nothing has the keyboard focus for key {key!r}")
        QTest.keyClick(target, key, modifier or Qt.KeyboardModifier.NoModifier)

    def later(self, key: Any, modifier: Any = None) -> None:
        """Press ``key`` once this look at the screen is over: a key that opens a question
        (which waits in a loop of its own) must not be pressed from inside the driver's timer,
        or the driver could not see the question to answer it."""
        from PySide6.QtCore import QTimer

        QTimer.singleShot(0, lambda: self.key(key, modifier))

    def digit(self, value: int) -> None:
        """Type a rating of 0-9."""
        from PySide6.QtCore import Qt

        self.key(Qt.Key(int(Qt.Key.Key_0) + value))

    def command(self) -> str | None:
        """The parent's next line, if one has come."""
        try:
            return self.commands.get_nowait()
        except queue.Empty:
            return None

    # -- what is on screen -----------------------------------------------------------------------

    def find_app(self) -> bool:
        """The main window and the start-up under way (found, not given: the app is unchanged)."""
        from PySide6.QtWidgets import QApplication

        from ui.shell.main_window import MainWindow

        windows = [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow)]
        shown = [w for w in windows if w.isVisible()]
        if not shown:
            return False
        self.window = shown[-1]
        if self.startup is None:
            from ui.shell import app as shell_app

            for thing in gc.get_objects():
                if isinstance(thing, shell_app._Startup):
                    self.startup = thing
                    thing.ticker.tick.connect(self.on_frame)
                    break
        return self.startup is not None and bool(self.startup.started)

    def on_frame(self) -> None:
        """A pacer frame: the longest gap between two frames of a running practice."""
        now = time.perf_counter()
        if self.step == "practising" and self.last_frame_s is not None:
            self.frame_gap_max_ms = max(self.frame_gap_max_ms, (now - self.last_frame_s) * 1000)
        self.last_frame_s = now

    def answer_question(self) -> bool:
        """A question of the app's own on screen: answer it; whether there was one."""
        from PySide6.QtCore import Qt
        from PySide6.QtWidgets import QApplication, QMessageBox

        from ui.practice.recovery import AfterRatingsDialog
        from ui.shell.welcome import WelcomeDialog

        modal = QApplication.activeModalWidget()
        if modal is None or not modal.isVisible():
            return False
        if QApplication.activeWindow() is not modal:  # not yet given the keyboard
            modal.activateWindow()
            return True
        if isinstance(modal, WelcomeDialog):
            self.key(Qt.Key.Key_Escape)
        elif isinstance(modal, AfterRatingsDialog):
            self.recovered += 1
            if self.recovered % 2:  # every other one rated: 3 and 2, as a person might
                modal.tension.setFocus()
                self.digit(3)
                self.key(Qt.Key.Key_Tab)
                self.digit(2)
                self.key(Qt.Key.Key_Return)
            else:
                self.key(Qt.Key.Key_Escape)
        elif isinstance(modal, QMessageBox) and self.step == "saving":
            say(f"save-refused {self.session_id}")
            say(f"message {' '.join(modal.text().split())[:200]}")
            self.key(Qt.Key.Key_Escape)  # "Not now": the session stays on screen
            self.step = "refused"
        else:
            title = modal.windowTitle()
            text = " ".join(modal.text().split()) if isinstance(modal, QMessageBox) else ""
            say(f"question {title}: {text[:200]}")
            self.key(Qt.Key.Key_Escape)
        return True

    # -- the steps -------------------------------------------------------------------------------

    def poll(self) -> None:
        """Do the next thing the screen allows."""
        try:
            if TRACE:
                from PySide6.QtWidgets import QApplication

                modal = QApplication.activeModalWidget()
                active = QApplication.activeWindow()
                seen = (self.step, type(modal).__name__, type(active).__name__)
                if seen != self.traced:
                    self.traced = seen
                    say(f"trace {' '.join(seen)}")
            self._poll()
        except Exception as exc:  # the driver's own mistake: say it, and stop the run
            say(f"driver-error {type(exc).__name__}: {exc}")
            self.timer.stop()
            raise

    def _poll(self) -> None:
        from PySide6.QtCore import Qt, QTimer
        from PySide6.QtGui import QKeySequence
        from PySide6.QtWidgets import QApplication

        if self.step == "starting":
            if not self.find_app():
                return
            if self.answer_question():
                self.quiet_polls = 0
                return
            self.quiet_polls += 1
            if (
                self.quiet_polls >= QUIET_POLLS
                and self.window.stack.currentWidget() is self.window.home
                and not self.startup.checkpoints.timer.isActive()  # the folder is quiet
            ):
                say(f"recovered {self.recovered}")
                say("ready")
                self.step = "waiting-go" if self.args.sessions else "quitting"
            return
        if self.step == "waiting-go":
            said = self.command()
            if said is not None:
                self.step = "home"
            return
        if self.answer_question():
            return
        if QApplication.activeWindow() is not self.window:
            # A question has closed and the window has not the keyboard back yet (activation
            # comes through the event loop): the person clicks the window, then goes on.
            self.window.activateWindow()
            return
        window: Any = self.window
        screen = window.stack.currentWidget()
        if self.step == "home" and screen is window.home:
            self.choose_length()
            self.later(Qt.Key.Key_Return)
            self.step = "before"
        elif self.step == "before" and screen is window.before:
            window.before.tension.setFocus()
            self.digit(5)
            self.key(Qt.Key.Key_Tab)
            self.digit(4)
            self.later(Qt.Key.Key_Return)
            self.step = "confirming"
        elif self.step == "confirming" and screen is window.practice:
            if window.session is not None:
                self.session_id = int(window.session.session_id)
                self.frame_gap_max_ms, self.last_frame_s = 0.0, None
                self.last_progress_s = 0.0
                say(f"started {self.session_id}")
                self.step = "practising"
        elif self.step == "practising":
            self.practising(screen)
        elif self.step == "waiting-rate":
            if self.command() is not None:
                self.rate_after()
        elif self.step in ("saving", "refused-retry") and screen is window.summary:
            say(f"saved {self.session_id}")
            self.done += 1
            self.later(Qt.Key.Key_Return)  # back to the exercises
            self.step = "home" if self.done < self.args.sessions else "quitting"
        elif self.step == "refused":
            if self.command() is not None:  # the parent has made room
                self.step = "refused-retry"
                window.after.setFocus()
                self.later(Qt.Key.Key_Return)
        elif self.step == "quitting" and screen is window.home:
            self.step = "closing"
            if QKeySequence.keyBindings(QKeySequence.StandardKey.Quit):
                self.later(Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
            else:  # no Quit key on this platform (offscreen, Windows): the title bar's close
                QTimer.singleShot(0, window.close)

    def choose_length(self) -> None:
        """Alt+L, End: a length in breaths; Alt+B and the number of breaths."""
        from PySide6.QtCore import Qt

        home = self.window.home
        home.show_options()  # the list, as "Choose another exercise" unfolds it
        home.list.setFocus()  # as a click on the list would
        self.key(Qt.Key.Key_Home)  # the first exercise: coherent breathing, 5 in and 5 out
        self.key(Qt.Key.Key_L, Qt.KeyboardModifier.AltModifier)
        self.key(Qt.Key.Key_End)
        self.key(Qt.Key.Key_B, Qt.KeyboardModifier.AltModifier)
        self.key(Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
        for figure in str(self.args.breaths):
            self.digit(int(figure))

    def practising(self, screen: Any) -> None:
        """Report the progress; at the after-ratings, rate (or wait to be told)."""
        window = self.window
        session = window.session
        now = time.perf_counter()
        if session is not None and now - self.last_progress_s >= PROGRESS_EVERY_S:
            self.last_progress_s = now
            say(f"practised {self.session_id} {session.practised_s:.2f}")
            say(f"frame-gap-max {self.frame_gap_max_ms:.0f}")
        if screen is window.after:
            if session is not None:
                say(f"practised {self.session_id} {session.practised_s:.2f}")
            say(f"frame-gap-max {self.frame_gap_max_ms:.0f}")
            if self.args.wait_after:
                say(f"rating {self.session_id}")
                self.step = "waiting-rate"
            else:
                self.rate_after()

    def rate_after(self) -> None:
        """The after-ratings: 3 for tension, Tab, 2 for pain, Enter."""
        from PySide6.QtCore import Qt

        self.window.after.tension.setFocus()
        self.digit(3)
        self.key(Qt.Key.Key_Tab)
        self.digit(2)
        self.step = "saving"
        self.later(Qt.Key.Key_Return)


def main() -> int:
    """Start the app with the driver watching it; returns the app's exit code."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", required=True)
    parser.add_argument("--sessions", type=int, default=1, help="0: start, answer, quit")
    parser.add_argument("--breaths", type=int, default=2)
    parser.add_argument("--wait-after", action="store_true")
    args = parser.parse_args()

    from PySide6.QtWidgets import QApplication

    from ui.shell.app import main as app_main

    faulthandler.register(signal.SIGUSR1)  # kill -USR1: where every thread is, on stderr

    keep = QApplication(
        ["safesignal"]
    )  # made here so the driver's timer can exist; the app uses it
    driver = Driver(args)
    code = app_main(["--data-dir", args.data_dir])
    driver.timer.stop()
    say(f"closed {code}")
    del keep
    return code


if __name__ == "__main__":
    # The app has closed its database; leave at once rather than wait for the background
    # imports of a start that is only a few seconds old.
    os._exit(main())
