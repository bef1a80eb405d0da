"""Where it hurts: the body-map areas (pain, and a comfortable one) marked for each session."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Final

from trainer.errors import StoreError
from trainer.store.database import Database, collector_paused

if TYPE_CHECKING:  # numpy and sqlite-utils: when first needed, not at the app's start
    import sqlite_utils

    from trainer.analysis.history import RegionMarks

_REGION_RE: Final = re.compile(r"^[a-z][a-z_]{0,39}$")


def check_regions(regions: Iterable[object]) -> None:
    """A :class:`StoreError` unless every region is a name like ``left_knee``."""
    for region in regions:
        if not isinstance(region, str) or not _REGION_RE.match(region):
            raise StoreError(f"A body region is a name like 'left_knee'; got {region!r}.")


def insert_regions(
    db: sqlite_utils.Database, session_id: int, pain: Sequence[str], comfort: Sequence[str]
) -> None:
    """Add a session's marked areas (each once), inside the caller's transaction. Plain SQL,
    not sqlite-utils' ``insert_all``: an import calls this once per session, and sqlite-utils
    reads the table's shape on every call (twice the time of an import of 20,000 sessions)."""
    if not pain and not comfort:
        return
    db.conn.executemany(
        "INSERT INTO session_regions (session_id, role, region) VALUES (?, ?, ?)",
        [
            (session_id, role, region)
            for role, regions in (("pain", pain), ("comfort", comfort))
            for region in dict.fromkeys(regions)
        ],
    )


class RegionsTable:
    """The ``session_regions`` table: ``store.regions.save(session_id, pain, comfort)``,
    ``.of_session(id)``, ``.pain_marks(profile_id)``..."""

    def __init__(self, database: Database) -> None:
        self._database = database
        self._db = database.db

    def save(self, session_id: int, pain: Sequence[str], comfort: Sequence[str] = ()) -> None:
        """Keep the body-map areas marked for a session (replacing any saved before)."""
        check_regions((*pain, *comfort))
        with self._database.transaction("save where it hurts"):
            self._db.table("session_regions").delete_where("session_id = ?", [session_id])
            insert_regions(self._db, session_id, pain, comfort)

    def pain_marks(self, profile_id: int) -> RegionMarks:
        """Where it hurt in each of a profile's sessions that has areas marked."""
        with self._database.errors("read where it hurts"), collector_paused():
            rows = self._db.execute(
                "SELECT session_id, region FROM session_regions WHERE role = 'pain' AND "
                "session_id IN (SELECT id FROM sessions WHERE profile_id = ?) "
                "ORDER BY session_id, region",
                [profile_id],
            ).fetchall()
            from trainer.analysis.history import RegionMarks

            return RegionMarks.from_pairs(rows)

    def pain_by_session(self, profile_id: int) -> dict[int, tuple[str, ...]]:
        """Where it hurt, for each of a profile's sessions that has areas marked."""
        return self.pain_marks(profile_id).by_session()

    def by_session(self, profile_id: int) -> dict[int, tuple[tuple[str, ...], tuple[str, ...]]]:
        """For each of a profile's sessions with areas marked: (where it hurt, comfortable)."""
        with self._database.errors("read where it hurts"):
            rows = self._db.execute(
                "SELECT r.session_id, r.role, r.region FROM session_regions r "
                "JOIN sessions s ON s.id = r.session_id "
                "WHERE s.profile_id = ? ORDER BY r.session_id, r.region",
                [profile_id],
            ).fetchall()
        found: dict[int, tuple[list[str], list[str]]] = {}
        for session_id, role, region in rows:
            pain, comfort = found.setdefault(int(session_id), ([], []))
            (pain if role == "pain" else comfort).append(str(region))
        return {k: (tuple(p), tuple(c)) for k, (p, c) in found.items()}

    def of_session(self, session_id: int) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """The areas marked for a session: (where it hurts, the comfortable area), by name."""
        with self._database.errors("read where it hurts"):
            rows = self._db.execute(
                "SELECT role, region FROM session_regions WHERE session_id = ? ORDER BY region",
                [session_id],
            ).fetchall()
        pain = tuple(region for role, region in rows if role == "pain")
        comfort = tuple(region for role, region in rows if role == "comfort")
        return pain, comfort
