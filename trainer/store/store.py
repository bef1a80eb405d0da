"""The store the app opens and closes: one Safe Signal file, with a table group per attribute.

``store.profiles``, ``store.sessions``, ``store.regions``, ``store.preferences``,
``store.app_settings``, ``store.patterns`` and ``store.resonance`` are implemented in their own
modules; :class:`Store` only opens the file (:mod:`trainer.store.database`), brings its schema up
to date (:mod:`trainer.store.migrations`) and hands every group the same connection.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from trainer.errors import StoreError
from trainer.safety.paths import DB_FILENAME
from trainer.session.clock import utc_now
from trainer.store import migrations
from trainer.store.database import Database
from trainer.store.migrations import BeforeMigration
from trainer.store.patterns import PatternsTable
from trainer.store.profiles import ProfilesTable
from trainer.store.regions import RegionsTable
from trainer.store.resonance import ResonanceTable
from trainer.store.sessions import SessionsTable
from trainer.store.settings import AppSettingsTable, PreferencesTable

if TYPE_CHECKING:
    import sqlite_utils


class Store:
    """Safe Signal's database of profiles and sessions, opened and brought up to date."""

    def __init__(
        self,
        path: Path,
        *,
        now: Callable[[], datetime] = utc_now,
        before_migration: BeforeMigration | None = None,
        check_later: bool = False,
        look_at_wal: bool = True,
    ) -> None:
        """Open ``path`` (see :class:`~trainer.store.database.Database` for the checks and
        ``check_later``) and run the migrations it has not had. ``before_migration`` is handed a
        file of an older schema before it is changed: the app passes
        :func:`trainer.safety.backup.back_up_before_migration`."""
        self._database = Database(
            path,
            newest_version=migrations.SCHEMA_VERSION,
            now=now,
            check_later=check_later,
            look_at_wal=look_at_wal,
        )
        try:
            migrations.migrate(self._database, before_migration)
        except BaseException:
            self._database.close()
            raise
        self.path = self._database.path
        # Saved changes a damaged -wal held that SQLite could not read, found on opening.
        self.lost_tail = self._database.lost_tail
        self.db: sqlite_utils.Database = self._database.db
        self.sessions = SessionsTable(self._database)
        self.profiles = ProfilesTable(self._database, self.sessions)
        self.regions = RegionsTable(self._database)
        self.preferences = PreferencesTable(self._database)
        self.app_settings = AppSettingsTable(self._database)
        self.patterns = PatternsTable(self._database)
        self.resonance = ResonanceTable(self._database)

    @classmethod
    def open_in(
        cls,
        data_dir: Path,
        *,
        now: Callable[[], datetime] = utc_now,
        before_migration: BeforeMigration | None = None,
        check_later: bool = False,
        look_at_wal: bool = True,
    ) -> Store:
        """Open (creating if needed) the database in ``data_dir``, made private to this user."""
        path = data_dir / DB_FILENAME
        try:
            data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
            if not path.exists():
                path.touch(mode=0o600)
        except (FileExistsError, NotADirectoryError) as exc:  # not "(File exists)"
            raise StoreError(
                f"Could not create the database in {data_dir}: a part of that path is a file, "
                "not a folder. Choose a folder with --data-dir."
            ) from exc
        except OSError as exc:
            raise StoreError(
                f"Could not create the database in {data_dir} ({exc.strerror}). "
                "Check that the folder can be written to, or choose another with --data-dir."
            ) from exc
        return cls(
            path,
            now=now,
            before_migration=before_migration,
            check_later=check_later,
            look_at_wal=look_at_wal,
        )

    @property
    def checked(self) -> bool:
        """Whether the file has had its integrity check (``False`` only between opening with
        ``check_later`` and :meth:`finish_check`; SQLite refuses every write meanwhile)."""
        return self._database.checked

    def finish_check(self) -> None:
        """The integrity check put off by ``check_later``; see :meth:`Database.finish_check`."""
        self._database.finish_check()

    @property
    def schema_version(self) -> int:
        """The ``user_version`` of the open file."""
        return self._database.user_version

    def patience(self, wait_ms: int) -> AbstractContextManager[None]:
        """Writes inside wait at most ``wait_ms`` for another program's lock, then raise
        :class:`~trainer.errors.DatabaseBusyError`; see :meth:`Database.patience`."""
        return self._database.patience(wait_ms)

    def checkpoint(self, *, truncate: bool = False) -> bool:
        """Copy the write-ahead log into the database file, so that the file alone holds every
        saved session; see :meth:`Database.checkpoint`. Quick, and never waits."""
        return self._database.checkpoint(truncate=truncate)

    def close(self) -> None:
        """Copy the write-ahead log into the file and close the connection (writes are already
        committed)."""
        self._database.close()
