"""The shared wording: counts round up at fractional times, rates, lengths, areas of the body,
ratings and session statuses read the same wherever they are shown."""

from __future__ import annotations

import pytest

from trainer.app.words import (
    STATUS_WORDS,
    before_after_text,
    count_shown,
    countdown_text,
    days_text,
    describe_phases,
    describe_regions,
    duration_text,
    early_practice_text,
    hours_text,
    length_text,
    minutes_text,
    number_text,
    phase_word,
    practised_text,
    ramp_box_text,
    ramp_minutes_from_text,
    ramp_text,
    rate_text,
    seconds_text,
    status_text,
    time_left_text,
    whole_seconds_left,
)
from trainer.content.breathing import BreathingPattern, Phase, PhaseKind, Ramp
from trainer.content.catalog import Exercise
from trainer.session.machine import SessionStatus
from trainer.session.resonance import resonance_pattern

# -- counts at fractional times ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("seconds", "whole"),
    [(0.0, 0), (-2.0, 0), (0.2, 1), (1.0, 1), (1.0 + 1e-12, 1), (2.6, 3), (3.0, 3), (59.01, 60)],
)
def test_seconds_left_round_up_to_the_second_under_way(seconds: float, whole: int) -> None:
    assert whole_seconds_left(seconds) == whole


def test_a_count_on_screen_never_reads_0() -> None:
    assert [count_shown(s) for s in (2.6, 2.0, 1.4, 0.3, 0.0)] == [3, 2, 2, 1, 1]


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (245.0, "4:05"),
        (244.2, "4:05"),  # floor would say 4:04 while the 245th second is still going
        (244.0, "4:04"),
        (59.5, "1:00"),
        (0.4, "0:01"),
        (0.0, "0:00"),
        (-1.0, "0:00"),
        (900.0, "15:00"),
    ],
)
def test_the_countdown_reads_0_00_only_at_the_very_end(seconds: float, text: str) -> None:
    assert countdown_text(seconds) == text
    assert time_left_text(seconds) == f"{text} left"


# -- breathing --------------------------------------------------------------------------------


def test_rates_durations_and_minutes() -> None:
    assert rate_text(6.0) == "6 breaths a minute"
    assert rate_text(3.75) == "3.8 breaths a minute"  # halves round up, as people expect
    assert rate_text(5.5) == "5.5 breaths a minute"
    assert rate_text(1.0) == "1 breath a minute"
    assert minutes_text(1) == "1 minute"
    assert minutes_text(15) == "15 minutes"
    assert duration_text(48.4) == "48 s"
    assert duration_text(76.0) == "1 min 16 s"
    assert duration_text(300.0) == "5 min"
    assert duration_text(304.0) == "5 min 4 s"


def test_a_rate_has_at_most_one_decimal() -> None:
    """Found: 4-7-8 read "3.16 breaths/min" and a ramp's rate had another wording of its own."""
    assert rate_text(60 / 19) == "3.2 breaths a minute"  # 4-7-8, 3.15789...
    assert rate_text(3.16) == "3.2 breaths a minute"
    assert rate_text(5.96) == "6 breaths a minute"
    assert rate_text(Ramp(7.0, 5.5, 5.0).start_bpm) == "7 breaths a minute"


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (4.61538, "4.6"),
        (2.53333, "2.5"),
        (6.0, "6"),
        (5.96, "6"),
        (2.25, "2.3"),  # half up, not to the even neighbour
        (0.04, "0"),
        (-0.04, "0"),  # never "-0"
        (12.0, "12"),
        (2.55, "2.5"),  # stored as 2.5499...: the same as a one-decimal spin box shows
        (1e308, str(round(1e308))),  # still a number, however long
    ],
)
def test_numbers_for_people_have_at_most_one_decimal(value: float, text: str) -> None:
    assert number_text(value) == text


def test_the_findings_read_as_people_would_say_them() -> None:
    """Found: "over 2.53333 min" (ease in) and "My resonance: in 4.61538 s, out 4.61538 s"."""
    assert minutes_text(2.53333) == "2.5 minutes"
    assert minutes_text(1.0) == "1 minute"
    assert seconds_text(4.61538) == "4.6 s"
    assert seconds_text(5.0) == "5 s"
    resonance = resonance_pattern(6.5)  # 60 / 6.5 / 2 = 4.61538... s each way
    assert describe_phases(resonance) == "in 4.6 s, out 4.6 s"
    assert ramp_text(7.5, 6.0, 2.53333) == "7.5 easing to 6 breaths a minute over 2.5 minutes"


@pytest.mark.parametrize(
    ("minutes", "said", "boxed"),
    [
        (0.6, "over 36 s", "36 s"),  # it said "over 0.6 minutes"
        (0.5, "over 30 s", "30 s"),
        (1.5, "over 1 min 30 s", "1 min 30 s"),
        (2.0, "over 2 minutes", "2 min"),
        (2.55, "over 2.5 minutes", "2.5 min"),
    ],
)
def test_a_short_ease_in_is_said_in_seconds(minutes: float, said: str, boxed: str) -> None:
    assert ramp_text(7.5, 6.0, minutes).endswith(said)
    assert ramp_box_text(minutes) == boxed
    assert ramp_minutes_from_text(boxed) == pytest.approx(round(minutes * 60) / 60, abs=0.05)


@pytest.mark.parametrize(
    ("typed", "minutes"),
    [("36 s", 0.6), ("36s", 0.6), ("1 min 30 s", 1.5), ("2.5 min", 2.5), ("2,5", 2.5), ("3", 3.0)],
)
def test_a_typed_ease_in_length_is_read(typed: str, minutes: float) -> None:
    assert ramp_minutes_from_text(typed) == pytest.approx(minutes)


@pytest.mark.parametrize("typed", ["", "s", "min", "abc", "3 h", "1.5 s"])
def test_what_is_not_a_length_is_not_read(typed: str) -> None:
    assert ramp_minutes_from_text(typed) is None


def test_the_length_reads_as_it_was_chosen(coherent: BreathingPattern) -> None:
    exercise = Exercise("coherent-5-5", "Coherent", "Even breaths", "", coherent)
    assert length_text(exercise.plan(5)) == "5 minutes"
    assert length_text(exercise.plan(1)) == "1 minute"


def test_the_top_up_word_is_only_for_a_second_inhale_in_a_row(box: BreathingPattern) -> None:
    words = {phase_word(box, box.state_at(t)) for t in (1.0, 5.0, 9.0, 13.0)}
    assert words == {"Breathe in", "Hold", "Breathe out"}
    sigh = BreathingPattern(
        [
            Phase(PhaseKind.INHALE, 2, to_level=0.8),
            Phase(PhaseKind.INHALE, 1),
            Phase(PhaseKind.EXHALE, 6),
        ]
    )
    words_in_order = [phase_word(sigh, sigh.state_at(t)) for t in (1.0, 2.5, 5.0)]
    assert words_in_order == ["Breathe in", "A little more in", "Breathe out"]


# -- the body, ratings and sessions ---------------------------------------------------------------


def test_regions_are_described_in_plain_words() -> None:
    assert describe_regions([]) == ""
    assert describe_regions(["head"]) == "Head"
    assert describe_regions(["upper_back", "lower_back"]) == "Your back"
    assert describe_regions(["left_hip", "right_hip", "left_foot"]) == "Both hips and left foot"


def test_ratings_before_and_after_in_a_sentence() -> None:
    assert before_after_text(6, 3) == "6 → 3"
    assert before_after_text(None, 3) == "skipped → 3"
    assert before_after_text(4, None) == "4 → skipped"
    assert before_after_text(None, None) == "not rated"  # said once, not "skipped → skipped"


def test_every_status_has_one_wording() -> None:
    assert set(STATUS_WORDS) == {s.value for s in SessionStatus}
    assert status_text("abandoned") == "Left during practice"
    assert status_text("ended_early") == "Ended early"
    assert status_text("something_new") == "Something new"


def test_time_practised_reads_as_a_sentence_and_totals_as_hours() -> None:
    assert practised_text(0.4) == "less than a minute"
    assert practised_text(1.2) == "1 minute"
    assert practised_text(12.6) == "13 minutes"
    assert hours_text(59.6) == "1 h"
    assert hours_text(125) == "2 h 5 min"
    assert days_text(1) == "1 day"
    assert days_text(1204) == "1,204 days"


def test_early_practice_says_what_there_is_and_what_will_come() -> None:
    first, then = early_practice_text("Box breathing", (6, None), (4, 3), 1, 5)
    assert first == (
        "Your latest session, Box breathing: tension 6 → 4 and pain skipped → 3 (before → after)."
    )
    assert "After 4 more sessions rated both times" in then
    assert "After 1 more session rated" in early_practice_text("X", (1, 1), (1, 1), 4, 5)[1]
    quiet = early_practice_text("Body scan", (None, None), (None, None), 0, 5)[0]
    assert quiet == "Your latest session was Body scan. Thank you for taking the time."
