"""Kills during restore: a restore over a damaged database killed (SIGKILL) at random moments.

Builds a data folder of about ``--sessions`` made-up sessions with a daily backup of them, then
zeroes the database's header (damaged, as a failing drive might leave it). Each round copies
that folder, starts a restore of the backup in a process of its own (as the damaged-database
dialog's Restore does), kills it at a random moment of the restore, and then starts as the app
would (the restore cut short is finished, then the store opens). It counts how each round ended
and checks that every start held all the backup's sessions and kept the damaged file, byte for
byte, and that none started with an empty history.

    python benchmarks/restore_kills.py [--sessions 20000] [--rounds 30] [--seed 1]

POSIX only (it sends SIGKILL).
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CHILD = """
import sys
from pathlib import Path
from trainer.safety.backup import restore_backup
print("ready", flush=True)
sys.stdin.readline()
restore_backup(Path(sys.argv[1]), Path(sys.argv[2]), current_damaged=True)
"""


def build(folder: Path, wanted: int) -> tuple[Path, int]:
    """A data folder with a daily backup of about ``wanted`` sessions and a damaged database;
    returns the backup and its number of sessions."""
    from trainer.app.demo import demo_history
    from trainer.content.catalog import load_catalog
    from trainer.content.scripts import load_scripts
    from trainer.safety.backup import make_daily_backup, verify_backup
    from trainer.safety.paths import DB_FILENAME
    from trainer.store.store import Store

    store = Store.open_in(folder)
    try:
        catalog, scripts = load_catalog(), load_scripts()
        end = datetime(2026, 1, 1, tzinfo=UTC)
        sample = demo_history(catalog, scripts, end=end, days=100)
        days = int(1.1 * wanted / (len(sample) / 100)) + 1
        sessions = demo_history(catalog, scripts, end=end, days=days)[:wanted]
        store.sessions.add(store.profiles.default_id(), sessions)
        made = make_daily_backup(store.db.conn, folder)
    finally:
        store.close()
    assert made is not None
    db = folder / DB_FILENAME
    content = bytearray(db.read_bytes())
    content[:100] = bytes(100)
    db.write_bytes(bytes(content))
    return made, verify_backup(made)


def restore_in_child(data: Path, backup: Path, kill_after_s: float | None) -> tuple[str, float]:
    """Run the restore in a child process; kill it ``kill_after_s`` after it starts (``None``:
    let it finish). Returns "killed" or "completed", and the seconds it ran."""
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(data), str(backup)],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert child.stdin is not None
    assert child.stdout is not None
    assert child.stdout.readline().strip() == "ready"  # imports done
    child.stdin.write("go\n")
    child.stdin.flush()
    started = time.perf_counter()
    if kill_after_s is not None:
        time.sleep(kill_after_s)  # a benchmark, not a test: a real moment of a real restore
        if child.poll() is None:
            os.kill(child.pid, signal.SIGKILL)
    code = child.wait()
    return ("killed" if code == -signal.SIGKILL else "completed"), time.perf_counter() - started


def next_start(data: Path, damaged: bytes) -> tuple[str, int, bool]:
    """Start as the app does: finish a restore cut short, open the store. Returns how the
    restore ended, the sessions the store holds, and whether the damaged file is kept whole."""
    from trainer.errors import CorruptDatabaseError
    from trainer.safety.backup import finish_restore
    from trainer.store.store import Store

    finished = finish_restore(data)
    ended = "none" if finished is None else ("finished" if finished.restored else "undone")
    kept = any(p.read_bytes() == damaged for p in data.glob("safesignal.db.damaged-*"))
    try:
        store = Store.open_in(data)
    except CorruptDatabaseError:  # undone: the damaged file is back, and the app asks again
        return ended, -1, kept or (data / "safesignal.db").read_bytes() == damaged
    try:
        count = int(store.db.execute("SELECT count(*) FROM sessions").fetchone()[0])
    finally:
        store.close()
    return ended, count, kept


def main() -> None:
    """Time one whole restore, then kill ``--rounds`` restores at random moments."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=20_000)
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    chance = random.Random(args.seed)
    with tempfile.TemporaryDirectory() as temp:
        template = Path(temp) / "template"
        backup, sessions = build(template, args.sessions)
        damaged = (template / "safesignal.db").read_bytes()
        whole = Path(temp) / "whole"
        shutil.copytree(template, whole)
        _, restore_s = restore_in_child(whole, whole / "backups" / backup.name, None)
        print(f"{sessions} sessions; one whole restore takes {restore_s:.2f} s")
        outcomes: Counter[str] = Counter()
        empty = lost = not_kept = 0
        for round_ in range(args.rounds):
            data = Path(temp) / f"round-{round_}"
            shutil.copytree(template, data)
            how, _ = restore_in_child(
                data, data / "backups" / backup.name, chance.uniform(0, 1.2 * restore_s)
            )
            ended, count, kept = next_start(data, damaged)
            outcomes[f"{how}, then {ended}"] += 1
            empty += count == 0
            lost += 0 <= count < sessions
            not_kept += not kept
            shutil.rmtree(data)
    print(f"{args.rounds} rounds killed at random moments of the restore:")
    for outcome, times in sorted(outcomes.items()):
        print(f"  {outcome:34} {times:4}")
    print(f"started empty: {empty}; sessions lost: {lost}; damaged file not kept: {not_kept}")


if __name__ == "__main__":
    main()
