"""Every shipped breathing preset: its rate, its phases at exact times, and its notes."""

from __future__ import annotations

import pytest

from trainer.content.breathing import PhaseKind
from trainer.content.catalog import Catalog, load_catalog

IN, HOLD, OUT = PhaseKind.INHALE, PhaseKind.HOLD, PhaseKind.EXHALE

# id -> (breaths a minute, [(kind, seconds), ...], suggested breaths)
EXPECTED = {
    "coherent-5-5": (6.0, [(IN, 5), (OUT, 5)], None),
    "resonance-5-5": (5.5, [(IN, 60 / 11), (OUT, 60 / 11)], None),
    "box-4-4-4-4": (3.75, [(IN, 4), (HOLD, 4), (OUT, 4), (HOLD, 4)], None),
    "four-seven-eight": (60 / 19, [(IN, 4), (HOLD, 7), (OUT, 8)], 4),
    "extended-exhale-4-6": (6.0, [(IN, 4), (OUT, 6)], None),
    "extended-exhale-7-11": (60 / 18, [(IN, 7), (OUT, 11)], None),
    "cyclic-sighing": (60 / 9.5, [(IN, 2.5), (IN, 1), (OUT, 6)], None),
}


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog()


def test_every_required_preset_is_shipped(catalog) -> None:
    assert set(EXPECTED) <= {e.id for e in catalog.exercises}


@pytest.mark.parametrize("exercise_id", sorted(EXPECTED))
def test_preset_rate_and_phases(catalog, exercise_id) -> None:
    rate, phases, suggested = EXPECTED[exercise_id]
    exercise = catalog.get(exercise_id)
    assert exercise.pattern.rate_bpm == pytest.approx(rate, abs=1e-6)
    assert [(p.kind, pytest.approx(p.seconds, abs=1e-6)) for p in exercise.pattern.phases] == [
        (kind, pytest.approx(seconds, abs=1e-6)) for kind, seconds in phases
    ]
    assert exercise.suggested_cycles == suggested
    assert exercise.description
    assert exercise.source


@pytest.mark.parametrize("exercise_id", sorted(EXPECTED))
def test_preset_phase_boundaries_are_exact(catalog, exercise_id) -> None:
    pattern = catalog.get(exercise_id).pattern
    start = 0.0
    for index, phase in enumerate(pattern.phases):
        at_start = pattern.state_at(start)
        assert (at_start.phase_index, at_start.kind, at_start.fraction) == (index, phase.kind, 0.0)
        middle = pattern.state_at(start + phase.seconds / 2)
        assert middle.fraction == pytest.approx(0.5)
        start += phase.seconds
    next_cycle = pattern.state_at(pattern.cycle_s)
    assert (next_cycle.cycle, next_cycle.phase_index, next_cycle.level) == (1, 0, 0.0)


def test_cyclic_sighing_takes_a_second_top_up_breath(catalog) -> None:
    pattern = catalog.get("cyclic-sighing").pattern
    assert pattern.state_at(2.5).level == pytest.approx(0.8)  # after the first, fuller inhale
    assert pattern.state_at(3.5).level == pytest.approx(1.0)  # after the short top-up
    assert pattern.state_at(3.0).level == pytest.approx(0.9)  # the top-up half-way
    assert pattern.state_at(9.5 - 1e-9).level == pytest.approx(0.0, abs=1e-6)


def test_presets_with_holds_can_drop_them(catalog) -> None:
    for exercise in catalog.exercises:
        if exercise.pattern.has_holds:
            plain = exercise.plan(5, no_holds=True).pattern
            assert not plain.has_holds
            assert plain.cycle_s < exercise.pattern.cycle_s


def test_four_seven_eight_suggests_four_breaths_to_start(catalog) -> None:
    exercise = catalog.get("four-seven-eight")
    plan = exercise.plan(cycles=exercise.suggested_cycles)
    assert plan.planned_s == 4 * 19


@pytest.mark.parametrize("value", ["0", "101", "2.5", "true", '"four"'])
def test_a_bad_suggested_cycles_names_file_and_line(value) -> None:
    from pathlib import Path

    from trainer.content.catalog import parse_breathing_catalog
    from trainer.errors import CatalogError

    text = f"""[lengths]
minutes = [1, 5]
default = 5

[[exercise]]
id = "x"
title = "X"
description = "d"
suggested_cycles = {value}
phases = [{{ kind = "inhale", seconds = 4 }}, {{ kind = "exhale", seconds = 4 }}]
"""
    with pytest.raises(CatalogError, match=r"breathing\.toml, line 9: 'suggested_cycles'"):
        parse_breathing_catalog(text, Path("breathing.toml"))
