"""The resonance-rate finder: its steps, timing, ratings and what is stored."""

from __future__ import annotations

import pytest

from trainer.errors import PatternError, RatingError, TransitionError
from trainer.session.resonance import (
    EASE_CALM,
    FINDER_RATES_BPM,
    MIN_RATED_FOR_BEST,
    REST_S,
    STEP_S,
    FinderState,
    ResonanceFinder,
    ResonanceRun,
    StepResult,
    resonance_pattern,
)

F = FinderState


@pytest.fixture
def finder(clock, wall) -> ResonanceFinder:
    return ResonanceFinder(clock=clock, utc_now=wall)


def breathe_step(finder: ResonanceFinder, clock, wall) -> None:
    clock.advance(STEP_S)
    wall.advance(STEP_S)
    finder.update()


def test_the_protocol_steps_down_from_six_and_a_half_to_four_and_a_half() -> None:
    assert FINDER_RATES_BPM == (6.5, 6.0, 5.5, 5.0, 4.5)
    assert STEP_S == 120.0  # about two minutes at each rate
    assert 0 < REST_S <= 60


@pytest.mark.parametrize("rate", FINDER_RATES_BPM)
def test_each_step_breathes_evenly_at_its_rate_like_the_resonance_preset(rate) -> None:
    pattern = resonance_pattern(rate)
    assert pattern.rate_bpm == pytest.approx(rate, abs=1e-3)
    inhale, exhale = pattern.phases
    assert inhale.seconds / pattern.cycle_s == pytest.approx(0.5, abs=1e-3)
    assert exhale.seconds == pytest.approx(inhale.seconds)


@pytest.mark.parametrize("rate", [0.5, 31.0, float("nan")])
def test_impossible_rates_are_refused(rate) -> None:
    with pytest.raises(PatternError, match="1 to 30 breaths"):
        resonance_pattern(rate)


def test_a_whole_run_visits_every_rate_in_order(finder, clock, wall) -> None:
    seen = []
    finder.subscribe(seen.append)
    finder.start()
    scores = [5, 7, 9, 6, 4]
    for index, score in enumerate(scores):
        assert finder.state is F.BREATHING
        assert finder.rate_bpm == FINDER_RATES_BPM[index]
        breathe_step(finder, clock, wall)
        assert finder.state is F.RATING
        finder.rate(score)
        if index < len(scores) - 1:
            assert finder.state is F.RESTING
            clock.advance(REST_S)
            finder.update()
    assert finder.state is F.DONE
    run = finder.run()
    assert run.completed
    assert [s.rate_bpm for s in run.steps] == list(FINDER_RATES_BPM)
    assert [s.scores[EASE_CALM] for s in run.steps] == scores
    assert all(s.practised_s == STEP_S for s in run.steps)
    assert run.best_bpm() == 5.5
    assert seen.count(F.BREATHING) == 5
    assert seen.count(F.RESTING) == 4


def test_the_pacer_follows_the_current_step_and_rests_small(finder, clock, wall) -> None:
    finder.start()
    clock.advance(60 / 6.5 * 0.5 / 2)  # half-way through the first inhale at 6.5/min
    assert finder.pacer_state().level == pytest.approx(0.5)
    clock.advance(STEP_S)
    finder.update()
    finder.rate(6)
    assert finder.state is F.RESTING
    assert finder.pacer_state().level == 0.0
    assert finder.remaining_s == REST_S
    finder.skip_rest()
    assert finder.state is F.BREATHING
    assert finder.rate_bpm == 6.0
    assert finder.elapsed_s == 0.0


def test_pause_holds_the_step_clock(finder, clock) -> None:
    finder.start()
    clock.advance(30.0)
    finder.pause()
    level = finder.pacer_state().level
    clock.advance(500.0)
    finder.update()
    assert finder.state is F.PAUSED
    assert finder.elapsed_s == pytest.approx(30.0)
    assert finder.pacer_state().level == level
    finder.resume()
    assert finder.state is F.BREATHING
    clock.advance(STEP_S - 30.0)
    finder.update()
    assert finder.state is F.RATING


def test_a_skipped_rating_is_kept_without_a_score(finder, clock, wall) -> None:
    finder.start()
    breathe_step(finder, clock, wall)
    finder.rate(None)
    assert finder.results[0] == StepResult(6.5, STEP_S, {})


@pytest.mark.parametrize("bad", [-1, 11, 5.5, "7"])
def test_ratings_outside_zero_to_ten_are_refused(finder, clock, wall, bad) -> None:
    finder.start()
    breathe_step(finder, clock, wall)
    with pytest.raises(RatingError):
        finder.rate(bad)
    assert finder.state is F.RATING
    assert finder.results == []


def test_stopping_early_keeps_what_was_done(finder, clock, wall) -> None:
    finder.start()
    breathe_step(finder, clock, wall)
    finder.rate(8)
    finder.skip_rest()
    clock.advance(45.0)
    finder.stop()
    assert finder.state is F.STOPPED
    run = finder.run()
    assert not run.completed
    assert [(s.rate_bpm, s.practised_s) for s in run.steps] == [(6.5, STEP_S), (6.0, 45.0)]
    assert run.best_bpm() is None  # one pace rated: nothing to call it best against
    assert run.top_rated_bpm() == 6.5


def test_stopping_at_the_rating_keeps_the_whole_step_unrated(finder, clock, wall) -> None:
    finder.start()
    breathe_step(finder, clock, wall)
    assert finder.state is F.RATING
    clock.advance(30.0)  # thinking about the answer is not practice
    finder.stop()
    assert finder.run().steps == (StepResult(6.5, STEP_S, {}),)


@pytest.mark.parametrize(
    ("action", "state"),
    [
        ("rate", F.READY),
        ("skip_rest", F.BREATHING),
        ("resume", F.BREATHING),
        ("start", F.BREATHING),
    ],
)
def test_invalid_moves_are_refused(finder, action, state) -> None:
    if state is F.BREATHING:
        finder.start()
    with pytest.raises(TransitionError):
        getattr(finder, action)(5) if action == "rate" else getattr(finder, action)()


def test_run_before_start_is_refused(finder) -> None:
    with pytest.raises(TransitionError):
        finder.run()


def test_best_rate_ties_go_to_the_faster_rate_and_need_a_score(wall) -> None:
    steps = (
        StepResult(6.0, 120, {EASE_CALM: 8}),
        StepResult(5.5, 120, {EASE_CALM: 5}),
        StepResult(5.0, 120, {EASE_CALM: 8}),
    )
    assert ResonanceRun(wall(), wall(), True, steps).best_bpm() == 6.0
    unscored = (StepResult(6.0, 120, {}),)
    assert ResonanceRun(wall(), wall(), False, unscored).best_bpm() is None
    assert ResonanceRun(wall(), wall(), False, unscored).top_rated_bpm() is None
    other = tuple(
        StepResult(rate, 120, {EASE_CALM: 3, "hr_swing_bpm": swing})
        for rate, swing in ((6.5, 9), (6.0, 12), (5.5, 10))
    )
    assert ResonanceRun(wall(), wall(), True, other).best_bpm("hr_swing_bpm") == 6.0


@pytest.mark.parametrize("rated", [1, 2])
def test_no_best_is_named_from_fewer_than_three_rated_paces(wall, rated) -> None:
    assert MIN_RATED_FOR_BEST == 3
    steps = tuple(
        StepResult(rate, 120, {EASE_CALM: score} if i < rated else {})
        for i, (rate, score) in enumerate(((6.5, 9), (6.0, 4), (5.5, 2), (5.0, 1)))
    )
    run = ResonanceRun(wall(), wall(), False, steps)
    assert len(run.rated()) == rated
    assert run.best_bpm() is None
    assert run.close_to_best_bpm() == ()
    assert run.top_rated_bpm() == 6.5  # still there to keep, if the person wants it


def test_three_rated_paces_name_a_best_and_the_paces_close_to_it(wall) -> None:
    scores = ((6.5, 6), (6.0, 8), (5.5, 7), (5.0, 3))
    steps = tuple(StepResult(rate, 120, {EASE_CALM: score}) for rate, score in scores)
    run = ResonanceRun(wall(), wall(), False, steps)
    assert run.best_bpm() == 6.0
    assert run.close_to_best_bpm() == (5.5,)  # within a point of the best; 6.5 is two below


def test_runs_are_stored_with_every_step_and_score(store, finder, clock, wall) -> None:
    profile = store.profiles.default_id()
    finder.start()
    for score in (5, None, 9, 7):
        breathe_step(finder, clock, wall)
        finder.rate(score)
        if finder.state is F.RESTING:
            finder.skip_rest()
    finder.stop()
    run_id = store.resonance.save_run(profile, finder.run())
    (stored,) = store.resonance.runs(profile)
    assert stored.run_id == run_id
    assert stored.steps == finder.run().steps
    assert stored.best_bpm() == 5.5
    assert not stored.completed
    row = store.db.execute("SELECT best_bpm FROM resonance_runs").fetchone()
    assert row[0] == 5.5
    # A second criterion can be added per step without a schema change.
    store.db.execute("INSERT INTO resonance_scores VALUES (?, 0, 'hr_swing_bpm', 11.5)", [run_id])
    (again,) = store.resonance.runs(profile)
    assert again.steps[0].scores == {EASE_CALM: 5.0, "hr_swing_bpm": 11.5}


def test_resting_is_known_even_while_paused(finder, clock, wall) -> None:
    finder.start()
    assert not finder.resting
    breathe_step(finder, clock, wall)
    finder.rate(4)
    assert finder.resting
    finder.pause()
    assert finder.resting
    finder.resume()
    finder.skip_rest()
    assert not finder.resting
