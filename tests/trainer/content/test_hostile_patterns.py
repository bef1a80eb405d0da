"""Hostile input for breathing patterns: ``BreathingPattern.from_dict`` and the editor's draft.

Whatever the data, a pattern is built or a :class:`PatternError` with one line comes back, and a
pattern survives ``to_dict`` -> ``from_dict`` unchanged.
"""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.trainer.hostile import JSON_VALUES, NUMBERS, check_message, outcome
from trainer.content.breathing import BreathingPattern, Phase, PhaseKind
from trainer.content.custom import PatternDraft
from trainer.errors import PatternError

KINDS = st.sampled_from(["inhale", "hold", "exhale"]) | st.text(max_size=8) | JSON_VALUES
PHASE_DICTS = st.fixed_dictionaries(
    {"kind": KINDS, "seconds": NUMBERS | JSON_VALUES},
    optional={"to_level": NUMBERS | st.none() | JSON_VALUES},
) | st.dictionaries(st.text(max_size=10), JSON_VALUES, max_size=4)
PATTERN_DATA = (
    st.fixed_dictionaries({"phases": st.lists(PHASE_DICTS | JSON_VALUES, max_size=6)})
    | st.dictionaries(st.text(max_size=10), JSON_VALUES, max_size=3)
    | JSON_VALUES
)


@given(PATTERN_DATA)
def test_any_data_gives_a_pattern_or_one_line_error(data: object) -> None:
    result = outcome(lambda: BreathingPattern.from_dict(data), PatternError)  # type: ignore[arg-type]
    if isinstance(result, BreathingPattern):
        assert 2 <= result.cycle_s <= 60
        assert BreathingPattern.from_dict(result.to_dict()) == result


SENSIBLE_SECONDS = st.floats(min_value=1, max_value=14, allow_nan=False)
HOLD_SECONDS = st.floats(min_value=0, max_value=4, allow_nan=False)
LEVELS = st.none() | st.floats(min_value=0.05, max_value=0.95)


@given(SENSIBLE_SECONDS, HOLD_SECONDS, SENSIBLE_SECONDS, HOLD_SECONDS)
def test_valid_patterns_round_trip(
    inhale: float, hold_in: float, exhale: float, hold_out: float
) -> None:
    pattern = BreathingPattern(
        [
            Phase(PhaseKind.INHALE, inhale),
            Phase(PhaseKind.HOLD, hold_in),
            Phase(PhaseKind.EXHALE, exhale),
            Phase(PhaseKind.HOLD, hold_out),
        ]
    )
    again = BreathingPattern.from_dict(pattern.to_dict())
    assert again == pattern
    assert again.to_dict() == pattern.to_dict()


@given(SENSIBLE_SECONDS, SENSIBLE_SECONDS, SENSIBLE_SECONDS, LEVELS)
def test_two_inhale_patterns_round_trip(
    first: float, top_up: float, exhale: float, level: float | None
) -> None:
    result = outcome(
        lambda: BreathingPattern(
            [
                Phase(PhaseKind.INHALE, first, level),
                Phase(PhaseKind.INHALE, top_up, 1.0),
                Phase(PhaseKind.EXHALE, exhale),
            ]
        ),
        PatternError,
        "phase",
    )
    if isinstance(result, BreathingPattern):
        assert BreathingPattern.from_dict(result.to_dict()) == result


@given(NUMBERS)
def test_any_rate_gives_a_pattern_or_one_line_error(rate: float) -> None:
    coherent = BreathingPattern([Phase(PhaseKind.INHALE, 5), Phase(PhaseKind.EXHALE, 5)])
    result = outcome(lambda: coherent.at_rate(rate), PatternError, "rate", "breath", "phase")
    if isinstance(result, BreathingPattern):
        assert math.isclose(result.rate_bpm, rate)


NAMES = st.text(max_size=50)


@given(NAMES, NUMBERS, NUMBERS, NUMBERS, NUMBERS)
def test_a_draft_lists_problems_or_makes_its_pattern(
    name: str, inhale: float, hold_in: float, exhale: float, hold_out: float
) -> None:
    draft = PatternDraft(name, inhale, hold_in, exhale, hold_out)
    problems = draft.problems(taken_names=["Box"])
    for problem in problems:
        assert problem.strip()
        assert "\n" not in problem
    if not problems:
        pattern = draft.to_pattern()
        assert PatternDraft.from_pattern(draft.name, pattern) == draft
    else:
        try:
            draft.to_pattern()
        except PatternError as error:
            check_message(error)


# -- the bugs these properties found ----------------------------------------------------------


def test_a_huge_whole_number_of_seconds_is_a_pattern_error() -> None:
    """Found: 10**400 seconds raised OverflowError (int too large to convert to float)."""
    with pytest.raises(PatternError, match="Phase 1"):
        BreathingPattern.from_dict({"phases": [{"kind": "inhale", "seconds": 10**400}]})


def test_a_huge_whole_number_level_is_a_pattern_error() -> None:
    """Found: to_level = 10**400 raised OverflowError."""
    data = {
        "phases": [
            {"kind": "inhale", "seconds": 2, "to_level": 10**400},
            {"kind": "exhale", "seconds": 2},
        ]
    }
    with pytest.raises(PatternError, match="level"):
        BreathingPattern.from_dict(data)


def test_a_huge_whole_number_rate_is_a_pattern_error() -> None:
    """Found: at_rate(10**400) raised OverflowError."""
    coherent = BreathingPattern([Phase(PhaseKind.INHALE, 5), Phase(PhaseKind.EXHALE, 5)])
    with pytest.raises(PatternError, match="rate"):
        coherent.at_rate(10**400)


def test_pattern_data_that_is_not_a_table_is_a_pattern_error() -> None:
    """Found: from_dict([]) raised AttributeError ('list' object has no attribute 'get')."""
    with pytest.raises(PatternError, match="phases"):
        BreathingPattern.from_dict([])  # type: ignore[arg-type]


def test_a_draft_of_1e308_seconds_lists_a_problem() -> None:
    """Found: a hold of 1e308 s raised OverflowError (round(inf)) instead of listing problems."""
    problems = PatternDraft("Long", 4, 0, 4, 1e308).problems()
    assert "The hold after breathing out can last at most 20 s." in problems


def test_a_draft_of_a_huge_whole_number_lists_a_problem() -> None:
    """Found: 10**400 s raised OverflowError (int too large to convert to float)."""
    problems = PatternDraft("Long", 10**400, 0, 4, 0).problems()
    assert "Breathing in needs a number of seconds." in problems


def test_an_unknown_key_holding_a_line_break_is_named_on_one_line() -> None:
    """Found (with HYPOTHESIS_PROFILE=thorough): {"\\n": None} as a phase gave the message
    "Phase 1 has unknown keys: \\n." on two lines."""
    with pytest.raises(PatternError) as raised:
        BreathingPattern.from_dict({"phases": [{"kind": "inhale", "seconds": 4, "\n": None}]})
    assert str(raised.value) == "Phase 1 has unknown keys: '\\n'."
