"""What a frame of practice says (trainer/app/frame.py), driven by a fake clock: the lead-in,
the phase word and its seconds, pause, the close and the time left, rounded up at fractional
times the same way for a breathing and a guided attention exercise."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from trainer.app.frame import (
    FADE_S,
    AttentionFrame,
    BreathingFrame,
    attention_frame,
    breathing_frame,
    fade_at,
    pacer_schedule,
    practising,
    skip_prompt,
)
from trainer.app.words import ATTENTION_CLOSE_LINE, ATTENTION_PAUSED_LINE
from trainer.content.attention import attention_plan
from trainer.content.breathing import BreathingPattern, PhaseKind
from trainer.content.catalog import Exercise
from trainer.content.scripts import Step, load_scripts, resolve, step_at
from trainer.session.clock import FakeClock
from trainer.session.machine import Session, SessionPlan, demonstration

SCRIPTS = load_scripts()
Attention = tuple[Session, tuple[Step, ...]]  # a running exercise and its steps


def running(plan: SessionPlan, clock: FakeClock) -> Session:
    session = demonstration(plan, clock=clock, utc_now=lambda: datetime(2026, 3, 1, tzinfo=UTC))
    session.confirm_before(None, None)
    return session


@pytest.fixture
def breathing(coherent: BreathingPattern, clock: FakeClock) -> Session:
    """One minute of 5 s in, 5 s out, after a 3 s lead-in."""
    return running(Exercise("coherent-5-5", "Coherent", "", "", coherent).plan(1), clock)


def test_the_lead_in_counts_the_second_under_way(breathing: Session, clock: FakeClock) -> None:
    assert breathing_frame(breathing) == BreathingFrame(
        "Get ready", "3", "1:00 left", paused=False, idle=True
    )
    clock.advance(0.4)  # 2.6 s to go: the third second is still under way
    assert breathing_frame(breathing).detail == "3"
    clock.advance(1.0)
    assert breathing_frame(breathing).detail == "2"
    clock.advance(1.5)  # 0.1 s to go
    assert breathing_frame(breathing).detail == "1"


def test_the_breath_and_the_time_left_round_up(breathing: Session, clock: FakeClock) -> None:
    clock.advance(3.0 + 1.3)  # 3.7 s of the in-breath and 58.7 s of practice left
    assert breathing_frame(breathing) == BreathingFrame(
        "Breathe in", "4", "0:59 left", paused=False, idle=False
    )
    clock.advance(4.5)  # 5.8 s: 4.2 s of the out-breath, 54.2 s of practice
    assert breathing_frame(breathing) == BreathingFrame(
        "Breathe out", "5", "0:55 left", paused=False, idle=False
    )
    clock.advance(4.2)  # exactly at the end of the first breath: a new one begins
    assert breathing_frame(breathing).word == "Breathe in"
    assert breathing_frame(breathing).detail == "5"
    assert breathing_frame(breathing).time_left == "0:50 left"


def test_paused_says_so_whatever_the_phase(breathing: Session, clock: FakeClock) -> None:
    breathing.pause()
    assert breathing_frame(breathing) == BreathingFrame(
        "Paused", "Press Space to continue", "1:00 left", paused=True, idle=True
    )
    breathing.resume()
    clock.advance(3.0 + 2.5)
    breathing.pause()
    frame = breathing_frame(breathing)
    assert (frame.word, frame.paused, frame.idle) == ("Paused", True, False)
    assert frame.time_left == "0:58 left"


def test_the_close_says_well_done_and_0_00(breathing: Session, clock: FakeClock) -> None:
    clock.advance(3.0 + 59.9)
    assert breathing_frame(breathing).time_left == "0:01 left"
    clock.advance(0.5)
    breathing.update()
    assert breathing_frame(breathing) == BreathingFrame(
        "Well done", "Breathe freely", "0:00 left", paused=False, idle=True
    )


def test_the_pacer_schedule_holds_the_last_level_after_the_end(breathing: Session) -> None:
    level_at, kinds, cycle_s = pacer_schedule(breathing)
    assert kinds == (PhaseKind.INHALE, PhaseKind.EXHALE)
    assert cycle_s == 10.0
    assert level_at(5.0) == pytest.approx(1.0)
    assert level_at(2.5) == pytest.approx(0.5)
    assert level_at(75.0) == level_at(60.0)


# -- guided attention ---------------------------------------------------------------------------


@pytest.fixture
def attention(clock: FakeClock) -> Attention:
    script = next(s for s in SCRIPTS if s.id == "somatic-tracking")
    steps = tuple(resolve(script.version(3), ("lower_back",), ()))
    return running(attention_plan(script, 3), clock), steps


def now(session: Session, steps: tuple[Step, ...]) -> AttentionFrame:
    return attention_frame(session, steps, step_at(steps, session.practice_s))


def test_an_attention_lead_in_counts_the_second_under_way(
    attention: Attention, clock: FakeClock
) -> None:
    session, steps = attention
    clock.advance(0.4)
    frame = now(session, steps)
    assert (frame.prompt, frame.opacity, frame.status) == ("Get ready", 1.0, "Starting in 3")
    assert frame.step_index is None
    assert frame.time_left == "3:00 left"
    clock.advance(1.0)
    assert now(session, steps).status == "Starting in 2"


def test_an_attention_prompt_fades_and_the_time_left_rounds_up(
    attention: Attention, clock: FakeClock
) -> None:
    session, steps = attention
    clock.advance(3.0 + 1.3)  # 178.7 s left
    frame = now(session, steps)
    index = step_at(steps, 1.3)
    assert frame.step_index == index
    assert frame.prompt == steps[index].text
    assert frame.opacity == fade_at(steps[index], 1.3)
    assert frame.status == ""
    assert frame.time_left == "2:59 left"
    clock.advance(0.8)  # 177.9 s
    assert now(session, steps).time_left == "2:58 left"
    session.pause()
    assert now(session, steps).status == ATTENTION_PAUSED_LINE == "Paused. Press Space to continue."
    assert now(session, steps).prompt == steps[index].text  # the prompt stays


def test_the_attention_close_fades_in(attention: Attention, clock: FakeClock) -> None:
    session, steps = attention
    clock.advance(3.0 + 180.0 + FADE_S / 2)
    session.update()
    frame = now(session, steps)
    assert (frame.prompt, frame.status, frame.step_index) == (
        "Well done",
        ATTENTION_CLOSE_LINE,
        None,
    )
    assert frame.opacity == pytest.approx(0.5)
    assert frame.time_left == "0:00 left"


def test_a_prompt_fades_in_and_out_with_the_session_clock() -> None:
    step = Step(10.0, 30.0, "text", (), "still")
    assert fade_at(step, 10.0) == 0.0
    assert fade_at(step, 10.0 + FADE_S / 2) == pytest.approx(0.5)
    assert fade_at(step, 10.0 + FADE_S) == 1.0
    assert fade_at(step, 20.0) == 1.0
    assert fade_at(step, 30.0 - FADE_S / 4) == pytest.approx(0.25)
    assert fade_at(step, 30.0) == 0.0
    short = Step(0.0, 1.0, "text", (), "still")
    assert fade_at(short, 0.5) == 1.0  # a very short step still shows its prompt fully


def test_practising_is_running_or_paused(coherent: BreathingPattern, clock: FakeClock) -> None:
    plan = Exercise("coherent-5-5", "Coherent", "", "", coherent).plan(1)
    session = demonstration(plan, clock=clock, utc_now=lambda: datetime(2026, 3, 1, tzinfo=UTC))
    assert not practising(None)
    assert not practising(session)  # the before-ratings come first
    session.confirm_before(None, None)
    assert practising(session)
    session.pause()
    assert practising(session)
    session.end_early()
    assert not practising(session)  # the after-ratings


def test_skip_prompt_moves_on_to_the_next_prompt_then_the_close(
    attention: Attention, clock: FakeClock
) -> None:
    session, steps = attention
    planned_s = session.plan.planned_s
    assert not skip_prompt(session, steps, planned_s)  # not in the lead-in
    assert session.skipped_s == 0
    clock.advance(3.0 + 2.0)
    assert skip_prompt(session, steps, planned_s)
    assert session.practice_s == pytest.approx(steps[1].start_s)
    assert session.skipped_s == pytest.approx(steps[1].start_s - 2.0)
    session.pause()
    assert skip_prompt(session, steps, planned_s)  # paused: it moves and stays paused
    assert session.practice_s == pytest.approx(steps[2].start_s)
    session.resume()
    clock.advance(steps[-1].start_s - session.practice_s + 1.0)
    assert skip_prompt(session, steps, planned_s)  # from the last prompt, to the close
    assert session.closing
    assert not skip_prompt(session, steps, planned_s)  # nothing to skip in the close
    assert not skip_prompt(None, steps, planned_s)
