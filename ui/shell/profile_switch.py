"""Whose practice this is: the profile bar and the window title, switching profile, and the
profiles window (add, rename, archive, delete)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QWidget

from trainer.app.profile import Change, ProfileInUse
from trainer.errors import SafeSignalError
from ui.common.dialogs import Dialogs
from ui.shell.profiles import ProfileBar, ProfilesDialog


class ProfileSwitch:
    """Shows the profiles in the bar and switches the profile in use when that is allowed."""

    def __init__(
        self,
        window: QWidget,
        profile: ProfileInUse,
        bar: ProfileBar,
        *,
        allowed: Callable[[], bool],
    ) -> None:
        self._window = window
        self._profile = profile
        self._bar = bar
        self._allowed = allowed
        self.dialog: ProfilesDialog | None = None
        self.demonstrating = False  # no one's name is shown (the screen may be shown to others)
        bar.switch_requested.connect(self.switch)
        bar.manage_requested.connect(self.manage)
        profile.changed.add(self._on_profile_changed)

    def refresh(self) -> None:
        """Show the profiles in the bar, and whose practice this is in the window title."""
        try:
            profiles, name = self._profile.store.profiles.all(), self._profile.name()
        except SafeSignalError as exc:
            Dialogs.problem(self._window, "Could not read the profiles", exc)
            return
        self._bar.show_profiles(profiles, self._profile.profile_id)
        shown = "Demonstration" if self.demonstrating else name
        self._window.setWindowTitle(f"Safe Signal · {shown}")

    def set_demonstrating(self, on: bool) -> None:
        """In a demonstration the bar and the window title say "Demonstration" instead of the
        profile's name; after it, whose practice this is again."""
        self.demonstrating = on
        self._bar.set_demonstrating(on)
        self.refresh()

    def switch(self, profile_id: int) -> None:
        """Make ``profile_id`` the profile in use (refused while something is under way)."""
        if not self._allowed():
            return
        try:
            self._profile.switch_to(profile_id)
        except SafeSignalError as exc:
            Dialogs.problem(self._window, "Could not switch profile", exc)
            self.refresh()

    def _on_profile_changed(self, change: Change) -> None:
        if change is Change.PROFILE:
            self.refresh()
            if self.dialog is not None:
                self.dialog.set_active(self._profile.profile_id)

    def manage(self) -> None:
        """Open the profiles window."""
        if self.dialog is None:
            dialog = ProfilesDialog(self._profile.store, self._profile.profile_id, self._window)
            dialog.switch_requested.connect(self.switch)
            dialog.changed.connect(self._on_profiles_changed)
            self.dialog = dialog
        self.dialog.reload()
        self.dialog.open()

    def _on_profiles_changed(self) -> None:
        """A profile was renamed, archived or deleted: if it was the one in use and it is no
        longer in use, carry on with the first profile that is."""
        store = self._profile.store
        try:
            current = {p.id: p for p in store.profiles.all()}.get(self._profile.profile_id)
            if current is None or current.archived:
                self.switch(store.profiles.default_id())
                return
        except SafeSignalError as exc:
            Dialogs.problem(self._window, "Could not read the profiles", exc)
            return
        self.refresh()
