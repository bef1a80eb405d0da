"""Settings as text under a key: this computer's (theme, reminders, the profile last used) and
each profile's preferences.

These are the raw tables. The typed, validated view is :class:`trainer.app.settings.AppSettings`
(and its profile part), which reads and writes through the ``get``/``set`` here.
"""

from __future__ import annotations

from trainer.store.database import PACER_WAIT_MS, Database


class AppSettingsTable:
    """The ``app_settings`` table, settings of this computer: ``store.app_settings.get(key,
    default)`` and ``.set(key, value)``."""

    def __init__(self, database: Database) -> None:
        self._database = database
        self._db = database.db

    def get(self, key: str, default: str) -> str:
        """A setting of this computer's (not of one profile), or ``default``."""
        with self._database.errors("read the settings"):
            row = self._db.execute("SELECT value FROM app_settings WHERE key = ?", [key]).fetchone()
        return default if row is None else str(row[0])

    def set(self, key: str, value: str) -> None:
        """Remember a setting of this computer's (see :meth:`PreferencesTable.set`)."""
        with (
            self._database.patience(PACER_WAIT_MS),
            self._database.transaction("save the settings"),
        ):
            self._db.execute(
                "INSERT INTO app_settings (key, value) VALUES (?, ?) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                [key, str(value)],
            )


class PreferencesTable:
    """The ``preferences`` table, every profile's: ``store.preferences.get(profile_id, key,
    default)``, ``.set(profile_id, key, value)``, and ``.for_profile(profile_id)`` for one."""

    def __init__(self, database: Database) -> None:
        self._database = database
        self._db = database.db

    def get(self, profile_id: int, key: str, default: str) -> str:
        """A profile's saved preference, or ``default`` when it has none."""
        with self._database.errors("read your preferences"):
            row = self._db.execute(
                "SELECT value FROM preferences WHERE profile_id = ? AND key = ?", [profile_id, key]
            ).fetchone()
        return default if row is None else str(row[0])

    def set(self, profile_id: int, key: str, value: str) -> None:
        """Remember a preference for this profile. It waits hardly at all for another
        program holding the database (a sound or the volume may change while a pacer runs):
        then it raises :class:`~trainer.errors.DatabaseBusyError`.

        SQLite's own upsert, not sqlite-utils': that one first tries a write of its own to
        learn whether SQLite has upserts, and when that write is refused (the lock held, a
        full disk) it falls back for good to a way that silently saves nothing new."""
        with (
            self._database.patience(PACER_WAIT_MS),
            self._database.transaction("save your preferences"),
        ):
            self._db.execute(
                "INSERT INTO preferences (profile_id, key, value) VALUES (?, ?, ?) "
                "ON CONFLICT (profile_id, key) DO UPDATE SET value = excluded.value",
                [profile_id, key, str(value)],
            )

    def for_profile(self, profile_id: int) -> ProfilePreferencesTable:
        """One profile's preferences as a small get/set object."""
        return ProfilePreferencesTable(self, profile_id)


class ProfilePreferencesTable:
    """One profile's rows of the ``preferences`` table: ``get(key, default)`` and
    ``set(key, value)``, as text."""

    def __init__(self, table: PreferencesTable, profile_id: int) -> None:
        self._table = table
        self._profile_id = profile_id

    def get(self, key: str, default: str) -> str:
        """The saved value, or ``default``."""
        return self._table.get(self._profile_id, key, default)

    def set(self, key: str, value: str) -> None:
        """Save a value."""
        self._table.set(self._profile_id, key, value)
