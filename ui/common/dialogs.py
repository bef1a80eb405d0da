"""Modal questions and messages, behind class methods that tests replace."""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from trainer.errors import SafeSignalError

if TYPE_CHECKING:
    from trainer.app.settings import Preferences


def keep_qt_state_in(folder: Path) -> None:
    """Keep what Qt saves of its own (its file dialog writes the folders last visited, the export
    and rescue folders among them, to ``~/.config/QtProject.conf``, readable by everyone) in
    ``folder``, the private data folder, instead. Call before the first file dialog; the app's
    own last folders live in its settings (see :func:`last_folder`)."""
    for kind in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat):
        QSettings.setPath(kind, QSettings.Scope.UserScope, str(folder))


def last_folder(settings: Preferences, kind: str) -> Path:
    """The folder the person last chose for ``kind`` (export, report, import, rescue), kept in
    the app's own ``settings``; the home folder the first time, or when that folder is gone."""
    try:
        folder = Path(settings.get(f"last_folder_{kind}", ""))
    except SafeSignalError:
        folder = Path()
    return folder if folder.is_absolute() and folder.is_dir() else Path.home()


def remember_folder(settings: Preferences, kind: str, chosen: Path) -> None:
    """Remember the folder of ``chosen`` for next time (a failure only loses the hint)."""
    with contextlib.suppress(SafeSignalError):
        settings.set(f"last_folder_{kind}", str(chosen.parent))


class Dialogs:
    """Every modal box the app shows goes through here, so tests can answer it."""

    @classmethod
    def confirm(cls, parent: QWidget | None, title: str, text: str, yes: str, no: str) -> bool:
        """Ask a yes/no question; ``no`` is the default, so Enter never destroys anything."""
        box = QMessageBox(
            QMessageBox.Icon.Question, title, text, QMessageBox.StandardButton.NoButton, parent
        )
        yes_button = box.addButton(yes, QMessageBox.ButtonRole.AcceptRole)
        no_button = box.addButton(no, QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(no_button)
        box.setEscapeButton(no_button)
        box.exec()
        return box.clickedButton() is yes_button

    @classmethod
    def error(cls, parent: QWidget | None, title: str, text: str) -> None:
        """Tell the person something went wrong and what to do."""
        QMessageBox.warning(parent, title, text)

    @classmethod
    def problem(
        cls, parent: QWidget | None, title: str, problem: Exception, after: str = ""
    ) -> None:
        """The one way a problem with the disk or the data is shown: what happened, then (when
        given) what it means for the person, in a paragraph of its own."""
        cls.error(parent, title, f"{problem}\n\n{after}" if after else str(problem))

    @classmethod
    def info(cls, parent: QWidget | None, title: str, text: str) -> None:
        """Tell the person something went as asked."""
        QMessageBox.information(parent, title, text)

    @classmethod
    def save_file(cls, parent: QWidget | None, title: str, suggested: str, kinds: str) -> str:
        """Ask where to save a file; ``""`` when the person cancels."""
        path, _kind = QFileDialog.getSaveFileName(parent, title, suggested, kinds)
        return str(path)

    @classmethod
    def open_file(cls, parent: QWidget | None, title: str, folder: str, kinds: str) -> str:
        """Ask which file to open, starting in ``folder``; ``""`` when the person cancels."""
        path, _kind = QFileDialog.getOpenFileName(parent, title, folder, kinds)
        return str(path)

    @classmethod
    def ask_text(cls, parent: QWidget | None, title: str, label: str, text: str = "") -> str | None:
        """Ask for a line of text (a name); ``None`` when the person cancels."""
        answer, ok = QInputDialog.getText(parent, title, label, QLineEdit.EchoMode.Normal, text)
        return str(answer) if ok else None

    @classmethod
    def confirm_typed(
        cls, parent: QWidget | None, title: str, text: str, must_type: str, action: str
    ) -> bool:
        """Ask before destroying something precious: ``action`` only works once the person has
        typed ``must_type`` exactly (Esc or Cancel keep everything)."""
        box = QDialog(parent)
        box.setWindowTitle(title)
        layout = QVBoxLayout(box)
        message = QLabel(text)
        message.setWordWrap(True)
        layout.addWidget(message)
        prompt = QLabel(f"To confirm, type “{must_type}” below:")
        typed = QLineEdit()
        typed.setAccessibleName(f"Type {must_type} to confirm")
        prompt.setBuddy(typed)
        layout.addWidget(prompt)
        layout.addWidget(typed)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        go = buttons.addButton(action, QDialogButtonBox.ButtonRole.DestructiveRole)
        go.setEnabled(False)
        go.setAutoDefault(False)
        typed.textChanged.connect(lambda now: go.setEnabled(now.strip() == must_type))
        go.clicked.connect(box.accept)
        buttons.rejected.connect(box.reject)
        layout.addWidget(buttons)
        typed.setFocus()
        return box.exec() == QDialog.DialogCode.Accepted

    @classmethod
    def choose(
        cls, parent: QWidget | None, title: str, text: str, items: Sequence[str], current: int = 0
    ) -> int | None:
        """Ask which of ``items`` to use; its index, or ``None`` when the person cancels."""
        options = list(items)
        item, ok = QInputDialog.getItem(parent, title, text, options, current, False)
        return options.index(item) if ok and item in options else None
