"""Importing from the menu shows its progress (issue 17): the file is read and checked in a
thread of its own, so the window goes on (its timers fire, it repaints), a progress dialog says
how far it is in plain words, its Cancel leaves the history as it was, and the summary at the end
is as before."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QProgressDialog, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from tests.trainer.store.test_import_progress import T0, write_export_file
from trainer.app.profile import ProfileInUse
from trainer.content.catalog import load_catalog
from trainer.store import exchange
from trainer.store.exchange import ADDING, CHECKING, READING, ImportProgress, import_sessions
from trainer.store.store import Store
from ui.common.dialogs import Dialogs
from ui.shell.file_actions import FileActions
from ui.shell.import_progress import ImportProgressDialog, progress_text

WAIT_S = 10.0  # a bound on waiting for the window's thread, never a sleep


class Answers:
    """Stands in for the modal boxes: which file is chosen, and what was said."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, chosen: Path) -> None:
        self.confirms: list[str] = []
        self.infos: list[str] = []
        self.errors: list[str] = []
        monkeypatch.setattr(Dialogs, "open_file", lambda *_: str(chosen))
        monkeypatch.setattr(Dialogs, "confirm", self._confirm)
        monkeypatch.setattr(Dialogs, "info", lambda _p, title, text: self.infos.append(text))
        monkeypatch.setattr(Dialogs, "error", lambda _p, title, text: self.errors.append(text))

    def _confirm(self, parent: object, title: str, text: str, yes: str, no: str) -> bool:
        self.confirms.append(text)
        return True


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Store]:
    monkeypatch.setenv("HOME", str(tmp_path))
    opened = Store.open_in(tmp_path / "data")
    yield opened
    opened.close()


def _actions(qtbot: QtBot, store: Store) -> tuple[QWidget, FileActions]:
    parent = QWidget()
    qtbot.addWidget(parent)
    parent.show()
    profile = ProfileInUse(store, store.profiles.default_id(), load_catalog())
    return parent, FileActions(parent, profile, utc_now=lambda: T0, tz=T0.tzinfo)  # type: ignore[arg-type]


def _shown(parent: QWidget) -> QProgressDialog | None:
    for dialog in parent.findChildren(QProgressDialog):
        if dialog.isVisible():
            return dialog
    return None


class Watcher:
    """A timer of the window's thread: counts its ticks and notes what the progress dialog
    says; ``gate`` opens once it has ticked ``ticks`` times with the dialog on screen."""

    def __init__(self, parent: QWidget, ticks: int, interval_ms: int = 5) -> None:
        self.parent = parent
        self.ticks = 0
        self.ticks_with_dialog = 0
        self.labels: list[str] = []
        self.gate = threading.Event()
        self._wanted = ticks
        self.on_tick: Callable[[QProgressDialog], None] = lambda dialog: None
        self.timer = QTimer(parent)  # goes with the window, even when a test fails
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self._tick)
        self.timer.start()

    def _tick(self) -> None:
        self.ticks += 1
        dialog = _shown(self.parent)
        if dialog is None:
            return
        self.ticks_with_dialog += 1
        if not self.labels or self.labels[-1] != dialog.labelText():
            self.labels.append(dialog.labelText())
        if self.ticks_with_dialog >= self._wanted:
            self.gate.set()
        self.on_tick(dialog)


def _gated_reading(monkeypatch: pytest.MonkeyPatch, gate: threading.Event) -> list[bool]:
    """Reading waits (at most WAIT_S) until ``gate`` opens: the test decides when it goes on.
    Returns a list that says whether the gate had opened when reading went on."""
    real = exchange.read_export
    opened: list[bool] = []

    def read_export(path: Path, progress: object = None) -> object:
        opened.append(gate.wait(WAIT_S))
        return real(path) if progress is None else real(path, progress)  # type: ignore[arg-type]

    monkeypatch.setattr(exchange, "read_export", read_export)
    return opened


def test_a_large_import_shows_its_progress_and_ends_with_the_usual_summary(
    qtbot: QtBot, tmp_path: Path, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ImportProgressDialog, "show_after_ms", 0)  # as a slow file would
    answers = Answers(monkeypatch, write_export_file(tmp_path / "big.json", 1800))
    parent, actions = _actions(qtbot, store)
    watcher = Watcher(parent, ticks=5)
    opened = _gated_reading(monkeypatch, watcher.gate)

    actions.import_history(busy=False)

    assert opened == [True]  # the dialog was on screen while the window's timer ran
    assert watcher.labels[0] == "Reading big.json…"
    assert answers.confirms == [
        "Add the 1,800 sessions in big.json to the history of Me? Sessions already there "
        "are not added twice."
    ]
    assert answers.infos == ["Added 1,800 sessions to the history of Me."]
    assert answers.errors == []
    assert len(store.sessions.of_profile(store.profiles.default_id())) == 1800
    assert _shown(parent) is None  # gone at the end


def test_the_window_goes_on_while_a_file_is_read(
    qtbot: QtBot, tmp_path: Path, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    Answers(monkeypatch, write_export_file(tmp_path / "big.json", 300))
    _parent, actions = _actions(qtbot, store)
    ticks = {"n": 0}
    gate = threading.Event()

    def tick() -> None:  # a pacer's frame timer, say
        ticks["n"] += 1
        if ticks["n"] >= 20:
            gate.set()

    timer = QTimer()
    timer.setInterval(1)
    timer.timeout.connect(tick)
    timer.start()
    opened = _gated_reading(monkeypatch, gate)

    actions.import_history(busy=False)

    assert opened == [True]  # 20 ticks while the file was being read
    assert ticks["n"] >= 20


def test_cancel_while_reading_imports_nothing_and_asks_nothing(
    qtbot: QtBot, tmp_path: Path, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    me = store.profiles.default_id()
    import_sessions(store, me, write_export_file(tmp_path / "first.json", 3))
    before = store.sessions.of_profile(me)
    monkeypatch.setattr(ImportProgressDialog, "show_after_ms", 0)
    answers = Answers(
        monkeypatch, write_export_file(tmp_path / "more.json", 900, first=T0.replace(year=2025))
    )
    parent, actions = _actions(qtbot, store)
    watcher = Watcher(parent, ticks=1)  # the gate opens as Cancel is pressed, in one tick

    def press_cancel(dialog: QProgressDialog) -> None:
        dialog.findChild(QPushButton).click()

    watcher.on_tick = press_cancel
    opened = _gated_reading(monkeypatch, watcher.gate)

    actions.import_history(busy=False)

    assert opened == [True]
    assert answers.confirms == []  # never asked: nothing was read
    assert answers.infos == [
        "The import was cancelled. Nothing was imported: your history is as it was."
    ]
    assert store.sessions.of_profile(me) == before
    assert _shown(parent) is None


def test_cancel_while_adding_undoes_the_whole_import(
    qtbot: QtBot, tmp_path: Path, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    me = store.profiles.default_id()
    import_sessions(store, me, write_export_file(tmp_path / "first.json", 3))
    before = store.sessions.of_profile(me)
    monkeypatch.setattr(ImportProgressDialog, "show_after_ms", 0)
    answers = Answers(
        monkeypatch, write_export_file(tmp_path / "more.json", 1800, first=T0.replace(year=2025))
    )
    parent, actions = _actions(qtbot, store)
    watcher = Watcher(parent, ticks=1, interval_ms=0)  # fires whenever the window is free
    pressed: list[str] = []

    def cancel_once_some_are_added(dialog: QProgressDialog) -> None:
        label = dialog.labelText()
        if label.startswith("Adding") and "… 0 of" not in label and not pressed:
            pressed.append(label)
            dialog.findChild(QPushButton).click()

    watcher.on_tick = cancel_once_some_are_added

    actions.import_history(busy=False)

    assert pressed == ["Adding the sessions to the history of Me… 500 of 1,800 sessions"]
    assert len(answers.confirms) == 1
    assert answers.infos == [
        "The import was cancelled. Nothing was imported: your history is as it was."
    ]
    assert store.sessions.of_profile(me) == before  # the first 500 were undone too
    assert _shown(parent) is None


def test_a_mistake_read_in_the_thread_is_said_as_before(
    qtbot: QtBot, tmp_path: Path, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "odd.json"
    path.write_text("not json at all", encoding="utf-8")
    answers = Answers(monkeypatch, path)
    _parent, actions = _actions(qtbot, store)

    actions.import_history(busy=False)

    assert answers.errors == [
        "odd.json is not a Safe Signal export (it does not begin with {); an import reads the "
        "JSON form of an export (Export… as JSON in History, or safesignal export --format "
        "json).\n\nNothing was imported."
    ]
    assert answers.confirms == []


@pytest.mark.parametrize(
    ("step", "text"),
    [
        (ImportProgress(READING, 0, 1), "Reading big.json…"),
        (ImportProgress(READING, 10, 20, 1), "Reading big.json… 1 session so far"),
        (ImportProgress(READING, 10, 20, 12_000), "Reading big.json… 12,000 sessions so far"),
        (ImportProgress(CHECKING, 12_000, 40_000), "Checking big.json… 12,000 of 40,000 sessions"),
        (ImportProgress(CHECKING, 1, 1), "Checking big.json… 1 of 1 session"),
        (
            ImportProgress(ADDING, 500, 1800),
            "Adding the sessions to the history of Sam… 500 of 1,800 sessions",
        ),
    ],
)
def test_the_progress_is_said_in_plain_words(step: ImportProgress, text: str) -> None:
    assert progress_text(step, "big.json", "Sam") == text


def test_a_small_import_never_flashes_the_progress_dialog(
    qtbot: QtBot, tmp_path: Path, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    answers = Answers(monkeypatch, write_export_file(tmp_path / "small.json", 3))
    parent, actions = _actions(qtbot, store)
    watcher = Watcher(parent, ticks=1, interval_ms=0)  # looks whenever the window is free

    actions.import_history(busy=False)

    assert watcher.ticks > 0
    assert watcher.ticks_with_dialog == 0
    assert answers.infos == ["Added 3 sessions to the history of Me."]


def test_a_setting_the_window_writes_while_adding_stays_when_the_import_is_cancelled(
    qtbot: QtBot, tmp_path: Path, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The adding goes in committed steps and the window's events are handled between them,
    # outside any transaction: a write made then (the reminder timer, the mini pacer's place)
    # is the window's own, never part of the import, so Cancel leaves it.
    me = store.profiles.default_id()
    import_sessions(store, me, write_export_file(tmp_path / "first.json", 3))
    before = store.sessions.of_profile(me)
    monkeypatch.setattr(ImportProgressDialog, "show_after_ms", 0)
    answers = Answers(
        monkeypatch, write_export_file(tmp_path / "more.json", 1800, first=T0.replace(year=2025))
    )
    parent, actions = _actions(qtbot, store)
    watcher = Watcher(parent, ticks=1, interval_ms=0)
    written: list[bool] = []

    def write_then_cancel(dialog: QProgressDialog) -> None:
        label = dialog.labelText()
        if label.startswith("Adding") and "… 500 of" in label and not written:
            written.append(store.db.conn.in_transaction)
            store.preferences.set(me, "mini_pacer_position", "120,80")
            store.app_settings.set("reminders_paused_until", "2025-01-01T10:00:00Z")
        elif label.startswith("Adding") and "… 1,000 of" in label and written:
            dialog.findChild(QPushButton).click()

    watcher.on_tick = write_then_cancel

    actions.import_history(busy=False)

    assert written == [False]  # the window wrote outside any transaction
    assert answers.infos == [
        "The import was cancelled. Nothing was imported: your history is as it was."
    ]
    assert store.sessions.of_profile(me) == before  # no imported session is left
    assert store.preferences.get(me, "mini_pacer_position", "") == "120,80"
    assert store.app_settings.get("reminders_paused_until", "") == "2025-01-01T10:00:00Z"


def test_the_daily_backup_due_while_adding_is_made_at_once(
    qtbot: QtBot, tmp_path: Path, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The hourly check may come while sessions are added: it finds no transaction open, so
    # its backup is made (inside one, SQLite's backup would retry for ever).
    from trainer.safety.backup import list_backups
    from ui.shell.recover_db import DailyBackups

    monkeypatch.setattr(ImportProgressDialog, "show_after_ms", 0)
    answers = Answers(monkeypatch, write_export_file(tmp_path / "big.json", 1800))
    parent, actions = _actions(qtbot, store)
    data = tmp_path / "data"
    backups = DailyBackups(store, data, now=lambda: T0, parent=parent)
    watcher = Watcher(parent, ticks=1, interval_ms=0)
    made: list[Path | None] = []

    def back_up_while_adding(dialog: QProgressDialog) -> None:
        label = dialog.labelText()
        if label.startswith("Adding") and "… 0 of" not in label and not made:
            made.append(backups.check())

    watcher.on_tick = back_up_while_adding

    actions.import_history(busy=False)

    assert answers.infos == ["Added 1,800 sessions to the history of Me."]
    assert len(made) == 1
    assert made[0] is not None
    assert [b.path for b in list_backups(data)] == [made[0]]
    assert 0 < (list_backups(data)[0].sessions or 0) < 1800  # as it was between two steps


def test_a_cancel_that_cannot_take_the_sessions_out_says_how_many_stayed(
    qtbot: QtBot, tmp_path: Path, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    me = store.profiles.default_id()
    monkeypatch.setattr(ImportProgressDialog, "show_after_ms", 0)
    answers = Answers(monkeypatch, write_export_file(tmp_path / "big.json", 1800))
    parent, actions = _actions(qtbot, store)
    watcher = Watcher(parent, ticks=1, interval_ms=0)
    pressed: list[str] = []

    def cancel_on_a_read_only_disk(dialog: QProgressDialog) -> None:
        label = dialog.labelText()
        if label.startswith("Adding") and "… 500 of" in label and not pressed:
            pressed.append(label)
            store.db.execute("PRAGMA query_only = ON")  # as a disk gone read-only would
            dialog.findChild(QPushButton).click()

    watcher.on_tick = cancel_on_a_read_only_disk

    actions.import_history(busy=False)
    store.db.execute("PRAGMA query_only = OFF")

    assert len(pressed) == 1
    assert answers.infos == []  # never "Nothing was imported"
    [said] = answers.errors
    assert said.startswith("500 sessions of the import stayed in your history")
    assert said.endswith("Importing the same file again adds only the rest.")
    assert "Nothing was imported" not in said
    assert len(store.sessions.of_profile(me)) == 500
