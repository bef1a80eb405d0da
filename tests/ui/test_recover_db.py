"""Tests for ui/shell/recover_db.py: the damaged-database dialog and its choices at start-up, and
Menu ▸ Restore from a backup…."""

from __future__ import annotations

import faulthandler
import os
import sqlite3
import subprocess
import sys
from collections.abc import Sequence
from contextlib import closing
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

import trainer.safety.backup
import trainer.store.migrations
from tests.trainer.conftest import make_old_database
from trainer.content.breathing import BreathingPattern, Phase, PhaseKind
from trainer.errors import CorruptDatabaseError, NewerDatabaseError, StoreError
from trainer.safety.backup import BackupInfo, backup_dir, list_backups, make_daily_backup
from trainer.safety.lock import LOCK_FILENAME
from trainer.safety.paths import DB_FILENAME, ENV_DATA_DIR
from trainer.session.machine import Ratings, SessionPlan
from trainer.store.database import Database
from trainer.store.migrations import SCHEMA_VERSION
from trainer.store.store import Store
from ui.common.dialogs import Dialogs
from ui.shell.recover_db import (
    DailyBackups,
    DamagedDatabaseDialog,
    Recovery,
    damaged_message,
    open_store_or_ask,
)

T0 = datetime(2026, 12, 6, 3, 10, 45, tzinfo=UTC)


def count_profiles(path: Path) -> int:
    with closing(sqlite3.connect(path)) as conn:
        return int(conn.execute("SELECT count(*) FROM profiles").fetchone()[0])


@pytest.fixture
def data(tmp_path: Path) -> Path:
    """A data folder with a backup of one profile, then a second profile, then damage."""
    folder = tmp_path / "data"
    store = Store.open_in(folder, now=lambda: T0)
    make_daily_backup(store.db.conn, folder, lambda: T0 - timedelta(days=1))
    store.profiles.create("Sam")
    make_daily_backup(store.db.conn, folder, lambda: T0)
    store.profiles.create("Alex")
    store.close()
    return folder


def damage(folder: Path) -> bytes:
    content = b"scrambled by a failing drive " * 200
    (folder / DB_FILENAME).write_bytes(content)
    return content


class Asked:
    """Stands in for DamagedDatabaseDialog.ask: records what was shown, answers in turn."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, *answers: tuple[Recovery, int | None]):
        self.answers = list(answers)
        self.shown: list[tuple[str, list[BackupInfo]]] = []

        def ask(
            parent: object, message: str, backups: Sequence[BackupInfo]
        ) -> tuple[Recovery, BackupInfo | None]:
            self.shown.append((message, list(backups)))
            choice, index = self.answers.pop(0)
            return choice, None if index is None else backups[index]

        monkeypatch.setattr(DamagedDatabaseDialog, "ask", ask)


# -- the dialog -------------------------------------------------------------------------------


def test_dialog_lists_backups_newest_first_and_restores_the_selected(qtbot, data: Path) -> None:
    backups = list_backups(data)
    dialog = DamagedDatabaseDialog("It is damaged.", backups)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.list.count() == 2
    assert "daily" in dialog.list.item(0).text()
    assert "2 sessions" not in dialog.list.item(0).text()
    assert dialog.selected() == backups[0]
    dialog.list.setCurrentRow(1)
    qtbot.mouseClick(dialog.restore_button, Qt.MouseButton.LeftButton)
    assert dialog.choice is Recovery.RESTORE
    assert dialog.selected() == backups[1]
    assert dialog.result() == DamagedDatabaseDialog.DialogCode.Accepted


def test_dialog_start_fresh_and_quit(qtbot, data: Path) -> None:
    fresh = DamagedDatabaseDialog("It is damaged.", list_backups(data))
    qtbot.addWidget(fresh)
    fresh.show()
    qtbot.mouseClick(fresh.fresh_button, Qt.MouseButton.LeftButton)
    assert fresh.choice is Recovery.FRESH
    leave = DamagedDatabaseDialog("It is damaged.", list_backups(data))
    qtbot.addWidget(leave)
    leave.show()
    qtbot.mouseClick(leave.quit_button, Qt.MouseButton.LeftButton)
    assert leave.choice is Recovery.QUIT
    esc = DamagedDatabaseDialog("It is damaged.", [])
    qtbot.addWidget(esc)
    esc.show()
    assert not esc.restore_button.isEnabled()  # nothing to restore
    esc.fresh_button.setFocus()
    qtbot.keyClick(esc, Qt.Key.Key_Escape)
    assert esc.choice is Recovery.QUIT


# -- at start-up ------------------------------------------------------------------------------


def test_a_healthy_database_opens_and_gets_todays_backup_once(qapp, tmp_path: Path) -> None:
    folder = tmp_path / "data"
    for _ in range(2):
        store = open_store_or_ask(folder, now=lambda: T0)
        assert store is not None
        store.close()
    [made] = list_backups(folder)
    assert made.reason == "daily"
    assert made.made_at == T0


def test_an_old_database_is_backed_up_before_it_is_updated(
    qapp, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    make_old_database(folder / DB_FILENAME, 5, monkeypatch)
    store = open_store_or_ask(folder, now=lambda: T0)
    assert store is not None
    assert store.schema_version == SCHEMA_VERSION
    store.close()
    assert sorted(b.reason for b in list_backups(folder)) == [
        f"before-migration-{SCHEMA_VERSION}",
        "daily",
    ]


def test_damaged_then_restore_a_backup(qapp, data: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    damaged = damage(data)
    asked = Asked(monkeypatch, (Recovery.RESTORE, 1))  # the older backup: one profile
    store = open_store_or_ask(data, now=lambda: T0 + timedelta(days=1))
    assert store is not None
    try:
        assert [p.name for p in store.profiles.all()] == ["Me"]
    finally:
        store.close()
    message, shown = asked.shown[0]
    assert "damaged" in message
    assert "never deleted" in message
    assert [b.made_at for b in shown] == [T0, T0 - timedelta(days=1)]
    [aside] = data.glob("safesignal.db.damaged-*")
    assert aside.read_bytes() == damaged


def test_damaged_then_start_fresh(qapp, data: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    damaged = damage(data)
    Asked(monkeypatch, (Recovery.FRESH, None))
    store = open_store_or_ask(data, now=lambda: T0 + timedelta(days=1))
    assert store is not None
    try:
        assert [p.name for p in store.profiles.all()] == ["Me"]
        assert store.schema_version == SCHEMA_VERSION
    finally:
        store.close()
    [aside] = data.glob("safesignal.db.damaged-*")
    assert aside.read_bytes() == damaged
    # The old ones are all kept, out of rotation now: they hold the sessions from before.
    assert len(list(backup_dir(data).glob("*-daily-kept.db"))) == 2
    assert len(list(backup_dir(data).glob("*-daily.db"))) == 1  # today's, of the fresh start


def test_damaged_then_quit_changes_nothing(
    qapp, data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    damaged = damage(data)
    backups_before = sorted(p.name for p in backup_dir(data).iterdir())
    Asked(monkeypatch, (Recovery.QUIT, None))
    assert open_store_or_ask(data, now=lambda: T0 + timedelta(days=1)) is None
    assert (data / DB_FILENAME).read_bytes() == damaged
    assert not list(data.glob("safesignal.db.damaged-*"))
    assert sorted(p.name for p in backup_dir(data).iterdir()) == backups_before


def test_a_damaged_backup_is_refused_and_the_question_asked_again(
    qapp, data: Path, monkeypatch: pytest.MonkeyPatch, dialogs
) -> None:
    damage(data)
    newest = list_backups(data)[0].path
    newest.write_bytes(b"also broken" * 300)
    asked = Asked(monkeypatch, (Recovery.RESTORE, 0), (Recovery.RESTORE, 1))
    store = open_store_or_ask(data, now=lambda: T0 + timedelta(days=1))
    assert store is not None
    store.close()
    assert len(asked.shown) == 2
    assert dialogs.errors[0].startswith("Could not restore this backup: The backup")
    assert count_profiles(data / DB_FILENAME) == 1


def test_a_failed_restore_then_quit_leaves_the_damaged_database_in_place(
    qapp, data: Path, monkeypatch: pytest.MonkeyPatch, dialogs
) -> None:
    damaged = damage(data)

    def disk_full(source: object, temp: Path) -> None:
        raise StoreError("Could not write a copy of the database: the disk is full.")

    monkeypatch.setattr(trainer.safety.backup, "_copy_database", disk_full)
    asked = Asked(monkeypatch, (Recovery.RESTORE, 1), (Recovery.QUIT, None))
    assert open_store_or_ask(data, now=lambda: T0 + timedelta(days=1)) is None
    assert len(asked.shown) == 2
    assert dialogs.errors[0].startswith("Could not restore the backup: Could not write a copy")
    # Quit changed nothing, as the dialog says: the damaged file is where it was, whole.
    assert (data / DB_FILENAME).read_bytes() == damaged
    assert sorted(p.name for p in data.iterdir()) == ["backups", DB_FILENAME, LOCK_FILENAME]
    again = Asked(monkeypatch, (Recovery.QUIT, None))
    assert open_store_or_ask(data, now=lambda: T0 + timedelta(days=2)) is None
    assert len(again.shown) == 1  # asked again next time, not quietly started empty
    assert (data / DB_FILENAME).read_bytes() == damaged


def test_a_failed_fresh_start_then_quit_leaves_the_damaged_database_in_place(
    qapp, data: Path, monkeypatch: pytest.MonkeyPatch, dialogs
) -> None:
    damaged = damage(data)

    def disk_full(database: Database, before: object = None) -> None:  # nothing can be made
        raise StoreError("Could not create the database: the disk is full.")

    monkeypatch.setattr(trainer.store.migrations, "migrate", disk_full)
    asked = Asked(monkeypatch, (Recovery.FRESH, None), (Recovery.QUIT, None))
    assert open_store_or_ask(data, now=lambda: T0 + timedelta(days=1)) is None
    assert len(asked.shown) == 2
    assert dialogs.errors[0].startswith("Could not start fresh: Could not create the database")
    assert (data / DB_FILENAME).read_bytes() == damaged
    assert sorted(p.name for p in data.iterdir()) == ["backups", DB_FILENAME]  # no -wal either
    # The daily backups from before the damage were taken out of rotation first.
    assert len(list(backup_dir(data).glob("*-daily-kept.db"))) == 2
    again = Asked(monkeypatch, (Recovery.QUIT, None))
    assert open_store_or_ask(data, now=lambda: T0 + timedelta(days=2)) is None
    assert len(again.shown) == 1
    assert (data / DB_FILENAME).read_bytes() == damaged


def test_a_newer_database_is_refused_at_start_up_and_untouched(qapp, tmp_path: Path) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    path = folder / DB_FILENAME
    with closing(sqlite3.connect(path)) as conn:
        conn.execute("CREATE TABLE future (x)")
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
        conn.commit()
    before = path.read_bytes()
    with pytest.raises(NewerDatabaseError):
        open_store_or_ask(folder, now=lambda: T0)
    assert path.read_bytes() == before
    assert sorted(p.name for p in folder.iterdir()) == [DB_FILENAME]


# -- Menu ▸ Restore from a backup… ------------------------------------------------------------


@pytest.fixture
def choose(monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    """Answers Dialogs.choose with the second item; records the lists shown."""
    shown: list[list[str]] = []

    def pick(parent: object, title: str, text: str, items: Sequence[str], current: int = 0):
        shown.append(list(items))
        return 1 if len(items) > 1 else 0

    monkeypatch.setattr(Dialogs, "choose", pick)
    return shown


def test_restore_from_the_menu(qtbot, window, store: Store, dialogs, choose) -> None:
    data = store.path.parent
    make_daily_backup(store.db.conn, data, lambda: T0 - timedelta(days=1))
    store.profiles.create("Sam")
    make_daily_backup(store.db.conn, data, lambda: T0)
    store.profiles.create("Alex")
    assert window.restore_action in window.main_menu.actions()
    assert window.restore_action.text() == "Restore from a backup…"
    window.restore_action.trigger()
    assert len(choose[0]) == 2
    assert dialogs.confirms == ["Restore this backup?"]
    assert dialogs.infos[0].startswith("Backup restored: Restored the backup of")
    assert "open it again" in dialogs.infos[0]
    qtbot.waitUntil(lambda: not window.isVisible())
    assert count_profiles(store.path) == 1  # the older backup, chosen second
    [kept] = backup_dir(data).glob("*-before-restore.db")
    assert count_profiles(kept) == 3


def test_restore_from_the_menu_can_be_declined(window, store: Store, dialogs, choose) -> None:
    make_daily_backup(store.db.conn, store.path.parent, lambda: T0)
    store.profiles.create("Sam")
    dialogs.confirm_answer = False
    window.restore_action.trigger()
    assert dialogs.confirms == ["Restore this backup?"]
    assert window.isVisible()
    assert [p.name for p in store.profiles.all()] == ["Me", "Sam"]  # still open, unchanged
    assert not list(backup_dir(store.path.parent).glob("*-before-restore.db"))


def test_restore_from_the_menu_with_no_backups(window, dialogs, choose) -> None:
    window.restore_action.trigger()
    assert dialogs.infos[0].startswith("Restore from a backup: There are no backups yet.")
    assert choose == []
    assert window.isVisible()


def test_restore_is_refused_while_busy(window, store: Store, dialogs, choose, monkeypatch) -> None:
    make_daily_backup(store.db.conn, store.path.parent, lambda: T0)
    monkeypatch.setattr(window, "busy", lambda: True)
    window.restore_action.trigger()
    assert dialogs.errors == [
        "Restore from a backup: Finish or end what is under way first, then restore a backup."
    ]
    assert choose == []
    assert [p.name for p in store.profiles.all()] == ["Me"]


# -- the real app, in a separate process --------------------------------------------------------


def run_app(data: Path) -> subprocess.CompletedProcess[str]:
    env = {key: value for key, value in os.environ.items() if key != ENV_DATA_DIR}
    env["QT_QPA_PLATFORM"] = "offscreen"
    return subprocess.run(
        [sys.executable, "-m", "ui", "--data-dir", str(data), "--exit-after-paint"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_the_app_makes_todays_backup_and_leaves_a_newer_database_alone(tmp_path: Path) -> None:
    fine = tmp_path / "fine"
    assert run_app(fine).returncode == 0
    [made] = list_backups(fine)
    assert made.reason == "daily"
    newer = tmp_path / "newer"
    newer.mkdir()
    with closing(sqlite3.connect(newer / DB_FILENAME)) as conn:
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    before = (newer / DB_FILENAME).read_bytes()
    result = run_app(newer)
    assert result.returncode == 2
    assert "newer version of Safe Signal" in result.stderr
    assert (newer / DB_FILENAME).read_bytes() == before
    # Untouched: no backup, no -wal; only the lock of the app that tried (empty once it quit).
    assert sorted(p.name for p in newer.iterdir()) == sorted([DB_FILENAME, LOCK_FILENAME])


def test_a_start_up_check_of_a_damaged_database_says_so_and_moves_nothing(
    tmp_path: Path, data: Path
) -> None:
    damaged = damage(data)
    result = run_app(data)
    assert result.returncode == 2
    assert "damaged" in result.stderr
    assert "Traceback" not in result.stderr
    assert (data / DB_FILENAME).read_bytes() == damaged
    assert not list(data.glob("*.damaged-*"))


def test_the_message_does_not_say_unchanged_of_a_file_it_offers_to_move(data: Path) -> None:
    damage(data)
    with pytest.raises(CorruptDatabaseError) as raised:
        Store.open_in(data)
    problem = str(raised.value)
    assert "has not been changed" in problem  # true of opening it, and the store says so
    text = damaged_message(problem)
    assert "has not been changed" not in text
    assert "moved aside, never deleted" in text
    assert "SQLite said" in text  # the details stay


def test_an_app_left_open_makes_each_days_backup(qtbot, tmp_path: Path) -> None:
    clock = {"now": T0}
    folder = tmp_path / "data"
    store = open_store_or_ask(folder, now=lambda: clock["now"])
    assert store is not None
    try:
        backups = DailyBackups(store, folder, now=lambda: clock["now"])
        assert backups.timer.isActive()
        assert backups.timer.interval() == 60 * 60 * 1000
        assert backups.check() is None  # today's was made at start
        clock["now"] = T0 + timedelta(days=1, hours=1)
        made = backups.check()
        assert made is not None
        assert [b.made_at for b in list_backups(folder)] == [clock["now"], T0]
        assert backups.check() is None  # once a day
    finally:
        store.close()
    clock["now"] = T0 + timedelta(days=2, hours=1)
    assert backups.check() is None  # a closed store (a restore): quietly stops
    assert not backups.timer.isActive()


def test_todays_backup_holds_no_session_still_in_progress(tmp_path: Path) -> None:
    """A crash left a session unfinished: the app closes it (interrupted) before it makes
    today's backup, so restoring that backup later never asks about it again."""
    folder = tmp_path / "data"
    store = Store.open_in(folder)
    try:
        plan = SessionPlan(
            "coherent-4-6",
            "Coherent breathing",
            BreathingPattern([Phase(PhaseKind.INHALE, 4), Phase(PhaseKind.EXHALE, 6)]),
            19,
        )
        started = store.sessions.start_session(plan, store.profiles.default_id(), T0, Ratings(5, 6))
    finally:
        store.close()
    assert run_app(folder).returncode == 0
    [made] = list_backups(folder)
    with closing(sqlite3.connect(made.path)) as conn:
        statuses = conn.execute("SELECT id, status FROM sessions").fetchall()
    assert statuses == [(started, "interrupted")]


def test_each_backups_line_is_shown_whole(qtbot) -> None:
    long_lines = [
        BackupInfo(Path(f"/backups/{n}.db"), T0, reason, 86_016, 1_204)
        for n, reason in enumerate(["daily", "daily-kept", "before-migration-6"])
    ]
    dialog = DamagedDatabaseDialog("It is damaged.", long_lines)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert dialog.list.sizeHintForColumn(0) <= dialog.list.viewport().width()  # no sideways scroll


# -- a restore cut short ------------------------------------------------------------------------

# Restores a backup over the damaged database as the dialog's Restore does, in a process of its
# own that is killed (no clean-up runs) just as the backup is about to be put in place: the
# damaged file has been moved aside, and nothing is in its place yet.
KILLED_RESTORE = """
import os, sys
from pathlib import Path
from trainer.safety.backup import restore_backup

data, chosen = Path(sys.argv[1]), Path(sys.argv[2])
real_replace = os.replace

def replace(source, target):
    if Path(target) == data / "safesignal.db":
        os._exit(9)
    real_replace(source, target)

os.replace = replace
restore_backup(data, chosen, current_damaged=True)
sys.exit(3)
"""


def test_a_restore_killed_midway_is_finished_at_the_next_start_and_said(
    qapp, data: Path, dialogs, monkeypatch: pytest.MonkeyPatch
) -> None:
    damaged = damage(data)
    newest = list_backups(data)[0].path  # Me and Sam
    killed = subprocess.run(
        [sys.executable, "-c", KILLED_RESTORE, str(data), str(newest)],
        cwd=Path(__file__).resolve().parents[2],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert killed.returncode == 9, killed.stderr
    assert not (data / DB_FILENAME).exists()  # the moment the issue found: nothing in place
    asked = Asked(monkeypatch)  # no question about damage may come: nothing is damaged now
    store = open_store_or_ask(data, now=lambda: T0 + timedelta(days=1))
    assert store is not None
    try:
        assert [p.name for p in store.profiles.all()] == ["Me", "Sam"]  # the backup, not empty
    finally:
        store.close()
    assert asked.shown == []
    [told] = dialogs.infos
    assert told.startswith("Restore finished: The restore of the backup")
    assert "interrupted" in told
    [aside] = data.glob("safesignal.db.damaged-*")
    assert aside.read_bytes() == damaged
    # Said once: the next start is an everyday one.
    again = open_store_or_ask(data, now=lambda: T0 + timedelta(days=1))
    assert again is not None
    again.close()
    assert len(dialogs.infos) == 1


def test_the_app_finishes_a_restore_cut_short_before_it_opens_the_database(data: Path) -> None:
    from trainer.safety.restore_journal import restore_unfinished

    damage(data)
    newest = list_backups(data)[0].path
    killed = subprocess.run(
        [sys.executable, "-c", KILLED_RESTORE, str(data), str(newest)],
        cwd=Path(__file__).resolve().parents[2],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert killed.returncode == 9, killed.stderr
    started = run_app(data)  # a start-up check: no one to answer, so said on stderr
    assert started.returncode == 0, started.stderr
    [line] = [text for text in started.stderr.splitlines() if "restore" in text]
    assert line.startswith("safesignal: The restore of the backup")
    assert not restore_unfinished(data)
    assert count_profiles(data / DB_FILENAME) == 2


def test_restore_from_the_menu_says_when_the_data_is_of_a_newer_version(
    window, store: Store, dialogs, choose
) -> None:
    make_daily_backup(store.db.conn, store.path.parent, lambda: T0)
    with closing(sqlite3.connect(store.path)) as other:  # a newer Safe Signal wrote to it
        other.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
        other.commit()
    window.restore_action.trigger()
    [error] = dialogs.errors
    assert error.startswith("Could not restore this backup: Your database was written by a newer")
    assert "Nothing was changed" in error
    assert dialogs.confirms == []  # refused before asking
    assert window.isVisible()
    assert not list(backup_dir(store.path.parent).glob("*-before-restore.db"))


def test_the_hourly_backup_is_put_off_while_the_window_writes(qtbot, tmp_path: Path) -> None:
    # The check runs on the window's thread: if it came while a write of the window's had its
    # transaction open, SQLite's backup would retry for ever and the window would freeze.
    clock = {"now": T0}
    folder = tmp_path / "data"
    store = open_store_or_ask(folder, now=lambda: clock["now"])
    assert store is not None
    try:
        backups = DailyBackups(store, folder, now=lambda: clock["now"])
        clock["now"] = T0 + timedelta(days=1, hours=1)  # tomorrow's is due
        store.db.execute("BEGIN")  # a write of the window's, under way
        store.db.execute("INSERT INTO app_settings (key, value) VALUES ('theme', 'dark')")
        faulthandler.dump_traceback_later(10, exit=True)  # a freeze ends the run, said
        try:
            assert backups.check() is None  # put off, at once
        finally:
            faulthandler.cancel_dump_traceback_later()
        assert backups.timer.isActive()  # the next check makes it
        assert [b.made_at for b in list_backups(folder)] == [T0]
        store.db.execute("COMMIT")
        made = backups.check()
        assert made is not None
        assert [b.made_at for b in list_backups(folder)] == [clock["now"], T0]
    finally:
        store.close()
