"""Profiles in the window: the always-visible switcher, and the dialog that creates, renames,
archives and deletes them (a clinician's clients, or the people sharing one computer)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from trainer.app.settings import ACTIVE_PROFILE, ACTIVE_PROFILE_KEY, read_setting
from trainer.app.words import sessions_text
from trainer.errors import SafeSignalError
from trainer.store.profiles import Profile
from trainer.store.store import Store
from ui.common.dialogs import Dialogs
from ui.common.keys import key_tip
from ui.common.theme import muted

ID_ROLE = Qt.ItemDataRole.UserRole
ACTIVE_PROFILE_SETTING = ACTIVE_PROFILE_KEY  # an app setting: the profile in use last time


def profile_to_open(store: Store) -> int:
    """The profile in use when the app was last closed, if it is still there and not archived;
    else the first profile in use."""
    wanted = read_setting(store.app_settings, ACTIVE_PROFILE)
    if wanted is None:
        return store.profiles.default_id()
    for profile in store.profiles.all():
        if profile.id == wanted and not profile.archived:
            return wanted
    return store.profiles.default_id()


class ProfileBar(QWidget):
    """Whose practice this is: a list of the profiles in use (Alt+O) and "Profiles..." to
    manage them. Emits ``switch_requested(profile_id)`` and ``manage_requested``; the window
    decides whether a switch can happen now."""

    switch_requested = Signal(int)
    manage_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        label = QLabel("Pr&ofile:")
        self.choice = QComboBox()
        self.choice.setAccessibleName("Whose practice this is")
        self.choice.setToolTip("Each profile has its own sessions, patterns and preferences.")
        self.choice.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.choice.setMinimumContentsLength(10)
        label.setBuddy(self.choice)
        self.manage = QPushButton("Profiles…")
        self.manage.setAccessibleName("Manage profiles")
        self.manage.setToolTip("Add, rename, archive or delete profiles")
        # In a demonstration the screen may be shown to others: no one's name, only this.
        self.demonstration = QLabel("Demonstration")
        self.demonstration.setAccessibleName("Demonstration: no profile is shown")
        self.demonstration.setToolTip(
            "While demonstrating, no one's name is shown and nothing is recorded."
        )
        self.demonstration.setContentsMargins(0, 0, 12, 0)  # clear of the Menu button
        self.demonstration.hide()
        self._label = label
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(label)
        row.addWidget(self.choice)
        row.addWidget(self.manage)
        row.addWidget(self.demonstration)
        self.choice.activated.connect(self._on_chosen)
        self.manage.clicked.connect(self.manage_requested)
        self._active: int | None = None

    @property
    def active_id(self) -> int | None:
        """The profile the bar shows as active."""
        return self._active

    def show_profiles(self, profiles: list[Profile], active_id: int) -> None:
        """List the profiles in use (and the active one, even if archived)."""
        self._active = active_id
        self.choice.blockSignals(True)
        self.choice.clear()
        for profile in profiles:
            if profile.archived and profile.id != active_id:
                continue
            self.choice.addItem(profile.name, profile.id)
        self.choice.setCurrentIndex(max(0, self.choice.findData(active_id)))
        self.choice.blockSignals(False)

    def set_locked(self, locked: bool) -> None:
        """While a session runs the profile cannot change (its ratings belong to someone)."""
        self.choice.setEnabled(not locked)
        self.manage.setEnabled(not locked)
        why = "Finish the session to switch profile." if locked else ""
        self.choice.setToolTip(
            why or "Each profile has its own sessions, patterns and preferences."
        )
        self.choice.setAccessibleDescription(why)

    def set_demonstrating(self, on: bool) -> None:
        """In a demonstration show "Demonstration" in place of the profile's name and the
        profile controls (the screen may be shown to others); after it, the profile again."""
        for widget in (self._label, self.choice, self.manage):
            widget.setHidden(on)
        self.demonstration.setVisible(on)

    def _on_chosen(self, index: int) -> None:
        chosen = self.choice.itemData(index)
        if chosen is not None and int(chosen) != self._active:
            self.switch_requested.emit(int(chosen))


class ProfilesDialog(QDialog):
    """Add, rename, archive (keep but hide) or delete profiles. Deleting asks the person to type
    the profile's name, since it deletes that person's whole history.

    Emits ``changed`` after any change, and ``switch_requested(id)`` for "Use this profile"
    (and for a profile just created)."""

    changed = Signal()
    switch_requested = Signal(int)

    def __init__(self, store: Store, active_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._store = store
        self._active = active_id
        self.setWindowTitle("Profiles")
        self.setAccessibleName("Profiles")
        intro = QLabel(
            "Each profile keeps its own sessions, breathing patterns and preferences; nothing "
            "of one profile is shown while another is in use. Archived profiles are kept but "
            "left out of the profile list."
        )
        intro.setWordWrap(True)
        muted(intro)
        self.list = QListWidget()
        self.list.setAccessibleName("Profiles")
        self.list.setMinimumSize(360, 220)
        self.use_button = QPushButton("&Use this profile")
        self.new_button = QPushButton("&New…")
        self.rename_button = QPushButton("&Rename…")
        key_tip(self.rename_button, "Give this profile another name", "F2")
        self.archive_button = QPushButton("&Archive")
        self.delete_button = QPushButton("&Delete…")
        self.delete_button.setAccessibleName("Delete profile and its history")
        side = QVBoxLayout()
        for button in (
            self.use_button,
            self.new_button,
            self.rename_button,
            self.archive_button,
            self.delete_button,
        ):
            button.setAutoDefault(False)
            side.addWidget(button)
        side.addStretch(1)
        middle = QHBoxLayout()
        middle.addWidget(self.list, 1)
        middle.addLayout(side)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(middle, 1)
        layout.addWidget(close)

        self.use_button.clicked.connect(self.use_selected)
        self.new_button.clicked.connect(self.create_profile)
        self.rename_button.clicked.connect(self.rename_selected)
        self.archive_button.clicked.connect(self.toggle_archive_selected)
        self.delete_button.clicked.connect(self.delete_selected)
        self.list.currentRowChanged.connect(self._update_buttons)
        self.list.itemActivated.connect(lambda _item: self.use_selected())
        for keys, slot in (
            ("F2", self.rename_selected),
            (QKeySequence.StandardKey.Delete, self.delete_selected),
            (QKeySequence.StandardKey.New, self.create_profile),
        ):
            QShortcut(QKeySequence(keys), self).activated.connect(slot)
        self.reload()
        self.list.setFocus()

    # -- the list -------------------------------------------------------------------------------

    def reload(self, select: int | None = None) -> None:
        """Read the profiles again; keep the highlight on ``select`` (or the active one)."""
        wanted = select if select is not None else self.selected_id() or self._active
        try:
            profiles = self._store.profiles.all()
            counts = {p.id: self._store.sessions.count(p.id) for p in profiles}
        except SafeSignalError as exc:
            Dialogs.error(self, "Could not read the profiles", str(exc))
            return
        self.list.clear()
        for profile in profiles:
            notes = [sessions_text(counts[profile.id])]
            if profile.id == self._active:
                notes.append("in use now")
            if profile.archived:
                notes.append("archived")
            item = QListWidgetItem(f"{profile.name}  ({', '.join(notes)})")
            item.setData(ID_ROLE, profile.id)
            self.list.addItem(item)
            if profile.id == wanted:
                self.list.setCurrentItem(item)
        if self.list.currentRow() < 0 and self.list.count():
            self.list.setCurrentRow(0)
        self._update_buttons()

    def selected_id(self) -> int | None:
        """The highlighted profile's id."""
        item = self.list.currentItem()
        return None if item is None else int(item.data(ID_ROLE))

    def _selected(self) -> Profile | None:
        chosen = self.selected_id()
        if chosen is None:
            return None
        try:
            return self._store.profiles.get(chosen)
        except SafeSignalError as exc:
            Dialogs.error(self, "Could not read the profile", str(exc))
            return None

    def _update_buttons(self) -> None:
        chosen = self._selected() if self.list.currentItem() is not None else None
        has = chosen is not None
        for button in (self.rename_button, self.archive_button, self.delete_button):
            button.setEnabled(has)
        self.use_button.setEnabled(has and chosen is not None and chosen.id != self._active)
        archived = chosen is not None and chosen.archived
        self.archive_button.setText("Bring &back" if archived else "&Archive")

    def set_active(self, profile_id: int) -> None:
        """The window switched profile: mark it in the list."""
        self._active = profile_id
        self.reload()

    # -- actions --------------------------------------------------------------------------------

    def use_selected(self) -> None:
        """Make the highlighted profile the one in use (bringing it back if archived)."""
        chosen = self._selected()
        if chosen is None or chosen.id == self._active:
            return
        if chosen.archived and not self._apply(
            lambda: self._store.profiles.set_archived(chosen.id, False)
        ):
            return
        self.switch_requested.emit(chosen.id)

    def create_profile(self) -> None:
        """Ask for a name and add a profile; it becomes the one in use."""
        name = Dialogs.ask_text(self, "New profile", "Name (for example a first name):")
        if name is None:
            return
        try:
            new_id = self._store.profiles.create(name)
        except SafeSignalError as exc:
            Dialogs.error(self, "Could not add the profile", f"{exc}\n\nNothing was changed.")
            return
        self.reload(select=new_id)
        self.changed.emit()
        self.switch_requested.emit(new_id)

    def rename_selected(self) -> None:
        """Give the highlighted profile a new name."""
        chosen = self._selected()
        if chosen is None:
            return
        name = Dialogs.ask_text(self, "Rename profile", "New name:", chosen.name)
        if name is None or name == chosen.name:
            return
        if self._apply(lambda: self._store.profiles.rename(chosen.id, name)):
            self.reload(select=chosen.id)

    def toggle_archive_selected(self) -> None:
        """Archive the highlighted profile, or bring it back."""
        chosen = self._selected()
        if chosen is None:
            return
        if self._apply(lambda: self._store.profiles.set_archived(chosen.id, not chosen.archived)):
            self.reload(select=chosen.id)

    def delete_selected(self) -> None:
        """Delete the highlighted profile and its whole history, once its name is typed."""
        chosen = self._selected()
        if chosen is None:
            return
        try:
            count = self._store.sessions.count(chosen.id)
        except SafeSignalError as exc:
            Dialogs.error(self, "Could not read the profile", str(exc))
            return
        if not Dialogs.confirm_typed(
            self,
            f"Delete {chosen.name}?",
            f"This deletes “{chosen.name}” and everything kept for them: {sessions_text(count)} "
            "with their ratings and notes, their breathing patterns and their preferences. It "
            "cannot be undone. To keep the history but hide the profile, use Archive instead.",
            chosen.name,
            "Delete for good",
        ):
            return
        if self._apply(lambda: self._store.profiles.delete(chosen.id)):
            self.reload()

    def _apply(self, change: Callable[[], object]) -> bool:
        """Run a change to the store; say what went wrong if it could not be made."""
        try:
            change()
        except SafeSignalError as exc:
            Dialogs.error(self, "Could not change the profile", f"{exc}\n\nNothing was changed.")
            return False
        self.changed.emit()
        return True
