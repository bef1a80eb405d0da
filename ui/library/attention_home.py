"""The attention exercises: one obvious Start, and one step away somatic tracking, body scan
and the others, with their lengths."""

from __future__ import annotations

import itertools

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from trainer.app.profile import Change, ProfileInUse
from trainer.app.words import CLINICIAN_NOTE, minutes_text
from trainer.content.scripts import Script
from trainer.errors import SafeSignalError
from ui.common.dialogs import Dialogs
from ui.common.keys import (
    KeysDialog,
    click_focused_button,
    is_enter,
    key_tip,
    keys_button,
    open_keys,
)
from ui.common.screen_keys import ATTENTION_HOME_KEYS
from ui.common.theme import muted, scaled_font
from ui.library.home import column_layout
from ui.widgets.exercise_list import DESCRIPTION_ROLE, DETAIL_ROLE, ID_ROLE, ExerciseDelegate
from ui.widgets.start_card import ArrowsChoose, FoldedOptions, StartCard, kicker_for, step_row

__all__ = ["AttentionHomeScreen", "lengths_text"]

DEFAULT_MINUTES = 5
USES_NOTE = {
    ("pain",): "Before you begin, you can mark where it hurts on a body map.",
    ("pain", "comfort"): (
        "Before you begin, you can mark where it hurts, and choose an area that feels "
        "comfortable or neutral."
    ),
}


def lengths_text(script: Script) -> str:
    """``3, 5, 10 or 15 minutes``."""
    numbers = [str(m) for m in script.lengths_min]
    if len(numbers) == 1:
        return minutes_text(script.lengths_min[0])
    return f"{', '.join(numbers[:-1])} or {numbers[-1]} minutes"


MORE_TEXT = "&Choose another exercise or the length"


def begin_text(minutes: int) -> str:
    """``Begin 5 minutes``: the attention list's Start."""
    return f"Begin {minutes_text(minutes)}"


class AttentionHomeScreen(QWidget):
    """One obvious Start for the highlighted guided attention exercise, and one step away the
    others and their lengths; emits ``start_requested(script, minutes)`` and, from History or
    Ctrl+H, ``history_requested``."""

    start_requested = Signal(object, int)
    history_requested = Signal()

    def __init__(
        self,
        scripts: tuple[Script, ...],
        parent: QWidget | None = None,
        *,
        profile: ProfileInUse | None = None,
    ) -> None:
        super().__init__(parent)
        self._profile = profile
        self._last_id: str | None = None  # the script of the profile's newest attention session
        self._scripts = {s.id: s for s in scripts}
        self._minutes: dict[str, int] = {}
        self.keys_dialog: KeysDialog | None = None

        heading = QLabel("Attention")
        heading.setFont(scaled_font(self, 1.6, bold=True))
        self.history_button = QPushButton("History")
        self.history_button.setShortcut("Ctrl+H")
        key_tip(self.history_button, "Your sessions and how practice is going", "Ctrl+H")
        self.history_button.clicked.connect(self.history_requested)
        self.keys_button = keys_button(self.show_keys)
        top = QHBoxLayout()
        top.addWidget(heading)
        top.addStretch(1)
        top.addWidget(self.history_button)
        top.addWidget(self.keys_button)

        # -- the front door ----------------------------------------------------------------------
        self.source_note = QLabel()  # what comes before the exercise (the body map)
        self.source_note.setWordWrap(True)
        muted(self.source_note)
        self.clinician_note = QLabel(CLINICIAN_NOTE)
        self.clinician_note.setWordWrap(True)
        muted(self.clinician_note)
        self.card = StartCard([self.source_note, self.clinician_note])
        self.kicker = self.card.kicker
        self.title = self.card.title
        self.info_button = self.card.info_button
        self.info_button.clicked.connect(self.show_source)
        self.description = self.card.description
        self.start_button = self.card.start_button
        self.start_button.clicked.connect(self.start)
        self.card.size_start_for(
            [begin_text(m) for script in scripts for m in script.lengths_min]
            or [begin_text(DEFAULT_MINUTES)]
        )

        # -- one step away -----------------------------------------------------------------------
        self.list = QListWidget()
        self.list.setItemDelegate(ExerciseDelegate(self.list))
        self.list.setAccessibleName("Attention exercises")
        self.list.setVerticalScrollMode(QListWidget.ScrollMode.ScrollPerPixel)
        self.list.setMinimumHeight(150)
        for script in scripts:
            item = QListWidgetItem(script.title)
            item.setData(ID_ROLE, script.id)
            item.setData(DESCRIPTION_ROLE, script.description)
            item.setData(DETAIL_ROLE, lengths_text(script))
            item.setToolTip(script.description)
            self.list.addItem(item)
        self.list.currentRowChanged.connect(self._on_current_changed)
        self.list.itemDoubleClicked.connect(lambda _item: self.start())

        length_label = QLabel("Length")
        self.length = QComboBox()
        self.length.setAccessibleName("Session length")
        key_tip(self.length, "How long the exercise lasts", "Alt+L")
        length_label.setBuddy(self.length)
        self.length.currentIndexChanged.connect(self._on_length_changed)
        length_row = QHBoxLayout()
        length_row.addWidget(length_label)
        length_row.addWidget(self.length)
        length_row.addStretch(1)
        choices = QVBoxLayout()
        choices.addLayout(length_row)
        choices.addStretch(1)
        self.options = QWidget()
        options_layout = QHBoxLayout(self.options)
        options_layout.setContentsMargins(0, 0, 4, 0)
        options_layout.setSpacing(16)
        options_layout.addWidget(self.list, 2)
        options_layout.addLayout(choices, 1)

        layout = column_layout(self)
        layout.addLayout(top)
        layout.addWidget(self.card)
        self.fold = FoldedOptions(
            self, layout, self.options, text=MORE_TEXT, name="Choose another exercise or the length"
        )
        self.more_button = self.fold.button
        self.options_area = self.fold.area
        length_keys = QShortcut(QKeySequence("Alt+L"), self)
        length_keys.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        length_keys.activated.connect(self._reveal_length)
        chain = [
            self.start_button,
            self.info_button,
            self.more_button,
            self.list,
            self.length,
            self.history_button,
            self.keys_button,
        ]
        for first, second in itertools.pairwise(chain):
            QWidget.setTabOrder(first, second)
        ArrowsChoose(self.list, (self.start_button, self.info_button, self.more_button))
        if scripts:
            self.list.setCurrentRow(0)
            self._select_first_offered()
        if profile is not None:
            profile.changed.add(self._on_profile_changed)

    def _on_profile_changed(self, change: Change) -> None:
        if change is Change.PROFILE:
            self._minutes.clear()
            self._select_first_offered()
        elif change is Change.SESSIONS:
            self._last_id = self._newest_id()
            self._show_card()

    def _newest_id(self) -> str | None:
        """The listed exercise of the profile's newest attention session, if any."""
        if self._profile is None:
            return None
        try:
            recent = self._profile.sessions(limit=50)
        except SafeSignalError:
            return None
        return next((s.exercise_id for s in recent if s.exercise_id in self._scripts), None)

    def _select_first_offered(self) -> None:
        """Highlight the exercise practised last (the first listed for someone new)."""
        self._last_id = self._newest_id()
        ids = [str(self.list.item(row).data(ID_ROLE)) for row in range(self.list.count())]
        self.list.setCurrentRow(ids.index(self._last_id) if self._last_id in ids else 0)
        self._show_card()

    def step_exercise(self, step: int) -> None:
        """Highlight the exercise ``step`` rows down (up if negative), the list shown or not."""
        step_row(self.list, step)

    def take_focus(self) -> None:
        """Give the keyboard to Start (or to the list while the others are shown)."""
        (self.list if self.options_area.isVisibleTo(self) else self.start_button).setFocus()

    def show_options(self, shown: bool = True) -> None:
        """Unfold (or fold away) the other exercises and the length."""
        self.more_button.setChecked(shown)

    def _reveal_length(self) -> None:
        if self.isVisible():
            self.show_options()
            self.length.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def show_source(self) -> None:
        """Where the highlighted exercise comes from (the "i" beside its name)."""
        script = self.current_script()
        if script.source:
            Dialogs.info(self, "Where this comes from", f"{script.title}\n\n{script.source}")

    def show_keys(self) -> None:
        """The keys of this screen, in a small window (? or the "?" button)."""
        self.keys_dialog = open_keys(self, *ATTENTION_HOME_KEYS)

    def current_script(self) -> Script:
        """The highlighted exercise."""
        item = self.list.currentItem()
        assert item is not None, "the list always has a highlighted exercise"
        return self._scripts[str(item.data(ID_ROLE))]

    def minutes_for(self, script: Script) -> int:
        """The length chosen for ``script`` (5 minutes, or its nearest length, by default)."""
        chosen = self._minutes.get(script.id)
        if chosen in script.lengths_min:
            return chosen
        return min(script.lengths_min, key=lambda m: (abs(m - DEFAULT_MINUTES), m))

    def start(self) -> None:
        """Ask to start the highlighted exercise at its chosen length."""
        if self.list.count() == 0:
            return
        script = self.current_script()
        self.start_requested.emit(script, self.minutes_for(script))

    def _on_current_changed(self, _row: int) -> None:
        if self.list.count() == 0:
            return
        script = self.current_script()
        self.length.blockSignals(True)
        self.length.clear()
        for minutes in script.lengths_min:
            self.length.addItem(minutes_text(minutes), minutes)
        self.length.setCurrentIndex(self.length.findData(self.minutes_for(script)))
        self.length.blockSignals(False)
        note = USES_NOTE.get(tuple(script.uses), "")
        self.source_note.setText(note)
        self.source_note.setVisible(bool(note))
        self._show_card()

    def set_demonstrating(self, on: bool) -> None:
        """While a demonstration is on, the Start card says nothing will be recorded."""
        if self.card.set_demonstrating(on):
            self._show_card()

    def _show_card(self) -> None:
        if self.list.count() == 0:
            return
        script = self.current_script()
        self.card.show_exercise(
            kicker=kicker_for(script.id, self._last_id, suggested=self.list.currentRow() == 0),
            title=script.title,
            description=script.description,
            has_source=bool(script.source),
            start=begin_text(self.minutes_for(script)),
        )

    def _on_length_changed(self, _index: int) -> None:
        minutes = self.length.currentData()
        if minutes is not None:
            self._minutes[self.current_script().id] = int(minutes)
            self._show_card()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if is_enter(event):
            if not click_focused_button(self):
                self.start()
            return
        if key == Qt.Key.Key_Escape:
            event.ignore()
            return
        if key in (Qt.Key.Key_Up, Qt.Key.Key_Down):
            self.step_exercise(-1 if key == Qt.Key.Key_Up else 1)
            return
        if event.text() == "?":
            self.show_keys()
            return
        super().keyPressEvent(event)
