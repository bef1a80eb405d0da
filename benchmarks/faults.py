"""Fault injection: real sessions of the real app, stopped in the ways computers stop.

Six scenarios, each on a data folder of its own that lives through all its rounds (as a
person's does), each given rounds until its share of ``--budget-s`` is spent (always one):

- ``kill``: kill -9 at a random moment of a session (before, during or after its saves);
- ``sigterm``: SIGTERM during the practice (as a shutdown sends): kept as interrupted, and the
  database file alone holds it as the app ends;
- ``xserver``: the X server (an Xvfb of the round's own) killed during the practice;
- ``restore``: restores of a backup over a damaged database, killed at random moments (the
  functions of ``benchmarks/restore_kills.py``, on a smaller database);
- ``lock``: another process holds the database's write lock (``BEGIN IMMEDIATE``) for
  ``LOCK_HELD_S`` during the practice: the longest gap between two pacer frames, and the
  session saved in the end;
- ``disk``: a small tmpfs is the data folder and is filled during the practice: the session is
  kept (saved, or refused with the ratings on screen and saved once there is room).

The sessions are run by ``benchmarks/fault_driver.py``: the app started through its own entry,
driven with key events as a person would (sessions of ``--breaths`` breaths of 10 s). After every
round the next start of the app (or its clean close) is checked: ``PRAGMA integrity_check`` on a
copy of the database with its write-ahead log; every session the driver saw stored is there,
once, a finished one with its after-ratings, an interrupted one with its time practised (at most
a few seconds short); and "main file alone": a copy of ``safesignal.db`` without ``-wal`` and
``-shm`` holds every one of them too.

    python benchmarks/faults.py [--budget-s 300] [--seed 1] [--only kill lock ...]

POSIX only (signals). ``xserver`` needs Xvfb and ``disk`` needs root and ``mount``; without them
they are skipped with a line saying why. Exit status 1 if anything was lost or corrupt.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import queue
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Final

ROOT: Final = Path(__file__).resolve().parent.parent
DRIVER: Final = Path(__file__).resolve().parent / "fault_driver.py"
DB: Final = "safesignal.db"
SCENARIOS: Final = ("kill", "sigterm", "xserver", "restore", "lock", "disk")
SHARES: Final = {  # of the budget; the kill rounds are the shortest and matter most
    "kill": 0.45,
    "sigterm": 0.11,
    "xserver": 0.11,
    "restore": 0.09,
    "lock": 0.12,
    "disk": 0.12,
}
LEAD_IN_S: Final = 3.0  # the 3-2-1 before the practice
BREATH_S: Final = 10.0  # the driver's exercise: coherent breathing, 5 in and 5 out
LOCK_HELD_S: Final = 8.0
RESTORE_SESSIONS: Final = 2_000
CHECKPOINT_SLACK_S: Final = 5.5  # progress is saved every 5 s; the driver reports every 0.25 s
START_TIMEOUT_S: Final = 60.0


@dataclass
class Tally:
    """What one scenario found over its rounds."""

    name: str
    rounds: int = 0
    checks: int = 0
    intact: int = 0
    expected: int = 0
    kept: int = 0
    lost: int = 0
    duplicates: int = 0
    practice_lost_s: float = 0.0
    alone_checks: int = 0
    alone_ok: int = 0
    unrecovered: int = 0  # sessions still "in_progress" after a start or a close
    skipped: str | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def bad(self) -> bool:
        """Anything lost, doubled or corrupt."""
        return (
            self.lost > 0
            or self.unrecovered > 0
            or self.duplicates > 0
            or self.intact < self.checks
            or self.alone_ok < self.alone_checks
        )


@dataclass
class Book:
    """What the driver said was stored in one data folder: what every later start must hold."""

    folder: Path
    saved: set[int] = field(default_factory=set)  # finished, with after-ratings
    started: dict[int, float] = field(default_factory=dict)  # id: seconds practised last said
    interrupted: set[int] = field(default_factory=set)  # ended by a signal: kept as interrupted


class Child:
    """The driver in a process of its own, its lines read as they come."""

    def __init__(
        self,
        book: Book,
        *,
        sessions: int,
        breaths: int,
        wait_after: bool = False,
        env: dict[str, str] | None = None,
    ) -> None:
        command = [
            sys.executable,
            str(DRIVER),
            "--data-dir",
            str(book.folder),
            "--sessions",
            str(sessions),
            "--breaths",
            str(breaths),
        ]
        if wait_after:
            command.append("--wait-after")
        environment = {**os.environ, "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen"}
        environment.update(env or {})
        self.book = book
        self.process = subprocess.Popen(
            command,
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=environment,
        )
        self.lines: queue.Queue[str] = queue.Queue()
        self.said: list[str] = []
        self.errors: list[str] = []
        self.frame_gap_ms = 0.0
        self.session: int | None = None
        self.practised_s = 0.0
        threading.Thread(target=self._read, daemon=True).start()
        threading.Thread(target=self._read_errors, daemon=True).start()
        LIVE.append(self)

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.put(line.strip())
        self.lines.put("eof")

    def _read_errors(self) -> None:
        assert self.process.stderr is not None
        for line in self.process.stderr:
            if "propagateSizeHints" not in line:
                self.errors.append(line.rstrip())

    def _note(self, line: str) -> None:
        """Keep the book: what is in the store by the driver's word."""
        self.said.append(line)
        word, _, rest = line.partition(" ")
        if word == "started":
            self.session = int(rest)
            self.practised_s = 0.0
            self.book.started[self.session] = 0.0
        elif word == "practised":
            number, seconds = rest.split()
            self.practised_s = float(seconds)
            self.book.started[int(number)] = self.practised_s
        elif word == "saved":
            self.book.saved.add(int(rest))
        elif word == "frame-gap-max":
            self.frame_gap_ms = max(self.frame_gap_ms, float(rest))

    def pump(self, timeout_s: float = 0.0) -> str | None:
        """Read one line (waiting at most ``timeout_s``); ``None`` when none came."""
        try:
            line = self.lines.get(timeout=timeout_s) if timeout_s > 0 else self.lines.get_nowait()
        except queue.Empty:
            return None
        self._note(line)
        return line

    def wait_for(self, word: str, timeout_s: float = START_TIMEOUT_S) -> str:
        """Read lines until one starts with ``word``; fails on a timeout or the end."""
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            line = self.pump(0.05)
            if line is None:
                continue
            if line.startswith(word):
                return line
            if line == "eof" or line.startswith("driver-error"):
                break
        raise RuntimeError(
            f"the driver never said {word!r}; it said {self.said[-5:]} and wrote {self.errors[-5:]}"
        )

    def run_until(self, done: Callable[[], bool], timeout_s: float) -> bool:
        """Read lines until ``done()``, the end of the driver, or ``timeout_s``."""
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if done():
                return True
            line = self.pump(0.02)
            if line == "eof":
                return done()
        return done()

    def send(self, line: str) -> None:
        """A line to the driver."""
        assert self.process.stdin is not None
        self.process.stdin.write(line + "\n")
        self.process.stdin.flush()

    def finish(self, timeout_s: float = 30.0) -> int:
        """Wait for the end (killing it after ``timeout_s``), reading every line; the exit code."""
        try:
            code = self.process.wait(timeout=timeout_s)
        except subprocess.TimeoutExpired:
            self.process.kill()
            code = self.process.wait()
        while self.pump(0.2) not in (None, "eof"):
            pass
        return code


LIVE: Final[list[Child]] = []  # every driver started: none may outlive its scenario


def stop_children() -> None:
    """Kill (by its own process) every driver still running: a round that failed midway."""
    for child in LIVE:
        if child.process.poll() is None:
            child.process.kill()
            child.process.wait()
    LIVE.clear()


# -- checks --------------------------------------------------------------------------------------


def _rows(path: Path) -> tuple[bool, dict[int, tuple[str, float, str, int | None]]]:
    """Integrity and the sessions (status, practised, start, after-tension) of a database."""
    conn = sqlite3.connect(f"file:{path}?mode=rw", uri=True)
    try:
        intact = conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        rows = conn.execute(
            "SELECT id, status, practised_s, started_at, post_tension FROM sessions"
        ).fetchall()
    finally:
        conn.close()
    return intact, {int(r[0]): (str(r[1]), float(r[2]), str(r[3]), r[4]) for r in rows}


def check(book: Book, tally: Tally, *, alone: bool = True) -> None:
    """Look at the folder as it is now (quiet: after a start, or closed): see the module."""
    with tempfile.TemporaryDirectory() as scratch:
        whole = Path(scratch) / "whole"
        whole.mkdir()
        for suffix in ("-wal", ""):  # a copy: opening the folder's own file would change it
            source = book.folder / f"{DB}{suffix}"
            if source.exists():
                shutil.copy2(source, whole / source.name)
        tally.checks += 1
        try:
            intact, rows = _rows(whole / DB)
        except sqlite3.DatabaseError as exc:
            tally.notes.append(f"unreadable: {exc}")
            intact, rows = False, {}
        tally.intact += intact
        starts = [row[2] for row in rows.values()]
        tally.duplicates = max(tally.duplicates, len(starts) - len(set(starts)))
        tally.expected = len(book.saved | set(book.started))
        kept = 0
        for number in book.saved | set(book.started):
            row = rows.get(number)
            if row is None:
                tally.notes.append(f"session {number} missing")
                continue
            status, practised_s, _start, after_tension = row
            if number in book.saved and (status != "completed" or after_tension is None):
                tally.notes.append(f"session {number} saved but {status}")
                continue
            if number in book.interrupted and status != "interrupted":
                tally.notes.append(f"session {number} ended by a signal but {status}")
            if status == "in_progress":  # every check follows a start or a close
                tally.unrecovered += 1
                tally.notes.append(f"session {number} still in progress")
            if number not in book.saved:
                short = book.started[number] - practised_s
                tally.practice_lost_s = max(tally.practice_lost_s, short)
                if short > CHECKPOINT_SLACK_S:
                    tally.notes.append(f"session {number}: {short:.1f} s of practice lost")
                    continue
            kept += 1
        tally.kept = kept
        tally.lost = tally.expected - kept
        if not alone:
            return
        only = Path(scratch) / "alone"
        only.mkdir()
        shutil.copy2(book.folder / DB, only / DB)
        tally.alone_checks += 1
        try:
            alone_intact, alone_rows = _rows(only / DB)
        except sqlite3.DatabaseError:
            alone_intact, alone_rows = False, {}
        held = all(
            number in alone_rows
            and alone_rows[number][0] == rows[number][0]
            and alone_rows[number][3] == rows[number][3]
            for number in book.saved | set(book.started)
            if number in rows
        )
        tally.alone_ok += alone_intact and held
        if not held:
            tally.notes.append(f"main file alone held {len(alone_rows)} of {len(rows)}")


def progress(tally: Tally, what: str) -> None:
    """A line on stderr as each round ends, so a long run shows it is moving."""
    print(
        f"  {time.strftime('%H:%M:%S')} {tally.name} round {tally.rounds}: {what}",
        file=sys.stderr,
        flush=True,
    )


# -- the scenarios -------------------------------------------------------------------------------


def reached_time(moment: float) -> bool:
    """Whether the monotonic clock has reached ``moment``."""
    return time.monotonic() >= moment


def practised(child: Child, seconds: float) -> bool:
    """Whether the driver's session has been practised ``seconds``."""
    return child.session is not None and child.practised_s >= seconds


def is_saved(book: Book, session: int | None) -> bool:
    """Whether the driver said ``session`` was saved."""
    return session in book.saved


def more_rounds(tally: Tally, ends: float, args: Args) -> bool:
    """Whether the scenario gets another round: always a first, then while its share of the
    budget lasts (and ``--rounds`` allows)."""
    return tally.rounds == 0 or (time.monotonic() < ends and tally.rounds < args.rounds)


def session_life_s(breaths: int) -> float:
    """Seconds from "go" to the summary of one session, about."""
    return 1.0 + LEAD_IN_S + breaths * BREATH_S + 2.5


def new_folder(parent: Path, name: str) -> Book:
    """A data folder that has seen its first start (the welcome answered)."""
    book = Book(parent / name)
    book.folder.mkdir(mode=0o700)
    first = Child(book, sessions=0, breaths=1)
    first.wait_for("ready")
    first.finish()
    return book


def next_start(
    book: Book,
    tally: Tally,
    *,
    sessions: int,
    breaths: int,
    wait_after: bool = False,
    env: dict[str, str] | None = None,
) -> Child:
    """Start the app on the folder; check the folder once the start is done (recovery and all)."""
    child = Child(book, sessions=sessions, breaths=breaths, wait_after=wait_after, env=env)
    child.wait_for("ready")
    check(book, tally)
    return child


def last_start(book: Book, tally: Tally) -> None:
    """A last start after the rounds (recovering what the last one left) and a clean close,
    checked after each."""
    child = next_start(book, tally, sessions=0, breaths=1)
    code = child.finish()
    if code != 0:
        tally.notes.append(f"the last start ended with {code}")
    check(book, tally)


def kill_rounds(book: Book, tally: Tally, ends: float, chance: random.Random, args: Args) -> None:
    """kill -9 at a random moment of the sessions that follow the start."""
    window_s = args.kill_within_s or 1.1 * session_life_s(args.breaths)
    moments: dict[str, int] = {}
    while more_rounds(tally, ends, args):
        child = next_start(book, tally, sessions=100, breaths=args.breaths)
        child.send("go")
        moment = time.monotonic() + chance.uniform(0, window_s)
        child.run_until(partial(reached_time, moment), window_s + 5)
        when = moment_of(child, args.breaths * BREATH_S)
        child.process.send_signal(signal.SIGKILL)
        child.finish()
        moments[when] = moments.get(when, 0) + 1
        tally.rounds += 1
        progress(tally, f"killed {when}")
    last_start(book, tally)
    tally.notes.append("killed " + ", ".join(f"{what}: {n}" for what, n in sorted(moments.items())))


def moment_of(child: Child, practice_s: float) -> str:
    """When in its session the driver is, by what it has said."""
    if child.session is None:
        return "before the first session was stored"
    if child.session in child.book.saved:
        return "after a save"
    if child.practised_s >= practice_s - 0.01:
        return "between the practice's end and its save"
    return "during practice"


def practice_signal(
    book: Book,
    tally: Tally,
    ends: float,
    chance: random.Random,
    args: Args,
    stop: Callable[[Child], None],
    env: Callable[[], tuple[dict[str, str], Callable[[], None]]] | None = None,
) -> None:
    """Rounds that ``stop`` the app at a random moment of the practice."""
    practice_s = args.breaths * BREATH_S
    while more_rounds(tally, ends, args):
        extra, cleanup = env() if env is not None else ({}, lambda: None)
        try:
            child = next_start(book, tally, sessions=1, breaths=args.breaths, env=extra)
            child.send("go")
            moment_s = chance.uniform(0.5, practice_s - 0.5)
            reached = child.run_until(partial(practised, child, moment_s), practice_s + 20)
            if not reached:
                tally.notes.append(f"the practice never reached {moment_s:.1f} s")
            stop(child)
            child.finish(timeout_s=20)
        finally:
            cleanup()
        tally.rounds += 1
    last_start(book, tally)


def sigterm_rounds(
    book: Book, tally: Tally, ends: float, chance: random.Random, args: Args
) -> None:
    """SIGTERM during the practice; the file alone must hold the session as interrupted at once."""

    codes: list[int] = []
    kept = emptied = 0

    def stop(child: Child) -> None:
        nonlocal kept, emptied
        child.process.send_signal(signal.SIGTERM)
        codes.append(child.finish(timeout_s=20))
        if child.session is not None:
            book.interrupted.add(child.session)
        kept += status_now(book, child.session, alone=True) == "interrupted"
        log = book.folder / f"{DB}-wal"
        emptied += not log.exists() or log.stat().st_size == 0
        check(book, tally)  # after the app's own close on the signal, before any next start

    practice_signal(book, tally, ends, chance, args, stop)
    tally.notes.append(
        f"the app ended with exit code {'/'.join(map(str, sorted(set(codes))))}; the main file "
        f"alone held {kept} of {len(codes)} sessions as interrupted at once; the -wal was "
        f"empty or gone {emptied} of {len(codes)} times"
    )


@contextlib.contextmanager
def x_server() -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """A fresh Xvfb display of its own."""
    number = 90
    while Path(f"/tmp/.X{number}-lock").exists() or Path(f"/tmp/.X11-unix/X{number}").exists():
        number += 1
    server = subprocess.Popen(
        ["Xvfb", f":{number}", "-screen", "0", "1024x768x24", "-nolisten", "tcp"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 10
        while not Path(f"/tmp/.X11-unix/X{number}").exists():
            if time.monotonic() > deadline or server.poll() is not None:
                raise RuntimeError("Xvfb did not start")
            time.sleep(0.05)
        yield f":{number}", server
    finally:
        if server.poll() is None:
            server.kill()
        server.wait()


def xserver_rounds(
    book: Book, tally: Tally, ends: float, chance: random.Random, args: Args
) -> None:
    """The X server killed during the practice; the next start recovers the session."""
    servers: list[subprocess.Popen[bytes]] = []
    codes: list[int] = []

    def env() -> tuple[dict[str, str], Callable[[], None]]:
        stack = contextlib.ExitStack()
        display, server = stack.enter_context(x_server())
        servers.append(server)
        return {"DISPLAY": display, "QT_QPA_PLATFORM": "xcb"}, stack.close

    kept_by_app = 0

    def stop(child: Child) -> None:
        nonlocal kept_by_app
        servers[-1].kill()
        codes.append(child.finish(timeout_s=20))
        kept_by_app += status_now(book, child.session) == "interrupted"

    practice_signal(book, tally, ends, chance, args, stop, env)
    tally.notes.append(
        f"the app ended with exit code {'/'.join(map(str, sorted(set(codes))))} and had kept "
        f"{kept_by_app} of {len(codes)} sessions as interrupted itself"
    )


def status_now(book: Book, session: int | None, *, alone: bool = False) -> str | None:
    """The status of ``session`` in the folder now, read from a copy (of the main file alone,
    or with its log)."""
    if session is None:
        return None
    with tempfile.TemporaryDirectory() as scratch:
        for suffix in ("",) if alone else ("-wal", ""):
            source = book.folder / f"{DB}{suffix}"
            if source.exists():
                shutil.copy2(source, Path(scratch) / source.name)
        _, rows = _rows(Path(scratch) / DB)
    row = rows.get(session)
    return None if row is None else row[0]


def lock_rounds(book: Book, tally: Tally, ends: float, chance: random.Random, args: Args) -> None:
    """Another process holds the write lock during the practice; the session is saved after."""
    gaps: list[float] = []
    while more_rounds(tally, ends, args):
        child = next_start(book, tally, sessions=1, breaths=max(args.breaths, 2))
        child.send("go")
        child.run_until(partial(practised, child, 1.0), 30)
        other = sqlite3.connect(book.folder / DB, timeout=5, isolation_level=None)
        try:
            other.execute("BEGIN IMMEDIATE")
            child.run_until(lambda: False, LOCK_HELD_S)
            other.execute("ROLLBACK")
        finally:
            other.close()
        session = child.session
        saved = child.run_until(partial(is_saved, book, session), 60)
        if not saved:
            tally.notes.append(f"session {session} not saved after the lock")
        code = child.finish()
        if code != 0:
            tally.notes.append(f"exit code {code}")
        check(book, tally)  # after the clean close
        gaps.append(child.frame_gap_ms)
        tally.rounds += 1
    tally.notes.append(
        f"largest frame gap {max(gaps):.0f} ms (the pacer's longest pause; each round: "
        f"{', '.join(f'{gap:.0f}' for gap in gaps)} ms)"
    )


def disk_rounds(book: Book, tally: Tally, ends: float, chance: random.Random, args: Args) -> None:
    """The data folder's disk fills during the practice; the session is kept and, once there
    is room again, saved."""
    refused = 0
    while more_rounds(tally, ends, args):
        child = next_start(book, tally, sessions=1, breaths=max(args.breaths, 2), wait_after=True)
        child.send("go")
        child.run_until(partial(practised, child, 1.0), 30)
        filler = book.folder.parent / "filler"
        fill(filler)
        child.wait_for("rating", 60)
        session = child.session
        child.send("rate")
        outcome = child.wait_for("sav", 30)  # "saved" or "save-refused"
        filler.unlink()
        if outcome.startswith("save-refused"):
            refused += 1
            child.send("retry")
            child.run_until(partial(is_saved, book, session), 30)
        if session not in book.saved:
            tally.notes.append(f"session {session} not saved once there was room")
        code = child.finish()
        if code != 0:
            tally.notes.append(f"exit code {code}")
        check(book, tally)  # after the clean close, with room again
        tally.rounds += 1
    tally.notes.append(f"{refused} of {tally.rounds} saves refused on the full disk, then saved")


def fill(path: Path) -> None:
    """Write ``path`` until the disk takes no more."""
    with open(path, "wb", buffering=0) as out:
        for size in (1 << 20, 1 << 12, 1):
            block = bytes(size)
            with contextlib.suppress(OSError):
                while True:
                    out.write(block)


@contextlib.contextmanager
def small_disk(parent: Path, size_mb: int = 24) -> Iterator[Path]:
    """A tmpfs of ``size_mb`` mounted at a folder of ``parent``; unmounted on the way out."""
    point = parent / "disk"
    point.mkdir()
    subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size_mb}m,mode=0700", "tmpfs", str(point)],
        check=True,
        capture_output=True,
    )
    try:
        yield point
    finally:
        stop_children()  # nothing may keep a file open on it
        if subprocess.run(["umount", str(point)], check=False, capture_output=True).returncode:
            subprocess.run(["umount", "-l", str(point)], check=False, capture_output=True)


def restore_rounds(
    parent: Path, tally: Tally, ends: float, chance: random.Random, args: Args
) -> None:
    """Kills during restore (benchmarks/restore_kills.py), then a start and its checks."""
    from restore_kills import build, restore_in_child
    from restore_kills import next_start as start_after_restore

    template = parent / "template"
    backup, sessions = build(template, RESTORE_SESSIONS)
    damaged = (template / DB).read_bytes()
    whole = parent / "whole"
    shutil.copytree(template, whole)
    _, restore_s = restore_in_child(whole, whole / "backups" / backup.name, None)
    shutil.rmtree(whole)
    outcomes: dict[str, int] = {}
    while more_rounds(tally, ends, args):
        data = parent / f"round-{tally.rounds}"
        shutil.copytree(template, data)
        how, _ = restore_in_child(
            data, data / "backups" / backup.name, chance.uniform(0, 1.2 * restore_s)
        )
        ended, count, kept = start_after_restore(data, damaged)
        outcomes[f"{how}, then {ended}"] = outcomes.get(f"{how}, then {ended}", 0) + 1
        tally.expected += sessions
        tally.rounds += 1
        if count < 0:  # undone: the damaged file is back in place, and the app asks again
            tally.kept += sessions if kept else 0
            tally.lost += 0 if kept else sessions
            if not kept:
                tally.notes.append(f"round {tally.rounds}: the damaged file was not kept")
            shutil.rmtree(data)
            continue
        tally.checks += 1
        tally.alone_checks += 1
        intact, rows = _rows(data / DB)
        tally.intact += intact
        with tempfile.TemporaryDirectory() as scratch:  # closed cleanly by the start above
            shutil.copy2(data / DB, Path(scratch) / DB)
            _, alone = _rows(Path(scratch) / DB)
        tally.alone_ok += len(alone) == sessions
        tally.kept += min(count, len(rows))
        tally.lost += max(0, sessions - count)
        shutil.rmtree(data)
    tally.notes.append(
        f"{sessions} sessions, restore {restore_s:.2f} s; "
        + ", ".join(f"{what}: {n}" for what, n in sorted(outcomes.items()))
    )


# -- the run -------------------------------------------------------------------------------------


class Args(argparse.Namespace):
    """The options, typed."""

    budget_s: float
    seed: int
    only: list[str] | None
    breaths: int
    rounds: int
    kill_within_s: float | None


def run(name: str, parent: Path, ends: float, chance: random.Random, args: Args) -> Tally:
    """One scenario: its rounds, or a line saying why it was skipped."""
    tally = Tally(name)
    if name == "xserver" and shutil.which("Xvfb") is None:
        tally.skipped = "Xvfb is not installed (apt-get install xvfb)"
        return tally
    if name == "disk" and (os.geteuid() != 0 or shutil.which("mount") is None):
        tally.skipped = "needs root and mount for a small tmpfs"
        return tally
    if name == "restore":
        restore_rounds(parent, tally, ends, chance, args)
        return tally
    if name == "disk":
        try:
            with small_disk(parent) as disk:
                book = new_folder(disk, "data")
                disk_rounds(book, tally, ends, chance, args)
        except subprocess.CalledProcessError as exc:
            tally.skipped = f"could not mount a tmpfs: {exc.stderr.decode().strip()}"
        return tally
    book = new_folder(parent, "data")
    rounds = {
        "kill": kill_rounds,
        "sigterm": sigterm_rounds,
        "xserver": xserver_rounds,
        "lock": lock_rounds,
    }
    rounds[name](book, tally, ends, chance, args)
    return tally


def table(tallies: list[Tally]) -> str:
    """The figures, one row a scenario, and the verdict."""
    lines = [
        "| Scenario | Rounds | Integrity ok | Sessions expected / kept | Lost | Duplicates "
        "| Practice lost at most | Main file alone ok | Notes |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for t in tallies:
        if t.skipped is not None:
            lines.append(f"| {t.name} | skipped: {t.skipped} | | | | | | | |")
            continue
        lines.append(
            f"| {t.name} | {t.rounds} | {t.intact} / {t.checks} | {t.expected} / {t.kept} "
            f"| {t.lost} | {t.duplicates} | {t.practice_lost_s:.1f} s "
            f"| {t.alone_ok} / {t.alone_checks} | {'; '.join(t.notes)} |"
        )
    bad = [t.name for t in tallies if t.bad]
    ran = [t for t in tallies if t.skipped is None]
    lines.append("")
    lines.append(
        f"Verdict: {'LOST OR CORRUPT in ' + ', '.join(bad) if bad else 'nothing lost, nothing corrupt'}"
        f" ({sum(t.rounds for t in ran)} rounds, {sum(t.checks for t in ran)} integrity checks)"
    )
    return "\n".join(lines)


def main() -> int:
    """Run the scenarios within the budget and print the table; 1 if anything was lost."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--budget-s", type=float, default=300.0)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--only", nargs="+", choices=SCENARIOS)
    parser.add_argument("--breaths", type=int, default=1, help="breaths of 10 s a session")
    parser.add_argument("--rounds", type=int, default=1_000, help="at most, per scenario")
    parser.add_argument("--kill-within-s", type=float, help="kill at most this long after go")
    args = parser.parse_args(namespace=Args())
    chance = random.Random(args.seed)
    chosen = [name for name in SCENARIOS if args.only is None or name in args.only]
    total = sum(SHARES[name] for name in chosen)
    tallies: list[Tally] = []
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="safesignal-faults-") as temp:
        spent_share = 0.0
        for name in chosen:
            spent_share += SHARES[name] / total
            ends = started + spent_share * args.budget_s
            folder = Path(temp) / name
            folder.mkdir()
            print(f"{name}: until {ends - started:.0f} s", file=sys.stderr, flush=True)
            try:
                tallies.append(run(name, folder, ends, chance, args))
            finally:
                stop_children()
    print(
        f"Fault injection, budget {args.budget_s:.0f} s (took {time.monotonic() - started:.0f} s),"
        f" seed {args.seed}, sessions of {args.breaths} breath(s) of {BREATH_S:.0f} s"
    )
    print(table(tallies))
    return 1 if any(t.bad for t in tallies) else 0


if __name__ == "__main__":
    sys.exit(main())
