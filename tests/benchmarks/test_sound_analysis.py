"""The figures of benchmarks/sound.py, checked on synthetic signals (no sound server): a click is
found where one was put and not where none was, a known delay of the pitch or of a chime is
found to within a few ms, and silences are timed."""

from __future__ import annotations

import math

import numpy as np
import pytest

from benchmarks.sound_analysis import (
    band_levels,
    first_sound_after,
    largest_jump,
    onset_delays,
    own_largest_jump,
    pitch_delay,
    recording_start,
    silent_after,
    silent_gaps,
)
from trainer.content.audio import CHIME_HZ, HIGH_HZ, LOW_HZ, chime
from trainer.content.breathing import PhaseKind

RATE = 48000
INHALE_S, EXHALE_S = 4.0, 6.0


def level_at(t: np.ndarray) -> np.ndarray:
    """The pacer's level for 4 s in, 6 s out with a cosine ease (as the app's pacer)."""
    into = np.mod(t, INHALE_S + EXHALE_S)
    rising = (1 - np.cos(np.pi * into / INHALE_S)) / 2
    falling = (1 + np.cos(np.pi * (into - INHALE_S) / EXHALE_S)) / 2
    return np.where(into < INHALE_S, rising, falling)


def pitch_at(t: np.ndarray) -> np.ndarray:
    return LOW_HZ * np.exp(level_at(t) * math.log(HIGH_HZ / LOW_HZ))


def breath_tone(seconds: float, delay_s: float = 0.0, amplitude: float = 0.4) -> np.ndarray:
    """A tone whose pitch follows the pacer ``delay_s`` late, with a weak octave partial."""
    t = np.arange(round(seconds * RATE)) / RATE
    phase = 2 * np.pi * np.cumsum(pitch_at(t - delay_s)) / RATE
    return amplitude * (np.sin(phase) + 0.12 * np.sin(2 * phase))


def changes(seconds: float) -> list[float]:
    out, at = [], INHALE_S
    while at < seconds:
        out.append(at)
        at += EXHALE_S if math.isclose(at % (INHALE_S + EXHALE_S), INHALE_S) else INHALE_S
    return out


# -- clicks ---------------------------------------------------------------------------------------


def test_a_clean_tone_has_a_jump_ratio_of_about_one_at_every_change() -> None:
    x = breath_tone(20.0)
    events = changes(20.0)
    own = own_largest_jump(x, RATE, events)
    ratios = [largest_jump(x, RATE, e) / own for e in events]
    assert own == pytest.approx(0.4 * 2 * np.pi * (HIGH_HZ * 1.24) / RATE, rel=0.25)
    assert max(ratios) < 1.1
    assert min(ratios) > 0.6


def test_a_step_at_a_change_shows_a_large_jump_ratio_and_high_frequency_energy() -> None:
    x = breath_tone(20.0)
    events = changes(20.0)
    clicked = events[1]
    x[round((clicked + 0.005) * RATE) :] += 0.1  # the signal steps by 0.1 of full scale
    x[round((clicked + 0.005) * RATE) + 1 :] -= 0.1  # for one sample: a click, not an offset
    own = own_largest_jump(x, RATE, events)
    ratios = [largest_jump(x, RATE, e) / own for e in events]
    assert ratios[1] > 4
    assert max(r for i, r in enumerate(ratios) if i != 1) < 1.1
    near, elsewhere = band_levels(x, RATE, events)
    assert near[1] > elsewhere + 20
    assert max(n for i, n in enumerate(near) if i != 1) < elsewhere + 6


def test_a_rare_glitch_away_from_the_changes_is_not_taken_for_the_tones_own_step() -> None:
    x = breath_tone(20.0)
    x[round(7.0 * RATE) : round(7.011 * RATE)] = 0.0  # an 11 ms dropout mid-breath
    clean = own_largest_jump(breath_tone(20.0), RATE, changes(20.0))
    assert own_largest_jump(x, RATE, changes(20.0)) == pytest.approx(clean, rel=0.02)
    gaps = silent_gaps(x, RATE, 1e-3)
    assert len(gaps) == 1
    assert gaps[0][0] == pytest.approx(7.0, abs=0.002)
    assert gaps[0][1] == pytest.approx(0.011, abs=0.002)


# -- timing ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("delay_s", [0.0, 0.012, 0.045, -0.02])
def test_the_pitch_delay_is_found_within_a_few_ms(delay_s: float) -> None:
    x = breath_tone(22.0, delay_s)
    for start, end in [(0.0, 4.0), (4.0, 10.0), (10.0, 14.0), (14.0, 20.0)]:
        found = pitch_delay(x, RATE, start + 0.15, end, pitch_at)
        assert found == pytest.approx(delay_s, abs=0.003)


def test_the_pitch_delay_ignores_a_silent_gap_at_the_change() -> None:
    x = breath_tone(12.0, 0.02)
    x[round(4.0 * RATE) : round(4.02 * RATE)] = 0.0
    assert pitch_delay(x, RATE, 4.15, 10.0, pitch_at) == pytest.approx(0.02, abs=0.003)
    assert pitch_delay(x, RATE, 0.15, 4.0, pitch_at) == pytest.approx(0.02, abs=0.003)


def test_chime_onsets_are_found_within_a_few_ms_of_where_they_were_put() -> None:
    bell = np.asarray(chime(CHIME_HZ[PhaseKind.INHALE], sample_rate=RATE), dtype=np.float64) * 0.5
    x = np.random.default_rng(1).normal(0, 1e-4, 12 * RATE)  # a faint noise floor
    events = [1.0, 5.0, 9.0]
    late = [0.0, 0.023, 0.007]
    for event, lag in zip(events, late, strict=True):
        at = round((event + lag) * RATE)
        x[at : at + bell.size] += bell
    found = onset_delays(x, RATE, events)
    assert found == pytest.approx(late, abs=0.003)


def test_silence_after_resume_and_after_pause_are_timed() -> None:
    x = breath_tone(10.0)
    x[round(3.0 * RATE) : round(5.5 * RATE)] = 0.0  # paused at 3 s, heard again at 5.5 s
    assert silent_after(x, RATE, 2.9, 0.02) == pytest.approx(0.1, abs=0.01)
    assert first_sound_after(x, RATE, 4.0, 0.02) == pytest.approx(1.5, abs=0.01)
    assert first_sound_after(np.zeros(RATE), RATE, 0.0, 0.02) == math.inf


def test_the_recording_starts_where_the_earliest_chunk_says() -> None:
    start = 1000.0
    # chunks of 10 ms that arrive 0-8 ms after their last sample was recorded
    lateness = np.random.default_rng(2).uniform(0.0, 0.008, 100)
    stamps = [(start + (k + 1) * 0.01 + late, (k + 1) * 480) for k, late in enumerate(lateness)]
    found, spread = recording_start(stamps, RATE)
    assert found == pytest.approx(start + float(lateness.min()), abs=1e-9)
    assert 0.0 < spread < 0.008
