"""Tests for the store's integrity check put off until the window shows (``check_later``): until
``finish_check`` passes, SQLite refuses every write; a damaged file is still found."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlite_utils

from trainer.errors import CorruptDatabaseError, StoreError
from trainer.safety.paths import DB_FILENAME
from trainer.store.lazy import LazyDatabase
from trainer.store.migrations import MIGRATIONS, SCHEMA_VERSION
from trainer.store.store import Store

T0 = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)
PAGE = 4096


def damage_inside(folder: Path) -> bytes:
    """A database that opens and reads its settings, with one damaged page deep inside (as a
    failing drive leaves it): only SQLite's integrity check finds it. Returns its bytes."""
    store = Store.open_in(folder, now=lambda: T0)
    for n in range(300):  # enough rows for pages the start-up never reads
        store.app_settings.set(f"filler-{n:03d}", "x" * 400)
    store.close()
    path = folder / DB_FILENAME
    content = bytearray(path.read_bytes())
    pages = len(content) // PAGE
    assert pages > 20
    content[(pages - 2) * PAGE + 8 : (pages - 1) * PAGE] = b"\xff" * (PAGE - 8)
    path.write_bytes(bytes(content))
    return bytes(content)


def setting_in_file(folder: Path, key: str) -> list[str]:
    with closing(sqlite3.connect(folder / DB_FILENAME)) as conn:
        rows = conn.execute("SELECT value FROM app_settings WHERE key = ?", [key]).fetchall()
    return [str(row[0]) for row in rows]


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A data folder with a healthy database of the current version."""
    Store.open_in(tmp_path / "data", now=lambda: T0).close()
    return tmp_path / "data"


def test_a_write_before_the_check_is_refused_and_reaches_nothing(folder: Path) -> None:
    store = Store.open_in(folder, check_later=True)
    try:
        assert not store.checked
        assert store.app_settings.get("theme", "system") == "system"  # reads work
        with pytest.raises(StoreError, match="still checking your data"):
            store.app_settings.set("theme", "dark")
        with pytest.raises(StoreError):
            store.profiles.create("Sam")
        assert setting_in_file(folder, "theme") == []
        store.finish_check()
        assert store.checked
        store.app_settings.set("theme", "dark")
        assert setting_in_file(folder, "theme") == ["dark"]
    finally:
        store.close()


def test_without_check_later_the_check_runs_at_once(folder: Path) -> None:
    store = Store.open_in(folder)
    try:
        assert store.checked
        store.app_settings.set("theme", "dark")
        store.finish_check()  # nothing left to do
    finally:
        store.close()
    assert setting_in_file(folder, "theme") == ["dark"]


def test_a_new_or_older_database_is_checked_before_it_is_written(tmp_path: Path) -> None:
    """Creating or updating the file writes to it, so it cannot wait for the window."""
    fresh = Store.open_in(tmp_path / "new", check_later=True)
    try:
        assert fresh.checked
        assert fresh.schema_version == SCHEMA_VERSION
    finally:
        fresh.close()
    older = tmp_path / "older"
    older.mkdir()
    with closing(sqlite3.connect(older / DB_FILENAME)) as conn:
        db = sqlite_utils.Database(conn)
        for version, migrate in enumerate(MIGRATIONS[:-1], start=1):
            migrate(db, "2026-01-01T00:00:00Z")
            conn.execute(f"PRAGMA user_version = {version}")
        conn.commit()
    store = Store.open_in(older, check_later=True)
    try:
        assert store.checked
        assert store.schema_version == SCHEMA_VERSION
    finally:
        store.close()


def test_damage_inside_the_file_is_found_by_the_later_check(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    damaged = damage_inside(folder)
    store = Store.open_in(folder, check_later=True)  # opens: the damage is deeper
    try:
        with pytest.raises(CorruptDatabaseError, match="damaged"):
            store.finish_check()
        assert not store.checked
        with pytest.raises(StoreError):  # still refused
            store.app_settings.set("theme", "dark")
    finally:
        store.close()
    assert (folder / DB_FILENAME).read_bytes() == damaged
    with pytest.raises(CorruptDatabaseError):
        Store.open_in(folder)  # and opening it as before finds it at once


def test_what_the_first_screen_reads_needs_no_sqlite_utils(folder: Path) -> None:
    """sqlite-utils (and numpy, which it imports) would delay the window: the reads of the first
    screen go to the connection, and the real sqlite-utils database is made at the first write."""
    store = Store.open_in(folder, check_later=True)
    try:
        lazy = store.db
        assert isinstance(lazy, LazyDatabase)
        me = store.profiles.default_id()
        assert [p.name for p in store.profiles.all()] == ["Me"]
        assert store.patterns.of_profile(me) == []
        assert store.app_settings.get("theme", "system") == "system"
        assert store.preferences.for_profile(me).get("default_minutes", "10") == "10"
        assert store.sessions.of_profile(me, limit=1) == []  # the tray's "start the last exercise"
        assert store.sessions.unfinished_sessions() == []  # closed just after the paint
        assert not lazy.made
        store.finish_check()
        store.profiles.create("Sam")
        assert lazy.made
        assert [p.name for p in store.profiles.all()] == ["Me", "Sam"]
    finally:
        store.close()
    eager = Store.open_in(folder)  # the commands and tools: made at once, as before
    try:
        assert isinstance(eager.db, LazyDatabase)
        assert eager.db.made
    finally:
        eager.close()


@pytest.mark.parametrize(
    ("where", "args", "options"),
    [
        (None, None, {}),
        ("name != ?", ["Me"], {"order_by": "name COLLATE NOCASE, id"}),
        ("archived_at IS ?", [None], {"order_by": "id DESC", "limit": 2}),
        (None, None, {"order_by": "id", "limit": 2, "offset": 1}),
        (None, None, {"order_by": "id", "offset": 2}),
        ("id > :low", {"low": 1}, {"select": "id, name"}),
    ],
)
def test_rows_read_before_sqlite_utils_are_the_rows_it_reads(
    folder: Path, where: str | None, args: object, options: dict[str, object]
) -> None:
    store = Store.open_in(folder)
    for name in ("Sam", "alex", "Bo", "Zoe"):
        store.profiles.create(name)
    store.close()
    with closing(sqlite3.connect(folder / DB_FILENAME)) as conn:
        expected = list(sqlite_utils.Database(conn)["profiles"].rows_where(where, args, **options))
    with closing(sqlite3.connect(folder / DB_FILENAME)) as conn:
        lazy = LazyDatabase(conn)
        got = list(lazy["profiles"].rows_where(where, args, **options))
        assert not lazy.made
    assert got == expected
    assert len(expected) >= 2


def test_a_write_past_the_store_is_refused_by_sqlite_and_leaves_no_trace(folder: Path) -> None:
    """Below the store, SQLite itself refuses (query_only); what sqlite-utils learned from that
    refusal (it tries an upsert on a scratch table to see whether upserts work) is forgotten
    once the check passes, so later upserts are whole."""
    store = Store.open_in(folder, check_later=True)
    try:
        with pytest.raises(sqlite3.OperationalError, match="readonly"):
            store.db["app_settings"].upsert({"key": "theme", "value": "dark"}, pk="key")
        assert setting_in_file(folder, "theme") == []
        store.finish_check()
        store.app_settings.set("theme", "dark")
        store.app_settings.set("theme", "light")
    finally:
        store.close()
    assert setting_in_file(folder, "theme") == ["light"]
