"""Plan building: choices -> SessionPlan (length, breaths, no holds, ease-in, clamping)."""

from __future__ import annotations

import pytest

from trainer.app.plan import (
    MAX_BREATHS,
    PlanChoices,
    breaths_for,
    build_plan,
    counts_breaths,
    ramp_for,
)
from trainer.content.breathing import MAX_RATE_BPM
from trainer.content.catalog import Catalog, Exercise, load_catalog


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog()


def exercise(catalog: Catalog, exercise_id: str) -> Exercise:
    return next(e for e in catalog.exercises if e.id == exercise_id)


def test_nothing_chosen_gives_the_default_minutes(catalog):
    coherent = exercise(catalog, "coherent-5-5")
    plan = build_plan(coherent, PlanChoices(), default_minutes=10)
    assert plan.options["length"] == {"minutes": 10}
    assert plan.cycles == 60  # 10 s a breath
    assert plan.ramp is None


def test_chosen_minutes_win_over_the_default(catalog):
    plan = build_plan(exercise(catalog, "coherent-5-5"), PlanChoices(minutes=3), 10)
    assert plan.options["length"] == {"minutes": 3}
    assert plan.cycles == 18


def test_an_exercise_that_suggests_breaths_counts_breaths_until_told_otherwise(catalog):
    four_seven_eight = exercise(catalog, "four-seven-eight")
    assert counts_breaths(four_seven_eight, PlanChoices())
    assert build_plan(four_seven_eight, PlanChoices(), 5).options["length"] == {"cycles": 4}
    by_minutes = build_plan(four_seven_eight, PlanChoices(by_breaths=False, minutes=2), 5)
    assert by_minutes.options["length"] == {"minutes": 2}


def test_breaths_default_to_what_fits_the_minutes_within_the_limit(catalog):
    coherent = exercise(catalog, "coherent-5-5")
    assert breaths_for(coherent, PlanChoices(), 5) == 30
    assert breaths_for(coherent, PlanChoices(), 20) == MAX_BREATHS  # 120 would fit: clamped
    assert breaths_for(coherent, PlanChoices(breaths=7), 20) == 7
    plan = build_plan(coherent, PlanChoices(by_breaths=True, breaths=7), 5)
    assert plan.cycles == 7
    assert plan.options["length"] == {"cycles": 7}


def test_no_holds_leaves_the_holds_out(catalog):
    box = exercise(catalog, "box-4-4-4-4")
    assert box.pattern.has_holds
    plan = build_plan(box, PlanChoices(no_holds=True, minutes=2), 5)
    assert not plan.pattern.has_holds
    assert plan.options["no_holds"] is True
    assert build_plan(box, PlanChoices(minutes=2), 5).pattern.has_holds


def test_ease_in_by_default_starts_quicker_and_takes_half_the_session(catalog):
    coherent = exercise(catalog, "coherent-5-5")
    plan = build_plan(coherent, PlanChoices(ease_in=True, minutes=4), 5)
    assert plan.ramp is not None
    assert plan.ramp.target_bpm == pytest.approx(6.0)
    assert plan.ramp.start_bpm == pytest.approx(7.5)
    assert plan.ramp.minutes == pytest.approx(2.0)


def test_a_chosen_ramp_is_clamped_to_the_pace_the_fastest_rate_and_the_session(catalog):
    coherent = exercise(catalog, "coherent-5-5")
    plain = build_plan(coherent, PlanChoices(minutes=2), 5)
    slower = ramp_for(PlanChoices(ramp=(3.0, 0.1)), plain)
    assert slower.start_bpm == pytest.approx(6.0)  # never starts slower than the pace
    assert slower.minutes == pytest.approx(0.5)  # half a minute at least
    wild = ramp_for(PlanChoices(ramp=(99.0, 60.0)), plain)
    assert wild.start_bpm == pytest.approx(MAX_RATE_BPM)
    assert wild.minutes == pytest.approx(plain.planned_s / 60)  # never longer than the session


def test_ease_in_with_breaths_keeps_the_count(catalog):
    coherent = exercise(catalog, "coherent-5-5")
    plan = build_plan(coherent, PlanChoices(by_breaths=True, breaths=12, ease_in=True), 5)
    assert plan.cycles == 12
    assert plan.ramp is not None
