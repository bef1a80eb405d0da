"""The practice flow without Qt: where it hurts, ratings, practice, saving, rescue, recovery and
demonstrations, driven as the window drives it."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC
from pathlib import Path

import pytest

from tests.trainer.conftest import FakeWallClock
from trainer.app.practice import (
    AskAfter,
    AskBefore,
    AskWhere,
    DemonstrationOver,
    Left,
    PracticeFlow,
    Practise,
    Saved,
    Stage,
)
from trainer.app.profile import Change, ProfileInUse
from trainer.app.settings import (
    CHECK_IN,
    LAST_COMFORT,
    LAST_PAIN,
    CheckIn,
    read_setting,
    write_setting,
)
from trainer.content.breathing import BreathingPattern
from trainer.content.catalog import load_catalog
from trainer.content.scripts import Script, load_scripts
from trainer.errors import SafeSignalError, StoreError
from trainer.session.clock import FakeClock
from trainer.session.machine import Ratings, SessionPlan, SessionState, SessionStatus
from trainer.store.store import Store


@pytest.fixture
def profile(store: Store) -> ProfileInUse:
    return ProfileInUse(store, store.profiles.default_id(), load_catalog())


@pytest.fixture
def flow(profile: ProfileInUse, clock: FakeClock, wall: FakeWallClock) -> PracticeFlow:
    return PracticeFlow(profile, clock=clock, utc_now=wall, tz=UTC)


@pytest.fixture
def stages(flow: PracticeFlow) -> list[Stage]:
    seen: list[Stage] = []
    flow.stages.add(seen.append)
    return seen


@pytest.fixture
def plan(coherent: BreathingPattern) -> SessionPlan:
    return SessionPlan("coherent-5-5", "Coherent breathing", coherent, 3)  # 30 s


def script(script_id: str) -> Script:
    return next(s for s in load_scripts() if s.id == script_id)


def run_to_the_end(flow: PracticeFlow, clock: FakeClock, wall: FakeWallClock) -> None:
    assert flow.session is not None
    seconds = flow.session.plan.planned_s + flow.session.plan.lead_in_s + 1
    clock.advance(seconds)
    wall.advance(seconds)
    flow.session.update()


def test_a_breathing_session_goes_from_ratings_to_saved(flow, stages, plan, clock, wall, store):
    flow.start_breathing(plan, "Coherent breathing · 1 minute", ask_where=False)
    assert stages == [AskBefore("Coherent breathing · 1 minute")]
    assert not flow.session_under_way  # prepared, not started
    flow.before_confirmed(4, 6)
    practise = stages[-1]
    assert isinstance(practise, Practise)
    assert practise.steps is None
    assert practise.session is flow.session
    assert flow.session_under_way
    assert flow.recorded_session_under_way
    run_to_the_end(flow, clock, wall)
    assert stages[-1] == AskAfter("Coherent breathing")
    assert flow.session_under_way  # the after-ratings are still to come
    flow.after_confirmed(2, 5)
    saved = stages[-1]
    assert isinstance(saved, Saved)
    assert saved.stored is not None
    assert saved.stored.after == Ratings(2, 5)
    assert saved.stored.status is SessionStatus.COMPLETED
    assert flow.session is None
    assert not flow.session_under_way


def test_saving_announces_that_the_sessions_changed(flow, profile, plan, clock, wall):
    changes: list[Change] = []
    profile.changed.add(changes.append)
    flow.start_breathing(plan, "h", ask_where=False)
    flow.before_confirmed(None, None)
    run_to_the_end(flow, clock, wall)
    assert changes == []
    flow.after_confirmed(None, None)
    assert changes == [Change.SESSIONS]


def test_a_quick_reset_asks_one_question_by_default_and_never_where_it_hurts(
    flow, stages, plan, clock, wall
):
    flow.start_breathing(plan, "Reset", ask_where=True, quick=True)
    assert stages == [AskBefore("Reset", CheckIn.ONE_QUESTION)]
    flow.before_confirmed(6, None)  # how tense; pain is not asked
    run_to_the_end(flow, clock, wall)
    assert stages[-1] == AskAfter("Coherent breathing", CheckIn.ONE_QUESTION)
    flow.after_confirmed(4, None)
    saved = stages[-1]
    assert isinstance(saved, Saved)
    assert saved.stored is not None
    assert (saved.stored.before, saved.stored.after) == (Ratings(6, None), Ratings(4, None))


def test_a_quick_reset_asks_what_the_person_chose(flow, stages, plan, profile):
    write_setting(profile.preferences, CHECK_IN, CheckIn.NOTHING)
    flow.start_breathing(plan, "Reset", ask_where=False, quick=True)
    assert stages == [AskBefore("Reset", CheckIn.NOTHING)]
    flow.start_breathing(plan, "Box", ask_where=False)  # any other session: the full form
    assert stages[-1] == AskBefore("Box", None)


def test_where_it_hurts_is_asked_first_offers_last_marks_and_keeps_new_ones(
    flow, stages, plan, profile, store
):
    write_setting(profile.preferences, LAST_PAIN, ("neck", "no_such_place"))
    flow.start_breathing(plan, "h", ask_where=True)
    assert stages == [AskWhere(("pain",), ("neck",), ())]
    flow.regions_confirmed(["lower_back"], [])
    assert stages[-1] == AskBefore("h")
    assert read_setting(profile.preferences, LAST_PAIN) == ("lower_back",)
    flow.before_confirmed(3, 3)
    assert flow.session is not None
    assert flow.session.session_id is not None
    assert store.regions.of_session(flow.session.session_id) == (("lower_back",), ())


def test_skipping_where_it_hurts_keeps_last_times_marks(flow, stages, plan, profile):
    write_setting(profile.preferences, LAST_PAIN, ("neck",))
    flow.start_breathing(plan, "h", ask_where=True)
    flow.regions_confirmed([], [])
    assert read_setting(profile.preferences, LAST_PAIN) == ("neck",)


def test_an_attention_exercise_asks_comfort_too_and_practises_its_steps(flow, stages, profile):
    shifting = script("attention-shifting")
    minutes = shifting.lengths_min[0]
    flow.start_attention(shifting, minutes, "Attention shifting")
    assert isinstance(stages[-1], AskWhere)
    assert stages[-1].uses == ("pain", "comfort")
    flow.regions_confirmed(["neck"], ["left_hand"])
    assert read_setting(profile.preferences, LAST_COMFORT) == ("left_hand",)
    flow.before_confirmed(None, None)
    practise = stages[-1]
    assert isinstance(practise, Practise)
    assert practise.steps  # the script's steps, with "pain" and "comfort" made places
    assert practise.session.plan.kind == "attention"


def test_a_demonstration_asks_nothing_and_keeps_nothing(flow, stages, plan, clock, wall, store):
    flow.demonstrating = True
    flow.start_breathing(plan, "h", ask_where=True)
    assert len(stages) == 1
    assert isinstance(stages[0], Practise)
    assert flow.session_under_way
    assert not flow.recorded_session_under_way
    run_to_the_end(flow, clock, wall)
    assert isinstance(stages[-1], DemonstrationOver)
    assert stages[-1].title == "Coherent breathing"
    assert flow.session is None
    assert store.sessions.of_profile(store.profiles.default_id()) == []


def test_a_demonstration_of_an_attention_exercise_skips_where_it_hurts(flow, stages):
    flow.demonstrating = True
    somatic = script("somatic-tracking")
    flow.start_attention(somatic, somatic.lengths_min[0], "h")
    assert isinstance(stages[0], Practise)
    assert stages[0].steps


def test_cancelling_before_the_ratings_keeps_nothing(flow, stages, plan, store):
    flow.start_breathing(plan, "h", ask_where=False)
    flow.before_cancelled()
    assert stages[-1] == Left()
    assert flow.session is None
    assert store.sessions.of_profile(store.profiles.default_id()) == []


def test_a_refused_start_raises_and_starts_nothing(flow, stages, plan, store, monkeypatch):
    def refuse(*args: object, **kwargs: object) -> int:
        raise StoreError("The disk is full.")

    monkeypatch.setattr(store.sessions, "start_session", refuse)
    flow.start_breathing(plan, "h", ask_where=False)
    with pytest.raises(StoreError):
        flow.before_confirmed(1, 1)
    assert not any(isinstance(stage, Practise) for stage in stages)


def test_areas_that_cannot_be_kept_do_not_stop_the_practice(flow, stages, plan, store, monkeypatch):
    def refuse(*args: object) -> None:
        raise StoreError("The disk is full.")

    monkeypatch.setattr(store.regions, "save", refuse)
    flow.start_breathing(plan, "h", ask_where=True)
    flow.regions_confirmed(["neck"], [])
    flow.before_confirmed(1, 1)
    practise = stages[-1]
    assert isinstance(practise, Practise)
    assert isinstance(practise.regions_problem, StoreError)


def test_a_refused_save_keeps_the_session_and_it_can_be_rescued(
    flow, stages, plan, clock, wall, store, monkeypatch, tmp_path: Path
):
    flow.start_breathing(plan, "h", ask_where=True)
    flow.regions_confirmed(["neck"], [])
    flow.before_confirmed(4, 6)
    run_to_the_end(flow, clock, wall)

    def refuse(*args: object, **kwargs: object) -> None:
        raise StoreError("The disk is full.")

    monkeypatch.setattr(store.sessions, "finish_session", refuse)
    with pytest.raises(StoreError):
        flow.after_confirmed(2, 3)
    assert flow.session is not None
    assert flow.session_under_way
    assert flow.rescue_file_name() == "safesignal-session-2024-05-01-0930.json"
    target = tmp_path / "elsewhere.json"
    flow.save_elsewhere(target, Ratings(2, 3))
    assert flow.session is None
    written = json.loads(target.read_text())
    (record,) = written["sessions"]
    assert (record["tension_before"], record["tension_after"]) == (4, 2)
    assert record["pain_regions"] == ["neck"]


def refused_and_saved_elsewhere(flow, plan, clock, wall, store, monkeypatch, target: Path) -> int:
    """A finished session the disk would not take, saved to ``target``; its id."""
    flow.start_breathing(plan, "h", ask_where=False)
    flow.before_confirmed(4, 6)
    run_to_the_end(flow, clock, wall)
    session_id = flow.session.session_id

    def refuse(*args: object, **kwargs: object) -> None:
        raise StoreError("The disk is full.")

    monkeypatch.setattr(store.sessions, "finish_session", refuse)
    with pytest.raises(StoreError):
        flow.after_confirmed(2, 3)
    flow.save_elsewhere(target, Ratings(2, 3))
    monkeypatch.undo()
    return session_id


def test_a_session_saved_elsewhere_is_not_taken_for_a_crash_at_the_next_start(
    flow, plan, clock, wall, store, profile, monkeypatch, tmp_path: Path
):
    target = tmp_path / "elsewhere.json"
    session_id = refused_and_saved_elsewhere(flow, plan, clock, wall, store, monkeypatch, target)
    kept = store.sessions.get(session_id)
    assert kept.status is SessionStatus.INTERRUPTED  # the disk took this small change
    later = PracticeFlow(profile, clock=clock, utc_now=wall, tz=UTC)
    assert later.recover() == []  # no "stopped unexpectedly"
    from trainer.store.exchange import ImportResult, import_sessions

    result = import_sessions(store, profile.profile_id, target)
    assert result == ImportResult(added=1, skipped=0, kept_after=0)
    finished = store.sessions.get(session_id)
    assert finished.status is SessionStatus.COMPLETED
    assert finished.after == Ratings(2, 3)


def test_a_session_saved_elsewhere_stays_unfinished_while_the_disk_refuses_everything(
    flow, plan, clock, wall, store, profile, monkeypatch, tmp_path: Path
):
    def refuse(*args: object, **kwargs: object) -> bool:
        raise StoreError("The disk is full.")

    flow.start_breathing(plan, "h", ask_where=False)
    flow.before_confirmed(4, 6)
    session_id = flow.session.session_id
    monkeypatch.setattr(store.sessions, "mark_interrupted", refuse)
    flow.save_elsewhere(tmp_path / "x.json", Ratings(None, None))  # the file is what counts
    assert flow.session is None
    monkeypatch.undo()
    assert store.sessions.get(session_id).status is SessionStatus.IN_PROGRESS


def test_importing_a_rescue_file_keeps_after_ratings_given_at_a_start(
    flow, plan, clock, wall, store, profile, monkeypatch, tmp_path: Path
):
    target = tmp_path / "elsewhere.json"
    session_id = refused_and_saved_elsewhere(flow, plan, clock, wall, store, monkeypatch, target)
    store.db.execute(  # as it was when the disk refused even this: left in progress
        "UPDATE sessions SET status = 'in_progress', ended_at = NULL WHERE id = ?", [session_id]
    )
    later = PracticeFlow(profile, clock=clock, utc_now=wall, tz=UTC)
    (found,) = later.recover()
    later.recovered_after(found, Ratings(7, 8))  # rated at the next start
    from trainer.store.exchange import ImportResult, import_sessions

    result = import_sessions(store, profile.profile_id, target)
    assert result == ImportResult(added=1, skipped=0, kept_after=1)
    finished = store.sessions.get(session_id)
    assert finished.after == Ratings(7, 8)  # theirs stand; the file's 2 and 3 are not put in
    assert finished.status is SessionStatus.COMPLETED
    assert finished.practised_s == pytest.approx(30.0, abs=1.0)


def test_a_place_that_cannot_be_written_keeps_the_session(flow, plan, clock, wall, tmp_path: Path):
    flow.start_breathing(plan, "h", ask_where=False)
    flow.before_confirmed(4, 6)
    with pytest.raises(SafeSignalError):
        flow.save_elsewhere(tmp_path / "no" / "such" / "folder" / "x.json", Ratings(None, None))
    assert flow.session is not None


def test_leaving_keeps_the_time_practised_and_an_unfinished_session_is_recovered(
    profile, plan, clock, wall, store
):
    first = PracticeFlow(profile, clock=clock, utc_now=wall, tz=UTC)
    first.start_breathing(plan, "h", ask_where=False)
    first.before_confirmed(5, 5)
    clock.advance(10)
    wall.advance(10)
    first.leave()
    (kept,) = store.sessions.of_profile(profile.profile_id)
    assert kept.status is SessionStatus.ABANDONED
    assert not first.session_under_way

    crashed = PracticeFlow(profile, clock=clock, utc_now=wall, tz=UTC)
    crashed.start_breathing(plan, "h", ask_where=False)
    crashed.before_confirmed(5, 5)  # and then the computer stopped
    later = PracticeFlow(profile, clock=clock, utc_now=wall, tz=UTC)
    changes: list[Change] = []
    profile.changed.add(changes.append)
    (found,) = later.recover()
    assert changes == [Change.SESSIONS]
    later.recovered_after(found, Ratings(2, 2))
    assert store.sessions.get(found.id).after == Ratings(2, 2)


def test_an_offer_not_answered_is_made_again_until_answered_or_declined(
    profile, plan, clock, wall, store
):
    for _ in range(2):
        crashed = PracticeFlow(profile, clock=clock, utc_now=wall, tz=UTC)
        crashed.start_breathing(plan, "h", ask_where=False)
        crashed.before_confirmed(5, 5)  # and then the computer stopped
        clock.advance(60)
        wall.advance(60)
    first, second = PracticeFlow(profile, clock=clock, utc_now=wall, tz=UTC).recover()
    assert not first.carried_over  # found at this start: "your last session" may be said
    # killed with the offer on screen: the next start offers both again, oldest first, now
    # carried over from an earlier start (named by their start, never "your last session")
    first, second = replace(first, carried_over=True), replace(second, carried_over=True)
    again = PracticeFlow(profile, clock=clock, utc_now=wall, tz=UTC)
    assert again.recover() == [first, second]
    again.recovered_after(first, Ratings(2, 2))
    assert PracticeFlow(profile, clock=clock, utc_now=wall, tz=UTC).recover() == [second]
    again.recovery_declined(second)
    assert PracticeFlow(profile, clock=clock, utc_now=wall, tz=UTC).recover() == []
    assert store.sessions.get(second.id).after == Ratings(None, None)


def test_recovery_returns_only_the_profile_in_uses_sessions_but_keeps_all(
    profile, plan, clock, wall, store
):
    other_id = store.profiles.create("Robin")
    other = PracticeFlow(
        ProfileInUse(store, other_id, load_catalog()), clock=clock, utc_now=wall, tz=UTC
    )
    other.start_breathing(plan, "h", ask_where=False)
    other.before_confirmed(5, 5)
    mine = PracticeFlow(profile, clock=clock, utc_now=wall, tz=UTC).recover()
    assert mine == []
    assert store.sessions.of_profile(other_id)[0].status is SessionStatus.INTERRUPTED
    assert PracticeFlow(profile, clock=clock, utc_now=wall, tz=UTC).recover() == []  # still quiet


def test_nothing_is_recovered_while_a_session_is_under_way(flow, plan):
    flow.start_breathing(plan, "h", ask_where=False)
    flow.before_confirmed(5, 5)
    assert flow.recover() == []
    assert flow.session is not None
    assert flow.session.state is SessionState.RUNNING


def test_a_switch_of_profile_forgets_what_was_prepared(flow, plan, profile, store):
    flow.start_breathing(plan, "h", ask_where=False)
    other_id = store.profiles.create("Robin")
    profile.switch_to(other_id)
    assert flow.session is None
    assert profile.profile_id == other_id
    assert store.app_settings.get("active_profile", "") == str(other_id)
