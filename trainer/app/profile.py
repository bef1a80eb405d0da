"""The profile in use: its settings, own patterns and sessions, and what changed about them.

Screens take a :class:`ProfileInUse` in ``__init__`` instead of the store and a profile id. They
read and save through it, and subscribe to :attr:`ProfileInUse.changed`, which says what changed
(another profile is in use, its settings, its sessions, its patterns), rather than being told by
the window. Only this module and the practice flow (and ``ui/shell``) call the store.
"""

from __future__ import annotations

import contextlib
import enum
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from trainer.app.settings import (
    ACTIVE_PROFILE,
    Lengths,
    MemoryPreferences,
    Preferences,
    ProfileSettings,
    load_profile_settings,
    write_setting,
)
from trainer.errors import SafeSignalError
from trainer.listeners import Listeners
from trainer.store.patterns import StoredPattern
from trainer.store.profiles import Profile
from trainer.store.sessions import AddedSessions, DeletedSession, NewSession, StoredSession
from trainer.store.store import Store

if TYPE_CHECKING:
    from trainer.analysis.history import RegionMarks, SessionTable
    from trainer.content.breathing import BreathingPattern
    from trainer.session.resonance import ResonanceRun

# The records a screen shows, for screens that must not import the store themselves.
__all__ = [
    "Attempt",
    "Change",
    "DeletedSession",
    "NewSession",
    "Problem",
    "Profile",
    "ProfileInUse",
    "StoredPattern",
    "StoredSession",
    "screen_preferences",
]


class Change(enum.Enum):
    """What changed about the profile in use (the value its listeners are called with)."""

    PROFILE = "profile"  # another profile is in use: everything shown of the last one goes
    SETTINGS = "settings"
    SESSIONS = "sessions"
    PATTERNS = "patterns"


@dataclass(frozen=True)
class Problem:
    """Something the disk or the data refused: what was being done (``title``), why
    (``error``), and what it means for the person (``after``, may be empty)."""

    title: str
    error: SafeSignalError
    after: str = ""


class Attempt:
    """What came of one :meth:`ProfileInUse.trying` block: whether it was refused."""

    def __init__(self) -> None:
        self.problem: SafeSignalError | None = None

    @property
    def failed(self) -> bool:
        """Whether the disk or the data refused (the problem has been announced)."""
        return self.problem is not None


class ProfileInUse:
    """Whose practice this is: one profile's settings, patterns and sessions, read and saved.

    Every method that reads or saves may raise :class:`trainer.errors.SafeSignalError` (the
    disk is full, the database is locked); the caller shows it.
    """

    def __init__(self, store: Store, profile_id: int, lengths: Lengths) -> None:
        self._store = store
        self._profile_id = profile_id
        self._lengths = lengths
        self._preferences = store.preferences.for_profile(profile_id)
        self.changed: Listeners[Change] = Listeners()
        self.problems: Listeners[Problem] = Listeners()  # the shell shows them, one way

    @contextlib.contextmanager
    def trying(self, title: str, after: str = "") -> Iterator[Attempt]:
        """Run the block; if the disk or the data refuses (:class:`SafeSignalError`), stop it
        there and announce a :class:`Problem` to :attr:`problems` instead of raising. Screens
        use this rather than catching and showing errors themselves::

            with profile.trying("Could not save the note", "The note was not changed.") as done:
                profile.set_notes(session_id, text)
            if done.failed:
                return
        """
        attempt = Attempt()
        try:
            yield attempt
        except SafeSignalError as exc:
            attempt.problem = exc
            self.problems.notify(Problem(title, exc, after))

    # -- who ------------------------------------------------------------------------------------

    @property
    def store(self) -> Store:
        """The store (for the application layer and the shell only, never for a screen)."""
        return self._store

    @property
    def profile_id(self) -> int:
        """The profile in use: every screen shows and saves only this profile's data."""
        return self._profile_id

    def profile(self) -> Profile:
        """The profile in use as stored (its name, whether archived)."""
        return self._store.profiles.get(self._profile_id)

    def name(self) -> str:
        """The name of the profile in use."""
        return self.profile().name

    def switch_to(self, profile_id: int) -> None:
        """Use ``profile_id`` from now on (remembered for the next start when the disk allows)
        and announce :attr:`Change.PROFILE`. Raises, changing nothing, if it cannot be read."""
        self._store.profiles.get(profile_id)
        self._profile_id = profile_id
        self._preferences = self._store.preferences.for_profile(profile_id)
        # If this cannot be saved the switch still works; the next start opens the last one.
        write_setting(self._store.app_settings, ACTIVE_PROFILE, profile_id)
        self.changed.notify(Change.PROFILE)

    # -- settings -------------------------------------------------------------------------------

    @property
    def preferences(self) -> Preferences:
        """Where this profile's settings are kept (read them through trainer.app.settings)."""
        return self._preferences

    @property
    def app_preferences(self) -> Preferences:
        """Where this computer's settings are kept, whoever is using it."""
        return self._store.app_settings

    @property
    def lengths(self) -> Lengths:
        """The session lengths offered."""
        return self._lengths

    def settings(self) -> ProfileSettings:
        """The profile's settings (a value that cannot be read has its default)."""
        return load_profile_settings(self._preferences, self._lengths)

    def settings_changed(self) -> None:
        """The profile's settings were saved: announce :attr:`Change.SETTINGS`."""
        self.changed.notify(Change.SETTINGS)

    # -- own patterns ---------------------------------------------------------------------------

    def patterns(self, *, unreadable: list[str] | None = None) -> list[StoredPattern]:
        """The profile's own breathing patterns (damaged ones named in ``unreadable``)."""
        return self._store.patterns.of_profile(self._profile_id, unreadable=unreadable)

    def save_pattern(
        self, name: str, pattern: BreathingPattern, pattern_id: int | None = None
    ) -> int:
        """Save a new pattern, or change ``pattern_id``; returns its id."""
        saved = self._store.patterns.save(self._profile_id, name, pattern, pattern_id)
        self.changed.notify(Change.PATTERNS)
        return saved

    def delete_pattern(self, pattern_id: int) -> None:
        """Delete one of the profile's own patterns."""
        self._store.patterns.delete(self._profile_id, pattern_id)
        self.changed.notify(Change.PATTERNS)

    def save_resonance_run(self, run: ResonanceRun) -> int:
        """Keep a run of the pace finder."""
        return self._store.resonance.save_run(self._profile_id, run)

    # -- sessions -------------------------------------------------------------------------------

    def sessions(self, *, limit: int | None = None) -> list[StoredSession]:
        """The profile's sessions, newest first."""
        return self._store.sessions.of_profile(self._profile_id, limit=limit)

    def session(self, session_id: int) -> StoredSession:
        """One session as stored."""
        return self._store.sessions.get(session_id)

    def session_table(self) -> SessionTable:
        """The profile's sessions as the history's table."""
        return self._store.sessions.table(self._profile_id)

    def pain_marks(self) -> RegionMarks:
        """Where it hurt, session by session."""
        return self._store.regions.pain_marks(self._profile_id)

    def set_notes(self, session_id: int, notes: str) -> None:
        """Keep the notes written about a session."""
        self._store.sessions.set_notes(session_id, notes)
        self.changed.notify(Change.SESSIONS)

    def delete_session(self, session_id: int) -> DeletedSession:
        """Delete a session; what it returns puts it back (:meth:`restore_session`)."""
        deleted = self._store.sessions.delete(session_id)
        self.changed.notify(Change.SESSIONS)
        return deleted

    def restore_session(self, deleted: DeletedSession) -> None:
        """Put a deleted session back."""
        self._store.sessions.restore(deleted)
        self.changed.notify(Change.SESSIONS)

    def add_sessions(self, sessions: Iterable[NewSession]) -> AddedSessions:
        """Add imported sessions, none twice; how many were added, already there, and kept
        their after-ratings given here."""
        added = self._store.sessions.add_counted(self._profile_id, sessions)
        self.changed.notify(Change.SESSIONS)
        return added

    def sessions_changed(self) -> None:
        """Sessions were saved, recovered or imported: announce :attr:`Change.SESSIONS`."""
        self.changed.notify(Change.SESSIONS)


def screen_preferences(
    profile: ProfileInUse | None,
    preferences: Preferences | None,
    on_change: Callable[[Change], None],
) -> Preferences:
    """The settings a screen reads and writes: the profile's when there is one (and then
    ``on_change`` hears its news), else ``preferences``, else settings kept in memory."""
    if profile is not None:
        profile.changed.add(on_change)
        return profile.preferences
    return preferences if preferences is not None else MemoryPreferences()
