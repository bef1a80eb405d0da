"""What one frame of practice shows in words and counts, for every screen that shows practice.

The practice screen, the attention screen and presentation mode draw a session frame by frame;
what each frame says (paused, the 3-2-1 lead-in, the quiet close, the phase word, the seconds
left in the breath and in the practice) is decided here, once, without Qt.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Final, TypeGuard

from trainer.app.words import (
    ATTENTION_CLOSE_LINE,
    ATTENTION_PAUSED_LINE,
    CLOSE_LINE,
    CLOSE_WORD,
    LEAD_IN_WORD,
    PAUSED_LINE,
    PAUSED_WORD,
    PHASE_WORDS,
    TOP_UP_WORD,
    count_shown,
    phase_word,
    starting_text,
    time_left_text,
)
from trainer.content.breathing import PacerState, PhaseKind
from trainer.content.scripts import Step, step_at
from trainer.session.machine import Session, SessionState

__all__ = [
    "BREATHING_DETAILS",
    "BREATHING_WORDS",
    "FADE_S",
    "AttentionFrame",
    "BreathingFrame",
    "PacerSchedule",
    "attention_frame",
    "breathing_frame",
    "fade_at",
    "pacer_schedule",
    "practising",
    "skip_prompt",
]

FADE_S: Final = 0.8  # a prompt fades in over this, and out over this before its step ends
# Every word and every line under it that a breathing frame can show (so a screen can size its
# type once for all of them and never jump from one to the next).
BREATHING_WORDS: Final = (*PHASE_WORDS.values(), TOP_UP_WORD, LEAD_IN_WORD, CLOSE_WORD, PAUSED_WORD)
BREATHING_DETAILS: Final = (PAUSED_LINE, CLOSE_LINE, "20")

# The pacer's level at any practice time (ahead of now too), the phases, one cycle's length.
PacerSchedule = tuple[Callable[[float], float], tuple[PhaseKind, ...], float]


@dataclass(frozen=True)
class BreathingFrame:
    """The words of one frame of a breathing exercise."""

    word: str  # Paused, Get ready, Well done, or what to do now (Breathe in...)
    detail: str  # under the word: the seconds left in the breath or the lead-in, or a line
    time_left: str  # ``4:05 left``: the practice still to come
    paused: bool
    idle: bool  # the lead-in or the close: no part of the breath to mark on the pacer


def practising(session: Session | None) -> TypeGuard[Session]:
    """Whether ``session`` is in its practice: running or paused (not before or after it)."""
    return session is not None and session.state in (SessionState.RUNNING, SessionState.PAUSED)


def breathing_frame(session: Session, state: PacerState | None = None) -> BreathingFrame:
    """What a breathing exercise says now (``state``: the pacer's, if already read)."""
    if state is None:
        state = session.pacer_state()
    paused = session.state is SessionState.PAUSED
    lead_in_s = session.lead_in_left_s
    closing = session.closing
    if paused:
        word, detail = PAUSED_WORD, PAUSED_LINE
    elif lead_in_s > 0:
        word, detail = LEAD_IN_WORD, str(count_shown(lead_in_s))
    elif closing:
        word, detail = CLOSE_WORD, CLOSE_LINE
    else:
        word = phase_word(session.plan.pattern, state)
        detail = str(count_shown(state.phase_remaining_s))
    return BreathingFrame(
        word=word,
        detail=detail,
        time_left=time_left_text(session.remaining_s),
        paused=paused,
        idle=lead_in_s > 0 or closing,
    )


def fade_at(step: Step, t_s: float, fade_s: float = FADE_S) -> float:
    """How visible ``step``'s prompt is ``t_s`` seconds into the practice: 0..1, rising over
    ``fade_s`` from the step's start and falling over ``fade_s`` before its end."""
    fade_s = min(fade_s, step.length_s / 2)
    if fade_s <= 0:
        return 1.0
    into = (t_s - step.start_s) / fade_s
    left = (step.end_s - t_s) / fade_s
    return max(0.0, min(1.0, into, left))


@dataclass(frozen=True)
class AttentionFrame:
    """The words of one frame of a guided attention exercise."""

    prompt: str  # the step's prompt, Get ready or Well done
    opacity: float  # 0..1: prompts fade in and out, the close fades in
    status: str  # the line under it: the lead-in count, paused, the close, or nothing
    step_index: int | None  # the step whose prompt is on show (None in the lead-in or close)
    time_left: str  # ``4:05 left``


def attention_frame(session: Session, steps: Sequence[Step], step_index: int) -> AttentionFrame:
    """What a guided attention exercise says now; ``step_index`` is the step of the session's
    practice time (as the spotlight found it)."""
    practice_s = session.practice_s
    lead_in_s = session.lead_in_left_s
    index: int | None = None
    if lead_in_s > 0:
        prompt, opacity = LEAD_IN_WORD, 1.0
        status = starting_text(count_shown(lead_in_s))
    elif session.closing:
        close_s = session.run_s - session.plan.lead_in_s - session.plan.planned_s
        prompt, opacity, status = CLOSE_WORD, min(1.0, close_s / FADE_S), ATTENTION_CLOSE_LINE
    else:
        index = step_index
        step = steps[index]
        prompt, opacity, status = step.text, fade_at(step, practice_s), ""
    if session.state is SessionState.PAUSED:
        status = ATTENTION_PAUSED_LINE
    return AttentionFrame(
        prompt=prompt,
        opacity=opacity,
        status=status,
        step_index=index,
        time_left=time_left_text(session.remaining_s),
    )


def skip_prompt(session: Session | None, steps: Sequence[Step], planned_s: float) -> bool:
    """Move a guided exercise on to its next prompt (after the last one, to the close) and say
    whether it moved: never in the lead-in or the close, nor outside the practice. The seconds
    passed over are not counted as practised (see :meth:`Session.skip_to`)."""
    if not practising(session) or not steps or session.lead_in_left_s > 0 or session.closing:
        return False
    following = step_at(steps, session.practice_s) + 1
    target_s = steps[following].start_s if following < len(steps) else planned_s
    session.skip_to(target_s)
    if session.state is SessionState.RUNNING:
        session.update()
    return True


def pacer_schedule(session: Session) -> PacerSchedule:
    """The pure level function (ahead of now too, for the wave), the phases, one cycle's length.

    After the planned end the level stays where the last breath leaves it.
    """
    end_s = session.plan.planned_s
    state_at = session.pacer_state_at

    def level_at(practice_s: float) -> float:
        return state_at(min(practice_s, end_s)).level

    pattern = session.plan.pattern
    return level_at, tuple(p.kind for p in pattern.phases), pattern.cycle_s
