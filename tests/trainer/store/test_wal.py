"""Tests for the write-ahead log: the database file alone (copied without its -wal and -shm)
holds every saved session after a checkpoint, at start (once the file is checked), after a
save and on a clean close; an unchecked file is never checkpointed."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
import textwrap
from contextlib import closing
from datetime import UTC, datetime, timedelta
from pathlib import Path

from trainer.content.breathing import BreathingPattern, Phase, PhaseKind
from trainer.safety.paths import DB_FILENAME
from trainer.session.machine import Ratings, SessionPlan, SessionStatus
from trainer.store.store import Store

T0 = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)
PLAN = SessionPlan(
    "coherent-5-5",
    "Coherent breathing",
    BreathingPattern([Phase(PhaseKind.INHALE, 5), Phase(PhaseKind.EXHALE, 5)]),
    30,
)


def save_sessions(store: Store, count: int) -> list[int]:
    """``count`` finished sessions of the default profile, as the practice flow saves them."""
    profile = store.profiles.default_id()
    ids = []
    for n in range(count):
        started = T0 + timedelta(hours=n)
        session_id = store.sessions.start_session(PLAN, profile, started, Ratings(5, 6))
        store.sessions.finish_session(
            session_id,
            ended_at=started + timedelta(minutes=5),
            practised_s=300.0,
            status=SessionStatus.COMPLETED,
            after=Ratings(3, 4),
        )
        ids.append(session_id)
    return ids


def sessions_in_file_alone(folder: Path, tmp_path: Path) -> int:
    """The sessions a copy of the database file alone holds (no -wal or -shm beside it), as a
    person copying ``safesignal.db`` would find them."""
    copy = tmp_path / "copied"
    copy.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(folder / DB_FILENAME, copy / DB_FILENAME)
    with closing(sqlite3.connect(copy / DB_FILENAME)) as conn:
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
        if "sessions" not in tables:
            return 0
        return int(conn.execute("SELECT count(*) FROM sessions").fetchone()[0])


def wal_size(folder: Path) -> int:
    wal = folder / f"{DB_FILENAME}-wal"
    return wal.stat().st_size if wal.exists() else 0


def test_after_saved_sessions_and_a_checkpoint_the_file_alone_holds_them_all(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "data"
    store = Store.open_in(folder, now=lambda: T0)
    try:
        save_sessions(store, 12)
        assert wal_size(folder) > 0  # the sessions went to the -wal first
        assert store.checkpoint()
        # The app is still open (it could be killed now): the file alone holds every session.
        assert sessions_in_file_alone(folder, tmp_path) == 12
        save_sessions(store, 3)
        assert store.checkpoint()  # again and again: nothing waits for the -wal to fill
        assert sessions_in_file_alone(folder, tmp_path) == 15
    finally:
        store.close()


KILLED_RUN = """
import os, sys
from datetime import UTC, datetime, timedelta
sys.path.insert(0, {root!r})
from tests.trainer.store.test_wal import save_sessions
from trainer.store.store import Store

store = Store.open_in(__import__("pathlib").Path({folder!r}))
save_sessions(store, {count})
sys.stdout.flush()
os._exit(0)  # as a kill leaves it: the database never closed, the sessions in the -wal
"""


def killed_with_sessions(folder: Path, count: int) -> None:
    root = str(Path(__file__).resolve().parents[3])
    script = textwrap.dedent(KILLED_RUN).format(root=root, folder=str(folder), count=count)
    subprocess.run([sys.executable, "-c", script], check=True, timeout=60)


def test_a_start_after_a_kill_puts_what_the_wal_holds_into_the_file(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    killed_with_sessions(folder, 7)
    assert wal_size(folder) > 0
    assert sessions_in_file_alone(folder, tmp_path) < 7  # the kill left them in the -wal
    store = Store.open_in(folder)  # as the commands open it: checked on opening
    try:
        assert sessions_in_file_alone(folder, tmp_path) == 7
        assert wal_size(folder) == 0  # and the -wal is emptied
    finally:
        store.close()


def test_the_app_start_checkpoints_only_once_the_check_has_passed(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    Store.open_in(folder).close()
    killed_with_sessions(folder, 4)
    before = (folder / DB_FILENAME).read_bytes()
    store = Store.open_in(folder, check_later=True)  # as the app opens it: read-only, unchecked
    try:
        assert not store.checkpoint(truncate=True)  # never before the check
        assert (folder / DB_FILENAME).read_bytes() == before
        assert store.sessions.count(store.profiles.default_id()) == 4  # read from the -wal
        store.finish_check()
        assert sessions_in_file_alone(folder, tmp_path) == 4
    finally:
        store.close()


def test_a_clean_close_leaves_the_file_alone_holding_everything_even_with_a_reader_open(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "data"
    Store.open_in(folder).close()
    # Another reader (safesignal export while the app is open) keeps SQLite from tidying the
    # -wal up by itself when the app's connection closes.
    with closing(sqlite3.connect(folder / DB_FILENAME)) as reader:
        reader.execute("SELECT count(*) FROM sqlite_master").fetchone()
        store = Store.open_in(folder)
        save_sessions(store, 5)
        store.close()
        assert sessions_in_file_alone(folder, tmp_path) == 5
        assert int(reader.execute("SELECT count(*) FROM sessions").fetchone()[0]) == 5


def test_closing_twice_or_a_checkpoint_after_closing_is_harmless(tmp_path: Path) -> None:
    store = Store.open_in(tmp_path / "data")
    store.close()  # as before a restore from the menu; the app's quitting closes it again
    assert not store.checkpoint(truncate=True)
    store.close()
