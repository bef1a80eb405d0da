"""The offer made at start for a session that stopped unexpectedly: add its after-ratings now,
or leave them empty. The recovery itself is :mod:`trainer.session.recovery`."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from trainer.session.clock import Clock
from trainer.session.machine import Ratings
from trainer.session.recovery import RecoveredSession
from ui.common.keys import KeysDialog, click_focused_button, is_enter, key_tip, open_keys
from ui.common.screen_keys import KEPT_SESSION_KEYS, keys_sentence
from ui.common.theme import muted, scaled_font
from ui.widgets.rating_scale import RatingScale

SAVE_TEXT = "Save the after-ratings"
LEAVE_TEXT = "Leave them empty"


class AfterRatingsDialog(QDialog):
    """Says a session was kept after it stopped unexpectedly, and offers its after-ratings.

    ``ratings`` is what the person chose to save, or ``None`` when they left them empty (the
    button, Esc, or closing the box).
    """

    def __init__(
        self,
        recovered: RecoveredSession,
        clock: Clock,
        parent: QWidget | None = None,
        *,
        when: str | None = None,
    ) -> None:
        super().__init__(parent)
        self.ratings: Ratings | None = None
        last = when is None and not recovered.carried_over
        self.setWindowTitle("Your last session was kept" if last else "A session was kept")
        layout = QVBoxLayout(self)
        self.message = QLabel(recovered.message(when))
        self.message.setWordWrap(True)
        self.message.setFont(scaled_font(self.message, 1.1, bold=True))
        layout.addWidget(self.message)
        invite = QLabel(
            "If you like, rate how you feel now as its after-ratings. You can also leave them "
            "empty; the session stays in your history either way."
        )
        invite.setWordWrap(True)
        layout.addWidget(invite)
        self.tension = RatingScale("Tension", clock, self)
        self.pain = RatingScale("Pain", clock, self)
        layout.addWidget(self.tension)
        layout.addWidget(self.pain)
        # What is missing, when Save is pressed too soon. The keys are in the buttons' tooltips,
        # behind "?" and in Help, not on a line always in view.
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.setAccessibleDescription(keys_sentence(KEPT_SESSION_KEYS[1]))
        self.keys_dialog: KeysDialog | None = None
        muted(self.hint)
        layout.addWidget(self.hint)
        buttons = QDialogButtonBox()
        self.save_button = QPushButton(SAVE_TEXT)
        self.leave_button = QPushButton(LEAVE_TEXT)
        buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.leave_button, QDialogButtonBox.ButtonRole.RejectRole)
        key_tip(self.save_button, SAVE_TEXT, "Enter")
        key_tip(self.leave_button, LEAVE_TEXT, "Esc")
        for button in (self.save_button, self.leave_button):
            button.setAutoDefault(False)
        self.save_button.clicked.connect(self.save)
        self.leave_button.clicked.connect(self.reject)
        layout.addWidget(buttons)
        QWidget.setTabOrder(self.tension, self.pain)
        QWidget.setTabOrder(self.pain, self.save_button)
        QWidget.setTabOrder(self.save_button, self.leave_button)
        self.tension.setFocus()

    def save(self) -> None:
        """Keep the ratings chosen, once both are answered (a number, or skipped)."""
        for scale in (self.tension, self.pain):
            if not scale.answered:
                self.hint.setText(
                    f"Please choose a number for {scale.name.lower()}, or skip it, or leave "
                    "both empty."
                )
                scale.setFocus()
                return
        self.ratings = Ratings(self.tension.value, self.pain.value)
        self.accept()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if is_enter(event):
            if not click_focused_button(self):
                self.save()
        elif event.key() == Qt.Key.Key_Escape:
            self.reject()
        elif event.text() == "?":
            self.keys_dialog = open_keys(self, *KEPT_SESSION_KEYS)
        else:
            super().keyPressEvent(event)

    @classmethod
    def ask(
        cls,
        parent: QWidget | None,
        recovered: RecoveredSession,
        clock: Clock,
        when: str | None = None,
    ) -> Ratings | None:
        """Show the offer and wait; the ratings to save, or ``None`` to leave them empty.
        ``when``: the session's start in words, when there are several to tell apart.
        (Tests replace this.)"""
        dialog = cls(recovered, clock, parent, when=when)
        dialog.exec()
        return dialog.ratings
