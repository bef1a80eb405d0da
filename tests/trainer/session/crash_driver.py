"""Runs sessions against a database until it is killed: the subject of test_crash.py.

Usage: ``python crash_driver.py DB SEED``. Qt-free: the real store and session machine, with a
fake monotonic clock advanced in a loop so that many short sessions (with random pauses) run in
well under a second. It prints, flushed, one line per fact the test may rely on, each only after
the store call it reports has returned (so after its commit):

    ready
    started ID TENSION PAIN
    completed ID TENSION PAIN TENSION_AFTER PAIN_AFTER PRACTISED_S

with ``-`` for a skipped rating.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

from trainer.content.breathing import BreathingPattern, Phase, PhaseKind
from trainer.session.clock import FakeClock, utc_now
from trainer.session.machine import Session, SessionPlan, SessionState
from trainer.store.store import Store

PATTERN = BreathingPattern([Phase(PhaseKind.INHALE, 4), Phase(PhaseKind.EXHALE, 6)])


def _rating(rng: random.Random) -> int | None:
    return None if rng.random() < 0.2 else rng.randint(0, 10)


def _text(value: int | None) -> str:
    return "-" if value is None else str(value)


def main(db: Path, seed: int) -> None:
    """Start, run and finish sessions, forever."""
    rng = random.Random(seed)
    store = Store(db)
    profile = store.profiles.default_id()
    clock = FakeClock()
    print("ready", flush=True)
    while True:
        plan = SessionPlan("coherent-4-6", "Coherent breathing", PATTERN, rng.randint(1, 4))
        session = Session(
            plan, clock=clock, utc_now=utc_now, recorder=store.sessions, profile_id=profile
        )
        tension, pain = _rating(rng), _rating(rng)
        session.confirm_before(tension, pain)
        print(f"started {session.session_id} {_text(tension)} {_text(pain)}", flush=True)
        while session.state is SessionState.RUNNING:
            clock.advance(rng.uniform(0.05, 1.0))
            if rng.random() < 0.03:
                session.pause()
                clock.advance(rng.uniform(1.0, 100.0))
                session.resume()
            session.update()
        after = _rating(rng), _rating(rng)
        session.confirm_after(*after)
        print(
            f"completed {session.session_id} {_text(tension)} {_text(pain)} "
            f"{_text(after[0])} {_text(after[1])} {session.practised_s!r}",
            flush=True,
        )


if __name__ == "__main__":
    main(Path(sys.argv[1]), int(sys.argv[2]))
