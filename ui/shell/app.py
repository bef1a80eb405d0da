"""Builds and wires the application: arguments, database, clock, catalog and the main window."""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from trainer import __version__
from trainer.cli import COMMANDS
from trainer.cli import main as run_command
from trainer.safety.paths import ENV_DATA_DIR, resolve_data_dir

if TYPE_CHECKING:
    from trainer.session.recovery import RecoveredSession

_STARTED_S = time.perf_counter()


def parse_args(argv: Sequence[str]) -> tuple[argparse.Namespace, list[str]]:
    """Our options, and whatever is left for Qt (such as ``-platform offscreen``)."""
    parser = argparse.ArgumentParser(
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
    if misplaced:  # safesignal --data-dir DIR export ...
        parser.error(f"put the command first: safesignal {misplaced[0]} [options]")
    # Qt's own options start with one dash (-platform, -style); a mistyped option of ours
    # (--data-dri) must not be passed on and silently ignored.
    mistyped = [arg for arg in rest if arg.startswith("--")]
    if mistyped:  # on one line, even if it holds a line break
        parser.error(f"unrecognised option {' '.join(mistyped[0].split())} (see --help)")
    if args.data_dir is not None and not args.data_dir.strip():  # never the real folder instead
        parser.error("--data-dir was given an empty folder name; name the folder, or leave it out")
    return args, rest


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


class _Unfinished:
    """Closes, at start-up, the sessions a crash left unfinished, and keeps what it found for
    the main window to offer (``None`` when it could not look: the window tries again)."""

    def __init__(self) -> None:
        self.found: list[RecoveredSession] | None = None

    def __call__(self, store: Any) -> None:
        from trainer.errors import SafeSignalError
        from trainer.session.recovery import recover_unfinished

        try:
            self.found = recover_unfinished(store.sessions)
        except SafeSignalError:
            self.found = None


def run_command_line(argv: Sequence[str] | None = None) -> int:
    """``safesignal-cli``: a command (export, import, demo, report, restore) in a console, never
    the app; returns the exit code."""
    return run_command(list(sys.argv[1:] if argv is None else argv), write_report=_write_report)


def main(argv: Sequence[str] | None = None) -> int:
    """Run Safe Signal (or, given a command such as ``export``, that command; only ``report``
    loads Qt, to draw its PDF); returns the process exit code."""
    arguments = list(sys.argv[1:] if argv is None else argv)
    if arguments and not arguments[0].startswith("-"):
        # No option of ours or Qt's: a command (or a typo of one).
        return run_command(arguments, write_report=_write_report)
    args, qt_args = parse_args(arguments)

    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMessageBox

    from trainer.app.settings import load_app_settings
    from trainer.content.bodymap import load_body_map
    from trainer.content.catalog import load_catalog
    from trainer.content.scripts import load_scripts
    from trainer.errors import SafeSignalError
    from trainer.session.clock import MonotonicClock, utc_now
    from ui.common.icons import app_icon
    from ui.common.theme import apply_theme_choice
    from ui.common.ticker import FrameTicker
    from ui.shell.main_window import MainWindow
    from ui.shell.profiles import profile_to_open
    from ui.shell.recover_db import open_store_or_ask

    app = QApplication.instance() or QApplication(["safesignal", *qt_args])
    assert isinstance(app, QApplication)
    app.setApplicationName("Safe Signal")
    app.setApplicationVersion(__version__)
    app.setWindowIcon(app_icon())
    app.setDesktopFileName("safesignal")  # lets a desktop match the window to safesignal.desktop
    apply_theme_choice(app, args.theme or "system")

    data_dir = resolve_data_dir(args.data_dir)
    from ui.shell.single_instance import STARTUP_PROBLEM, guard_app

    guard = guard_app(data_dir, quiet=args.exit_after_paint)  # lock, bring-to-front, error log
    if isinstance(guard, int):
        return guard  # another Safe Signal has this folder
    try:
        catalog = load_catalog()
        script_problems: list[str] = []
        scripts = load_scripts(problems=script_problems)
        body_map = load_body_map()
        # A damaged database: restore a backup, start fresh or quit. Closes the sessions a
        # crash left unfinished, then makes today's backup.
        unfinished = _Unfinished()
        store = open_store_or_ask(
            data_dir, ask=not args.exit_after_paint, lock=guard.lock, before_backup=unfinished
        )
        if store is None:
            return 2
        profile_id = profile_to_open(store)
        app_settings = load_app_settings(store.app_settings)
    except SafeSignalError as exc:
        print(f"safesignal: {exc}", file=sys.stderr)
        if not args.exit_after_paint:
            QMessageBox.critical(None, STARTUP_PROBLEM, str(exc))
        return 2

    if args.theme is None and app_settings.theme != "system":
        apply_theme_choice(app, app_settings.theme)
    ticker = FrameTicker()
    window = MainWindow(
        store=store,
        catalog=catalog,
        clock=MonotonicClock(),
        utc_now=utc_now,
        ticker=ticker,
        profile_id=profile_id,
        scripts=scripts,
        body_map=body_map,
    )
    window.data_lock = guard.lock  # a restore from the menu works under the app's own lock
    if args.exit_after_paint:

        def report_and_quit() -> None:
            elapsed_ms = (time.perf_counter() - _STARTED_S) * 1000
            print(
                f"first paint after {elapsed_ms:.0f} ms; {len(catalog.exercises)} breathing and "
                f"{len(scripts)} attention exercises"
            )
            sys.stdout.flush()
            QTimer.singleShot(0, app.quit)

        window.first_painted.connect(report_and_quit)
    desk = wire_desk(window, store, utc_now) if not args.exit_after_paint else None
    if not args.exit_after_paint:
        from ui.shell.recover_db import DailyBackups

        DailyBackups(store, data_dir, parent=window)  # for an app left open for days
    window.show()
    for problem in script_problems:
        print(f"safesignal: a guided exercise was left out: {problem}", file=sys.stderr)
    if script_problems and not args.exit_after_paint:
        QMessageBox.warning(
            window,
            "Some guided exercises were left out",
            "These exercise files have a mistake, so they are not offered; everything else "
            "works as usual:\n\n" + "\n".join(script_problems),
        )
    if not args.exit_after_paint:

        def greet() -> None:
            window.offer_recovery(unfinished.found)  # one question at a time
            if not app_settings.welcome_seen:
                window.show_welcome()  # after, never on top of, the question about a session

        QTimer.singleShot(0, greet)
    try:
        return app.exec()
    finally:
        if desk is not None:
            desk.close()
        store.close()


if __name__ == "__main__":
    sys.exit(main())
