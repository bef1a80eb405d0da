"""A made-up, clearly labelled demo profile with a realistic 60-day history (flat stretches, a
flare, sessions that end worse than they began), so a clinician can show the progress plots and
what they say in harder weeks without real data; it is removed in one step."""

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
# A seed whose history is typical of the ones this model makes (before-practice pain about half a
# point lower at the end, an interval that includes no change), not the most hopeful of them.
DEMO_SEED: Final = 61

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
_FLARE_NOTES: Final = (
    "Flare-up today. Kept it short and gentle.",
    "A rough few days. Breathing helped me stay with it a little.",
    "Pain is loud this week; did what I could.",
)
_WORSE_NOTES: Final = (
    "Pain was higher afterwards. Noticing it rather than fighting it.",
    "Focusing on the pain stirred it up today.",
    "Sitting still made my back ache more; next time I may lie down.",
)
_STOPPED_NOTES: Final = ("Had to stop: the doorbell.", "Too restless to carry on today.")

# How pain and tension move within one session (after minus before) and how often each is
# drawn: mostly a little lower or the same, sometimes higher, more often so during a flare.
_CHANGES: Final = (-3, -2, -1, 0, 1, 2)
_PAIN_WEIGHTS: Final = (5, 17, 32, 30, 12, 4)
_PAIN_WEIGHTS_FLARE: Final = (2, 9, 25, 36, 20, 8)
_TENSION_WEIGHTS: Final = (10, 25, 32, 21, 9, 3)
_FLARE_DAYS: Final = (6, 9)  # a flare lasts about a week
_FLARE_POINTS: Final = 2.8  # how much higher before-practice pain is at its height
_DRIFT_POINTS: Final = 0.6  # the whole fall of before-practice pain over the history: modest


def demo_name(name: str) -> str:
    """The label a demo profile carries: ``Sam`` -> ``Sam (demo)``."""
    name = name.strip()
    return name if name.endswith(DEMO_SUFFIX) else name + DEMO_SUFFIX


def _local_moment(day: date, minutes: int, tz: tzinfo | None) -> datetime:
    naive = datetime.combine(day, time()) + timedelta(minutes=minutes)
    if tz is None:
        return naive.astimezone()  # a naive time is read as this machine's local time
    return naive.replace(tzinfo=tz)


def _flares(rng: random.Random, days: int) -> list[tuple[int, int]]:
    """(first day, length in days) of each flare: the first in the history's middle third or
    so, then one every two months or so."""
    flares = []
    start = rng.randint(days // 3, max(days // 3, days * 2 // 3 - _FLARE_DAYS[1]))
    while start < days:
        flares.append((start, rng.randint(*_FLARE_DAYS)))
        start += rng.randint(45, 90)
    return flares


def _flare_points(n: int, flares: Sequence[tuple[int, int]]) -> float:
    """How much higher pain is on day ``n``: rising over two days, easing over the last two."""
    for start, length in flares:
        if start <= n < start + length:
            into, left = n - start, start + length - 1 - n
            return _FLARE_POINTS * min(1.0, (into + 1) / 2, (left + 1) / 2)
    return 0.0


def _drift(progress: float) -> float:
    """The slow part of before-practice pain: flat for the first weeks, a gentle fall in the
    middle, flat again at the end (people rarely improve in a straight line)."""
    if progress < 0.3:
        return 0.0
    if progress > 0.65:
        return -_DRIFT_POINTS
    return -_DRIFT_POINTS * (progress - 0.3) / 0.35


def demo_history(
    catalog: Catalog,
    scripts: Sequence[Script],
    *,
    end: datetime,
    tz: tzinfo | None = None,
    days: int = DEMO_DAYS,
    seed: int = DEMO_SEED,
) -> list[NewSession]:
    """A made-up but realistic history of ``days`` days up to ``end``; the same seed and end
    give the same sessions.

    Practice on most days (sometimes twice), a mix of breathing and attention exercises from the
    catalog. Before-practice pain wanders from day to day around a level that stays flat for
    weeks, eases a little (under a point) and levels off again, with a flare of about a week
    (and one about every two months after that in longer histories). Within a session pain and
    tension are mostly a little lower or the same afterwards, but some sessions end higher,
    more often during the flare. Some ratings are skipped, some sessions are ended early (one
    after a few seconds) or left, one was interrupted (the app stopped) and rated at the next
    start; where it hurt is marked on some.
    """
    rng = random.Random(seed)
    breathing = [e for e in catalog.exercises if e.custom_id is None]
    favourites = [3, 2, 2, 1, 1, 1, 1][: len(breathing)] + [1] * max(0, len(breathing) - 7)
    last_day = end.astimezone(tz).date()
    flares = _flares(rng, days)
    interrupted_day = rng.randint(days // 2, max(days // 2, days - 5))
    brief_day = rng.randint(days // 6, max(days // 6, days // 3))
    wander = 0.0  # day-to-day ups and downs that last a few days
    sessions: list[NewSession] = []
    for n in range(days):
        day = last_day - timedelta(days=days - 1 - n)
        wander = 0.7 * wander + rng.gauss(0, 0.3)
        level = 6.3 + _drift(n / max(1, days - 1)) + wander
        flare = _flare_points(n, flares)
        if rng.random() > 0.85 and n not in (interrupted_day, brief_day):
            continue
        slots = [rng.randint(7 * 60, 9 * 60 + 30)]
        if rng.random() < 0.2:
            slots.append(rng.randint(19 * 60, 22 * 60))
        for slot, minute in enumerate(slots):
            started = _local_moment(day, minute, tz)
            if rng.random() < 0.6 or not scripts:
                exercise = rng.choices(breathing, weights=favourites)[0]
                plan: SessionPlan = exercise.plan(rng.choice((3, 5, 5, 5, 10)))
            else:
                script = rng.choice(list(scripts))
                plan = attention_plan(script, rng.choice(script.lengths_min[:3]))
            forced = None
            if slot == 0 and n == interrupted_day:
                forced = SessionStatus.INTERRUPTED
            elif slot == 0 and n == brief_day:
                forced = SessionStatus.ENDED_EARLY
            new = _demo_session(rng, plan, started, level, flare, forced)
            if new.ended_at is not None and new.ended_at <= end:
                sessions.append(new)
    return sessions


def _clamp(value: float) -> int:
    return max(0, min(10, round(value)))


def _demo_session(
    rng: random.Random,
    plan: SessionPlan,
    started: datetime,
    level: float,
    flare: float,
    forced: SessionStatus | None = None,
) -> NewSession:
    pain_before = _clamp(level + flare + rng.gauss(0, 0.6))
    tension_before = _clamp(level - 0.4 + flare / 2 + rng.gauss(0, 0.9))
    pain_weights = _PAIN_WEIGHTS_FLARE if flare else _PAIN_WEIGHTS
    pain_after = _clamp(pain_before + rng.choices(_CHANGES, weights=pain_weights)[0])
    tension_after = _clamp(tension_before + rng.choices(_CHANGES, weights=_TENSION_WEIGHTS)[0])
    roll = rng.random()
    status = SessionStatus.COMPLETED
    practised_s = plan.planned_s
    if forced is SessionStatus.INTERRUPTED:  # the app stopped: progress as last saved
        status = SessionStatus.INTERRUPTED
        practised_s = 5.0 * round(plan.planned_s * rng.uniform(0.3, 0.7) / 5.0)
    elif forced is SessionStatus.ENDED_EARLY:  # stopped after a few seconds
        status = SessionStatus.ENDED_EARLY
        practised_s = float(rng.randint(8, 20))
    elif roll < 0.03:
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
    notes = rng.choice(_DEMO_NOTES) if rng.random() < 0.12 else ""
    if flare and rng.random() < 0.3:
        notes = rng.choice(_FLARE_NOTES)
    elif after.pain is not None and before.pain is not None and after.pain > before.pain:
        notes = rng.choice(_WORSE_NOTES) if rng.random() < 0.4 else notes
    elif status is SessionStatus.ENDED_EARLY and rng.random() < 0.5:
        notes = rng.choice(_STOPPED_NOTES)
    if status is SessionStatus.INTERRUPTED:  # ends at its last saved progress
        ended = started + timedelta(seconds=LEAD_IN_S + practised_s)
    else:
        rating_s = rng.uniform(20, 90)
        ended = started + timedelta(seconds=LEAD_IN_S + practised_s + END_CUE_S + rating_s)
    offset = started.utcoffset()
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
        notes=notes,
        pain_regions=pain,
        comfort_regions=comfort,
        utc_offset_min=round(offset.total_seconds() / 60) if offset is not None else None,
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
