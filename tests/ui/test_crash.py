"""Tests for ui/shell/crash.py: an unexpected error in the app is logged with its traceback and shown
as a short message (sessions safe, where the log is), from the GUI thread or a worker thread."""

from __future__ import annotations

import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer

from trainer.safety.errorlog import LOG_FILENAME, close_log
from ui.shell.crash import MAX_MESSAGES, TITLE, CrashReporter


@pytest.fixture
def reporter(qapp, tmp_path: Path, dialogs) -> Iterator[CrashReporter]:
    crash = CrashReporter(tmp_path / "data")
    crash.install()
    yield crash
    crash.uninstall()
    close_log()


def boom() -> None:
    raise RuntimeError("a bug deep inside")


def raise_and_report() -> None:
    try:
        boom()
    except RuntimeError:
        sys.excepthook(*sys.exc_info())  # type: ignore[arg-type]


def test_an_error_is_logged_and_shown_briefly(reporter, dialogs, tmp_path, capsys):
    raise_and_report()
    log = (tmp_path / "data" / LOG_FILENAME).absolute()
    assert "RuntimeError: a bug deep inside" in log.read_text(encoding="utf-8")
    assert len(dialogs.errors) == 1
    shown = dialogs.errors[0]
    assert shown.startswith(f"{TITLE}: Something unexpected went wrong")
    assert "sessions you recorded are safe" in shown
    assert str(log) in shown
    assert "Traceback" not in shown
    assert "a bug deep inside" not in shown
    err = capsys.readouterr().err
    assert err == f"safesignal: something unexpected went wrong (details in {log}).\n"


def test_an_error_in_a_worker_thread_is_shown_from_the_gui_thread(reporter, dialogs, qtbot):
    shown_in: list[threading.Thread] = []
    reporter.message_ready.connect(lambda _m: shown_in.append(threading.current_thread()))
    worker = threading.Thread(target=boom)
    worker.start()
    worker.join()
    qtbot.waitUntil(lambda: len(dialogs.errors) == 1)
    assert shown_in == [threading.main_thread()]
    assert "sessions you recorded are safe" in dialogs.errors[0]


def test_an_error_that_repeats_does_not_bury_the_person_in_boxes(reporter, dialogs, tmp_path):
    for _ in range(MAX_MESSAGES + 5):
        raise_and_report()
    assert len(dialogs.errors) == MAX_MESSAGES
    text = (tmp_path / "data" / LOG_FILENAME).read_text(encoding="utf-8")
    assert text.count("RuntimeError: a bug deep inside") == MAX_MESSAGES + 5


@pytest.mark.qt_no_exception_capture
def test_an_error_in_a_qt_slot_reaches_the_reporter(reporter, dialogs, qtbot, tmp_path):
    QTimer.singleShot(0, boom)
    qtbot.waitUntil(lambda: len(dialogs.errors) == 1)
    assert "RuntimeError: a bug deep inside" in (tmp_path / "data" / LOG_FILENAME).read_text(
        encoding="utf-8"
    )


def test_uninstall_gives_the_hooks_back(qapp, tmp_path):
    before, before_thread = sys.excepthook, threading.excepthook
    crash = CrashReporter(tmp_path)
    crash.install()
    assert sys.excepthook == crash.report
    assert threading.excepthook != before_thread
    crash.uninstall()
    assert sys.excepthook is before
    assert threading.excepthook is before_thread
