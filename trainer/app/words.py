"""Shared wording: counts, rates, lengths, clocks, body areas, practice words and session
statuses, each written once and the same on every screen, in every command and in the report."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal
from typing import Final

from trainer.content.breathing import BreathingPattern, PacerState, PhaseKind
from trainer.session.machine import SessionPlan, SessionStatus

# -- what a practice frame says ----------------------------------------------------------------

PHASE_WORDS: Final = {
    PhaseKind.INHALE: "Breathe in",
    PhaseKind.HOLD: "Hold",
    PhaseKind.EXHALE: "Breathe out",
}
TOP_UP_WORD: Final = "A little more in"  # a second in-breath straight after the first
# What the spoken breathing cue says at each change: one short, calm word. The column pacer's
# quiet scale beside it uses the same words (not a second instruction: the phase word is that;
# each is a word of every instruction for its part of the breath, the top-up's included).
SPOKEN_WORDS: Final = {PhaseKind.INHALE: "In", PhaseKind.HOLD: "Hold", PhaseKind.EXHALE: "Out"}
SPOKEN_TOP_UP: Final = "More"
PAUSED_WORD: Final = "Paused"
PAUSED_LINE: Final = "Press Space to continue"  # under the paused word
LEAD_IN_WORD: Final = "Get ready"
CLOSE_WORD: Final = "Well done"
CLOSE_LINE: Final = "Breathe freely"  # under the close word, after a breathing exercise
# On one line under a guided attention prompt, paused or closing.
ATTENTION_PAUSED_LINE: Final = f"{PAUSED_WORD}. {PAUSED_LINE}."
ATTENTION_CLOSE_LINE: Final = "Rest here for a moment before you move on."


# What screen readers call the parts of a practice screen, and the pause button's two faces.
WORD_NAME: Final = "What to do now"
PHASE_SECONDS_NAME: Final = "Seconds left in this part of the breath"
TIME_LEFT_NAME: Final = "Time left"
SPOTLIGHT_MAP_NAME: Final = "Body map with a soft light on the area to attend to"
PAUSE_LABEL: Final = "Pause"
RESUME_LABEL: Final = "Resume"
PAUSE_KEY: Final = "Space"
# With the key named, for a tooltip (an icon-only button shows no label of its own).
PAUSE_BUTTON: Final = f"{PAUSE_LABEL} ({PAUSE_KEY})"
RESUME_BUTTON: Final = f"{RESUME_LABEL} ({PAUSE_KEY})"
# With every breathing exercise, wherever it is chosen or shown: slow, not deep.
BREATHING_NOTE: Final = (
    "Breathe gently, not deeply: slow, soft breaths are enough. If you feel light-headed or "
    "tingly, breathe normally for a while."
)
# With every pattern that has holds, after the breathing note.
HOLD_NOTE: Final = (
    "The holds are optional: if you feel dizzy or short of breath, let them go, breathe "
    "normally, and stop if you need to."
)
# Under the attention exercises' list and on the where-it-hurts step.
CLINICIAN_NOTE: Final = (
    "This is a practice tool, not medical advice. For new, severe or changing pain, please see "
    "a clinician."
)


def pause_label(paused: bool) -> str:
    """The pause button's label: ``Resume`` while paused, else ``Pause`` (its key is in its
    tooltip, not in the label)."""
    return RESUME_LABEL if paused else PAUSE_LABEL


def pause_button_text(paused: bool) -> str:
    """The pause button's tooltip, naming its key: ``Resume (Space)`` while paused, else
    ``Pause (Space)``."""
    return RESUME_BUTTON if paused else PAUSE_BUTTON


def phase_word(pattern: BreathingPattern, state: PacerState) -> str:
    """What to tell the person now: a second inhale in a row (cyclic sighing) is a top-up."""
    return TOP_UP_WORD if _top_up(pattern, state) else PHASE_WORDS[state.kind]


def spoken_word(pattern: BreathingPattern | None, state: PacerState) -> str:
    """The word the spoken cue says as ``state``'s phase starts: "In", "Out", "Hold" ("More"
    for a top-up; without the pattern a top-up cannot be told and is "In")."""
    if pattern is not None and _top_up(pattern, state):
        return SPOKEN_TOP_UP
    return SPOKEN_WORDS[state.kind]


def _top_up(pattern: BreathingPattern, state: PacerState) -> bool:
    index = state.phase_index
    return (
        state.kind is PhaseKind.INHALE
        and 0 < index < len(pattern.phases)
        and pattern.phases[index - 1].kind is state.kind
    )


def starting_text(seconds_left: int) -> str:
    """``Starting in 3``: the lead-in of a guided attention exercise."""
    return f"Starting in {seconds_left}"


# -- time -------------------------------------------------------------------------------------

_EPSILON_S: Final = 1e-9  # a count that has just reached a whole second shows that second


def whole_seconds_left(seconds: float) -> int:
    """The seconds still to go, rounded up (2.6 s left reads 3), and never below 0: a count
    reaches 0 only at the very end, and shows the second still under way until then."""
    return max(0, math.ceil(seconds - _EPSILON_S))


def count_shown(seconds_left: float) -> int:
    """The number a count shows with ``seconds_left`` to go (the lead-in's 3-2-1, the seconds
    left in a breath): the second under way, so 2.6 s reads 3, and never 0 while it shows."""
    return max(1, whole_seconds_left(seconds_left))


def countdown_text(seconds: float) -> str:
    """``4:05`` for 245 seconds left (rounded up, so it reads 0:00 only at the very end).

    Not to be confused with :func:`trainer.desk.reminders.clock_text`, a time of day."""
    whole = whole_seconds_left(seconds)
    return f"{whole // 60}:{whole % 60:02d}"


def time_left_text(seconds: float) -> str:
    """``4:05 left``."""
    return f"{countdown_text(seconds)} left"


def minutes_text(minutes: float) -> str:
    """``1 minute``, ``5 minutes``, ``2.5 minutes`` (at most one decimal: 2.53333 reads 2.5)."""
    number = number_text(minutes)
    return f"{number} minute" if number == "1" else f"{number} minutes"


def practised_text(minutes: float) -> str:
    """``less than a minute``, ``1 minute``, ``12 minutes`` (rounded to the minute): time
    practised, in a sentence."""
    whole = round(minutes)
    return "less than a minute" if whole < 1 else minutes_text(whole)


def hours_text(minutes: float) -> str:
    """``45 min``, ``3 h 20 min`` (rounded to the minute): a total, in a table or a list."""
    whole = round(minutes)
    hours, mins = divmod(whole, 60)
    if not hours:
        return f"{mins} min"
    return f"{hours:,} h {mins} min" if mins else f"{hours:,} h"


def count_text(n: int, word: str) -> str:
    """``1 session``, ``12 interrupted sessions``, ``1,204 days``: ``n`` of ``word`` (a noun that
    takes an s)."""
    return f"{n:,} {word}" if n == 1 else f"{n:,} {word}s"


def days_text(n: int) -> str:
    """``1 day``, ``12 days``, ``1,204 days``."""
    return count_text(n, "day")


def duration_text(seconds: float) -> str:
    """``48 s``, ``1 min 16 s``, ``5 min`` (to the nearest second)."""
    whole = round(seconds)
    minutes, rest = divmod(whole, 60)
    if not minutes:
        return f"{rest} s"
    return f"{minutes} min {rest} s" if rest else f"{minutes} min"


# -- numbers for people ---------------------------------------------------------------------


def number_text(value: float) -> str:
    """A number as people read it: at most one decimal, none when it is whole (``4.6``, ``6``,
    ``2.5``; 4.61538 reads 4.6 and 5.96 reads 6). Halves round up, as people expect (3.75 reads
    3.8), not to the even neighbour; the float's exact value is what is rounded, as Qt's
    one-decimal spin boxes round it, so a line and a box beside it agree (2.55 is stored as
    2.5499... and reads 2.5 in both)."""
    if not math.isfinite(value):
        return str(value)
    if abs(value) >= 1e15:  # beyond a tenth's reach of a float (and of Decimal's precision)
        return str(round(value))
    tenths = Decimal(float(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    if tenths == 0:
        return "0"  # never "-0"
    return f"{tenths:.1f}".removesuffix(".0")


def seconds_text(seconds: float) -> str:
    """``4 s``, ``5.5 s``, ``4.6 s`` for 4.61538 (at most one decimal)."""
    return f"{number_text(seconds)} s"


# -- breathing ----------------------------------------------------------------------------------

RATE_UNIT: Final = "breaths a minute"  # after a number of breaths a minute, e.g. a spin box's


def rate_number_text(rate_bpm: float) -> str:
    """A rate without its unit: ``3.2`` for 3.1579 breaths a minute (at most one decimal)."""
    return number_text(rate_bpm)


def rate_text(rate_bpm: float) -> str:
    """``6 breaths a minute``, ``3.2 breaths a minute`` for 4-7-8's 3.1579 (at most one decimal,
    so a rate reads calmly, and the same whether a pattern holds it or a ramp passes through)."""
    number = rate_number_text(rate_bpm)
    return f"{number} breath a minute" if number == "1" else f"{number} {RATE_UNIT}"


def describe_phases(pattern: BreathingPattern) -> str:
    """``in 4 s, hold 4 s, out 6 s`` for a pattern (at most one decimal, for reading at a
    glance: a resonance breath of 4.61538 s reads 4.6 s)."""
    words = {PhaseKind.INHALE: "in", PhaseKind.HOLD: "hold", PhaseKind.EXHALE: "out"}
    return ", ".join(f"{words[p.kind]} {seconds_text(p.seconds)}" for p in pattern.phases)


SECONDS_BELOW_MIN: Final = 2.0  # an ease-in shorter than this is said in seconds


def ramp_length_text(minutes: float) -> str:
    """How long an ease-in takes: ``36 s`` or ``1 min 30 s`` under two minutes (never "0.6
    minutes"), else ``2.5 minutes``."""
    if minutes < SECONDS_BELOW_MIN:
        return duration_text(minutes * 60)
    return minutes_text(minutes)


def ramp_box_text(minutes: float) -> str:
    """The same length in a box, shorter: ``36 s``, ``1 min 30 s``, ``2.5 min``."""
    if minutes < SECONDS_BELOW_MIN:
        return duration_text(minutes * 60)
    return f"{number_text(minutes)} min"


def ramp_minutes_from_text(text: str) -> float | None:
    """The minutes in what a person typed into that box (``36 s``, ``1 min 30 s``, ``2.5 min``,
    ``2,5`` or a bare ``3``: minutes); ``None`` when it is not a length."""
    typed = text.strip().lower().replace(",", ".")
    if found := re.fullmatch(r"(\d+(?:\.\d*)?)\s*(?:m|min|mins|minutes?)?", typed):
        return float(found[1])
    if found := re.fullmatch(r"(\d+)\s*s(?:ec|ecs|econds?)?", typed):
        return int(found[1]) / 60
    if found := re.fullmatch(
        r"(\d+)\s*(?:m|min|mins|minutes?)\s*(\d+)\s*s(?:ec|ecs|econds?)?", typed
    ):
        return int(found[1]) + int(found[2]) / 60
    return None


def ramp_text(start_bpm: float, target_bpm: float, minutes: float) -> str:
    """``7.5 easing to 6 breaths a minute over 2.5 minutes`` (``over 36 s`` when short): an
    ease-in, in words."""
    return (
        f"{rate_number_text(start_bpm)} easing to {rate_text(target_bpm)} over "
        f"{ramp_length_text(minutes)}"
    )


def breaths_text(count: int) -> str:
    """``1 breath``, ``4 breaths``."""
    return "1 breath" if count == 1 else f"{count} breaths"


def length_text(plan: SessionPlan) -> str:
    """``5 minutes`` or ``4 breaths``, as the person chose the length."""
    length = plan.options.get("length")
    if isinstance(length, dict) and "cycles" in length:
        return breaths_text(int(length["cycles"]))
    if isinstance(length, dict) and "minutes" in length:
        return minutes_text(int(length["minutes"]))
    return minutes_text(round(plan.planned_s / 60))


def breathe_for_text(plan: SessionPlan) -> str:
    """``Breathe for 5 minutes``, ``Breathe for 4 breaths``: the home screen's Start."""
    return f"Breathe for {length_text(plan)}"


# -- counts ---------------------------------------------------------------------------------------


def sessions_text(n: int) -> str:
    """``1 session``, ``12 sessions``, ``1,204 sessions``."""
    return count_text(n, "session")


# -- where it hurts -------------------------------------------------------------------------------

# The body-map step's one name: its heading, the home screen's choice to ask it first, Help.
WHERE_IT_HURTS: Final = "Where it hurts"


def describe_regions(regions: Iterable[str]) -> str:
    """``Left shoulder, lower back and both knees``; both sides of a pair are named together."""
    words = region_words(regions)
    if not words:
        return ""
    text = words[0] if len(words) == 1 else f"{', '.join(words[:-1])} and {words[-1]}"
    return text[0].upper() + text[1:]


def region_words(regions: Iterable[str]) -> list[str]:
    """Each area in words (``left shoulder``, ``both knees``, ``your back``), in order."""
    from trainer.content.bodymap import GROUPS, label  # the body map waits for its screens

    ids = list(regions)
    words: list[str] = []
    done: set[str] = set()
    for region in ids:
        if region in done:
            continue
        pair = next(
            (
                (group, members)
                for group, members in GROUPS.items()
                if region in members and all(m in ids for m in members)
            ),
            None,
        )
        if pair is None:
            words.append(label(region).lower())
            done.add(region)
        else:
            group, members = pair
            words.append(("your " if group == "back" else "both ") + label(group).lower())
            done.update(members)
    return words


# -- ratings and sessions ---------------------------------------------------------------------

SKIPPED_MARK: Final = "–"  # a skipped rating in a table of sessions (the history, the report)


NOT_RATED: Final = "not rated"  # both ratings of a pair skipped (or not asked), said once
SKIP_RATING: Final = "Skip this rating"  # the choice under each 0-10 scale


def skip_rating_name(name: str) -> str:
    """What a screen reader says for the skip choice under the scale called ``name``."""
    return f"Skip the {name.lower()} rating"


def rating_text(value: int | None) -> str:
    """A rating in a sentence: the number, or ``skipped``."""
    return "skipped" if value is None else str(value)


def before_after_text(before: int | None, after: int | None) -> str:
    """``6 → 3``, ``skipped → 3``: a rating before and after a session, in a sentence; when
    neither was given, ``not rated`` (never ``skipped → skipped``)."""
    if before is None and after is None:
        return NOT_RATED
    return f"{rating_text(before)} → {rating_text(after)}"


def early_practice_text(
    title: str,
    before: tuple[int | None, int | None],
    after: tuple[int | None, int | None],
    rated: int,
    needed: int,
) -> tuple[str, ...]:
    """For someone with fewer than ``needed`` sessions rated before and after (``rated`` so
    far): their newest session's ratings (``before`` and ``after`` as tension, pain) and what
    the history will show, and when; kind, and claiming nothing from so few sessions."""
    names = ("tension", "pain")
    pairs = [
        f"{name} {before_after_text(b, a)}"
        for name, b, a in zip(names, before, after, strict=True)
        if b is not None or a is not None
    ]
    out = []
    if pairs:
        out.append(f"Your latest session, {title}: {' and '.join(pairs)} (before → after).")
    else:
        out.append(f"Your latest session was {title}. Thank you for taking the time.")
    more = needed - rated
    out.append(
        "Each session you rate before and after adds to this picture. After "
        f"{more:,} more {'session' if more == 1 else 'sessions'} rated both times, the average "
        "change will show here with how sure it is. A few sessions can vary a lot, so until "
        "then every session's ratings are in Sessions."
    )
    return tuple(out)


STATUS_WORDS: Final = {
    SessionStatus.IN_PROGRESS.value: "Not finished",
    SessionStatus.COMPLETED.value: "Completed",
    SessionStatus.ENDED_EARLY.value: "Ended early",
    SessionStatus.INTERRUPTED.value: "Interrupted",
    SessionStatus.ABANDONED.value: "Left during practice",
}


def status_text(status: str) -> str:
    """How a session went, in words (a status this version does not know reads as itself)."""
    return STATUS_WORDS.get(status, status.replace("_", " ").capitalize())


def offset_text(offset_min: int) -> str:
    """An offset from UTC as people read it: ``UTC-05:00``, ``UTC+05:30``, ``UTC``."""
    if offset_min == 0:
        return "UTC"
    sign = "+" if offset_min > 0 else "-"
    hours, minutes = divmod(abs(offset_min), 60)
    return f"UTC{sign}{hours:02d}:{minutes:02d}"


def elsewhere_time_text(offset_min: int, here: str) -> str:
    """Said of a session time kept from another zone: the time shown is the clock's where it
    was practised (``offset_min`` from UTC); ``here`` is the same moment on this computer."""
    return (
        f"The time where this session was practised ({offset_text(offset_min)}). "
        f"On this computer's clock it was {here}."
    )


def kept_after_text(kept_after: int) -> str:
    """The import summary's word on after-ratings given here that a file did not replace
    (empty when there were none); it starts with a space."""
    if not kept_after:
        return ""
    return (
        f" {sessions_text(kept_after)} already had after-ratings you gave here; yours were "
        "kept, not the ones in the file."
    )
