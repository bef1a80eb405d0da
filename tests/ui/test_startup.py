"""Tests for the order of start-up in ui/shell/app.py: the window paints first, then the database
is checked, and nothing writes to it before the check has passed; damage found then still leads
to the damaged-database dialog."""

from __future__ import annotations

import argparse
import os
import sqlite3
import subprocess
import sys
import threading
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QApplication, QPushButton

import trainer.content.scripts
import ui.shell.app
import ui.shell.single_instance
from tests.trainer.store.test_check_later import damage_inside
from trainer.content.breathing import BreathingPattern, Phase, PhaseKind
from trainer.safety.backup import BackupInfo, list_backups
from trainer.safety.paths import DB_FILENAME, ENV_DATA_DIR
from trainer.session.machine import Ratings, SessionPlan
from trainer.store.store import Store
from ui.common.dialogs import Dialogs
from ui.common.theme import DARK, LIGHT, apply_theme, current_theme
from ui.shell.main_window import MainWindow
from ui.shell.recover_db import DamagedDatabaseDialog, Recovery

T0 = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)
WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE", "UPSERT", "CREATE", "DROP", "ALTER")


def is_write(statement: str) -> bool:
    """Whether SQL changes a database (the connection's own settings, PRAGMA journal_mode on a
    file already in WAL or foreign_keys, do not)."""
    words = statement.upper().replace("=", " = ").split()
    return bool(words) and (words[0] in WRITES or words[:3] == ["PRAGMA", "USER_VERSION", "="])


class Events:
    """What happened, in order: SQL sent to any database, the first paint, the check passing."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.seen: list[str] = []
        connect = sqlite3.connect

        def traced(*args: Any, **kwargs: Any) -> sqlite3.Connection:
            conn = connect(*args, **kwargs)
            conn.set_trace_callback(self.seen.append)
            return conn

        monkeypatch.setattr(sqlite3, "connect", traced)
        on_first_paint = ui.shell.app._Startup._on_first_paint
        finish_check = Store.finish_check

        def painted(startup: ui.shell.app._Startup) -> None:
            self.seen.append("<painted>")
            on_first_paint(startup)

        def checked(store: Store) -> None:
            finish_check(store)
            self.seen.append("<checked>")

        monkeypatch.setattr(ui.shell.app._Startup, "_on_first_paint", painted)
        monkeypatch.setattr(Store, "finish_check", checked)
        hold, release = ui.shell.app._InputHold.__init__, ui.shell.app._InputHold.release

        def held(self: ui.shell.app._InputHold, *args: Any) -> None:
            self_seen.append("<held>")
            hold(self, *args)

        def released(self: ui.shell.app._InputHold) -> None:
            self_seen.append("<released>")
            release(self)

        self_seen = self.seen
        monkeypatch.setattr(ui.shell.app._InputHold, "__init__", held)
        monkeypatch.setattr(ui.shell.app._InputHold, "release", released)

    def index(self, wanted: str) -> int:
        return next(i for i, event in enumerate(self.seen) if wanted in event)

    def writes(self) -> list[int]:
        return [i for i, event in enumerate(self.seen) if is_write(event)]


@pytest.fixture
def startup(qapp: QApplication, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Any:
    """Makes a ``_Startup`` for a data folder, as ``main`` does, without the single-instance
    guard (its crash reporter would outlive the test); quits and the welcome are recorded."""
    made: list[ui.shell.app._Startup] = []
    exits: list[int] = []
    monkeypatch.setattr(
        ui.shell.single_instance,
        "guard_app",
        lambda *a, **k: SimpleNamespace(lock=None, listen=lambda: None),
    )
    monkeypatch.setattr(qapp, "exit", exits.append)
    monkeypatch.setattr(MainWindow, "show_welcome", lambda self: None)
    offered: list[object] = []
    monkeypatch.setattr(
        MainWindow, "offer_recovery", lambda self, found=None: offered.append(found)
    )

    def make(folder: Path) -> ui.shell.app._Startup:
        args = argparse.Namespace(exit_after_paint=False, theme=None, data_dir=str(folder))
        made.append(ui.shell.app._Startup(qapp, args, folder))
        return made[-1]

    make.exits = exits  # type: ignore[attr-defined]
    make.offered = offered  # type: ignore[attr-defined]
    yield make
    for each in made:
        if each.window is not None:
            each.window.hide()
            each.window.deleteLater()
        each.close()
    for each in made:  # a hold that start-up did not release
        if hasattr(each, "hold"):
            each.hold.release()


def unfinished_session(folder: Path) -> int:
    store = Store.open_in(folder, now=lambda: T0)
    try:
        plan = SessionPlan(
            "coherent-4-6",
            "Coherent breathing",
            BreathingPattern([Phase(PhaseKind.INHALE, 4), Phase(PhaseKind.EXHALE, 6)]),
            19,
        )
        return store.sessions.start_session(plan, store.profiles.default_id(), T0, Ratings(5, 6))
    finally:
        store.close()


def test_the_window_paints_before_the_check_and_nothing_writes_before_it_passes(
    qtbot, startup, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    folder = tmp_path / "data"
    session_id = unfinished_session(folder)
    events = Events(monkeypatch)
    run = startup(folder)
    assert run.open() is None
    assert run.store is not None
    assert not run.store.checked  # the window was built on the unchecked, read-only store
    qtbot.waitUntil(lambda: run.started, timeout=10_000)
    painted, check, passed = (
        events.index("<painted>"),
        events.index("PRAGMA quick_check"),
        events.index("<checked>"),
    )
    assert painted < check < passed
    # Input is held from the first paint (not before it: that would slow the paint down) until
    # start-up has finished.
    assert painted < events.index("<held>") < check
    assert events.index("<released>") > passed
    writes = events.writes()
    assert writes, events.seen  # the unfinished session was closed, after the check
    assert min(writes) > passed, [events.seen[i] for i in writes if i < passed]
    assert run.store.checked
    assert run.store.sessions.get(session_id).status.value == "interrupted"
    assert [b.reason for b in list_backups(folder)] == ["daily"]
    qtbot.waitUntil(lambda: bool(startup.offered))  # asked just after start-up has finished
    assert [[s.id for s in found] for found in startup.offered] == [[session_id]]
    assert startup.exits == []


class Asked:
    """Stands in for DamagedDatabaseDialog.ask: records the parent and the message."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, answer: Recovery) -> None:
        self.answer = answer
        self.shown: list[tuple[object, str]] = []

        def ask(
            parent: object, message: str, backups: Sequence[BackupInfo]
        ) -> tuple[Recovery, BackupInfo | None]:
            self.shown.append((parent, message))
            return self.answer, None

        monkeypatch.setattr(DamagedDatabaseDialog, "ask", ask)


def test_damage_found_after_the_paint_asks_and_a_fresh_start_gets_a_new_window(
    qtbot, startup, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    folder = tmp_path / "data"
    damage_inside(folder)
    asked = Asked(monkeypatch, Recovery.FRESH)
    run = startup(folder)
    assert run.open() is None
    first = run.window
    qtbot.waitUntil(lambda: run.started, timeout=10_000)
    [(parent, message)] = asked.shown
    assert parent is first  # over the window, which is held still meanwhile
    assert "damaged" in message
    assert run.window is not first
    assert run.window is not None
    assert run.window.isVisible()
    qtbot.waitUntil(lambda: not shiboken6.isValid(first))  # the old window is gone
    assert run.store is not None
    assert run.store.checked
    assert run.store.app_settings.get("filler-000", "gone") == "gone"  # a fresh database
    assert list(folder.glob("*.damaged-*"))  # the damaged one set aside, not deleted
    assert startup.exits == []


def test_damage_found_after_the_paint_then_quit_changes_nothing(
    qtbot, startup, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    folder = tmp_path / "data"
    damaged = damage_inside(folder)
    asked = Asked(monkeypatch, Recovery.QUIT)
    run = startup(folder)
    assert run.open() is None
    qtbot.waitUntil(lambda: startup.exits == [2], timeout=10_000)
    assert len(asked.shown) == 1
    assert not run.started
    assert run.store is None
    assert (folder / DB_FILENAME).read_bytes() == damaged
    assert list_backups(folder) == []  # no backup of a damaged file


def test_input_is_held_from_the_window_until_released(qtbot, qapp: QApplication) -> None:
    held, other = QPushButton("Held"), QPushButton("A dialog")
    qtbot.addWidget(held)
    qtbot.addWidget(other)
    clicks: list[str] = []
    held.clicked.connect(lambda: clicks.append("held"))
    other.clicked.connect(lambda: clicks.append("other"))
    shortcut = QShortcut(QKeySequence("Ctrl+R"), held)
    shortcut.activated.connect(lambda: clicks.append("Ctrl+R"))
    held.show()
    qtbot.waitExposed(held)
    held.activateWindow()
    qtbot.waitUntil(held.isActiveWindow)
    held.setFocus()
    hold = ui.shell.app._InputHold(qapp, held)
    try:
        qtbot.mouseClick(held, Qt.MouseButton.LeftButton)
        qtbot.keyClick(held, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
        qtbot.keyClick(held, Qt.Key.Key_Space)
        qtbot.mouseClick(other, Qt.MouseButton.LeftButton)
        assert clicks == ["other"]
    finally:
        hold.release()
    qtbot.mouseClick(held, Qt.MouseButton.LeftButton)
    qtbot.keyClick(held, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    assert clicks == ["other", "held", "Ctrl+R"]


# -- the real app, in a separate process --------------------------------------------------------

# Nothing the first screen does not show is imported before it paints.
WAIT_FOR_THEIR_SCREEN = (
    "numpy",
    "scipy",
    "pyqtgraph",
    "sqlite_utils",
    "PySide6.QtMultimedia",
    "PySide6.QtTextToSpeech",
    "PySide6.QtSvg",
    "ui.common.icons",
    "ui.history.screen",
    "ui.history.plots",
    "ui.history.table",
    "ui.report.document",
    "ui.report.plots",
    "trainer.analysis.history",
    "trainer.analysis.progress",
    "ui.shell.settings_dialog",
    "ui.shell.help",
    "ui.shell.welcome",
    "ui.practice.presentation",
    "ui.practice.finder_screen",
    "ui.practice.attention_screen",
    "ui.practice.session_screen",
    "ui.practice.where_it_hurts",
    "ui.practice.summary",
    "ui.practice.rating",
    "ui.library.attention_home",
    "ui.widgets.body_map",
    "ui.common.sound",
    "ui.common.speech",
    "ui.shell.mini_pacer",
    "ui.shell.tray",
    "ui.shell.reminders",
    # The single-instance guard: the folder's lock says whether another copy runs; the socket
    # that brings it forward opens after the paint. The crash log's machinery loads on an error.
    "PySide6.QtNetwork",
    "trainer.safety.errorlog",
    "logging.handlers",
    "hashlib",
    # What only an attention exercise, a rescue file or a recovery needs is imported when one
    # happens (recovery: just after the paint).
    "trainer.content.scripts",
    "trainer.content.attention",
    "trainer.content.spotlight",
    "trainer.session.rescue",
    "trainer.session.recovery",
    "trainer.store.exchange",
    # Backups are made, listed and restored after the check (before it only ahead of a migration).
    "trainer.safety.backup",
    # The pace finder's runs are read with the finder (the store's table of them imports it then).
    "trainer.session.resonance",
    # The pattern editor (and the pacer of its preview) opens from a button of the home screen.
    "ui.library.pattern_editor",
    "ui.widgets.pacer",
    # Sound synthesis: the settings name the pacer's sound (trainer.content.cues) without it.
    "trainer.content.audio",
    # The practice flow and its dialogs are made when a practice starts (or one is recovered),
    # and the body map with the screens that show or name its areas.
    "trainer.app.practice",
    "ui.shell.practice_view",
    "ui.shell.practice_dialogs",
    "trainer.content.bodymap",
)
REPORT_AT_PAINT = """
import sys
import ui.shell.app as app

painted = app._Startup._on_first_paint

def report(startup):
    print("LOADED " + " ".join(sorted(sys.modules)), flush=True)
    painted(startup)

app._Startup._on_first_paint = report
sys.exit(app.main(sys.argv[1:]))
"""


def start(*args: str) -> subprocess.CompletedProcess[str]:
    env = {key: value for key, value in os.environ.items() if key != ENV_DATA_DIR}
    env["QT_QPA_PLATFORM"] = "offscreen"
    return subprocess.run(
        [sys.executable, *args, "--exit-after-paint"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.fixture(scope="module")
def loaded_at_paint(tmp_path_factory: pytest.TempPathFactory) -> set[str]:
    """The modules loaded when the window first painted, on an everyday start (the database
    exists: the first start of all makes it, and that may take sqlite-utils)."""
    folder = tmp_path_factory.mktemp("everyday")
    assert start("-m", "ui", "--data-dir", str(folder)).returncode == 0
    result = start("-c", REPORT_AT_PAINT, "--data-dir", str(folder))
    assert result.returncode == 0, result.stderr
    [line] = [line for line in result.stdout.splitlines() if line.startswith("LOADED ")]
    return set(line.split()[1:])


@pytest.mark.parametrize("module", WAIT_FOR_THEIR_SCREEN)
def test_nothing_heavy_is_imported_before_the_first_paint(
    loaded_at_paint: set[str], module: str
) -> None:
    assert "ui.shell.main_window" in loaded_at_paint  # the report came from the real window
    assert module not in loaded_at_paint


COLLECTOR_AT_PAINT = """
import gc
import sys
import ui.shell.app as app

painted = app._Startup._on_first_paint

def report(startup):
    print("before the paint", gc.isenabled())
    painted(startup)
    print("after the paint", gc.isenabled(), flush=True)

app._Startup._on_first_paint = report
code = app.main(sys.argv[1:])
print("at the end", gc.isenabled())
sys.exit(code)
"""


def test_the_cycle_collector_waits_for_the_first_paint_and_then_runs_again(
    tmp_path: Path,
) -> None:
    result = start("-c", COLLECTOR_AT_PAINT, "--data-dir", str(tmp_path / "data"))
    assert result.returncode == 0, result.stderr
    said = [line for line in result.stdout.splitlines() if " the " in line]
    assert said == ["before the paint False", "after the paint True", "at the end True"]


def test_damage_found_after_the_paint_stops_a_start_up_check_and_moves_nothing(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "data"
    damaged = damage_inside(folder)
    result = start("-m", "ui", "--data-dir", str(folder))
    assert "first paint" in result.stdout  # the window did not wait for the check
    assert result.returncode == 2
    assert "damaged" in result.stderr
    assert "Traceback" not in result.stderr
    assert (folder / DB_FILENAME).read_bytes() == damaged
    assert not list(folder.glob("*.damaged-*"))
    assert list_backups(folder) == []


def test_the_attention_scripts_are_read_after_the_paint_and_a_broken_one_is_said_then(
    qtbot, startup, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    events = Events(monkeypatch)
    load_scripts = trainer.content.scripts.load_scripts

    def one_broken(*args: Any, problems: list[str] | None = None, **kwargs: Any) -> Any:
        events.seen.append("<scripts read>")
        assert problems is not None  # the problems are collected, not raised
        problems.append("body-scan.toml, line 3: the text is empty")
        return load_scripts(*args, problems=problems, **kwargs)

    monkeypatch.setattr(trainer.content.scripts, "load_scripts", one_broken)
    warned: list[tuple[object, str]] = []
    monkeypatch.setattr(
        Dialogs,
        "error",
        lambda parent, title, text: warned.append((parent, text)),
    )
    run = startup(tmp_path / "data")
    assert run.open() is None
    assert run.scripts is None
    assert "<scripts read>" not in events.seen
    qtbot.waitUntil(lambda: bool(warned), timeout=10_000)
    assert events.index("<painted>") < events.index("<scripts read>")
    [(parent, text)] = warned
    assert parent is run.window
    assert "body-scan.toml, line 3" in text
    assert run.scripts
    assert run.window is not None
    assert run.window.scripts == run.scripts  # the window uses what start-up read


def test_the_saved_theme_is_in_place_before_the_window_is_built(
    qtbot, qapp: QApplication, startup, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    folder = tmp_path / "data"
    store = Store.open_in(folder)
    store.app_settings.set("theme", "dark")
    store.close()
    built_under: list[str] = []
    init = MainWindow.__init__

    def recording(self: MainWindow, **kwargs: Any) -> None:
        built_under.append(current_theme().name)
        init(self, **kwargs)

    monkeypatch.setattr(MainWindow, "__init__", recording)
    run = startup(folder)
    try:
        assert run.open() is None
        assert built_under == [DARK.name]
        qtbot.waitUntil(lambda: run.started, timeout=10_000)
    finally:
        apply_theme(qapp, LIGHT)


def test_the_history_statistics_load_in_the_background_once_started(
    qtbot, startup, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    events = Events(monkeypatch)
    monkeypatch.setattr(ui.shell.app, "warm_up", lambda: events.seen.append("<warm-up>"))
    run = startup(tmp_path / "data")
    run.warm = True  # as main() asks
    assert run.open() is None
    assert "<warm-up>" not in events.seen
    qtbot.waitUntil(lambda: run.started, timeout=10_000)
    assert events.index("<painted>") < events.index("<released>") < events.index("<warm-up>")
    assert events.seen.count("<warm-up>") == 1


def test_warm_up_imports_in_another_thread_and_a_missing_module_stops_nothing(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    (tmp_path / "safesignal_warm_probe.py").write_text(
        "import threading\nTHREAD = threading.current_thread().name\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, "safesignal_warm_probe", raising=False)
    thread = ui.shell.app.warm_up(("safesignal_no_such_module", "safesignal_warm_probe"))
    thread.join(timeout=10)
    assert not thread.is_alive()
    probe = sys.modules.pop("safesignal_warm_probe")
    assert probe.THREAD == thread.name != threading.main_thread().name
    assert ui.shell.app.WARM_UP_MODULES == ("numpy", "scipy.stats")
    # A quit soon after the start need not wait for these imports (seen once lingering ~3 s on
    # a busy machine): Python does not wait for a daemon thread at exit.
    assert thread.daemon
