"""Profiles: the people (or demos) whose sessions are kept apart, by name, archived or in use."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Final

from trainer.errors import StoreError
from trainer.session.clock import iso_utc, parse_iso_utc
from trainer.store.database import Database
from trainer.store.migrations import DEFAULT_PROFILE_NAME
from trainer.store.sessions import NewSession, SessionsTable

__all__ = [
    "DEFAULT_PROFILE_NAME",
    "DEMO_PREFERENCE",
    "MAX_PROFILE_NAME_CHARS",
    "Profile",
    "ProfilesTable",
]

MAX_PROFILE_NAME_CHARS: Final = 60
# A profile made up for showing the app (``safesignal demo``) carries this preference, set to
# "on"; only such a profile may be deleted from the command line.
DEMO_PREFERENCE: Final = "demo_profile"


@dataclass(frozen=True)
class Profile:
    """A person (or a demo) whose sessions are kept apart from everyone else's."""

    id: int
    name: str
    created_at: datetime
    demo: bool
    archived: bool = False


class ProfilesTable:
    """The ``profiles`` table: ``store.profiles.all()``, ``.get(id)``, ``.create(name)``..."""

    def __init__(self, database: Database, sessions: SessionsTable) -> None:
        self._database = database
        self._db = database.db
        self._path = database.path
        self._sessions = sessions  # a profile can be created with its sessions

    def default_id(self) -> int:
        """The profile to open with: the oldest one still in use (or, when every profile is
        archived, the oldest of all)."""
        row = self._db.execute(
            "SELECT id FROM profiles ORDER BY archived_at IS NOT NULL, id LIMIT 1"
        ).fetchone()
        if row is None:
            raise StoreError(f"{self._path} has no profile; it may be damaged.")
        return int(row[0])

    def all(self) -> list[Profile]:
        """Every profile, oldest first (the default one first), archived ones included."""
        with self._database.errors("read the profiles"):
            rows = self._db.execute(
                "SELECT p.id, p.name, p.created_at, "
                "EXISTS (SELECT 1 FROM preferences f WHERE f.profile_id = p.id "
                "AND f.key = ? AND f.value = 'on'), p.archived_at IS NOT NULL "
                "FROM profiles p ORDER BY p.id",
                [DEMO_PREFERENCE],
            ).fetchall()
        return [
            Profile(int(pid), str(name), parse_iso_utc(created), bool(demo), bool(archived))
            for pid, name, created, demo, archived in rows
        ]

    def get(self, profile_id: int) -> Profile:
        """One profile by id."""
        for found in self.all():
            if found.id == profile_id:
                return found
        raise StoreError(f"There is no profile {profile_id} in {self._path}.")

    def by_name(self, name: str) -> Profile | None:
        """The profile called exactly ``name``, if there is one."""
        for found in self.all():
            if found.name == name:
                return found
        return None

    def _checked_name(self, name: str, *, other_than: int | None = None) -> str:
        """``name`` trimmed, or a :class:`StoreError` saying why it cannot be a profile's name
        (empty, too long, control characters, or another profile's name in any letter case)."""
        name = " ".join(name.split())
        if not name:
            raise StoreError("A profile needs a name.")
        if len(name) > MAX_PROFILE_NAME_CHARS:
            raise StoreError(f"A profile's name can be up to {MAX_PROFILE_NAME_CHARS} characters.")
        if any(not ch.isprintable() for ch in name):
            raise StoreError("A profile's name cannot hold control characters.")
        for found in self.all():
            if found.id != other_than and found.name.casefold() == name.casefold():
                raise StoreError(f"There is already a profile called “{found.name}”.")
        return name

    def create(self, name: str, *, demo: bool = False, sessions: Iterable[NewSession] = ()) -> int:
        """Add a profile (a made-up one for showing the app with ``demo``), with ``sessions``
        if given, all in one transaction; return its id."""
        name = self._checked_name(name)
        with self._database.transaction("create the profile"):
            cursor = self._db.execute(
                "INSERT INTO profiles (name, created_at) VALUES (?, ?)",
                [name, iso_utc(self._database.now())],
            )
            profile_id = cursor.lastrowid
            assert profile_id is not None
            if demo:
                self._db.execute(
                    "INSERT INTO preferences (profile_id, key, value) VALUES (?, ?, 'on')",
                    [profile_id, DEMO_PREFERENCE],
                )
            self._sessions.add(profile_id, sessions)
        return profile_id

    def rename(self, profile_id: int, name: str) -> str:
        """Give a profile a new name; return the name as stored (trimmed)."""
        self.get(profile_id)  # says so if there is no such profile
        name = self._checked_name(name, other_than=profile_id)
        with self._database.transaction("rename the profile"):
            self._db.execute("UPDATE profiles SET name = ? WHERE id = ?", [name, profile_id])
        return name

    def set_archived(self, profile_id: int, archived: bool) -> None:
        """Archive a profile (kept whole, but out of the switcher) or bring it back. The last
        profile in use cannot be archived: someone has to be practising."""
        self.get(profile_id)
        if archived and [p.id for p in self.all() if not p.archived] == [profile_id]:
            raise StoreError(
                "This is the only profile in use, so it cannot be archived. Create another first."
            )
        with self._database.transaction("archive the profile"):
            self._db.execute(
                "UPDATE profiles SET archived_at = ? WHERE id = ?",
                [iso_utc(self._database.now()) if archived else None, profile_id],
            )

    def delete(self, profile_id: int) -> int:
        """Delete a profile and everything of it (sessions, areas, patterns, pace-finder runs,
        preferences) in one transaction; return how many sessions went. The only profile cannot
        be deleted."""
        self.get(profile_id)
        if [p.id for p in self.all()] == [profile_id]:
            raise StoreError(
                "This is the only profile, so it cannot be deleted. Create another first."
            )
        with self._database.transaction("delete the profile"):
            cursor = self._db.execute("DELETE FROM sessions WHERE profile_id = ?", [profile_id])
            removed = max(0, cursor.rowcount)
            # Preferences, patterns and pace-finder runs follow by ON DELETE CASCADE.
            self._db.execute("DELETE FROM profiles WHERE id = ?", [profile_id])
        return removed

    def delete_demo(self, profile_id: int) -> int:
        """Delete a demo profile with all its sessions, areas and settings, in one step; return
        how many sessions went. A profile that is not a demo is refused and left as it is."""
        found = self.get(profile_id)
        if not found.demo:
            raise StoreError(
                f"“{found.name}” is not a demo profile, so it is not deleted: it may hold "
                "someone's real practice."
            )
        return self.delete(profile_id)
