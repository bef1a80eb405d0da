"""The fault-injection run (benchmarks/faults.py) still runs, and its checks see what they must.

The run itself takes minutes; here it runs one kill round of a few seconds, so it cannot rot,
and its checker is shown a data folder with a session missing, one short of practice and one
held only in the write-ahead log, so a run that reports nothing lost means something.
"""

from __future__ import annotations

import importlib.util
import os
import sqlite3
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "benchmarks" / "faults.py"

# One round of the kill scenario, killed within 2 s of the driver being told to begin.
ONE_QUICK_KILL = ["--budget-s", "1", "--only", "kill", "--rounds", "1", "--kill-within-s", "2"]

posix_only = pytest.mark.skipif(
    sys.platform == "win32", reason="the run sends SIGKILL and SIGTERM: POSIX only"
)


def load_faults() -> ModuleType:
    spec = importlib.util.spec_from_file_location("faults_under_test", SCRIPT)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


@posix_only
def test_one_kill_round_runs_and_finds_nothing_lost(tmp_path):
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "TMPDIR": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, str(SCRIPT), *ONE_QUICK_KILL],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
        env=env,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    rows = [line for line in done.stdout.splitlines() if line.startswith("| kill |")]
    assert len(rows) == 1
    cells = [cell.strip() for cell in rows[0].strip("|").split("|")]
    rounds, integrity, _sessions, lost, duplicates, _short, alone = cells[1:8]
    assert rounds == "1"
    checked, of = integrity.split(" / ")
    assert checked == of
    assert int(of) >= 2  # after the next start and after the clean close
    assert (lost, duplicates) == ("0", "0")
    assert alone.split(" / ")[0] == alone.split(" / ")[1]
    assert "Verdict: nothing lost, nothing corrupt" in done.stdout
    assert list(tmp_path.iterdir()) == []  # its data folders are gone, no driver left behind


def make_folder(folder: Path) -> sqlite3.Connection:
    """A data folder whose database holds sessions 1 (completed, rated) and 3 (interrupted,
    4 s practised), and session 4 only in its write-ahead log; the connection holds it there."""
    folder.mkdir()
    conn = sqlite3.connect(folder / "safesignal.db", isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute(
        "CREATE TABLE sessions (id INTEGER PRIMARY KEY, status TEXT, practised_s REAL, "
        "started_at TEXT, post_tension INTEGER)"
    )
    conn.execute("INSERT INTO sessions VALUES (1, 'completed', 10, '2026-12-07T10:00:00Z', 3)")
    conn.execute("INSERT INTO sessions VALUES (3, 'interrupted', 4, '2026-12-07T11:00:00Z', NULL)")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.execute("PRAGMA wal_autocheckpoint=0")
    conn.execute("INSERT INTO sessions VALUES (4, 'completed', 10, '2026-12-07T12:00:00Z', 2)")
    return conn


def test_the_checks_see_a_lost_session_lost_practice_and_a_file_that_needs_its_log(tmp_path):
    faults = load_faults()
    folder = tmp_path / "data"
    conn = make_folder(folder)
    try:
        whole = faults.Book(folder, saved={1, 4}, started={1: 10.0, 4: 10.0})
        tally = faults.Tally("kill")
        faults.check(whole, tally)
        # All there with the log beside the file; the file alone lacks session 4.
        assert (tally.intact, tally.checks, tally.lost, tally.duplicates) == (1, 1, 0, 0)
        assert (tally.alone_ok, tally.alone_checks) == (0, 1)
        assert tally.bad

        book = faults.Book(folder, saved={1, 2}, started={1: 10.0, 2: 10.0, 3: 12.0})
        tally = faults.Tally("kill")
        faults.check(book, tally, alone=False)
        assert (tally.expected, tally.kept, tally.lost) == (3, 1, 2)
        assert tally.practice_lost_s == pytest.approx(8.0)
        assert "session 2 missing" in tally.notes
        assert "session 3: 8.0 s of practice lost" in tally.notes
        assert tally.bad

        short_by_little = faults.Book(folder, saved={1}, started={1: 10.0, 3: 8.0})
        tally = faults.Tally("kill")
        faults.check(short_by_little, tally, alone=False)
        assert (tally.lost, tally.practice_lost_s) == (0, pytest.approx(4.0))
        assert not tally.bad

        # A start that left a session in progress has not recovered it.
        conn.execute("UPDATE sessions SET status = 'in_progress' WHERE id = 3")
        tally = faults.Tally("kill")
        faults.check(short_by_little, tally, alone=False)
        assert (tally.lost, tally.unrecovered) == (0, 1)
        assert "session 3 still in progress" in tally.notes
        assert tally.bad
    finally:
        conn.close()
