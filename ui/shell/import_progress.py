"""An import's progress in the window: the file is read and checked in a thread of its own while
a progress dialog says how far it has come (and can cancel it), and the sessions are then added
on the window's thread in committed steps, between which (outside any transaction) the window
handles its events: the dialog repaints and hears its Cancel button."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import ClassVar, Final

from PySide6.QtCore import QEventLoop, QObject, Qt, QThread, Signal
from PySide6.QtWidgets import QApplication, QProgressDialog, QWidget

from trainer.app.words import sessions_text
from trainer.store.exchange import (
    ADDING,
    CHECKING,
    READING,
    ImportCancelled,
    ImportProgress,
)
from trainer.store.sessions import NewSession

# How much of the bar each stage fills, per mille: reading the file is quick next to checking.
_READ_SHARE: Final = 150


def progress_text(step: ImportProgress, file_name: str, profile_name: str) -> str:
    """What the progress dialog says, in plain words: "Checking sessions.json… 12,000 of 40,000
    sessions"."""
    if step.stage == READING:
        so_far = f" {sessions_text(step.sessions)} so far" if step.sessions else ""
        return f"Reading {file_name}…{so_far}"
    if step.stage == CHECKING:
        return f"Checking {file_name}… {step.done:,} of {sessions_text(step.total)}"
    return (
        f"Adding the sessions to the history of {profile_name}… "
        f"{step.done:,} of {sessions_text(step.total)}"
    )


def _per_mille(step: ImportProgress) -> int:
    """Where the bar stands: reading and checking share one bar; adding has its own."""
    fraction = step.done / step.total if step.total > 0 else 0.0
    fraction = min(1.0, max(0.0, fraction))
    if step.stage == READING:
        return round(_READ_SHARE * fraction)
    if step.stage == CHECKING:
        return _READ_SHARE + round((1000 - _READ_SHARE) * fraction)
    assert step.stage == ADDING
    return round(1000 * fraction)


class ImportProgressDialog:
    """A window-modal progress dialog with a Cancel button, shown only when the work takes more
    than :attr:`show_after_ms` (Qt's minimum duration), so a small file never flashes it."""

    show_after_ms: ClassVar[int] = 500

    def __init__(self, parent: QWidget, file_name: str, profile_name: str) -> None:
        self._file_name = file_name
        self._profile_name = profile_name
        dialog = QProgressDialog(parent)
        dialog.setWindowTitle("Import sessions")
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        dialog.setCancelButtonText("Cancel")
        dialog.setRange(0, 1000)
        dialog.setMinimumDuration(self.show_after_ms)
        dialog.setLabelText(f"Reading {file_name}…")
        dialog.setAccessibleName("Import progress")
        dialog.setValue(0)  # starts Qt's count towards showing it
        self.dialog = dialog

    def show_step(self, step: ImportProgress) -> None:
        """Say how far the import has come."""
        if self.dialog.wasCanceled():
            return  # cancelled: it stays hidden while the reading stops
        self.dialog.setLabelText(progress_text(step, self._file_name, self._profile_name))
        self.dialog.setValue(max(1, _per_mille(step)))

    @property
    def cancelled(self) -> bool:
        """Whether the person pressed Cancel (or Esc)."""
        return self.dialog.wasCanceled()

    def close(self) -> None:
        """Hide it for good (Qt would otherwise still show it once its time is up)."""
        self.dialog.reset()  # stops Qt's timer that shows it
        self.dialog.hide()
        self.dialog.setParent(None)
        self.dialog.deleteLater()


class _Reader(QThread):
    """Reads and checks an export in a thread of its own; Qt-free work, told to stop by
    :attr:`stop` (its progress callback then raises :class:`ImportCancelled`)."""

    progressed = Signal(object)

    def __init__(
        self,
        path: Path,
        read: Callable[[Path, Callable[[ImportProgress], None]], list[NewSession]],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._path = path
        self._read = read
        self.stop = threading.Event()
        self.sessions: list[NewSession] | None = None
        self.error: BaseException | None = None

    def run(self) -> None:
        """The thread: read, keeping the sessions or what went wrong for the window's thread."""
        try:
            self.sessions = self._read(self._path, self._report)
        except BaseException as exc:  # handed to the window's thread as it is
            self.error = exc

    def _report(self, step: ImportProgress) -> None:
        if self.stop.is_set():
            raise ImportCancelled
        self.progressed.emit(step)


def read_with_progress(progress: ImportProgressDialog, path: Path) -> list[NewSession] | None:
    """Read and check the export at ``path`` in a thread of its own, the window going on
    meanwhile (it repaints, its timers run, the pacer moves) and ``progress`` saying how far it
    is; the sessions, or ``None`` if the person cancelled. A mistake in the file raises the
    same :class:`~trainer.errors.SafeSignalError` as :func:`trainer.store.exchange.read_export`
    (and nothing was stored)."""
    from trainer.store import exchange  # looked up now, so tests can stand in for it

    reader = _Reader(path, exchange.read_export)
    loop = QEventLoop()
    reader.progressed.connect(progress.show_step, Qt.ConnectionType.QueuedConnection)
    reader.finished.connect(loop.quit, Qt.ConnectionType.QueuedConnection)
    progress.dialog.canceled.connect(reader.stop.set)
    reader.start()
    if not reader.isFinished():
        loop.exec()
    if not reader.isFinished():  # the app is quitting (that ends every event loop)
        reader.stop.set()
    reader.wait()
    if isinstance(reader.error, ImportCancelled) or progress.cancelled:
        return None
    if reader.error is not None:
        raise reader.error
    return reader.sessions


def adding_steps(progress: ImportProgressDialog) -> Callable[[ImportProgress], None]:
    """The progress callback of adding the sessions on the window's thread: it shows the step,
    lets the window handle its events (it repaints, hears the Cancel button, its timers write
    what they write), and cancels (raises :class:`ImportCancelled`, and the sessions added so
    far are taken out again) when it was pressed.

    It is called between two committed steps, never inside a transaction: a write made here
    is the window's own, so a cancel leaves it, and a backup made here does not wait on it."""

    def step(done: ImportProgress) -> None:
        progress.show_step(done)
        QApplication.processEvents()
        if progress.cancelled:
            raise ImportCancelled

    return step
