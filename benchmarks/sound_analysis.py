"""The figures of ``benchmarks/sound.py``, worked out from a recording: pure numpy/scipy, no sound
server and no Qt, so ``tests/test_sound_analysis.py`` can check them on synthetic signals.

A recording is a float array in -1..1 (mono) with its sample rate; times are seconds from its
first sample. :func:`recording_start` turns the arrival times of the recorder's chunks into the
monotonic time of that first sample, so events logged by the app line up with the samples.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import TypeAlias

import numpy as np
import numpy.typing as npt

Signal: TypeAlias = npt.NDArray[np.float64]
PitchCurve: TypeAlias = Callable[[Signal], Signal]  # seconds -> hertz (NaN where nothing is due)

HIGH_BAND_HZ = 5000.0  # a click spreads energy far above the tone (220-330 Hz and its octave)
QUIET = 1e-9  # the floor of a logarithm: digital silence


def recording_start(stamps: Sequence[tuple[float, int]], rate: int) -> tuple[float, float]:
    """The monotonic time of sample 0, and how far it may be too late, from chunk arrivals.

    ``stamps`` are (monotonic time a chunk arrived, samples received so far including it). Each
    says sample ``n`` existed by time ``t``, so sample 0 was recorded no later than
    ``t - n / rate``; the smallest such bound is the estimate. The spread of the bounds (their
    median minus the smallest) says how much the recorder holds back in a chunk: the estimate is
    late by no more than about that.
    """
    if not stamps:
        raise ValueError("no chunks were recorded")
    bounds = np.array([t - n / rate for t, n in stamps])
    best = float(bounds.min())
    return best, float(np.median(bounds)) - best


def envelope(x: Signal, rate: int, window_s: float = 0.005) -> tuple[Signal, float]:
    """RMS in consecutive windows of ``window_s``, and the window length in seconds."""
    size = max(1, round(window_s * rate))
    count = x.size // size
    blocks = x[: count * size].reshape(count, size)
    return np.sqrt(np.mean(blocks * blocks, axis=1)), size / rate


def _window(x: Signal, rate: int, centre_s: float, half_s: float) -> Signal:
    start = max(0, round((centre_s - half_s) * rate))
    return x[start : max(start, round((centre_s + half_s) * rate))]


def largest_jump(x: Signal, rate: int, centre_s: float, half_s: float = 0.02) -> float:
    """The largest step from one sample to the next within ``half_s`` of ``centre_s``."""
    part = _window(x, rate, centre_s, half_s)
    return float(np.max(np.abs(np.diff(part)))) if part.size > 1 else 0.0


def own_largest_jump(
    x: Signal, rate: int, away_from_s: Sequence[float], margin_s: float = 0.1, share: float = 0.999
) -> float:
    """The sound's own largest sample-to-sample step, more than ``margin_s`` from every event.

    For a clean tone this is its amplitude times its angular step per sample; the jumps at the
    events are compared with it (a ratio near 1: no click). A tone reaches its largest step
    twice a period, so the ``share`` quantile of the steps is that step, while a rare glitch
    elsewhere (see :func:`silent_gaps`) does not pass for the tone's own.
    """
    steps = np.abs(np.diff(x))
    keep = np.ones(steps.size, dtype=bool)
    margin = round(margin_s * rate)
    for event in away_from_s:
        at = round(event * rate)
        keep[max(0, at - margin) : max(0, at + margin)] = False
    return float(np.quantile(steps[keep], share)) if keep.any() else 0.0


def silent_gaps(
    x: Signal, rate: int, floor: float, min_s: float = 0.003, window_s: float = 0.001
) -> list[tuple[float, float]]:
    """(start, length) in seconds of each run of ``window_s`` windows whose RMS is at most
    ``floor``, lasting at least ``min_s``."""
    env, step = envelope(x, rate, window_s)
    quiet = np.concatenate(([False], env <= floor, [False]))
    edges = np.flatnonzero(np.diff(quiet.astype(np.int8)))
    gaps = []
    for begin, end in zip(edges[::2], edges[1::2], strict=True):
        if (end - begin) * step >= min_s - 1e-12:
            gaps.append((float(begin * step), float((end - begin) * step)))
    return gaps


def high_band(x: Signal, rate: int, cutoff_hz: float = HIGH_BAND_HZ) -> Signal:
    """``x`` with everything below ``cutoff_hz`` removed (in the spectrum: zero phase, so nothing
    moves in time, and quick on a minute of sound)."""
    spectrum = np.fft.rfft(x)
    spectrum[: math.ceil(cutoff_hz * x.size / rate)] = 0
    return np.asarray(np.fft.irfft(spectrum, x.size), dtype=np.float64)


def level_dbfs(part: Signal) -> float:
    """RMS level in dB relative to full scale (a full-scale square wave is 0 dBFS)."""
    if part.size == 0:
        return math.nan
    return 20 * math.log10(max(QUIET, float(np.sqrt(np.mean(part * part)))))


def band_levels(
    x: Signal,
    rate: int,
    events_s: Sequence[float],
    half_s: float = 0.02,
    away_margin_s: float = 0.1,
    cutoff_hz: float = HIGH_BAND_HZ,
    sounding_rms: float = 0.0,
) -> tuple[list[float], float]:
    """High-band level (dBFS) within ``half_s`` of each event, and its median elsewhere.

    "Elsewhere" is every window of the same length more than ``away_margin_s`` from all events
    whose full-band RMS is above ``sounding_rms`` (so silence does not count as clean sound).
    """
    high = high_band(x, rate, cutoff_hz)
    near = [level_dbfs(_window(high, rate, e, half_s)) for e in events_s]
    size = max(1, round(2 * half_s * rate))
    count = high.size // size
    power = np.mean(high[: count * size].reshape(count, size) ** 2, axis=1)
    full = np.sqrt(np.mean(x[: count * size].reshape(count, size) ** 2, axis=1))
    middles = (np.arange(count) + 0.5) * size / rate
    keep = full > sounding_rms if sounding_rms > 0 else np.ones(count, dtype=bool)
    for event in events_s:
        keep &= np.abs(middles - event) > away_margin_s + half_s
    if not keep.any():
        return near, math.nan
    levels = 10 * np.log10(np.maximum(power[keep], QUIET**2))
    return near, float(np.median(levels))


def first_sound_after(
    x: Signal, rate: int, after_s: float, threshold: float, window_s: float = 0.005
) -> float:
    """Seconds from ``after_s`` until the RMS in a ``window_s`` window first exceeds
    ``threshold`` (``inf`` if it never does)."""
    env, step = envelope(x, rate, window_s)
    first = max(0, math.ceil(after_s / step))
    loud = np.nonzero(env[first:] > threshold)[0]
    return math.inf if loud.size == 0 else (first + int(loud[0])) * step - after_s


def silent_after(
    x: Signal,
    rate: int,
    after_s: float,
    threshold: float,
    hold_s: float = 0.2,
    window_s: float = 0.005,
) -> float:
    """Seconds from ``after_s`` until the RMS falls below ``threshold`` and stays there for
    ``hold_s`` (``inf`` if it never does)."""
    env, step = envelope(x, rate, window_s)
    first = max(0, math.ceil(after_s / step))
    need = max(1, round(hold_s / step))
    quiet = env[first:] <= threshold
    run = 0
    for index, is_quiet in enumerate(quiet):
        run = run + 1 if is_quiet else 0
        if run >= need:
            return (first + index - need + 1) * step - after_s
    return math.inf


def onset_delays(
    x: Signal,
    rate: int,
    events_s: Sequence[float],
    before_s: float = 0.15,
    after_s: float = 0.5,
    share: float = 0.03,
) -> list[float]:
    """For each event, seconds from it to the onset of the sound near it (NaN if none).

    The onset is the first sample, from ``before_s`` before the event, whose magnitude exceeds
    ``share`` of the loudest sample up to ``after_s`` after it (and four times the quiet just
    before): with a 20 ms raised-cosine attack, 3% is reached some 2 ms after the cue starts.
    """
    delays = []
    for event in events_s:
        start = max(0, round((event - before_s) * rate))
        part = np.abs(x[start : round((event + after_s) * rate)])
        if part.size == 0:
            delays.append(math.nan)
            continue
        lead = part[: max(1, round(0.02 * rate))]
        threshold = max(share * float(part.max()), 4 * float(np.sqrt(np.mean(lead * lead))))
        loud = np.nonzero(part > threshold)[0]
        delays.append(math.nan if loud.size == 0 else (start + int(loud[0])) / rate - event)
    return delays


def instantaneous_pitch(x: Signal, rate: int, bin_s: float = 0.02) -> tuple[Signal, Signal, Signal]:
    """(bin centres in s, mean frequency in Hz, RMS) over bins of ``bin_s``.

    The analytic signal's phase advances once per period of the fundamental (a weaker octave
    partial does not change that), so its mean rate over a bin is the pitch.
    """
    from scipy.signal import butter, hilbert, sosfiltfilt

    sos = butter(4, (100.0, 1500.0), btype="bandpass", fs=rate, output="sos")
    band = np.asarray(sosfiltfilt(sos, x), dtype=np.float64)
    phase = np.unwrap(np.angle(np.asarray(hilbert(band))))
    size = max(2, round(bin_s * rate))
    count = (x.size - 1) // size
    starts = np.arange(count) * size
    hz = (phase[starts + size] - phase[starts]) * rate / (2 * math.pi * size)
    blocks = x[: count * size].reshape(count, size)
    rms = np.sqrt(np.mean(blocks * blocks, axis=1))
    return (starts + size / 2) / rate, hz, rms


def pitch_delay(
    x: Signal,
    rate: int,
    start_s: float,
    end_s: float,
    expected_hz: PitchCurve,
    search_s: tuple[float, float] = (-0.1, 0.4),
    step_s: float = 0.0005,
) -> float:
    """How late the pitch heard between ``start_s`` and ``end_s`` follows ``expected_hz``.

    The delay ``d`` that best fits the heard pitch to ``expected_hz(t - d)`` (least squares on a
    log scale over the bins that sound), searched over ``search_s``; NaN if too little sounds.
    """
    first = max(0, round((start_s - 0.25) * rate))  # a margin for the filters to settle
    times, hz, rms = instantaneous_pitch(x[first : round((end_s + 0.25) * rate)], rate)
    times = times + first / rate
    inside = (times >= start_s) & (times <= end_s)
    if not inside.any():
        return math.nan
    loud = inside & (rms > 0.3 * float(np.median(rms[inside]))) & (hz > 50)
    if loud.sum() < 10:
        return math.nan
    t, heard = times[loud], np.log(hz[loud])

    def cost(delay: float) -> float:
        want = expected_hz(t - delay)
        ok = np.isfinite(want)
        if ok.sum() < 0.8 * t.size:
            return math.inf
        return float(np.mean((heard[ok] - np.log(want[ok])) ** 2))

    # Coarse (10 steps at a time) to find the valley, then every step around its floor.
    coarse = np.arange(search_s[0], search_s[1] + step_s / 2, 10 * step_s)
    costs = [cost(d) for d in coarse]
    centre = float(coarse[int(np.argmin(costs))])
    if not math.isfinite(min(costs)):
        return math.nan
    delays = np.arange(centre - 10 * step_s, centre + 10.5 * step_s, step_s)
    fine = [cost(d) for d in delays]
    best = int(np.argmin(fine))
    if 0 < best < delays.size - 1 and all(math.isfinite(fine[best + k]) for k in (-1, 1)):
        left, mid, right = fine[best - 1], fine[best], fine[best + 1]
        bend = left - 2 * mid + right
        if bend > 0:
            return float(delays[best] + step_s * (left - right) / (2 * bend))
    return float(delays[best])
