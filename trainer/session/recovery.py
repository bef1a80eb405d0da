"""Sessions the app never finished (a crash, a power cut, a killed process), found at start.

A session is stored the moment its before-ratings are confirmed and its progress is saved every
few seconds while it runs (:mod:`trainer.session.checkpoint`). If the app stops without finishing it,
the row is left ``in_progress``. :func:`recover_unfinished` closes every such session, of every
profile, as ``interrupted``: its before-ratings and the seconds practised as last saved are
kept, and it ends at its last saved progress (or, with none saved, at its start plus the time
practised). The app then offers the after-ratings for the sessions of the person using it.

The offer outlives the start it was made at: the ids of the sessions closed are noted (under
:data:`OFFERS_KEY`, before any is closed) and each is let go only when the person has answered or
declined, so a start cut short while the offer is on screen makes it again next time.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from trainer.session.machine import Ratings
from trainer.store.sessions import StoredSession


class UnfinishedStore(Protocol):
    """The part of the store that recovery uses (``store.sessions`` has it:
    :class:`~trainer.store.sessions.SessionsTable`)."""

    def unfinished_sessions(self) -> list[StoredSession]:
        """Every session still marked in progress."""
        ...

    def mark_interrupted(self, session_id: int, *, ended_at: datetime) -> bool:
        """Close one as interrupted; whether it was still in progress."""
        ...


OFFERS_KEY = "recovery_offers"  # app setting: ids whose after-ratings offer is not yet answered


class OffersStore(Protocol):
    """Where the offers not yet answered are noted (``store.app_settings`` has it)."""

    def get(self, key: str, default: str) -> str:
        """The text kept under ``key``, or ``default``."""
        ...

    def set(self, key: str, value: str) -> None:
        """Keep ``value`` under ``key``."""
        ...


def offers_pending(settings: OffersStore) -> list[int]:
    """The ids of recovered sessions whose after-ratings were offered but not yet answered
    (oldest noted first; anything unreadable there counts as none)."""
    try:
        ids = json.loads(settings.get(OFFERS_KEY, "[]"))
    except ValueError:
        return []
    if not isinstance(ids, list):
        return []
    return [i for i in ids if isinstance(i, int) and not isinstance(i, bool)]


def note_offers(settings: OffersStore, ids: Iterable[int]) -> None:
    """Note sessions whose after-ratings are still to be offered (none twice)."""
    pending = offers_pending(settings)
    more = [i for i in ids if i not in pending]
    if more:
        settings.set(OFFERS_KEY, json.dumps(pending + more))


def offers_answered(settings: OffersStore, ids: Iterable[int]) -> None:
    """The person answered (or declined) the offers for these sessions: not made again."""
    done = set(ids)
    pending = offers_pending(settings)
    if any(i in done for i in pending):
        settings.set(OFFERS_KEY, json.dumps([i for i in pending if i not in done]))


@dataclass(frozen=True)
class RecoveredSession:
    """A session found unfinished and now kept as interrupted."""

    id: int
    profile_id: int
    title: str
    kind: str
    started_at: datetime
    ended_at: datetime
    practised_s: float
    before: Ratings
    # Offered at an earlier start and not answered then: not necessarily the last session any
    # more (others may have been practised since), so it is named by its start.
    carried_over: bool = False

    def message(self, when: str | None = None) -> str:
        """What to tell the person, warmly: it stopped, and it is kept. ``when`` (its start, in
        words) names it; without it, a session just found is "your last session" (one carried
        over from an earlier start is never called that)."""
        if when is not None:
            which = f"Your session of {when}"
        else:
            which = "An earlier session" if self.carried_over else "Your last session"
        what = "stopped before its after-ratings" if self.carried_over else "stopped unexpectedly"
        return (
            f"{which} ({self.title}, {practised_text(self.practised_s)} practised) {what}. "
            "It has been kept."
        )


def practised_text(seconds: float) -> str:
    """A rough, friendly length: "under a minute", "1 min", "4 min"."""
    minutes = math.floor(max(0.0, seconds) / 60.0 + 0.5)
    return "under a minute" if minutes < 1 else f"{minutes} min"


def ended_at_of(session: StoredSession) -> datetime:
    """When an unfinished session is taken to have ended: its last saved progress, else its
    start plus the seconds practised (never before its start)."""
    if session.checkpoint_at is not None and session.checkpoint_at >= session.started_at:
        return session.checkpoint_at
    return session.started_at + timedelta(seconds=max(0.0, session.practised_s))


def recovered_from(
    session: StoredSession, ended_at: datetime, *, carried_over: bool = False
) -> RecoveredSession:
    """A stored session, closed as interrupted at ``ended_at``, as one to offer
    (``carried_over``: its offer was made at an earlier start and is made again)."""
    return RecoveredSession(
        id=session.id,
        profile_id=session.profile_id,
        title=session.title,
        kind=session.kind,
        started_at=session.started_at,
        ended_at=ended_at,
        practised_s=session.practised_s,
        before=session.before,
        carried_over=carried_over,
    )


def recover_unfinished(
    table: UnfinishedStore, offers: OffersStore | None = None
) -> list[RecoveredSession]:
    """Close every session left in progress as ``interrupted`` (``table`` is the store's
    sessions, ``store.sessions``); return them, oldest first. With ``offers``
    (``store.app_settings``) their ids are noted first as offers not yet answered.

    Each is closed in a transaction of its own, so being stopped half-way through leaves the
    rest for the next start. Running it again finds nothing more."""
    unfinished = table.unfinished_sessions()
    if offers is not None and unfinished:
        note_offers(offers, (session.id for session in unfinished))
    recovered = []
    for session in unfinished:
        ended_at = ended_at_of(session)
        if not table.mark_interrupted(session.id, ended_at=ended_at):
            continue  # someone else closed it meanwhile
        recovered.append(recovered_from(session, ended_at))
    return recovered
