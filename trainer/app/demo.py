"""A made-up, clearly labelled demo profile with a plausible 60-day history, so a clinician can
show the progress plots without real data; it is removed in one step."""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from datetime import date, datetime, time, timedelta, tzinfo
from typing import Final

from trainer.content.attention import attention_plan
from trainer.content.catalog import END_CUE_S, LEAD_IN_S, Catalog
from trainer.content.scripts import Script
from trainer.session.clock import utc_now
from trainer.session.machine import Ratings, SessionPlan, SessionStatus
from trainer.store.exchange import ExchangeError
from trainer.store.sessions import NewSession
from trainer.store.store import Store

DEMO_SUFFIX: Final = " (demo)"
DEMO_DAYS: Final = 60
DEMO_SEED: Final = 60

_DEMO_NOTES: Final = (
    "Slept badly; harder to settle today.",
    "The longer out-breath helped more than I expected.",
    "Busy day, but glad I made time for this.",
    "Back was stiff this morning.",
    "Easier to notice my shoulders dropping.",
    "Mind kept wandering, kept coming back.",
    "Felt calmer afterwards, pain about the same.",
    "Did this before bed.",
)


def demo_name(name: str) -> str:
    """The label a demo profile carries: ``Sam`` -> ``Sam (demo)``."""
    name = name.strip()
    return name if name.endswith(DEMO_SUFFIX) else name + DEMO_SUFFIX


def _local_moment(day: date, minutes: int, tz: tzinfo | None) -> datetime:
    naive = datetime.combine(day, time()) + timedelta(minutes=minutes)
    if tz is None:
        return naive.astimezone()  # a naive time is read as this machine's local time
    return naive.replace(tzinfo=tz)


def demo_history(
    catalog: Catalog,
    scripts: Sequence[Script],
    *,
    end: datetime,
    tz: tzinfo | None = None,
    days: int = DEMO_DAYS,
    seed: int = DEMO_SEED,
) -> list[NewSession]:
    """A made-up but plausible history of ``days`` days up to ``end``; the same seed and end
    give the same sessions.

    Practice on most days (sometimes twice), a mix of breathing and attention exercises from the
    catalog, before-practice pain drifting slowly down with day-to-day noise and the odd flare,
    drops of 0-3 points within a session, some skipped ratings, some sessions ended early or left,
    and where it hurt marked on some.
    """
    rng = random.Random(seed)
    breathing = [e for e in catalog.exercises if e.custom_id is None]
    favourites = [3, 2, 2, 1, 1, 1, 1][: len(breathing)] + [1] * max(0, len(breathing) - 7)
    last_day = end.astimezone(tz).date()
    sessions: list[NewSession] = []
    for n in range(days):
        day = last_day - timedelta(days=days - 1 - n)
        progress = n / max(1, days - 1)
        flare = 1.5 if rng.random() < 0.08 else 0.0
        if rng.random() > 0.85:
            continue
        slots = [rng.randint(7 * 60, 9 * 60 + 30)]
        if rng.random() < 0.2:
            slots.append(rng.randint(19 * 60, 22 * 60))
        for minute in slots:
            started = _local_moment(day, minute, tz)
            if rng.random() < 0.6 or not scripts:
                exercise = rng.choices(breathing, weights=favourites)[0]
                plan: SessionPlan = exercise.plan(rng.choice((3, 5, 5, 5, 10)))
            else:
                script = rng.choice(list(scripts))
                plan = attention_plan(script, rng.choice(script.lengths_min[:3]))
            new = _demo_session(rng, plan, started, progress, flare)
            if new.ended_at is not None and new.ended_at <= end:
                sessions.append(new)
    return sessions


def _clamp(value: float) -> int:
    return max(0, min(10, round(value)))


def _demo_session(
    rng: random.Random, plan: SessionPlan, started: datetime, progress: float, flare: float
) -> NewSession:
    pain_before = _clamp(6.4 - 1.5 * progress + flare + rng.gauss(0, 0.9))
    tension_before = _clamp(6.0 - 1.8 * progress + flare / 2 + rng.gauss(0, 1.0))
    pain_after = max(0, pain_before - rng.choices((0, 1, 2, 3), weights=(25, 35, 28, 12))[0])
    tension_after = max(0, tension_before - rng.choices((0, 1, 2, 3), weights=(15, 30, 35, 20))[0])
    roll = rng.random()
    status = SessionStatus.COMPLETED
    practised_s = plan.planned_s
    if roll < 0.03:
        status = SessionStatus.ABANDONED
        practised_s = round(plan.planned_s * rng.uniform(0.2, 0.7))
    elif roll < 0.10:
        status = SessionStatus.ENDED_EARLY
        practised_s = round(plan.planned_s * rng.uniform(0.5, 0.9))
    before = Ratings(
        None if rng.random() < 0.04 else tension_before,
        None if rng.random() < 0.04 else pain_before,
    )
    after = (
        Ratings(None, None)
        if status is SessionStatus.ABANDONED
        else Ratings(
            None if rng.random() < 0.06 else tension_after,
            None if rng.random() < 0.06 else pain_after,
        )
    )
    pain: tuple[str, ...] = ()
    comfort: tuple[str, ...] = ()
    if plan.kind == "attention" or rng.random() < 0.3:
        pain = ("lower_back",)
        if rng.random() < 0.4:
            pain += ("neck",)
        if rng.random() < 0.2:
            pain += ("left_knee",)
        if plan.kind == "attention":
            comfort = (rng.choice(("left_hand", "right_hand", "left_foot")),)
    rating_s = rng.uniform(20, 90)
    ended = started + timedelta(seconds=LEAD_IN_S + practised_s + END_CUE_S + rating_s)
    return NewSession(
        exercise_id=plan.exercise_id,
        kind=plan.kind,
        settings={"title": plan.title, **plan.settings()},
        started_at=started,
        ended_at=ended.replace(microsecond=0),
        planned_s=plan.planned_s,
        practised_s=practised_s,
        status=status,
        before=before,
        after=after,
        notes=rng.choice(_DEMO_NOTES) if rng.random() < 0.12 else "",
        pain_regions=pain,
        comfort_regions=comfort,
    )


def create_demo_profile(
    store: Store,
    name: str,
    catalog: Catalog,
    scripts: Sequence[Script],
    *,
    now: Callable[[], datetime] = utc_now,
    tz: tzinfo | None = None,
    seed: int = DEMO_SEED,
) -> tuple[str, int]:
    """Create the demo profile labelled from ``name`` with its history, in one transaction;
    return (its name, how many sessions)."""
    label = demo_name(name)
    if store.profiles.by_name(label) is not None:
        raise ExchangeError(
            f"There is already a demo profile “{label}”. Delete it first with "
            f'safesignal demo --delete --profile "{label}", or choose another name.'
        )
    history = demo_history(catalog, scripts, end=now(), tz=tz, seed=seed)
    store.profiles.create(label, demo=True, sessions=history)
    return label, len(history)


def delete_demo_profile(store: Store, name: str) -> tuple[str, int]:
    """Delete the demo profile ``name`` (or ``name (demo)``) and everything in it; return
    (its name, sessions removed). A profile that is not a demo is refused."""
    profile = store.profiles.by_name(demo_name(name)) or store.profiles.by_name(name.strip())
    if profile is None:
        raise ExchangeError(f"There is no demo profile called “{demo_name(name)}”.")
    return profile.name, store.profiles.delete_demo(profile.id)
