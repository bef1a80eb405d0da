"""Builds and wires the application: arguments, database, clock, catalog and the main window."""

from __future__ import annotations

import argparse
import contextlib
import gc
import importlib
import linecache
import logging
import os
import signal
import sys
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from trainer import __version__
from trainer.safety.paths import ENV_DATA_DIR, make_private, resolve_data_dir

if TYPE_CHECKING:
    from PySide6.QtWidgets import QApplication, QWidget

    from trainer.content.scripts import Script
    from trainer.safety.wal_check import LostTail
    from trainer.session.recovery import RecoveredSession
    from trainer.store.store import Store
    from ui.shell.main_window import MainWindow

_STARTED_S = time.perf_counter()

# What the history's first opening would otherwise wait for (about 1 s here), loaded in the
# background once the app is up; the first paint never waits for them.
WARM_UP_MODULES = ("numpy", "scipy.stats")


def warm_up(modules: Sequence[str] = WARM_UP_MODULES) -> threading.Thread:
    """Import ``modules`` in a background thread (no Qt is touched there); one that fails to
    import is left for the screen that needs it, which reports it as usual."""

    def load() -> None:
        for name in modules:
            try:
                importlib.import_module(name)
            except Exception:  # imported, and reported, again where it is used
                logging.getLogger(__name__).info("could not load %s ahead of time", name)

    # A daemon: a quit soon after the start does not wait for these imports to end.
    thread = threading.Thread(target=load, name="safesignal-warm-up", daemon=True)
    thread.start()
    return thread


def parse_args(argv: Sequence[str]) -> tuple[argparse.Namespace, list[str]]:
    """Our options, and whatever is left for Qt (such as ``-platform offscreen``)."""
    from trainer.cli import COMMANDS, OneLineParser

    parser = OneLineParser(
        prog="safesignal",
        description="Safe Signal: paced breathing and attention retraining for chronic pain.",
        epilog=f"Commands, which run without opening the app: safesignal {{{','.join(COMMANDS)}}} "
        "... (each has --help).",
    )
    parser.add_argument("--version", action="version", version=f"safesignal {__version__}")
    parser.add_argument(
        "--data-dir",
        metavar="DIR",
        help=f"keep the database in DIR (default: ${ENV_DATA_DIR}, or your app-data folder)",
    )
    parser.add_argument(
        "--theme",
        choices=("system", "light", "dark", "high_contrast"),
        help="colour theme for this run (default: the one chosen in Settings)",
    )
    parser.add_argument(
        "--exit-after-paint",
        action="store_true",
        help="quit as soon as the main window has been painted (for start-up checks)",
    )
    args, rest = parser.parse_known_args(list(argv))
    misplaced = [arg for arg in rest if arg in COMMANDS]
    if misplaced:  # safesignal --theme dark export ... (--data-dir DIR export is a command)
        parser.error(
            f"{misplaced[0]} is a command: give it before the app's other options, as in "
            f"safesignal [--data-dir DIR] {misplaced[0]} [options]"
        )
    # Qt's own options start with one dash (-platform, -style); a mistyped option of ours
    # (--data-dri) must not be passed on and silently ignored.
    mistyped = [arg for arg in rest if arg.startswith("--")]
    if mistyped:  # on one line, even if it holds a line break
        parser.error(f"unrecognised option {' '.join(mistyped[0].split())}")
    if args.data_dir is not None and not args.data_dir.strip():  # never the real folder instead
        parser.error("--data-dir was given an empty folder name; name the folder, or leave it out")
    return args, rest


def is_command_line(arguments: Sequence[str]) -> bool:
    """Whether ``arguments`` run a command (the first word, or the first after ``--data-dir
    DIR``, as in ``safesignal --data-dir DIR export``) rather than the app."""
    from trainer.cli import COMMANDS

    if arguments and not arguments[0].startswith("-"):
        return True  # a command, or a typo of one
    rest = list(arguments)
    while rest and (rest[0] == "--data-dir" or rest[0].startswith("--data-dir=")):
        rest = rest[2:] if rest[0] == "--data-dir" else rest[1:]
    return len(rest) < len(arguments) and bool(rest) and rest[0] in COMMANDS


def _write_report(path: Path, **options: Any) -> int:
    """Draws the PDF of ``safesignal report``; Qt is imported only now, for this command."""
    from ui.report.document import write_report_headless

    return write_report_headless(path, **options)


class _Desk:
    """What a desk user has around the window: reminders, their pop-up and the tray icon."""

    def __init__(self, service: Any, popup: Any, tray: Any) -> None:
        self.service, self.popup, self.tray = service, popup, tray

    def close(self) -> None:
        """Stop reminding and take the icon away (the app is quitting)."""
        self.service.stop()
        self.popup.close()
        self.tray.hide()


def wire_desk(window: Any, store: Any, utc_now: Any) -> _Desk:
    """Reminders (a tray message where the desktop has a tray, else a small window that does
    not take the keyboard) and the tray icon's menu, connected to the main window."""
    from trainer.session.clock import LocalZone
    from ui.common.dialogs import Dialogs
    from ui.shell.reminders import ReminderPopup, ReminderPresenter, ReminderService
    from ui.shell.tray import TrayIcon

    service = ReminderService(store.app_settings, utc_now=utc_now, tz=LocalZone(), parent=window)
    popup = ReminderPopup()  # no parent: it must show while the window is minimised
    tray = TrayIcon(window)
    presenter = ReminderPresenter(service, popup, tray, busy=window.busy, screen=window.screen)
    presenter.reset_requested.connect(window.start_reset)
    tray.reset_requested.connect(window.start_reset)
    tray.start_last_requested.connect(window.start_last_exercise)
    tray.open_requested.connect(window.bring_forward)
    tray.quit_requested.connect(window.close)

    def refresh_last() -> None:
        last = window.last_exercise()
        tray.set_last_exercise(None if last is None else last[2])

    tray.menu_about_to_show.connect(refresh_last)
    refresh_last()
    service.save_failed.connect(
        lambda message: Dialogs.error(window, "Could not save the reminder settings", message)
    )
    for problem in service.load_problems:
        print(f"safesignal: {problem}", file=sys.stderr)
    window.reminders = service
    tray.show()
    service.start()
    return _Desk(service, popup, tray)


class QuietCheckpoints:
    """Copies the write-ahead log into the database file at a quiet moment after sessions are
    saved (recovered, imported...): once the summary is up, never while someone practises or
    presents (it waits for that to end). A kill, or a computer shut down with the app left
    open, then leaves ``safesignal.db`` holding every saved session on its own."""

    DELAY_MS = 1_500  # after the save: the summary is shown and painted first
    BUSY_RETRY_MS = 30_000  # someone is practising: look again later

    def __init__(self, store: Any, busy: Any, parent: Any) -> None:
        from PySide6.QtCore import QTimer

        self._store, self._busy = store, busy
        self.timer = QTimer(parent)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self._run)

    def on_change(self, change: Any) -> None:
        """A listener of the profile in use: sessions changed, so checkpoint soon."""
        from trainer.app.profile import Change

        if change is Change.SESSIONS:
            self.timer.start(self.DELAY_MS)

    def _run(self) -> None:
        if self._busy():
            self.timer.start(self.BUSY_RETRY_MS)
            return
        self._store.checkpoint()


# The signals that ask a program to end (a shutdown, a closed terminal, Ctrl+C): the app ends
# cleanly on them, keeping a session under way. (Windows has no SIGHUP.)
END_SIGNALS: tuple[signal.Signals, ...] = tuple(
    getattr(signal, name) for name in ("SIGTERM", "SIGHUP", "SIGINT") if hasattr(signal, name)
)


class CleanExit:
    """Ends the app cleanly when it is told to go without anyone clicking Quit: on SIGTERM,
    SIGHUP or SIGINT, and when the desktop session logs out (Qt's ``commitDataRequest``; and
    ``aboutToQuit`` for any other way out). A session under way is kept as interrupted, the
    write-ahead log is copied into the database file, and the database is closed.

    A Python signal handler runs only when Python runs, and Qt's event loop may sleep in C for
    as long as nothing happens; so the signal's number is written to a pipe (Python's
    ``signal.set_wakeup_fd``) whose other end Qt watches, and the event loop wakes to read it."""

    def __init__(self, app: QApplication, end: Any, keep: Any) -> None:
        """``end()`` keeps what is under way and leaves the event loop (a signal); ``keep()``
        keeps it without leaving (a logout, which the desktop may still cancel)."""
        from PySide6.QtCore import QSocketNotifier

        self._app, self._end, self._keep = app, end, keep
        self.received: list[int] = []
        self._pipe: tuple[int, int] | None = None
        self._old_handlers: dict[signal.Signals, Any] = {}
        self.notifier: QSocketNotifier | None = None
        if os.name == "posix":  # (a pipe, not a socket: the program opens none but its own)
            self._pipe = os.pipe()
            for fd in self._pipe:
                os.set_blocking(fd, False)
            self._old_fd = signal.set_wakeup_fd(self._pipe[1], warn_on_full_buffer=False)
            self._old_handlers = {sig: signal.signal(sig, self._noted) for sig in END_SIGNALS}
            self.notifier = QSocketNotifier(self._pipe[0], QSocketNotifier.Type.Read)
            self.notifier.activated.connect(self._woken)
        app.commitDataRequest.connect(self._logging_out)
        app.aboutToQuit.connect(self._keep)

    @staticmethod
    def _noted(signum: int, frame: object) -> None:
        """The Python side of the handler: nothing (the socket has the number already)."""

    def _woken(self) -> None:
        assert self._pipe is not None
        try:
            numbers = os.read(self._pipe[0], 64)
        except (BlockingIOError, InterruptedError):
            return
        signals = [n for n in numbers if n in {int(sig) for sig in END_SIGNALS}]
        if not signals:
            return
        self.received.extend(signals)
        logging.getLogger(__name__).info(
            "ending on %s", ", ".join(signal.Signals(n).name for n in signals)
        )
        self._end()

    def _logging_out(self, manager: object) -> None:
        self._keep()

    def uninstall(self) -> None:
        """Put back the signal handling there was before (the app has ended)."""
        with contextlib.suppress(RuntimeError, TypeError):
            self._app.commitDataRequest.disconnect(self._logging_out)
            self._app.aboutToQuit.disconnect(self._keep)
        if self._pipe is None:
            return
        assert self.notifier is not None
        self.notifier.setEnabled(False)
        for sig, handler in self._old_handlers.items():
            signal.signal(sig, handler)
        signal.set_wakeup_fd(self._old_fd)
        for fd in self._pipe:
            os.close(fd)
        self._pipe = None


LOST_TAIL_TITLE = "Your most recent changes could not be read"


class _Unfinished:
    """Closes, at start-up, the sessions a crash left unfinished, and keeps what it found for
    the main window to offer (``None`` when it could not look: the window tries again)."""

    def __init__(self) -> None:
        self.found: list[RecoveredSession] | None = None

    def __call__(self, store: Any) -> None:
        from trainer.errors import SafeSignalError
        from trainer.session.recovery import recover_unfinished

        try:
            self.found = recover_unfinished(store.sessions, store.app_settings)
        except SafeSignalError:
            self.found = None


def run_command_line(argv: Sequence[str] | None = None) -> int:
    """``safesignal-cli``: a command (export, import, demo, report, restore) in a console, never
    the app; returns the exit code."""
    from trainer.cli import main as run_command

    return run_command(list(sys.argv[1:] if argv is None else argv), write_report=_write_report)


class _InputHold:
    """Keeps the person's clicks and keys from the main window until start-up has finished (the
    database check runs just after the first paint; nothing may write before it passes).
    Other windows, such as the damaged-database dialog, take input as usual.

    It starts in the window's first paint (before any input that follows it), not at show():
    until it paints the person cannot see the window (on X11 and Wayland it cannot have the
    keyboard either), and a Python filter of every event of the application would slow that
    first paint down by about 25 ms, a sixth of what a bare window takes to appear: each event
    and object it is shown is made into a Python object first."""

    def __init__(self, app: QApplication, window: QWidget) -> None:
        from PySide6.QtCore import QEvent, QObject
        from PySide6.QtWidgets import QWidget

        held = {
            QEvent.Type.KeyPress,
            QEvent.Type.KeyRelease,
            QEvent.Type.ShortcutOverride,
            QEvent.Type.MouseButtonPress,
            QEvent.Type.MouseButtonRelease,
            QEvent.Type.MouseButtonDblClick,
            QEvent.Type.Wheel,
        }

        class Filter(QObject):
            """Drops the held events."""

            def eventFilter(self, watched: QObject, event: QEvent) -> bool:
                if not (
                    event.type() in held
                    and isinstance(watched, QWidget)
                    and watched.window() is window
                ):
                    return False
                if event.type() == QEvent.Type.ShortcutOverride:
                    event.accept()  # "the widget takes this key": no shortcut fires either
                return True

        self._app = app
        self._filter = Filter()
        app.installEventFilter(self._filter)

    def release(self) -> None:
        """Let input through again."""
        self._app.removeEventFilter(self._filter)


class _Startup:
    """Opens the app in the order that shows a window soonest: read what the first screen shows
    (the database read-only, unchecked), paint, then check the database and only then let
    anything write: the sessions a crash left unfinished, today's backup, reminders, input."""

    def __init__(
        self, app: QApplication, args: argparse.Namespace, data_dir: Path, *, warm: bool = False
    ) -> None:
        from ui.shell.single_instance import guard_app

        self.app, self.args, self.data_dir = app, args, data_dir
        self.quiet: bool = args.exit_after_paint
        self.guard = guard_app(data_dir, quiet=self.quiet)  # lock, bring-to-front, error log
        self.unfinished = _Unfinished()
        self.store: Store | None = None
        self.window: MainWindow | None = None
        self.desk: _Desk | None = None
        self.scripts: tuple[Script, ...] | None = None  # read just after the first paint
        self.script_problems: list[str] = []
        self.exit_code = 0
        self.started = False  # the database check passed and everything is running
        self.warm = warm  # load the history's statistics in the background once started
        self.lost_tail: LostTail | None = None  # said once the window has painted

    def open(self) -> int | None:
        """Up to a shown window; an exit code when the app cannot open."""
        from trainer.app.settings import load_app_settings
        from trainer.content.catalog import load_catalog
        from trainer.errors import SafeSignalError
        from ui.common.theme import apply_theme_choice
        from ui.common.ticker import FrameTicker
        from ui.shell.recover_db import open_store_or_ask
        from ui.shell.single_instance import STARTUP_PROBLEM

        if isinstance(self.guard, int):
            return self.guard  # another Safe Signal has this folder
        try:
            self.catalog = load_catalog()
            # A damaged database (found on opening): restore a backup, start fresh or quit.
            store = open_store_or_ask(
                self.data_dir,
                ask=not self.quiet,
                lock=self.guard.lock,
                before_backup=self.unfinished,
                check_later=True,
                before_asking=self.guard.listen,  # a second copy brings the question forward
            )
            if store is None:
                return 2
            self.store = store
            self.lost_tail = store.lost_tail  # a damaged -wal: set aside, said after the paint
            if self.lost_tail is not None:
                print(f"safesignal: {self.lost_tail.message}", file=sys.stderr)
            self.app_settings = load_app_settings(store.app_settings)
            if self.args.theme is None and self.app_settings.theme != "system":
                apply_theme_choice(self.app, self.app_settings.theme)  # before the widgets
            self.ticker = FrameTicker()
            window = self._make_window(store)
        except SafeSignalError as exc:
            print(f"safesignal: {exc}", file=sys.stderr)
            if not self.quiet:
                from ui.common.dialogs import Dialogs  # our symbol, not the desktop's

                Dialogs.error(None, STARTUP_PROBLEM, str(exc))
            return 2
        window.first_painted.connect(self._on_first_paint)
        window.show()
        return None

    def _make_window(self, store: Store) -> MainWindow:
        from trainer.session.clock import MonotonicClock, utc_now
        from ui.shell.main_window import MainWindow
        from ui.shell.profiles import profile_to_open

        window = MainWindow(
            store=store,
            catalog=self.catalog,
            clock=MonotonicClock(),
            utc_now=utc_now,
            ticker=self.ticker,
            profile_id=profile_to_open(store),
            scripts=self.scripts,  # None until the first paint: only other screens show them
        )
        assert not isinstance(self.guard, int)
        window.data_lock = self.guard.lock  # a restore from the menu works under the app's lock
        self.checkpoints = QuietCheckpoints(store, window.busy, window)
        window.profile.changed.add(self.checkpoints.on_change)
        self.window = window
        return window

    def _on_first_paint(self) -> None:
        from PySide6.QtCore import QTimer

        assert self.window is not None
        self.hold = _InputHold(self.app, self.window)  # in the paint: before any input after it
        gc.enable()  # held back until now (see main)
        if self.quiet:
            elapsed_ms = (time.perf_counter() - _STARTED_S) * 1000
            cpu_ms = time.process_time() * 1000
            print(
                f"first paint after {elapsed_ms:.0f} ms (CPU {cpu_ms:.0f} ms); "
                f"{len(self.catalog.exercises)} breathing exercises"
            )
            sys.stdout.flush()
        QTimer.singleShot(0, self.finish)

    def _read_scripts(self, window: MainWindow) -> None:
        """The guided attention exercises (only their own screens show them, so they are read
        after the first paint, before input flows); a file with a mistake is left out and said."""
        from trainer.content.scripts import load_scripts

        problems: list[str] = []
        self.scripts = load_scripts(problems=problems)
        window.use_scripts(self.scripts)
        for problem in problems:
            print(f"safesignal: a guided exercise was left out: {problem}", file=sys.stderr)
        if self.quiet:
            print(f"{len(self.scripts)} attention exercises")
            sys.stdout.flush()
        self.script_problems = problems

    def finish(self) -> None:
        """After the first paint: check the database (the damaged-database dialog if it is not
        whole), then what writes, then the rest of the desk; input flows again at the end."""
        from PySide6.QtCore import QTimer

        from trainer.errors import SafeSignalError
        from trainer.session.clock import utc_now
        from ui.common.dialogs import Dialogs
        from ui.common.icons import app_icon
        from ui.shell.recover_db import DailyBackups, finish_opening
        from ui.shell.single_instance import STARTUP_PROBLEM

        if self.started or self.store is None or self.window is None:
            return
        assert not isinstance(self.guard, int)
        self.guard.listen()  # from now on a later copy can bring this one forward
        # PySide6 reads the source of every module imported (to look for its __feature__ use)
        # and linecache keeps it all; let it go before sqlite-utils and numpy add theirs.
        linecache.clearcache()
        try:
            store = finish_opening(
                self.store,
                self.data_dir,
                self.window,
                ask=not self.quiet,
                lock=self.guard.lock,
                before_backup=self.unfinished,
            )
            if store is not None and store is not self.store:
                # Restored or started fresh: a window on the new database replaces the old one.
                self.store, old = store, self.window
                self._make_window(store).show()
                old.hide()
                old.deleteLater()
        except SafeSignalError as exc:
            self.store.close()
            print(f"safesignal: {exc}", file=sys.stderr)
            if not self.quiet:
                Dialogs.error(self.window, STARTUP_PROBLEM, str(exc))
            store = None
        if store is None:
            self.store = None  # closed, or never to be written
            self.exit_code = 2
            self.app.exit(2)
            return
        self.started = True
        window = self.window
        assert window is not None
        self._read_scripts(window)
        self.app.setWindowIcon(app_icon())  # made now: the window need not wait for it
        if self.quiet:
            QTimer.singleShot(0, self.app.quit)
            self.hold.release()
            return
        self.desk = wire_desk(window, store, utc_now)
        DailyBackups(store, self.data_dir, parent=window)  # for an app left open for days
        store.checkpoint()  # what start-up wrote (sessions a crash left, now interrupted)
        self.hold.release()
        if self.warm:
            warm_up()

        def greet() -> None:
            if self.lost_tail is not None:  # what happened to their data comes first
                Dialogs.info(window, LOST_TAIL_TITLE, self.lost_tail.message)
            if self.script_problems:
                Dialogs.error(
                    window,
                    "Some guided exercises were left out",
                    "These exercise files have a mistake, so they are not offered; everything "
                    "else works as usual:\n\n" + "\n".join(self.script_problems),
                )
            window.offer_recovery(self.unfinished.found)  # one question at a time
            if not self.app_settings.welcome_seen:
                window.show_welcome()  # after, never on top of, the question about a session

        QTimer.singleShot(0, greet)

    def keep_under_way(self) -> None:
        """The app is about to end with no one to ask (a signal, a logout): keep a session
        under way as interrupted, and put the write-ahead log into the database file."""
        if self.window is not None and self.started:
            self.window.end_without_asking()
        if self.store is not None:
            self.store.checkpoint(truncate=True)

    def end(self) -> None:
        """Told to end (a signal): keep what is under way and leave the event loop; the
        database is closed as the app returns (:meth:`close`)."""
        self.keep_under_way()
        self.app.exit(self.exit_code)

    def close(self) -> None:
        """The app is quitting: stop the desk tools and close the database."""
        if self.desk is not None:
            self.desk.close()
        if self.store is not None:
            self.store.close()


def main(argv: Sequence[str] | None = None) -> int:
    """Run Safe Signal (or, given a command such as ``export``, that command; only ``report``
    loads Qt, to draw its PDF); returns the process exit code."""
    arguments = list(sys.argv[1:] if argv is None else argv)
    if is_command_line(arguments):
        return run_command_line(arguments)
    # Up to the first paint Python makes many objects and frees almost none, yet its cycle
    # collector would walk them all some sixty times (about 10 ms); it runs again from the paint.
    gc.disable()
    try:
        return _run_app(arguments)
    finally:
        gc.enable()


def _run_app(arguments: list[str]) -> int:
    args, qt_args = parse_args(arguments)

    from PySide6.QtWidgets import QApplication

    from ui.common.theme import apply_theme_choice
    from ui.shell.display import display_problems_said

    app = QApplication.instance()
    if app is None:
        with display_problems_said():  # no desktop: one line, not Qt's "Reinstalling..."
            app = QApplication(["safesignal", *qt_args])
    assert isinstance(app, QApplication)
    app.setApplicationName("Safe Signal")
    app.setApplicationVersion(__version__)
    app.setDesktopFileName("safesignal")  # lets a desktop match the window to safesignal.desktop
    apply_theme_choice(app, args.theme or "system")

    data_dir = resolve_data_dir(args.data_dir)
    said = make_private(data_dir)  # a folder others may open: made private, said once
    if said is not None:
        print(f"safesignal: {said}", file=sys.stderr)
    from ui.common.dialogs import keep_qt_state_in

    keep_qt_state_in(data_dir)  # not ~/.config/QtProject.conf, which names folders to everyone
    startup = _Startup(app, args, data_dir, warm=True)
    ending = CleanExit(app, startup.end, startup.keep_under_way)
    try:
        code = startup.open()
        if code is not None:
            return code
        code = app.exec()
        return startup.exit_code or code
    finally:
        startup.close()
        ending.uninstall()


if __name__ == "__main__":
    sys.exit(main())
