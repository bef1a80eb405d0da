"""The practice flow: prepare -> where it hurts -> before-ratings -> practice -> after-ratings ->
save, with a rescue file when the disk refuses, recovery of unfinished sessions, and
demonstrations that record nothing.

The window drives a :class:`PracticeFlow` (it calls :meth:`PracticeFlow.start_breathing`,
:meth:`PracticeFlow.before_confirmed`...) and shows what the flow asks for: each step is announced
to :attr:`PracticeFlow.stages` as one of the small records below. Problems with the disk are
raised as :class:`trainer.errors.SafeSignalError` for the window to show; nothing is let go
until it is written somewhere.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from contextlib import suppress
from dataclasses import dataclass
from datetime import datetime, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING

from trainer.app.profile import Change, ProfileInUse
from trainer.app.settings import (
    CHECK_IN,
    LAST_COMFORT,
    LAST_PAIN,
    CheckIn,
    Setting,
    read_setting,
    write_setting,
)
from trainer.content.bodymap import REGION_IDS
from trainer.errors import SafeSignalError
from trainer.listeners import Listeners
from trainer.session.clock import Clock
from trainer.session.machine import (
    Ratings,
    Session,
    SessionPlan,
    SessionState,
    SessionStatus,
    demonstration,
)
from trainer.store.database import PACER_WAIT_MS, SAVE_WAIT_MS

if TYPE_CHECKING:
    # What only an attention exercise, a rescue or a recovery needs is imported then, so the
    # flow the window makes at start costs the first paint little.
    from trainer.app.settings import Preferences
    from trainer.content.scripts import Script, Step
    from trainer.session.recovery import RecoveredSession
    from trainer.store.sessions import StoredSession
    from trainer.store.store import Store

__all__ = [
    "ACTIVE_STATES",
    "AskAfter",
    "AskBefore",
    "AskWhere",
    "DemonstrationOver",
    "Left",
    "PracticeFlow",
    "Practise",
    "Saved",
    "Stage",
]

ACTIVE_STATES = (SessionState.RUNNING, SessionState.PAUSED, SessionState.RATE_AFTER)


@dataclass(frozen=True)
class AskWhere:
    """Ask where it hurts (and, for some scripts, where it feels comfortable)."""

    uses: tuple[str, ...]  # "pain", and "comfort" when the script uses it
    pain: tuple[str, ...]  # last time's marks, offered again
    comfort: tuple[str, ...]


@dataclass(frozen=True)
class AskBefore:
    """Ask the before-ratings of the session titled ``heading``: both, or for a quick reset
    what ``quick`` says (one question, or nothing: confirm at once with nothing rated)."""

    heading: str
    quick: CheckIn | None = None


@dataclass(frozen=True)
class Practise:
    """Practise ``session``: with ``steps`` for an attention exercise, else a breathing one.

    ``regions_problem``: the marked areas could not be kept (the practice goes on).
    """

    session: Session
    steps: tuple[Step, ...] | None
    regions_problem: SafeSignalError | None = None


@dataclass(frozen=True)
class AskAfter:
    """The practice has run its course: ask the after-ratings (``quick`` as in
    :class:`AskBefore`)."""

    title: str
    quick: CheckIn | None = None


@dataclass(frozen=True)
class DemonstrationOver:
    """A demonstration has run its course: nothing is asked or kept."""

    title: str
    practised_s: float


@dataclass(frozen=True)
class Saved:
    """The session and its ratings are saved; ``stored`` is it read back (``None`` if that
    failed, with ``problem`` saying why: it is still in the history)."""

    stored: StoredSession | None
    problem: SafeSignalError | None = None


@dataclass(frozen=True)
class Left:
    """Nothing is under way any more (cancelled before starting, or saved elsewhere)."""


Stage = AskWhere | AskBefore | Practise | AskAfter | DemonstrationOver | Saved | Left


class _RecordedHere:
    """The sessions table as a session's recorder, keeping with each start the offset from UTC
    of this computer's clock then, so the session reads the same time after travel.

    No write waits long for another program holding the database (see
    :meth:`trainer.store.database.Database.patience`): the progress saved every few seconds
    while the pacer runs gives up within 50 ms (the next, seconds later, tries again), and
    the start and the final save give up after a moment with a
    :class:`~trainer.errors.DatabaseBusyError`, the session still in memory, to be tried again."""

    def __init__(self, store: Store, tz: tzinfo) -> None:
        self._store = store
        self._sessions = store.sessions
        self._tz = tz

    def start_session(
        self, plan: SessionPlan, profile_id: int, started_at: datetime, before: Ratings
    ) -> int:
        """Store the start with its offset from UTC here; return the session's id."""
        from trainer.store.sessions import utc_offset_min

        with self._store.patience(SAVE_WAIT_MS):
            return self._sessions.start_session(
                plan,
                profile_id,
                started_at,
                before,
                utc_offset_min=utc_offset_min(started_at, self._tz),
            )

    def checkpoint_session(self, session_id: int, *, practised_s: float, at: datetime) -> None:
        """See :meth:`SessionsTable.checkpoint_session`."""
        with self._store.patience(PACER_WAIT_MS):
            self._sessions.checkpoint_session(session_id, practised_s=practised_s, at=at)

    def finish_session(
        self,
        session_id: int,
        *,
        ended_at: datetime,
        practised_s: float,
        status: SessionStatus,
        after: Ratings,
    ) -> None:
        """See :meth:`SessionsTable.finish_session`."""
        with self._store.patience(SAVE_WAIT_MS):
            self._sessions.finish_session(
                session_id, ended_at=ended_at, practised_s=practised_s, status=status, after=after
            )


@dataclass
class _Preparing:
    """The practice being prepared before its ratings: what to start and the areas marked."""

    heading: str
    plan: SessionPlan | None = None  # a breathing exercise
    script: Script | None = None  # or an attention exercise at ``minutes``
    minutes: int = 0
    pain: tuple[str, ...] = ()
    comfort: tuple[str, ...] = ()
    quick: CheckIn | None = None  # a quick reset: what it asks (None: both ratings)


class PracticeFlow:
    """One practice at a time for the profile in use, from choosing it to keeping it."""

    def __init__(
        self,
        profile: ProfileInUse,
        *,
        clock: Clock,
        utc_now: Callable[[], datetime],
        tz: tzinfo,
    ) -> None:
        self._profile = profile
        self._clock = clock
        self._utc_now = utc_now
        self._tz = tz
        self.session: Session | None = None
        self._preparing: _Preparing | None = None
        self.demonstrating = False  # record nothing and ask no ratings (a clinician showing)
        self.stages: Listeners[Stage] = Listeners()
        profile.changed.add(self._on_profile_changed)

    # -- what is under way ----------------------------------------------------------------------

    @property
    def session_under_way(self) -> bool:
        """Whether a session is running, paused or waiting for its after-ratings."""
        return self.session is not None and self.session.state in ACTIVE_STATES

    @property
    def recorded_session_under_way(self) -> bool:
        """Whether a session under way would be kept (quitting then asks first)."""
        return self.session_under_way and self.session is not None and self.session.recorded

    def _on_profile_changed(self, change: Change) -> None:
        if change is Change.PROFILE:  # the last profile's practice is not carried over
            self.session = None
            self._preparing = None

    # -- preparing ------------------------------------------------------------------------------

    def start_breathing(
        self, plan: SessionPlan, heading: str, *, ask_where: bool, quick: bool = False
    ) -> None:
        """Prepare a breathing session of ``plan``: where it hurts first if ``ask_where`` (never
        in a demonstration: it is personal), then the before-ratings. ``quick``: a quick reset,
        which asks what the person chose in the settings (one question, or nothing) and never
        where it hurts."""
        check_in = read_setting(self._profile.preferences, CHECK_IN) if quick else None
        self._preparing = _Preparing(heading, plan=plan, quick=check_in)
        if ask_where and not self.demonstrating and not quick:
            self._ask_where(("pain",))
        else:
            self._begin(plan, heading)

    def start_attention(self, script: Script, minutes: int, heading: str) -> None:
        """Prepare an attention exercise: where it hurts (optional), then the before-ratings."""
        from trainer.content.attention import attention_plan

        self._preparing = _Preparing(heading, script=script, minutes=minutes)
        if self.demonstrating:
            self._begin(attention_plan(script, minutes), heading)
            return
        self._ask_where(tuple(script.uses) or ("pain",))

    def _ask_where(self, uses: tuple[str, ...]) -> None:
        comfort = self._remembered(LAST_COMFORT) if "comfort" in uses else ()
        self.stages.notify(AskWhere(uses, self._remembered(LAST_PAIN), comfort))

    def _remembered(self, setting: Setting[tuple[str, ...]]) -> tuple[str, ...]:
        known = set(REGION_IDS)
        return tuple(r for r in read_setting(self._profile.preferences, setting) if r in known)

    def regions_confirmed(self, pain: Sequence[str], comfort: Sequence[str]) -> None:
        """The areas marked (either may be empty: skipped); they are offered again next time."""
        preparing = self._preparing
        assert preparing is not None, "nothing is being prepared"
        preparing.pain = tuple(str(r) for r in pain)
        preparing.comfort = tuple(str(r) for r in comfort)
        keep = [(LAST_PAIN, preparing.pain)]
        if preparing.script is not None and "comfort" in preparing.script.uses:
            keep.append((LAST_COMFORT, preparing.comfort))
        for setting, regions in keep:
            if regions:  # skipped today: last time's marks are still offered next time
                write_setting(self._profile.preferences, setting, regions)
        if preparing.script is not None:
            from trainer.content.attention import attention_plan

            plan = attention_plan(preparing.script, preparing.minutes)
        else:
            assert preparing.plan is not None
            plan = preparing.plan
        self._begin(plan, preparing.heading)

    def _begin(self, plan: SessionPlan, heading: str) -> None:
        if self.demonstrating:
            self.session = demonstration(plan, clock=self._clock, utc_now=self._utc_now)
            self.session.subscribe(self._on_session_state)
            self.before_confirmed(None, None)  # no ratings: straight to the practice
            return
        self.session = Session(
            plan,
            clock=self._clock,
            utc_now=self._utc_now,
            recorder=_RecordedHere(self._profile.store, self._tz),
            profile_id=self._profile.profile_id,
        )
        self.session.subscribe(self._on_session_state)
        quick = self._preparing.quick if self._preparing is not None else None
        self.stages.notify(AskBefore(heading, quick))

    # -- before, during, after ------------------------------------------------------------------

    def before_confirmed(self, tension: int | None, pain: int | None) -> None:
        """Start the practice with these before-ratings. Raises (nothing started) if the
        session cannot be kept; the areas marked not being kept does not stop it."""
        session = self.session
        preparing = self._preparing
        assert session is not None, "no session is prepared"
        assert preparing is not None, "nothing is being prepared"
        session.confirm_before(tension, pain)
        problem: SafeSignalError | None = None
        if session.recorded and (preparing.pain or preparing.comfort):
            assert session.session_id is not None
            try:
                with self._profile.store.patience(SAVE_WAIT_MS):
                    self._profile.store.regions.save(
                        session.session_id, preparing.pain, preparing.comfort
                    )
            except SafeSignalError as exc:
                problem = exc
        steps = None
        if preparing.script is not None:
            from trainer.content.scripts import resolve

            version = preparing.script.version(preparing.minutes)
            steps = resolve(version, preparing.pain, preparing.comfort)
        self.stages.notify(Practise(session, steps, problem))

    def before_cancelled(self) -> None:
        """The person changed their mind before the ratings: nothing is kept."""
        if self.session is not None:
            self.session.abandon()
            self.session = None
        self.stages.notify(Left())

    def _on_session_state(self, state: SessionState) -> None:
        session = self.session
        if state is not SessionState.RATE_AFTER or session is None:
            return
        if session.recorded:
            quick = self._preparing.quick if self._preparing is not None else None
            self.stages.notify(AskAfter(session.plan.title, quick))
            return
        session.confirm_after(None, None)
        self.session = None
        self.stages.notify(DemonstrationOver(session.plan.title, session.practised_s))

    def after_confirmed(self, tension: int | None, pain: int | None) -> None:
        """Save the session with these after-ratings. Raises :class:`StoreError` when the disk
        refuses (offer :meth:`save_elsewhere`) and other :class:`SafeSignalError` for anything
        else; either way the session is still here and Save can be tried again."""
        session = self.session
        assert session is not None, "no session to save"
        assert session.session_id is not None, "the session had not started"
        session.confirm_after(tension, pain)
        self.session = None
        self._profile.sessions_changed()
        try:
            stored = self._profile.session(session.session_id)
        except SafeSignalError as exc:  # saved, but not read back: no summary this time
            self.stages.notify(Saved(None, exc))
            return
        self.stages.notify(Saved(stored))

    # -- rescue: the disk would not take the session ---------------------------------------------

    @property
    def app_preferences(self) -> Preferences:
        """This computer's settings (where the rescue dialog keeps its last folder)."""
        return self._profile.app_preferences

    def rescue_file_name(self) -> str:
        """The name offered for a session saved elsewhere (by its start, in local time)."""
        session = self.session
        assert session is not None, "no session to rescue"
        started = (session.started_at or session.ending_at()).astimezone(self._tz)
        return f"safesignal-session-{started:%Y-%m-%d-%H%M}.json"

    def save_elsewhere(self, path: Path, after: Ratings) -> None:
        """Write the session as it is in memory (with ``after``) to a JSON file at ``path``, to
        import later; then it is let go. Raises if it could not be written (it is still here).

        Where the database still takes a small change, the copy here is closed as interrupted,
        so the next start does not take it for a crash; importing the file finishes it."""
        from trainer.session.rescue import rescue_record, save_rescued

        session = self.session
        assert session is not None, "no session to rescue"
        ended_at = session.ending_at()
        try:
            profile = self._profile.name()
        except SafeSignalError:
            profile = ""
        preparing = self._preparing
        regions = (preparing.pain, preparing.comfort) if preparing is not None else ((), ())
        record = rescue_record(session, after, profile=profile, ended_at=ended_at, regions=regions)
        if session.started_at is not None:  # the file keeps the time as it read here too
            from trainer.store.sessions import utc_offset_min

            record["utc_offset_min"] = utc_offset_min(session.started_at, self._tz)
        save_rescued(path, record, profile=profile, now=ended_at)
        self.session = None
        if session.session_id is not None and session.recorded:
            # if the disk still refuses, the next start closes it as interrupted instead
            store = self._profile.store
            with suppress(SafeSignalError), store.patience(SAVE_WAIT_MS):
                store.sessions.mark_interrupted(session.session_id, ended_at=ended_at)

    def leave(self, *, interrupted: bool = False) -> None:
        """Quitting: end a session under way, keeping the time practised (without
        after-ratings); ``interrupted`` when the app is made to end without the person
        choosing to (a shutdown, a logout). Raises :class:`StoreError` when the disk refuses
        (offer :meth:`save_elsewhere` first) and other :class:`SafeSignalError` for anything
        else."""
        if self.session is not None and self.session_under_way:
            self.session.abandon(interrupted=interrupted)

    # -- recovery -------------------------------------------------------------------------------

    def recover(self, recovered: list[RecoveredSession] | None = None) -> list[RecoveredSession]:
        """At start: keep every session the app never finished as interrupted (anyone's), and
        return those of the profile in use, to offer their after-ratings. ``recovered``: what
        was already closed before today's backup. Nothing while a session is under way here."""
        from trainer.session.recovery import (
            offers_answered,
            offers_pending,
            recover_unfinished,
            recovered_from,
        )

        if self.session_under_way:
            return []  # only ever at start: a session under way here is not unfinished
        store = self._profile.store
        if recovered is None:
            recovered = recover_unfinished(store.sessions, store.app_settings)
        if recovered:
            self._profile.sessions_changed()
        me = self._profile.profile_id
        mine = {found.id: found for found in recovered if found.profile_id == me}
        dropped = []  # others' (kept quietly, as always) and any no longer waiting
        for session_id in offers_pending(store.app_settings):
            if session_id in mine:
                continue
            try:
                stored = store.sessions.get(session_id)
            except SafeSignalError:  # deleted meanwhile
                dropped.append(session_id)
                continue
            waiting = stored.status is SessionStatus.INTERRUPTED and stored.after == Ratings(
                None, None
            )
            if stored.profile_id != me or not waiting or stored.ended_at is None:
                dropped.append(session_id)
                continue
            mine[session_id] = recovered_from(stored, stored.ended_at, carried_over=True)
        offers_answered(store.app_settings, dropped)
        return sorted(mine.values(), key=lambda found: (found.started_at, found.id))

    def recovered_after(self, found: RecoveredSession, after: Ratings) -> None:
        """Keep the after-ratings given for a recovered session (then it is not offered again)."""
        from trainer.session.recovery import offers_answered

        store = self._profile.store
        with store.patience(SAVE_WAIT_MS):  # the person waits: a moment, then say why
            store.sessions.set_after_ratings(found.id, after)
        self._profile.sessions_changed()
        offers_answered(self._profile.store.app_settings, [found.id])

    def recovery_declined(self, found: RecoveredSession) -> None:
        """The person left a recovered session's after-ratings empty: not offered again."""
        from trainer.session.recovery import offers_answered

        offers_answered(self._profile.store.app_settings, [found.id])
