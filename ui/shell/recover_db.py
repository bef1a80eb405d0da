"""Opening the database at start-up (with a way out when it is damaged) and restoring a backup.

``ui.shell.app`` calls :func:`open_store_or_ask` and keeps a :class:`DailyBackups` (today's backup,
for an app left open for days); the main window's menu calls :func:`restore_from_menu`. The work itself (checks, backups, moving aside, restoring) is in
``trainer.safety.backup``; this module asks the person and says what happened.
"""

from __future__ import annotations

import enum
import logging
import sqlite3
import sys
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from trainer.app.words import sessions_text
from trainer.errors import CorruptDatabaseError, SafeSignalError
from trainer.safety.lock import DataFolderLock
from trainer.safety.paths import DB_FILENAME
from trainer.session.clock import utc_now
from trainer.store.store import Store
from ui.common.dialogs import Dialogs

if TYPE_CHECKING:
    # The backups' own module is imported where a backup is made, listed or restored: an
    # everyday start makes none before the window has painted.
    from trainer.safety.backup import BackupInfo


class Recovery(enum.Enum):
    """What the person chose to do about a damaged database."""

    RESTORE = "restore"
    FRESH = "fresh"
    QUIT = "quit"


def _local(moment: datetime) -> str:
    return moment.astimezone().strftime("%A %d %B %Y, %H:%M")


def backup_label(backup: BackupInfo) -> str:
    """One line for a list of backups: when (local time), why, sessions and size."""
    from trainer.safety.backup import reason_text

    sessions = "" if backup.sessions is None else f" · {sessions_text(backup.sessions)}"
    return f"{_local(backup.made_at)} · {reason_text(backup.reason)}{sessions}"


class DamagedDatabaseDialog(QDialog):
    """Says the database is damaged and offers: restore a backup, start fresh, or quit."""

    def __init__(
        self, message: str, backups: Sequence[BackupInfo], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Your Safe Signal data needs attention")
        self.backups = list(backups)
        self.choice = Recovery.QUIT
        layout = QVBoxLayout(self)
        text = QLabel(message)
        text.setWordWrap(True)
        layout.addWidget(text)
        self.list = QListWidget()
        self.list.setAccessibleName("Backups, newest first")
        for backup in self.backups:
            self.list.addItem(backup_label(backup))
        if self.backups:
            self.list.setCurrentRow(0)
            self.list.setMinimumWidth(  # each backup's line whole, without scrolling sideways
                self.list.sizeHintForColumn(0)
                + 2 * self.list.frameWidth()
                + self.list.verticalScrollBar().sizeHint().width()
            )
            heading = QLabel("Backups, newest first:")
            heading.setBuddy(self.list)
            layout.addWidget(heading)
            layout.addWidget(self.list)
        else:
            self.list.hide()
            layout.addWidget(QLabel("There are no backups to restore."))
        buttons = QDialogButtonBox()
        self.restore_button = QPushButton("Restore the selected backup")
        self.fresh_button = QPushButton("Start fresh")
        self.quit_button = QPushButton("Quit")
        buttons.addButton(self.restore_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.fresh_button, QDialogButtonBox.ButtonRole.DestructiveRole)
        buttons.addButton(self.quit_button, QDialogButtonBox.ButtonRole.RejectRole)
        self.restore_button.setEnabled(bool(self.backups))
        self.restore_button.setDefault(bool(self.backups))
        self.restore_button.clicked.connect(lambda: self._choose(Recovery.RESTORE))
        self.fresh_button.clicked.connect(lambda: self._choose(Recovery.FRESH))
        self.quit_button.clicked.connect(lambda: self._choose(Recovery.QUIT))
        self.list.itemDoubleClicked.connect(lambda _item: self._choose(Recovery.RESTORE))
        layout.addWidget(buttons)

    def _choose(self, choice: Recovery) -> None:
        self.choice = choice
        if choice is Recovery.QUIT:
            self.reject()
        else:
            self.accept()

    def reject(self) -> None:
        """Esc or closing the window: quit, leaving everything as it is."""
        self.choice = Recovery.QUIT
        super().reject()

    def selected(self) -> BackupInfo | None:
        """The backup chosen in the list."""
        row = self.list.currentRow()
        return self.backups[row] if 0 <= row < len(self.backups) else None

    @classmethod
    def ask(
        cls, parent: QWidget | None, message: str, backups: Sequence[BackupInfo]
    ) -> tuple[Recovery, BackupInfo | None]:
        """Show the dialog and wait; tests replace this."""
        dialog = cls(message, backups, parent)
        dialog.exec()
        return dialog.choice, dialog.selected()


def damaged_message(problem: str) -> str:
    """What the dialog says: what happened, that nothing is deleted, and the choices."""
    # The store's own message ends "The file has not been changed", which is true of opening
    # it but would contradict the choices here, which move it aside.
    details = problem.replace(" The file has not been changed.", "")
    return (
        "Safe Signal could not read your data: the database file is damaged. This can happen "
        "after a crash, a full disk or a failing drive; it is not something you did.\n\n"
        "The damaged file will be kept (moved aside, never deleted). You can put back a "
        "backup (your sessions up to that backup), or start fresh with an empty history. If "
        "you quit, nothing is changed and Safe Signal asks again next time.\n\n"
        f"Details: {details}"
    )


def _back_up_before_migration(
    source: sqlite3.Connection, db_path: Path, to_version: int, made_at: datetime
) -> Path:
    """:func:`trainer.safety.backup.back_up_before_migration`, imported when a migration is due."""
    from trainer.safety.backup import back_up_before_migration

    return back_up_before_migration(source, db_path, to_version, made_at)


def open_store_or_ask(
    data_dir: Path,
    parent: QWidget | None = None,
    *,
    now: Callable[[], datetime] = utc_now,
    lock: DataFolderLock | None = None,
    ask: bool = True,
    before_backup: Callable[[Store], None] | None = None,
    check_later: bool = False,
    before_asking: Callable[[], None] | None = None,
) -> Store | None:
    """Open the database of ``data_dir`` for the app (``None`` when the person chose to quit).

    A damaged database is reported with :class:`DamagedDatabaseDialog`; on Restore or Start
    fresh it is moved aside, and put back if what replaces it cannot be made. Once open,
    today's backup is made if there is none yet (a failure there is reported on stderr and
    does not stop the app). Other problems, such as a database from a newer version, raise
    :class:`~trainer.errors.StoreError` untouched.
    ``lock`` is the data folder's lock when the caller holds it. Without ``ask`` (a start-up
    check with no one to answer) a damaged database raises its error, and nothing is moved.
    ``before_backup`` runs on the open store just before today's backup (the app closes the
    sessions a crash left unfinished there, so a backup never holds one still "in progress").
    With ``check_later``, a database that needs no update opens read-only and unchecked, and
    :func:`finish_opening` does the rest once the window shows. ``before_asking`` runs just
    before the damaged-database question is asked.

    Before anything opens the file, a restore that was cut short (a crash, a kill, a power
    cut) is finished, or undone when its backup is gone, and the person is told in one
    sentence (on stderr without ``ask``).
    """
    data_dir = Path(data_dir)
    finish_interrupted_restore(data_dir, parent, lock=lock, ask=ask)
    try:
        store = Store.open_in(
            data_dir, now=now, before_migration=_back_up_before_migration, check_later=check_later
        )
    except CorruptDatabaseError as exc:
        if not ask:
            raise
        if before_asking is not None:
            before_asking()
        recovered = _recover(data_dir, parent, str(exc), now, lock)
        if recovered is None:
            return None
        store = recovered
    if store.checked:
        _after_check(store, data_dir, now, before_backup)
    return store


def finish_interrupted_restore(
    data_dir: Path, parent: QWidget | None, *, lock: DataFolderLock | None, ask: bool = True
) -> bool:
    """Finish a restore cut short in ``data_dir`` (or undo it when its backup is gone) and say
    what happened; whether there was one. Raises :class:`~trainer.errors.StoreError` when
    neither can be done: the app then says why and does not start with an empty history."""
    from trainer.safety.restore_journal import restore_unfinished

    if not restore_unfinished(data_dir):  # the everyday start: one look at the folder
        return False
    from trainer.safety.backup import finish_restore

    finished = finish_restore(data_dir, lock=lock)
    if finished is None:
        return False
    if ask:
        title = "Restore finished" if finished.restored else "Restore not finished"
        Dialogs.info(parent, title, finished.message)
    else:
        print(f"safesignal: {finished.message}", file=sys.stderr)
    return True


def finish_opening(
    store: Store,
    data_dir: Path,
    parent: QWidget | None = None,
    *,
    now: Callable[[], datetime] = utc_now,
    lock: DataFolderLock | None = None,
    ask: bool = True,
    before_backup: Callable[[Store], None] | None = None,
) -> Store | None:
    """The second half of :func:`open_store_or_ask` with ``check_later``: the integrity check,
    then ``before_backup`` and today's backup. Damage is met as at start-up (``store`` is
    closed and :class:`DamagedDatabaseDialog` asks); returns the store to use from now on, a
    new one after a restore or a fresh start, or ``None`` when the person chose to quit."""
    if not store.checked:
        try:
            store.finish_check()
        except CorruptDatabaseError as exc:
            store.close()
            if not ask:
                raise
            recovered = _recover(Path(data_dir), parent, str(exc), now, lock)
            if recovered is None:
                return None
            store = recovered
        _after_check(store, Path(data_dir), now, before_backup)
    return store


def _after_check(
    store: Store,
    data_dir: Path,
    now: Callable[[], datetime],
    before_backup: Callable[[Store], None] | None,
) -> None:
    """What may write once the file is known to be whole: ``before_backup``, today's backup."""
    from trainer.safety.backup import make_daily_backup

    if before_backup is not None:
        before_backup(store)
    try:
        make_daily_backup(store.db.conn, data_dir, now)
    except SafeSignalError as exc:
        print(f"safesignal: could not make today's backup: {exc}", file=sys.stderr)


_log = logging.getLogger(__name__)


class DailyBackups(QObject):
    """Today's backup while the app stays open for days: checked once an hour (a backup is made
    only when none was made yet today, UTC). A failure is logged and tried again an hour later;
    a check that finds the database in the middle of a change (a transaction of the window's
    open) makes none and returns at once: the next check makes it."""

    CHECK_EVERY_MS = 60 * 60 * 1000

    def __init__(
        self,
        store: Store,
        data_dir: Path,
        *,
        now: Callable[[], datetime] = utc_now,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._store = store
        self._data_dir = data_dir
        self._now = now
        self.timer = QTimer(self)
        self.timer.setInterval(self.CHECK_EVERY_MS)
        self.timer.timeout.connect(self.check)
        self.timer.start()

    def check(self) -> Path | None:
        """Make today's backup if it is due; its path, if one was made."""
        from trainer.safety.backup import make_daily_backup

        try:
            return make_daily_backup(self._store.db.conn, self._data_dir, self._now)
        except SafeSignalError as exc:
            _log.warning("could not make today's backup (trying again in an hour): %s", exc)
        except sqlite3.ProgrammingError:  # the store was closed (a restore): nothing to back up
            self.timer.stop()
        return None


def _recover(
    data_dir: Path,
    parent: QWidget | None,
    problem: str,
    now: Callable[[], datetime],
    lock: DataFolderLock | None,
) -> Store | None:
    from trainer.safety.backup import list_backups, restore_backup, verify_backup

    while True:
        backups = list_backups(data_dir)
        choice, chosen = DamagedDatabaseDialog.ask(parent, damaged_message(problem), backups)
        if choice is Recovery.QUIT:
            return None
        if choice is Recovery.RESTORE:
            if chosen is None:
                continue
            try:
                verify_backup(chosen.path)
            except SafeSignalError as exc:
                Dialogs.error(parent, "Could not restore this backup", str(exc))
                continue
        # Whatever fails, the damaged file is back where it was before the question is asked
        # again, so Quit still changes nothing (the dialog says so).
        try:
            if choice is Recovery.RESTORE and chosen is not None:
                restore_backup(data_dir, chosen.path, now=now, lock=lock, current_damaged=True)
                return Store.open_in(data_dir, now=now, before_migration=_back_up_before_migration)
            return _start_fresh(data_dir, now)
        except CorruptDatabaseError as exc:
            problem = str(exc)
        except SafeSignalError as exc:
            title = (
                "Could not restore the backup"
                if choice is Recovery.RESTORE
                else "Could not start fresh"
            )
            Dialogs.error(parent, title, str(exc))


def _start_fresh(data_dir: Path, now: Callable[[], datetime]) -> Store:
    """Move the damaged database aside and open a new, empty one; if that cannot be opened,
    the damaged one is put back (and the error raised)."""
    from trainer.safety.backup import keep_daily_backups, put_back_damaged, set_aside_damaged

    db_path = data_dir / DB_FILENAME
    keep_daily_backups(data_dir)  # the sessions from before stay restorable
    aside = set_aside_damaged(db_path, now()) if db_path.exists() else None
    try:
        return Store.open_in(data_dir, now=now, before_migration=_back_up_before_migration)
    except SafeSignalError:
        if aside is not None:
            put_back_damaged(db_path, aside)
        raise


def restore_from_menu(
    window: QWidget,
    store: Store,
    *,
    busy: bool,
    now: Callable[[], datetime] = utc_now,
    lock: DataFolderLock | None = None,
    before_close: Callable[[], None] = lambda: None,
) -> bool:
    """Menu ▸ Restore from a backup…: choose, confirm, restore; then the window closes (the
    app quits) so every screen starts again from the restored data. Returns whether it
    restored. ``before_close`` stops whatever still uses the store (reminders)."""
    from trainer.safety.backup import list_backups, refuse_newer, restore_backup, verify_backup

    title = "Restore from a backup"
    if busy:
        Dialogs.error(
            window, title, "Finish or end what is under way first, then restore a backup."
        )
        return False
    data_dir = store.path.parent
    backups = list_backups(data_dir)
    if not backups:
        Dialogs.info(
            window,
            title,
            "There are no backups yet. Safe Signal makes one each day it starts (keeping the "
            f"last 7) and before each update of its database, in {data_dir / 'backups'}.",
        )
        return False
    index = Dialogs.choose(
        window, title, "Which backup? (newest first)", [backup_label(b) for b in backups]
    )
    if index is None:
        return False
    chosen = backups[index]
    try:
        sessions = verify_backup(chosen.path)
        refuse_newer(store.path)  # said now, while the data stays open
    except SafeSignalError as exc:
        Dialogs.error(window, "Could not restore this backup", str(exc))
        return False
    if not Dialogs.confirm(
        window,
        "Restore this backup?",
        f"This backup was made on {_local(chosen.made_at)} and holds "
        f"{sessions_text(sessions)}. Sessions recorded after it are not in it and will leave "
        "your history. Your data as it is now is saved first as a backup, so you can switch "
        "back.\n\n"
        "Safe Signal then closes; open it again to carry on with the restored data.",
        "Restore",
        "Keep my data",
    ):
        return False
    before_close()
    store.close()
    try:
        restored = restore_backup(data_dir, chosen.path, now=now, lock=lock)
    except SafeSignalError as exc:
        Dialogs.error(
            window,
            "Could not restore the backup",
            f"{exc}\n\nSafe Signal will close now; open it again to carry on.",
        )
        window.close()
        return False
    kept = ""
    if restored.saved_as is not None:
        kept = f" Your data as it was is kept as the backup {restored.saved_as.name}."
    Dialogs.info(
        window,
        "Backup restored",
        f"Restored the backup of {_local(chosen.made_at)} ({sessions_text(restored.sessions)}).{kept}"
        "\n\nSafe Signal will close now; open it again to carry on.",
    )
    window.close()
    return True
