"""A person's own breathing patterns, saved by name for one profile."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from trainer.content.breathing import BreathingPattern
from trainer.errors import SafeSignalError, StoreError
from trainer.session.clock import iso_utc, parse_iso_utc
from trainer.store.database import Database

_log = logging.getLogger(__name__)


@dataclass(frozen=True)
class StoredPattern:
    """A person's own breathing pattern as saved."""

    id: int
    profile_id: int
    name: str
    pattern: BreathingPattern
    created_at: datetime
    updated_at: datetime

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> StoredPattern:
        """Build from a row as sqlite-utils returns it."""
        return cls(
            id=row["id"],
            profile_id=row["profile_id"],
            name=row["name"],
            pattern=BreathingPattern.from_dict(json.loads(row["pattern_json"])),
            created_at=parse_iso_utc(row["created_at"]),
            updated_at=parse_iso_utc(row["updated_at"]),
        )


class PatternsTable:
    """The ``custom_patterns`` table: ``store.patterns.of_profile(id)``, ``.save(...)``,
    ``.delete(...)``."""

    def __init__(self, database: Database) -> None:
        self._database = database
        self._db = database.db

    def of_profile(
        self, profile_id: int, *, unreadable: list[str] | None = None
    ) -> list[StoredPattern]:
        """A profile's own breathing patterns, by name.

        A pattern whose stored timing cannot be read (a damaged row) is left out and left as it
        is on disk; its name is added to ``unreadable`` when a list is given.
        """
        with self._database.errors("read your breathing patterns"):
            rows = list(
                self._db["custom_patterns"].rows_where(
                    "profile_id = ?", [profile_id], order_by="name COLLATE NOCASE, id"
                )
            )
        patterns = []
        for row in rows:
            try:
                patterns.append(StoredPattern.from_row(row))
            except (ValueError, TypeError, KeyError, SafeSignalError):
                _log.warning("breathing pattern %r could not be read", row.get("name"))
                if unreadable is not None:
                    unreadable.append(str(row.get("name")))
        return patterns

    def save(
        self,
        profile_id: int,
        name: str,
        pattern: BreathingPattern,
        pattern_id: int | None = None,
    ) -> int:
        """Add a pattern (``pattern_id`` None) or replace one; return its id.

        A name already used by another of this profile's patterns (ignoring case) is refused.
        """
        name = name.strip()
        if not name:
            raise StoreError("A breathing pattern needs a name.")
        now = iso_utc(self._database.now())
        data = json.dumps(pattern.to_dict(), sort_keys=True)
        with self._database.transaction("save the breathing pattern"):
            clash = self._db.execute(
                "SELECT id FROM custom_patterns WHERE profile_id = ? AND name = ? COLLATE NOCASE "
                "AND id IS NOT ?",
                [profile_id, name, pattern_id],
            ).fetchone()
            if clash is not None:
                raise StoreError(
                    f"You already have a pattern called “{name}”; choose another name."
                )
            if pattern_id is None:
                cursor = self._db.execute(
                    "INSERT INTO custom_patterns (profile_id, name, pattern_json, created_at, "
                    "updated_at) VALUES (?, ?, ?, ?, ?)",
                    [profile_id, name, data, now, now],
                )
                new_id = cursor.lastrowid
                assert new_id is not None
                return new_id
            cursor = self._db.execute(
                "UPDATE custom_patterns SET name = ?, pattern_json = ?, updated_at = ? "
                "WHERE id = ? AND profile_id = ?",
                [name, data, now, pattern_id, profile_id],
            )
            if cursor.rowcount != 1:
                raise StoreError("That breathing pattern no longer exists; nothing was saved.")
            return pattern_id

    def delete(self, profile_id: int, pattern_id: int) -> None:
        """Delete one of this profile's patterns (sessions that used it keep their copy)."""
        with self._database.transaction("delete the breathing pattern"):
            self._db.table("custom_patterns").delete_where(
                "id = ? AND profile_id = ?", [pattern_id, profile_id]
            )
