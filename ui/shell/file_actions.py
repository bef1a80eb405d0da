"""The menu's file actions for the profile in use: export, import, the report for a clinician
and restore from a backup."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget

from trainer.app.profile import ProfileInUse
from trainer.app.words import kept_after_text, sessions_text
from trainer.errors import SafeSignalError
from ui.common.dialogs import Dialogs, last_folder, remember_folder

if TYPE_CHECKING:
    from trainer.safety.lock import DataFolderLock
    from trainer.store.exchange import ImportResult
    from ui.history.screen import HistoryScreen


class FileActions:
    """Reads and writes files for the profile in use, asking where and saying what happened."""

    def __init__(
        self,
        parent: QWidget,
        profile: ProfileInUse,
        *,
        utc_now: Callable[[], datetime],
        tz: tzinfo,
    ) -> None:
        self._parent = parent
        self._profile = profile
        self._utc_now = utc_now
        self._tz = tz
        self.importing = False  # an import is under way (the window is busy: see busy())

    def _last_folder(self, kind: str) -> Path:
        """The folder last chose for ``kind`` (see :func:`ui.common.dialogs.last_folder`)."""
        return last_folder(self._profile.app_preferences, kind)

    def _remember_folder(self, kind: str, chosen: Path) -> None:
        """Remember where the person chose, for next time (a failure only loses the hint)."""
        remember_folder(self._profile.app_preferences, kind, chosen)

    def _today_text(self) -> str:
        return self._utc_now().astimezone(self._tz).date().isoformat()

    def save_report(self, history: HistoryScreen) -> None:
        """Ask where, then save a PDF for a clinician of the sessions the history shows."""
        parent = self._parent
        try:
            name = self._profile.name()
        except SafeSignalError as exc:
            Dialogs.problem(parent, "Could not make the report", exc)
            return
        today = self._utc_now().astimezone(self._tz).date()
        suggested = (
            self._last_folder("report") / f"Safe Signal report {name} {today.isoformat()}.pdf"
        )
        chosen = Dialogs.save_file(
            parent, "Save the report for your clinician", str(suggested), "PDF files (*.pdf)"
        )
        if not chosen:
            return
        path = Path(chosen)
        self._remember_folder("report", path)
        if path.suffix.lower() != ".pdf":
            path = path.with_name(path.name + ".pdf")
        from ui.report.document import write_report

        shown = history.filter
        try:
            QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
            try:
                count = write_report(
                    path,
                    profile_name=name,
                    table=history.all_sessions,
                    regions=history.marks,
                    tz=self._tz,
                    today=today,
                    created_at=self._utc_now(),
                    first_day=shown.first_day,
                    last_day=shown.last_day,
                    exercise=shown.exercise,
                    region=shown.region,
                )
            finally:
                QApplication.restoreOverrideCursor()  # whatever happened
        except SafeSignalError as exc:
            Dialogs.problem(parent, "Could not save the report", exc)
            return
        Dialogs.info(
            parent,
            "Report saved",
            f"Saved a report of {sessions_text(count)} to {path}.\n\nIt holds health "
            "information: share it only with people you trust, such as your clinician.",
        )

    def export_history(self) -> None:
        """Ask where, then save every session of the profile in use as CSV or JSON."""
        from trainer.store.exchange import FORMATS, export_sessions

        parent = self._parent
        try:
            name = self._profile.name()
        except SafeSignalError as exc:
            Dialogs.problem(parent, "Could not export", exc)
            return
        suggested = self._last_folder("export") / f"Safe Signal {name} {self._today_text()}.json"
        chosen = Dialogs.save_file(
            parent,
            "Export sessions",
            str(suggested),
            "JSON, for importing again (*.json);;CSV, for spreadsheets (*.csv)",
        )
        if not chosen:
            return
        path = Path(chosen)
        self._remember_folder("export", path)
        fmt = path.suffix.lower().lstrip(".")
        if fmt not in FORMATS:
            fmt = "json"
            path = path.with_name(path.name + ".json")
        profile = self._profile
        try:
            count = export_sessions(
                profile.store, profile.profile_id, path, fmt, tz=self._tz, now=self._utc_now
            )
        except SafeSignalError as exc:
            Dialogs.problem(parent, "Could not export the sessions", exc, "Nothing was saved.")
            return
        Dialogs.info(
            parent,
            "Sessions exported",
            f"Saved {sessions_text(count)} of {name} to {path}.\n\nThe file holds health "
            "information (ratings, notes, where it hurt): keep it private and share it only "
            "with people you trust.",
        )

    def import_history(self, *, busy: bool) -> None:
        """Ask for a JSON export (or a session saved elsewhere when the disk was full), say how
        many sessions it holds and which profile they go to, and add them: all or nothing, and
        none twice. A large file is read and checked in a thread of its own and added in steps,
        with a progress dialog whose Cancel leaves the history as it was. Meanwhile
        :attr:`importing` is true, so nothing else starts (a reset from the tray, a reminder)."""
        if busy:
            Dialogs.error(
                self._parent,
                "Import sessions",
                "Finish or end what is under way first, then import.",
            )
            return
        self.importing = True
        try:
            self._import()
        finally:
            self.importing = False

    def _import(self) -> None:
        from trainer.store.database import collector_paused

        parent = self._parent
        chosen = Dialogs.open_file(
            parent,
            "Import sessions",
            str(self._last_folder("import")),
            "Safe Signal sessions, JSON (*.json);;All files (*)",
        )
        if not chosen:
            return
        path = Path(chosen)
        self._remember_folder("import", path)
        try:
            name = self._profile.name()
        except SafeSignalError as exc:
            Dialogs.problem(parent, "Could not import the sessions", exc, "Nothing was imported.")
            return
        # The cycle collector waits until the sessions read are gone again: with 50 MB of them
        # in memory each of its passes would stop the window for a third of a second.
        with collector_paused():
            counted = self._read_and_add(path, name)
        if counted is None:
            return
        self._profile.sessions_changed()
        text = f"Added {sessions_text(counted.added)} to the history of {name}."
        if counted.skipped:
            text += f" {sessions_text(counted.skipped)} already there stayed as they were."
        text += kept_after_text(counted.kept_after)
        Dialogs.info(parent, "Sessions imported", text)

    def _read_and_add(self, path: Path, name: str) -> ImportResult | None:
        """Read and check ``path`` in a thread, ask, and add its sessions in steps, with a
        progress dialog; what was added, or ``None`` (cancelled, refused, or a problem, said)."""
        from trainer.store.exchange import ImportCancelled, add_imported
        from trainer.store.sessions import PartlyAddedError
        from ui.shell.import_progress import (
            ImportProgressDialog,
            adding_steps,
            read_with_progress,
        )

        parent = self._parent
        nothing = "Nothing was imported."
        progress = ImportProgressDialog(parent, path.name, name)
        try:
            sessions = read_with_progress(progress, path)  # checked whole, first
        except SafeSignalError as exc:
            Dialogs.problem(parent, "Could not import the sessions", exc, nothing)
            return None
        finally:
            progress.close()
        if sessions is None:
            self._cancelled()
            return None
        if not Dialogs.confirm(
            parent,
            "Import sessions",
            f"Add the {sessions_text(len(sessions))} in {path.name} to the history of "
            f"{name}? Sessions already there are not added twice.",
            "Import",
            "Cancel",
        ):
            return None
        profile = self._profile
        # On this thread (the database connection is its), in committed steps of 500 sessions
        # (some 20-40 ms each), between which, outside any transaction, the dialog repaints
        # and hears Cancel, and the window's timers write what they write.
        progress = ImportProgressDialog(parent, path.name, name)
        try:
            return add_imported(profile.store, profile.profile_id, sessions, adding_steps(progress))
        except ImportCancelled:  # what the steps added was taken out again: nothing was added
            self._cancelled()
        except PartlyAddedError as exc:  # it stopped, and what it added could not be taken out
            profile.sessions_changed()
            Dialogs.problem(parent, "Could not import the sessions", exc)
        except SafeSignalError as exc:
            Dialogs.problem(parent, "Could not import the sessions", exc, nothing)
        finally:
            progress.close()
        return None

    def _cancelled(self) -> None:
        Dialogs.info(
            self._parent,
            "Import cancelled",
            "The import was cancelled. Nothing was imported: your history is as it was.",
        )

    def restore_from_backup(
        self, *, busy: bool, lock: DataFolderLock | None, before_close: Callable[[], None]
    ) -> bool:
        """Menu ▸ Restore from a backup…: see :func:`ui.shell.recover_db.restore_from_menu` (the
        window closes after a restore, so the app starts again from the restored data)."""
        from ui.shell.recover_db import restore_from_menu

        return restore_from_menu(
            self._parent,
            self._profile.store,
            busy=busy,
            now=self._utc_now,
            lock=lock,
            before_close=before_close,
        )
