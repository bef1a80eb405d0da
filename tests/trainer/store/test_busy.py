"""Tests for trainer/store/database.py's busy and full errors (issue 17): a write refused because
another program holds the lock, and one refused for want of room, are told apart by type and
words, and :meth:`Database.patience` bounds the wait for the lock."""

from __future__ import annotations

import time
from datetime import UTC, datetime

import pytest

from tests.trainer.other_program import OtherProgram
from trainer.errors import DatabaseBusyError, DiskFullError, StoreError
from trainer.store.store import Store


def busy_timeout_ms(store: Store) -> int:
    return int(store.db.execute("PRAGMA busy_timeout").fetchone()[0])


def test_a_locked_write_is_a_busy_error_naming_another_program_not_the_disk(store, db_path):
    with OtherProgram(db_path), pytest.raises(DatabaseBusyError) as refused:
        store.app_settings.set("theme", "dark")
    assert isinstance(refused.value, StoreError)  # callers that only know StoreError still work
    message = str(refused.value)
    assert message.startswith("Could not save the settings: another program is using")
    assert str(db_path) in message
    assert "full" not in message
    assert "room" not in message
    store.app_settings.set("theme", "dark")  # let go: it works, and a new key is kept
    assert store.app_settings.get("theme", "") == "dark"


def test_a_preference_refused_while_locked_is_kept_when_written_again(store, db_path):
    profile_id = store.profiles.default_id()
    with OtherProgram(db_path):
        started = time.monotonic()
        with pytest.raises(DatabaseBusyError, match="save your preferences: another program"):
            store.preferences.set(profile_id, "sound_volume", "40")
        assert time.monotonic() - started < 1.0
    store.preferences.set(profile_id, "sound_volume", "40")
    store.preferences.set(profile_id, "pacer_visual", "wave")
    assert store.preferences.get(profile_id, "sound_volume", "") == "40"
    assert store.preferences.get(profile_id, "pacer_visual", "") == "wave"


def test_patience_bounds_the_wait_for_the_lock_and_puts_the_old_wait_back(store, db_path):
    before = busy_timeout_ms(store)
    with OtherProgram(db_path):
        started = time.monotonic()
        with store.patience(100):
            assert busy_timeout_ms(store) == 100
            with pytest.raises(DatabaseBusyError):
                store.sessions.checkpoint_session(
                    1, practised_s=1.0, at=datetime(2024, 5, 1, tzinfo=UTC)
                )
        waited_s = time.monotonic() - started
    assert 0.05 <= waited_s < 1.0  # it did wait a little (SQLite retries), never 5 s
    assert busy_timeout_ms(store) == before


def test_a_full_disk_is_a_disk_full_error_that_says_so(store):
    pages = int(store.db.execute("PRAGMA page_count").fetchone()[0])
    store.db.execute(f"PRAGMA max_page_count = {pages}")  # SQLite's own "database or disk is full"
    with pytest.raises(DiskFullError) as refused:
        store.app_settings.set("big", "x" * 200_000)
    assert "The disk is full; free some space and try again." in str(refused.value)
    assert not isinstance(refused.value, DatabaseBusyError)
