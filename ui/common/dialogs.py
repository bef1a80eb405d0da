"""Modal questions and messages, behind class methods that tests replace.

They look like the rest of the app: our own line icons (never Qt's stock pictures: see
:mod:`ui.common.icons`), margins from the spacing scale, and the safe or only answer as the
primary button. :func:`message_box` and :func:`typed_confirmation` build them without showing
them, for tests and for anyone who needs a box of the same kind.
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings, QSize
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QStyle,
    QWidget,
)

from trainer.errors import SafeSignalError
from ui.common.theme import dialog_layout, primary

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


# Our line icon for each kind of message (resources/icons/line/NAME.svg). Set as the box's own
# picture: Qt would otherwise take the desktop icon theme's (dialog-question...) before asking
# the app's style, so a desktop with an icon theme showed its stock pictures.
MESSAGE_SYMBOLS = {
    QMessageBox.Icon.Question: "help",
    QMessageBox.Icon.Information: "info",
    QMessageBox.Icon.Warning: "warning",
    QMessageBox.Icon.Critical: "warning",
}


def set_symbol(box: QMessageBox, kind: QMessageBox.Icon) -> None:
    """Show our line icon for ``kind`` in ``box`` (in the accent colour, at the style's size
    for a message box's symbol); its ``symbol`` property names it. ``NoIcon`` shows none."""
    from ui.common.icons import ACCENT, icon  # QtSvg: not before the first paint

    name = MESSAGE_SYMBOLS.get(kind)
    if name is None:
        box.setIcon(QMessageBox.Icon.NoIcon)
        return
    side = box.style().pixelMetric(QStyle.PixelMetric.PM_MessageBoxIconSize, None, box)
    box.setIconPixmap(icon(name, ACCENT).pixmap(QSize(side, side), box.devicePixelRatioF()))
    box.setProperty("symbol", name)


def message_box(
    parent: QWidget | None,
    kind: QMessageBox.Icon,
    title: str,
    text: str,
    answers: Sequence[tuple[str, QMessageBox.ButtonRole]] = (
        ("OK", QMessageBox.ButtonRole.AcceptRole),
    ),
    default: int = 0,
) -> tuple[QMessageBox, list[QPushButton]]:
    """A message box (not yet shown) with our symbol for ``kind``, and one button per answer
    (its words and role); the ``default`` answer (Enter, and Esc when it rejects) is the
    primary button."""
    box = QMessageBox(
        QMessageBox.Icon.NoIcon, title, text, QMessageBox.StandardButton.NoButton, parent
    )
    set_symbol(box, kind)
    buttons = [box.addButton(words, role) for words, role in answers]
    chosen = buttons[default]
    box.setDefaultButton(chosen)
    if len(buttons) == 1 or answers[default][1] is QMessageBox.ButtonRole.RejectRole:
        box.setEscapeButton(chosen)
    primary(chosen)
    return box, buttons


def typed_confirmation(
    parent: QWidget | None, title: str, text: str, must_type: str, action: str
) -> tuple[QDialog, QLineEdit, QPushButton]:
    """The box of :meth:`Dialogs.confirm_typed` (not yet shown): the dialog, the field to type
    in and the button that does ``action``, enabled only once ``must_type`` is typed."""
    box = QDialog(parent)
    box.setWindowTitle(title)
    layout = dialog_layout(box)
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
    cancel = buttons.button(QDialogButtonBox.StandardButton.Cancel)
    if cancel is not None:
        primary(cancel)  # keeping everything is the main way out
    go = buttons.addButton(action, QDialogButtonBox.ButtonRole.DestructiveRole)
    go.setEnabled(False)
    go.setAutoDefault(False)
    typed.textChanged.connect(lambda now: go.setEnabled(now.strip() == must_type))
    go.clicked.connect(box.accept)
    buttons.rejected.connect(box.reject)
    layout.addWidget(buttons)
    typed.setFocus()
    return box, typed, go


class Dialogs:
    """Every modal box the app shows goes through here, so tests can answer it."""

    @classmethod
    def confirm(cls, parent: QWidget | None, title: str, text: str, yes: str, no: str) -> bool:
        """Ask a yes/no question; ``no`` is the default, so Enter never destroys anything."""
        answers = (
            (yes, QMessageBox.ButtonRole.AcceptRole),
            (no, QMessageBox.ButtonRole.RejectRole),
        )
        box, (yes_button, _no) = message_box(
            parent, QMessageBox.Icon.Question, title, text, answers, default=1
        )
        box.exec()
        return box.clickedButton() is yes_button

    @classmethod
    def error(cls, parent: QWidget | None, title: str, text: str) -> None:
        """Tell the person something went wrong and what to do."""
        box, _buttons = message_box(parent, QMessageBox.Icon.Warning, title, text)
        box.exec()

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
        box, _buttons = message_box(parent, QMessageBox.Icon.Information, title, text)
        box.exec()

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
        box, _typed, _go = typed_confirmation(parent, title, text, must_type, action)
        return box.exec() == QDialog.DialogCode.Accepted

    @classmethod
    def choose(
        cls, parent: QWidget | None, title: str, text: str, items: Sequence[str], current: int = 0
    ) -> int | None:
        """Ask which of ``items`` to use; its index, or ``None`` when the person cancels."""
        options = list(items)
        item, ok = QInputDialog.getItem(parent, title, text, options, current, False)
        return options.index(item) if ok and item in options else None
