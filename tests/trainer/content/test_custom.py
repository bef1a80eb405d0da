"""Tests for trainer/content/custom.py: every rule of the pattern editor, on both sides of each bound."""

from __future__ import annotations

import math

import pytest

from trainer.content.breathing import BreathingPattern, Phase, PhaseKind
from trainer.content.custom import MAX_NAME_CHARS, PatternDraft

INHALE, HOLD, EXHALE = PhaseKind.INHALE, PhaseKind.HOLD, PhaseKind.EXHALE


def draft(
    name: str = "Evening",
    inhale_s: float = 4.0,
    hold_in_s: float = 0.0,
    exhale_s: float = 6.0,
    hold_out_s: float = 0.0,
) -> PatternDraft:
    return PatternDraft(name, inhale_s, hold_in_s, exhale_s, hold_out_s)


def test_a_plain_pattern_has_no_problems_and_knows_its_rate() -> None:
    ok = draft(inhale_s=4, hold_in_s=7, exhale_s=8)
    assert ok.problems() == []
    assert ok.cycle_s == 19
    assert ok.rate_bpm == pytest.approx(60 / 19)


def test_an_empty_cycle_has_no_rate() -> None:
    assert draft(inhale_s=0, exhale_s=0).rate_bpm is None


@pytest.mark.parametrize("field", ["inhale_s", "exhale_s"])
def test_breathing_in_and_out_need_at_least_one_second(field: str) -> None:
    words = "Breathing in" if field == "inhale_s" else "Breathing out"
    values = {"inhale_s": 4.0, "exhale_s": 6.0}
    values[field] = 0.5
    assert f"{words} needs at least 1 s." in draft(**values).problems()
    values[field] = 1.0
    assert draft(**values).problems() == []


@pytest.mark.parametrize(
    ("field", "words"),
    [
        ("hold_in_s", "The hold after breathing in"),
        ("hold_out_s", "The hold after breathing out"),
    ],
)
def test_holds_last_from_zero_to_twenty_seconds(field: str, words: str) -> None:
    assert draft(**{field: 0.0}).problems() == []
    assert draft(**{field: 20.0}).problems() == []
    assert draft(**{field: 20.5}).problems() == [f"{words} can last at most 20 s."]
    assert draft(**{field: -0.5}).problems() == [f"{words} cannot be negative."]


@pytest.mark.parametrize(
    ("field", "words"),
    [
        ("inhale_s", "Breathing in"),
        ("hold_in_s", "The hold after breathing in"),
        ("exhale_s", "Breathing out"),
        ("hold_out_s", "The hold after breathing out"),
    ],
)
def test_every_phase_moves_in_tenths_of_a_second(field: str, words: str) -> None:
    assert draft(**{field: 4.5}).problems() == []
    assert draft(**{field: 4.6}).problems() == []  # a pace kept by Find my pace, rounded
    assert draft(**{field: 4.25}).problems() == [f"{words} must be in steps of 0.1 s."]


def test_a_finer_draft_rounds_to_tenths_and_keeps_its_pace() -> None:
    """Found: "My resonance" (4.61538 s in and out) could not be changed in the editor."""
    fine = draft(inhale_s=60 / 6.5 / 2, exhale_s=60 / 6.5 / 2)
    assert fine.problems() != []
    rounded = fine.rounded()
    assert (rounded.inhale_s, rounded.exhale_s) == (4.6, 4.6)
    assert rounded.problems() == []
    assert rounded.rate_bpm is not None
    assert abs(rounded.rate_bpm - 6.5) < 0.03
    assert draft(inhale_s=math.nan).rounded().problems() == draft(inhale_s=math.nan).problems()


def test_a_phase_needs_a_number() -> None:
    assert draft(inhale_s=math.nan).problems() == ["Breathing in needs a number of seconds."]


def test_one_breath_lasts_from_two_to_sixty_seconds() -> None:
    short = draft(inhale_s=1.0, exhale_s=0.5)
    assert short.cycle_s == 1.5
    assert any(
        p.startswith("One breath lasts 1.5 s; it must last from 2 s to 60 s")
        for p in short.problems()
    )
    assert draft(inhale_s=1.0, exhale_s=1.0).problems() == []  # 2 s
    assert draft(inhale_s=20, hold_in_s=20, exhale_s=20).problems() == []  # 60 s
    long = draft(inhale_s=20.5, hold_in_s=20, exhale_s=20)
    assert long.cycle_s == 60.5
    assert long.problems() == [
        "One breath lasts 60.5 s; it must last from 2 s to 60 s (1 to 30 breaths a minute)."
    ]


def test_every_problem_is_reported_at_once() -> None:
    found = draft(name=" ", inhale_s=0.5, hold_in_s=25, exhale_s=0.25).problems()
    assert found == [
        "Give the pattern a name.",
        "Breathing in needs at least 1 s.",
        "The hold after breathing in can last at most 20 s.",
        "Breathing out needs at least 1 s.",
        "Breathing out must be in steps of 0.1 s.",
    ]


@pytest.mark.parametrize("name", ["", "   ", "\t"])
def test_a_name_is_needed(name: str) -> None:
    assert draft(name=name).problems() == ["Give the pattern a name."]


def test_a_name_has_at_most_forty_characters() -> None:
    assert MAX_NAME_CHARS == 40
    assert draft(name="x" * 40).problems() == []
    assert draft(name="  " + "x" * 40 + "  ").problems() == []  # spaces around do not count
    assert draft(name="x" * 41).problems() == ["Keep the name to 40 characters or fewer."]


def test_a_name_in_use_is_refused_whatever_its_case() -> None:
    taken = ["Box breathing", "My evening"]
    assert draft(name="my EVENING ").problems(taken) == [
        "The name “my EVENING” is already used; choose another."
    ]
    assert draft(name="box breathing").problems(taken) != []
    assert draft(name="My evenings").problems(taken) == []


def test_to_pattern_leaves_out_zero_holds() -> None:
    assert draft(inhale_s=4, exhale_s=6).to_pattern() == BreathingPattern(
        [Phase(INHALE, 4), Phase(EXHALE, 6)]
    )
    box = draft(inhale_s=4, hold_in_s=4, exhale_s=4, hold_out_s=4).to_pattern()
    assert [(p.kind, p.seconds) for p in box.phases] == [
        (INHALE, 4),
        (HOLD, 4),
        (EXHALE, 4),
        (HOLD, 4),
    ]
    assert box.rate_bpm == 3.75


@pytest.mark.parametrize(
    "seconds",
    [(4, 0, 6, 0), (4, 7, 8, 0), (4, 0, 6, 2), (4, 4, 4, 4), (1, 0, 1, 0), (20, 20, 20, 0)],
)
def test_drafts_round_trip_through_patterns(seconds: tuple[float, ...]) -> None:
    original = draft("Mine", *seconds)
    back = PatternDraft.from_pattern("Mine", original.to_pattern())
    assert back == original
    assert back.to_pattern() == original.to_pattern()


def test_patterns_of_another_shape_do_not_fit_the_editor() -> None:
    sigh = BreathingPattern([Phase(INHALE, 2.5, to_level=0.8), Phase(INHALE, 1), Phase(EXHALE, 6)])
    assert PatternDraft.from_pattern("Sigh", sigh) is None
    two_exhales = BreathingPattern([Phase(INHALE, 4), Phase(EXHALE, 3, 0.5), Phase(EXHALE, 3)])
    assert PatternDraft.from_pattern("Two", two_exhales) is None
