"""Tests for trainer/content/ambient.py: the surf bed loops without a seam, is the same every
time, sits well under the cues, fades in and out smoothly and renders the same for the same
sample however it is read."""

from __future__ import annotations

import numpy as np
import pytest

from trainer.content.ambient import (
    AMBIENT_FADE_IN_S,
    AMBIENT_PEAK,
    ambient_loop,
    ambient_loop_ready,
    ambient_stream,
    make_ambient_loop,
)
from trainer.content.audio import FADE_S, Mixer, breath_tone
from trainer.content.breathing import PhaseKind

SR = 44100


def largest_jump(samples: np.ndarray) -> float:
    return float(np.max(np.abs(np.diff(samples.astype(np.float64)))))


def test_the_loop_has_no_seam() -> None:
    loop = ambient_loop(SR)
    across = np.concatenate([loop[-SR:], loop[:SR]])  # the last second runs into the first
    seam = abs(float(loop[0]) - float(loop[-1]))
    assert seam <= largest_jump(loop)
    # Around the seam it moves as it does anywhere else: no bigger step than inside the loop.
    assert largest_jump(across) <= largest_jump(loop)


def test_a_loop_of_plain_noise_would_click_at_its_seam() -> None:
    """The test above can fail: a loop cut from noise that was not made periodic jumps there."""
    rng = np.random.default_rng(3)
    noise = np.convolve(rng.standard_normal(4 * SR), np.hanning(200), mode="same")
    seam = abs(noise[0] - noise[-1])
    assert seam > largest_jump(noise)


def test_the_bed_is_the_same_every_time_and_seeded() -> None:
    first = make_ambient_loop(SR)
    assert np.array_equal(first, make_ambient_loop(SR))
    assert np.array_equal(first, ambient_loop(SR))
    other = make_ambient_loop(SR, seed=19)
    assert not np.allclose(first, other)
    assert ambient_loop_ready(SR)


def test_the_bed_is_quiet_under_the_cues_and_swells() -> None:
    loop = ambient_loop(SR).astype(np.float64)
    assert np.max(np.abs(loop)) == pytest.approx(AMBIENT_PEAK, rel=1e-6)
    tone = breath_tone(PhaseKind.INHALE, 4.0, sample_rate=SR).astype(np.float64)
    rms = float(np.sqrt(np.mean(loop**2)))
    tone_rms = float(np.sqrt(np.mean(tone**2)))
    assert 20 * np.log10(rms / tone_rms) < -12  # well under the breath tone at the same volume
    # It swells and recedes: the loudest second is at least twice the softest (6 dB).
    seconds = loop[: loop.size // SR * SR].reshape(-1, SR)
    per_second = np.sqrt(np.mean(seconds**2, axis=1))
    assert per_second.max() > 2 * per_second.min()
    # Dark, like distant surf: most of its energy lies below 1 kHz.
    power = np.abs(np.fft.rfft(loop)) ** 2
    freq = np.fft.rfftfreq(loop.size, 1 / SR)
    assert power[freq < 1000].sum() > 0.9 * power.sum()


def test_rendering_is_a_pure_function_of_the_position() -> None:
    stream = ambient_stream(offset=1000, sample_rate=SR)
    in_pieces = np.concatenate([stream.read(n) for n in (1, 7, 512, 3000, 44100, 999)])
    again = ambient_stream(offset=1000, sample_rate=SR).read(in_pieces.size)
    assert np.array_equal(in_pieces, again)
    renderer = stream._renderer
    later = renderer.render(40000, 2048)
    renderer.render(5, 10)  # read elsewhere in between ...
    assert np.array_equal(renderer.render(40000, 2048), later)  # ... the same samples again


def test_the_stream_reads_round_the_loop_from_its_offset() -> None:
    loop = ambient_loop(SR)
    stream = ambient_stream(offset=loop.size - 100, fade_in_s=0.0, sample_rate=SR)
    samples = stream.read(300)
    expected = np.concatenate([loop[-100:], loop[:200]]).astype(np.float32)
    np.testing.assert_allclose(samples[1:], expected[1:], atol=1e-7)


def test_it_fades_in_without_a_click_and_out_without_one() -> None:
    stream = ambient_stream(sample_rate=SR)
    start = stream.read(round(AMBIENT_FADE_IN_S * SR)).astype(np.float64)
    assert abs(start[0]) < 1e-6  # rises from silence
    assert np.max(np.abs(start[: SR // 10])) < 0.02 * AMBIENT_PEAK  # a slow rise: still soft
    steady = stream.read(SR).astype(np.float64)
    stream.fade_out(1.0)
    tail = stream.read(2 * SR).astype(np.float64)
    assert tail.size == SR  # the fade is the end of it
    assert abs(tail[-1]) < 1e-9
    jump = largest_jump(np.concatenate([start, steady, tail]))
    assert jump <= largest_jump(ambient_loop(SR))


def test_a_bed_carried_on_at_its_loop_position_crosses_without_a_dip() -> None:
    """What the practice screen does when the mixer fades the bed to make room for a cue."""
    mixer = Mixer(SR)
    old = ambient_stream(fade_in_s=0.0, sample_rate=SR)
    mixer.play(old)
    before = mixer.read(SR)
    mixer.fade_out()  # a cue that takes over fades out whatever sounds ...
    new = ambient_stream(offset=old.position, fade_in_s=FADE_S, sample_rate=SR)
    mixer.play(new)  # ... and the bed carries on from where it was
    after = mixer.read(SR)
    loop = ambient_loop(SR)
    heard = np.concatenate([before, after]).astype(np.float64)
    np.testing.assert_allclose(heard[1:], loop[1 : heard.size], atol=1e-6)


def test_cheap_to_render() -> None:
    """A second of the bed is copied from the loop, not made: well under a millisecond a block."""
    stream = ambient_stream(sample_rate=SR)
    stream.read(SR)  # the loop is made (once) before timing
    import time

    started = time.process_time()
    for _ in range(SR // 1024 * 10):  # ten seconds of audio in Qt-sized pieces
        stream.read(1024)
    assert time.process_time() - started < 0.5  # measured ~0.015 s (see README)
