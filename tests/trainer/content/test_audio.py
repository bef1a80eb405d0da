"""Tests for trainer/content/audio.py: the synthesized cues (pitch by FFT, envelopes, continuity) and when
the cue tracker asks for them over whole patterns driven by a fake clock."""

from __future__ import annotations

import math
from collections.abc import Iterator

import numpy as np
import numpy.typing as npt
import pytest

from trainer.content.audio import (
    BREATH_PEAK,
    CHIME_HZ,
    CHIME_LATE_S,
    CHIME_PEAK,
    END_CHIME_HZ,
    FADE_S,
    HIGH_HZ,
    HOLD_PEAK,
    LOW_HZ,
    MIN_TONE_S,
    SAMPLE_RATE_HZ,
    SECOND_HARMONIC,
    Cue,
    CueMode,
    CueStream,
    CueTracker,
    breath_tone,
    breath_tone_stream,
    chime,
    end_chime,
    phase_levels,
    pitch_hz,
    to_pcm16,
)
from trainer.content.breathing import (
    BreathingPattern,
    PacerState,
    PacerTimeline,
    Phase,
    PhaseKind,
    Ramp,
    RampSchedule,
    ease,
)
from trainer.session.clock import FakeClock

INHALE, HOLD, EXHALE = PhaseKind.INHALE, PhaseKind.HOLD, PhaseKind.EXHALE
SR = SAMPLE_RATE_HZ
FRAME_S = 1 / 60

Signal = npt.NDArray[np.floating]


# -- measuring ----------------------------------------------------------------------------------


def dominant_hz(x: Signal, sample_rate: int = SR) -> float:
    """The strongest frequency in ``x``: Hann window, zero padding, parabolic peak interpolation."""
    pad = 8 * 2 ** math.ceil(math.log2(x.size))
    spectrum = np.abs(np.fft.rfft(x * np.hanning(x.size), pad))
    k = int(np.argmax(spectrum[1:-1])) + 1
    a, b, c = np.log(spectrum[k - 1 : k + 2] + 1e-30)
    shift = 0.5 * (a - c) / (a - 2 * b + c)
    return (k + shift) * sample_rate / pad


def instantaneous_hz(x: Signal, sample_rate: int = SR, below_hz: float = 400.0) -> Signal:
    """Frequency at each sample of the fundamental (below ``below_hz``; the breath tone's octave
    partial lies above it) from the analytic signal, by FFT."""
    n = x.size
    spectrum = np.fft.fft(x)
    freqs = np.fft.fftfreq(n, 1 / sample_rate)
    weights = np.where((freqs > 0) & (freqs < below_hz), 2.0, 0.0)
    phase = np.unwrap(np.angle(np.fft.ifft(spectrum * weights)))
    return np.diff(phase) * sample_rate / (2 * np.pi)


def median_hz_at(x: Signal, t_s: float, half_window_s: float = 0.01) -> float:
    """Median instantaneous frequency of ``x`` around ``t_s``."""
    freq = instantaneous_hz(x)
    lo, hi = round((t_s - half_window_s) * SR), round((t_s + half_window_s) * SR)
    return float(np.median(freq[max(0, lo) : hi]))


def max_step_bound(top_hz: float, peak: float, sample_rate: int = SR) -> float:
    """The largest sample-to-sample change a click-free tone at ``top_hz`` can make (+5%)."""
    slope = 2 * np.pi * top_hz * (1 + 2 * SECOND_HARMONIC) / (1 + SECOND_HARMONIC)
    return 1.05 * peak * slope / sample_rate


# -- the breath tone: pitch ---------------------------------------------------------------------


@pytest.mark.parametrize(("level", "expected_hz"), [(1.0, HIGH_HZ), (0.0, LOW_HZ), (0.5, 269.4)])
def test_a_hold_is_a_steady_tone_at_the_held_pitch(level: float, expected_hz: float) -> None:
    tone = breath_tone(HOLD, 2.0, from_level=level)
    middle = tone[round(0.1 * SR) : round(1.9 * SR)]
    assert dominant_hz(middle) == pytest.approx(expected_hz, abs=0.5)
    assert pitch_hz(level) == pytest.approx(expected_hz, abs=0.1)
    # steady: the first and last halves have the same pitch
    half = middle.size // 2
    assert dominant_hz(middle[:half]) == pytest.approx(dominant_hz(middle[half:]), abs=0.2)


def test_pitch_runs_on_a_musical_scale_from_low_to_high() -> None:
    assert pitch_hz(0.0) == pytest.approx(LOW_HZ)
    assert pitch_hz(1.0) == pytest.approx(HIGH_HZ)
    # equal steps of level are equal musical intervals (equal frequency ratios)
    assert pitch_hz(0.5) / pitch_hz(0.0) == pytest.approx(pitch_hz(1.0) / pitch_hz(0.5))
    assert pitch_hz(0.5, 100.0, 400.0) == pytest.approx(200.0)


def test_custom_pitch_range_is_honoured() -> None:
    tone = breath_tone(HOLD, 1.0, from_level=0.0, low_hz=180.0, high_hz=270.0)
    assert dominant_hz(tone[4410:-4410]) == pytest.approx(180.0, abs=0.5)


def test_an_inhale_rises_and_an_exhale_falls() -> None:
    window = round(0.4 * SR)
    inhale = breath_tone(INHALE, 4.0)
    exhale = breath_tone(EXHALE, 4.0)
    early_in, late_in = dominant_hz(inhale[:window]), dominant_hz(inhale[-window:])
    early_out, late_out = dominant_hz(exhale[:window]), dominant_hz(exhale[-window:])
    assert early_in < LOW_HZ + 5 < HIGH_HZ - 5 < late_in
    assert early_out > HIGH_HZ - 5 > LOW_HZ + 5 > late_out
    assert late_in - early_in > 90  # most of the 110 Hz range


@pytest.mark.parametrize(
    ("kind", "levels"), [(INHALE, (0.0, 1.0)), (EXHALE, (1.0, 0.0)), (INHALE, (0.7, 1.0))]
)
def test_pitch_tracks_the_pacer_level_through_the_phase(
    kind: PhaseKind, levels: tuple[float, float]
) -> None:
    duration = 3.0
    tone = breath_tone(kind, duration, from_level=levels[0], to_level=levels[1])
    freq = instantaneous_hz(tone)
    for t in np.arange(0.1, duration - 0.1, 0.1):
        level = levels[0] + (levels[1] - levels[0]) * ease(t / duration)
        got = float(np.median(freq[round(t * SR) - 200 : round(t * SR) + 200]))
        assert got == pytest.approx(pitch_hz(level), abs=1.0), f"at {t:.1f} s"


def test_a_tone_follows_a_patterns_own_levels() -> None:
    """The tone made for each phase of a pattern sounds the pitch of the pacer level drawn."""
    pattern = BreathingPattern([Phase(INHALE, 4), Phase(HOLD, 2), Phase(EXHALE, 6)])
    levels = phase_levels(pattern)
    start = 0.0
    for index, phase in enumerate(pattern.phases):
        tone = breath_tone(
            phase.kind, phase.seconds, from_level=levels[index][0], to_level=levels[index][1]
        )
        for into in (0.5, phase.seconds / 2, phase.seconds - 0.5):
            drawn = pattern.state_at(start + into).level
            assert median_hz_at(tone, into) == pytest.approx(pitch_hz(drawn), abs=1.0)
        start += phase.seconds


# -- the breath tone: shape ---------------------------------------------------------------------


def all_cues() -> Iterator[tuple[str, Signal, float]]:
    """(name, samples, peak at volume 1) for every kind of buffer the module makes."""
    yield "inhale", breath_tone(INHALE, 4.0), BREATH_PEAK
    yield "exhale", breath_tone(EXHALE, 6.0), BREATH_PEAK
    yield "hold", breath_tone(HOLD, 3.0), HOLD_PEAK
    yield "resumed inhale", breath_tone(INHALE, 4.0, start_fraction=0.37), BREATH_PEAK
    yield "resumed hold", breath_tone(HOLD, 7.0, start_fraction=0.9), HOLD_PEAK
    yield "chime", chime(), CHIME_PEAK
    yield "short chime", chime(CHIME_HZ[HOLD], 0.5), CHIME_PEAK
    yield "end chime", end_chime(), CHIME_PEAK


@pytest.mark.parametrize(("name", "samples", "peak"), list(all_cues()), ids=lambda v: "")
def test_every_buffer_starts_and_ends_at_exactly_zero(
    name: str, samples: Signal, peak: float
) -> None:
    assert samples.dtype == np.float32
    assert samples[0] == 0.0, name
    assert samples[-1] == 0.0, name
    two_ms = round(0.002 * SR)
    assert np.max(np.abs(samples[:two_ms])) < 0.03 * peak, name
    assert np.max(np.abs(samples[-two_ms:])) < 0.03 * peak, name
    assert np.max(np.abs(samples)) <= peak + 1e-6, name
    assert np.max(np.abs(samples)) > 0.5 * peak, name  # and there is a sound in between


def test_the_fade_takes_the_stated_time_and_then_the_tone_is_full() -> None:
    tone = breath_tone(HOLD, 2.0, from_level=0.0)
    fade = round(FADE_S * SR)
    period = round(SR / LOW_HZ)
    assert np.max(np.abs(tone[: fade // 4])) < 0.2 * HOLD_PEAK
    full = np.max(np.abs(tone[fade : fade + 2 * period]))
    assert full == pytest.approx(np.max(np.abs(tone)), rel=0.02)


@pytest.mark.parametrize(
    ("kind", "duration", "top_hz", "peak"),
    [
        (INHALE, 4.0, HIGH_HZ, BREATH_PEAK),
        (EXHALE, 1.0, HIGH_HZ, BREATH_PEAK),
        (HOLD, 2.0, HIGH_HZ, HOLD_PEAK),
    ],
)
def test_no_clicks_anywhere(kind: PhaseKind, duration: float, top_hz: float, peak: float) -> None:
    tone = breath_tone(kind, duration)
    steps = np.abs(np.diff(tone.astype(np.float64)))
    bound = max_step_bound(top_hz, peak)
    assert steps.max() <= bound
    # the bound is tight enough to catch a click: a jump of a tenth of full scale breaks it
    clicked = tone.copy()
    clicked[len(tone) // 2 :] += 0.1
    assert np.abs(np.diff(clicked)).max() > bound


@pytest.mark.parametrize("duration", [1.0, 2.5, 4.0, 7.3])
@pytest.mark.parametrize("rate", [22050, 44100, 48000])
def test_length_is_duration_times_rate(duration: float, rate: int) -> None:
    for kind in PhaseKind:
        assert breath_tone(kind, duration, sample_rate=rate).size == round(duration * rate)
    assert breath_tone(INHALE, duration, start_fraction=0.25, sample_rate=rate).size == round(
        duration * 0.75 * rate
    )
    assert chime(duration_s=duration, sample_rate=rate).size == round(duration * rate)


def test_volume_scales_linearly() -> None:
    for make in (
        lambda v: breath_tone(INHALE, 2.0, volume=v),
        lambda v: breath_tone(HOLD, 1.0, volume=v),
        lambda v: chime(volume=v),
        lambda v: end_chime(volume=v),
    ):
        loud, quarter, silent = make(1.0), make(0.25), make(0.0)
        assert np.allclose(quarter, 0.25 * loud, atol=1e-6)
        assert not np.any(silent)
    assert np.max(np.abs(breath_tone(EXHALE, 2.0, volume=0.5))) == pytest.approx(
        0.5 * np.max(np.abs(breath_tone(EXHALE, 2.0)))
    )


def test_a_hold_is_quieter_than_a_breath() -> None:
    rms = lambda x: float(np.sqrt(np.mean(x**2)))  # noqa: E731
    assert rms(breath_tone(HOLD, 2.0)) < 0.5 * rms(breath_tone(INHALE, 2.0))


def test_a_resumed_tone_starts_at_the_pitch_for_its_fraction() -> None:
    full = breath_tone(INHALE, 4.0)
    for fraction in (0.2, 0.5, 0.8):
        resumed = breath_tone(INHALE, 4.0, start_fraction=fraction)
        assert resumed.size == round(4.0 * (1 - fraction) * SR)
        at = 0.05  # just past the fade-in
        expected = pitch_hz(ease(fraction + at / 4.0))
        assert median_hz_at(resumed, at) == pytest.approx(expected, abs=1.0)
        assert median_hz_at(full, fraction * 4.0 + at) == pytest.approx(expected, abs=1.0)
        # and it goes on exactly as the uninterrupted tone would (pitch, not phase)
        assert median_hz_at(resumed, 0.5) == pytest.approx(
            median_hz_at(full, fraction * 4.0 + 0.5), abs=0.5
        )
        assert resumed[0] == 0.0
        assert resumed[-1] == 0.0


def test_a_resumed_exhale_from_a_partial_level_keeps_the_pacer_pitch() -> None:
    # an exhale from 1 to 0.2, resumed at 60%
    resumed = breath_tone(EXHALE, 5.0, start_fraction=0.6, from_level=1.0, to_level=0.2)
    level = 1.0 - 0.8 * ease(0.6 + 0.05 / 5.0)
    assert median_hz_at(resumed, 0.05) == pytest.approx(pitch_hz(level), abs=1.0)
    assert median_hz_at(resumed, 1.95) == pytest.approx(pitch_hz(0.2), abs=1.0)


# -- chimes -------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", list(PhaseKind))
def test_a_chime_rings_at_its_pitch_and_dies_away(kind: PhaseKind) -> None:
    bell = chime(CHIME_HZ[kind])
    assert dominant_hz(bell[: SR // 4]) == pytest.approx(CHIME_HZ[kind], abs=1.0)
    quarter = bell.size // 4
    first = np.sqrt(np.mean(bell[:quarter] ** 2))
    last = np.sqrt(np.mean(bell[-quarter:] ** 2))
    assert last < 0.2 * first
    bound = 1.05 * CHIME_PEAK * 2 * np.pi * CHIME_HZ[kind] * 3 / SR  # highest partial, full gain
    assert np.abs(np.diff(bell.astype(np.float64))).max() < bound


def test_chimes_name_the_phase_high_for_in_low_for_out() -> None:
    assert CHIME_HZ[INHALE] > CHIME_HZ[HOLD] > CHIME_HZ[EXHALE]


def test_the_end_chime_is_two_falling_notes() -> None:
    close = end_chime()
    assert dominant_hz(close[: round(0.4 * SR)]) == pytest.approx(END_CHIME_HZ[0], abs=1.0)
    assert dominant_hz(close[round(1.0 * SR) : round(1.6 * SR)]) == pytest.approx(
        END_CHIME_HZ[1], abs=1.0
    )


# -- streams and PCM ----------------------------------------------------------------------------


def test_a_stream_read_in_chunks_equals_the_whole_buffer() -> None:
    rng = np.random.default_rng(7)
    for make in (
        lambda: breath_tone_stream(EXHALE, 3.0, start_fraction=0.3),
        lambda: breath_tone_stream(HOLD, 2.0),
    ):
        stream = make()
        parts = []
        while stream.remaining:
            parts.append(stream.read(int(rng.integers(1, 5000))))
        whole = make().read_all()
        assert np.allclose(np.concatenate(parts), whole, atol=1e-6)
        assert stream.read(100).size == 0  # reading past the end gives nothing, no error


def test_starting_a_long_tone_renders_nothing_until_it_is_read() -> None:
    stream = breath_tone_stream(HOLD, 20.0)
    assert stream.position == 0
    assert stream.remaining == 20 * SR
    assert stream.read(10).size == 10
    assert stream.remaining == 20 * SR - 10


def test_fading_out_a_stream_ends_it_softly_and_soon() -> None:
    stream = breath_tone_stream(INHALE, 4.0)
    before = stream.read(SR)  # one second played
    stream.fade_out()
    tail = stream.read(SR)
    assert tail.size == round(FADE_S * SR)
    assert tail[-1] == 0.0
    assert stream.remaining == 0
    joined = np.concatenate([before, tail]).astype(np.float64)
    assert np.abs(np.diff(joined)).max() <= max_step_bound(HIGH_HZ, BREATH_PEAK)
    stream.fade_out()  # again: nothing left, nothing breaks
    assert stream.read(10).size == 0


def test_fading_out_near_the_end_keeps_what_is_left() -> None:
    stream = breath_tone_stream(HOLD, 1.0)
    stream.read(SR - 100)
    stream.fade_out()
    assert stream.remaining == 100


def test_a_stream_of_ready_samples() -> None:
    stream = CueStream.of(np.array([0.0, 0.5, -0.5, 0.0]), SR)
    assert list(stream.read(10)) == [0.0, 0.5, -0.5, 0.0]
    with pytest.raises(ValueError, match="one channel"):
        CueStream.of(np.zeros((2, 2)))


def test_pcm16_is_little_endian_clipped_int16() -> None:
    pcm = to_pcm16(np.array([0.0, 1.0, -1.0, 0.25, 2.0, -3.0], dtype=np.float32))
    assert pcm == np.array([0, 32767, -32767, 8192, 32767, -32767], dtype="<i2").tobytes()
    assert pcm[2:4] == b"\xff\x7f"  # 32767, low byte first
    assert len(to_pcm16(breath_tone(INHALE, 1.0))) == 2 * SR
    assert to_pcm16(np.zeros(0)) == b""


@pytest.mark.parametrize(
    ("samples", "message"),
    [(np.zeros((2, 3)), "one channel"), (np.array([0.0, np.nan]), "finite")],
)
def test_pcm16_refuses_bad_samples(samples: Signal, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        to_pcm16(samples)


# -- bad arguments ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"duration_s": 0.0}, "duration_s must be more than 0"),
        ({"duration_s": -1.0}, "duration_s must be more than 0"),
        ({"duration_s": math.nan}, "duration_s must be a finite number"),
        ({"duration_s": math.inf}, "duration_s must be a finite number"),
        ({"start_fraction": -0.1}, "start_fraction must be at least 0 and below 1"),
        ({"start_fraction": 1.0}, "start_fraction must be at least 0 and below 1"),
        ({"volume": -0.01}, "volume must be from 0 to 1"),
        ({"volume": 1.01}, "volume must be from 0 to 1"),
        ({"volume": math.nan}, "volume must be a finite number"),
        ({"volume": True}, "volume must be a finite number"),
        ({"low_hz": 400.0}, "need 0 < low_hz < high_hz"),
        ({"low_hz": 0.0}, "need 0 < low_hz < high_hz"),
        ({"high_hz": 12000.0}, "too high for 44100 Hz sampling"),
        ({"sample_rate": 4000}, "sample_rate must be at least 8000"),
        ({"sample_rate": 44100.0}, "sample_rate must be a whole number"),
        ({"from_level": 1.0}, "an inhale must rise"),
        ({"from_level": 0.5, "to_level": 0.4}, "an inhale must rise"),
        ({"to_level": 1.5}, "to_level must be from 0 to 1"),
        ({"from_level": -0.1}, "from_level must be from 0 to 1"),
    ],
)
def test_breath_tone_refuses_bad_arguments(kwargs: dict[str, object], message: str) -> None:
    args: dict[str, object] = {"duration_s": 4.0, **kwargs}
    with pytest.raises(ValueError, match=message):
        breath_tone(INHALE, **args)  # type: ignore[arg-type]


def test_breath_tone_refuses_a_wrong_kind_or_direction() -> None:
    with pytest.raises(ValueError, match="kind must be a PhaseKind"):
        breath_tone("inhale", 4.0)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="an exhale must fall"):
        breath_tone(EXHALE, 4.0, from_level=0.0)
    with pytest.raises(ValueError, match="a hold keeps its level"):
        breath_tone(HOLD, 4.0, from_level=1.0, to_level=0.0)


@pytest.mark.parametrize(
    ("args", "kwargs", "message"),
    [
        ((0.0,), {}, "pitch_hz must be above 0"),
        ((8000.0,), {}, "partials below 22050 Hz"),
        ((440.0, 0.0), {}, "duration_s must be more than 0"),
        ((440.0,), {"volume": 2.0}, "volume must be from 0 to 1"),
        ((440.0,), {"sample_rate": 100}, "sample_rate must be at least"),
    ],
)
def test_chime_refuses_bad_arguments(
    args: tuple[float, ...], kwargs: dict[str, object], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        chime(*args, **kwargs)  # type: ignore[arg-type]


def test_fade_out_refuses_a_negative_time() -> None:
    with pytest.raises(ValueError, match="fade_s must not be negative"):
        breath_tone_stream(INHALE, 1.0).fade_out(-0.1)


# -- phase levels -------------------------------------------------------------------------------


def test_phase_levels_of_box_and_sigh() -> None:
    box = BreathingPattern([Phase(INHALE, 4), Phase(HOLD, 4), Phase(EXHALE, 4), Phase(HOLD, 4)])
    assert phase_levels(box) == ((0.0, 1.0), (1.0, 1.0), (1.0, 0.0), (0.0, 0.0))
    sigh = BreathingPattern([Phase(INHALE, 2, 0.7), Phase(INHALE, 1, 1.0), Phase(EXHALE, 6)])
    flat = [level for pair in phase_levels(sigh) for level in pair]
    assert flat == pytest.approx([0.0, 0.7, 0.7, 1.0, 1.0, 0.0])


# -- the cue tracker ----------------------------------------------------------------------------


class Driver:
    """Feeds a tracker 60 frames a second from a schedule, with practice time that stops in pauses."""

    def __init__(
        self, tracker: CueTracker, schedule: BreathingPattern | PacerTimeline | RampSchedule
    ) -> None:
        self.tracker = tracker
        self.schedule = schedule
        self.clock = FakeClock()
        self.practice_s = 0.0
        self.cues: list[tuple[float, PacerState, Cue]] = []

    def state(self) -> PacerState:
        return self.schedule.state_at(self.practice_s)

    def run(self, seconds: float, *, running: bool = True) -> list[Cue]:
        """Advance ``seconds`` of wall time frame by frame; the cues started meanwhile."""
        new: list[Cue] = []
        for _ in range(round(seconds / FRAME_S)):
            state = self.state()
            cue = self.tracker.update(state, running)
            if cue is not None:
                self.cues.append((self.practice_s, state, cue))
                new.append(cue)
            self.clock.advance(FRAME_S)
            if running:
                self.practice_s += FRAME_S
        return new


@pytest.fixture
def box() -> BreathingPattern:
    return BreathingPattern([Phase(INHALE, 4), Phase(HOLD, 4), Phase(EXHALE, 4), Phase(HOLD, 4)])


@pytest.fixture
def sigh() -> BreathingPattern:
    return BreathingPattern([Phase(INHALE, 2, 0.7), Phase(INHALE, 1, 1.0), Phase(EXHALE, 6)])


@pytest.mark.parametrize("mode", [CueMode.TONE, CueMode.CHIME])
def test_one_cue_at_the_start_of_every_phase(box: BreathingPattern, mode: CueMode) -> None:
    driver = Driver(CueTracker(mode, box), box)
    driver.run(3 * box.cycle_s + 0.5)
    starts = [practice for practice, _, _ in driver.cues]
    expected = [4.0 * i for i in range(13)]  # 3 cycles of 4 phases, and the next cycle's inhale
    assert starts == pytest.approx(expected, abs=FRAME_S + 1e-9)
    for (_, state, cue), index in zip(driver.cues, range(13), strict=True):
        assert cue.sound is mode
        assert cue.phase_index == index % 4
        assert cue.phase is box.phases[index % 4].kind
        assert cue.cycle == index // 4
        assert 0.0 <= cue.start_fraction < FRAME_S / 4.0 + 1e-9
        assert cue.phase_s == pytest.approx(4.0)
        assert (cue.from_level, cue.to_level) == phase_levels(box)[index % 4]
        assert not cue.resumed
        assert state.kind is cue.phase


def test_tones_cover_each_phase_to_its_end(box: BreathingPattern) -> None:
    driver = Driver(CueTracker(CueMode.TONE, box), box)
    driver.run(2 * box.cycle_s)
    for (practice, _, cue), (next_practice, _, _) in zip(
        driver.cues, driver.cues[1:], strict=False
    ):
        # each tone ends when the next begins (the first frame of the next phase), within a frame
        assert practice + cue.remaining_s == pytest.approx(next_practice, abs=FRAME_S)
        assert cue.render().size == round(cue.remaining_s * SR)


def test_off_is_silent_and_turning_the_tone_on_picks_up_mid_phase(box: BreathingPattern) -> None:
    tracker = CueTracker(CueMode.OFF, box)
    driver = Driver(tracker, box)
    assert driver.run(6.0) == []
    tracker.set_mode("tone")
    (cue,) = driver.run(FRAME_S)
    state = driver.cues[-1][1]
    assert cue.resumed
    assert cue.phase is HOLD
    assert cue.start_fraction == pytest.approx(0.5, abs=0.01)
    assert cue.from_level == cue.to_level == 1.0
    assert cue.remaining_s == pytest.approx(state.phase_remaining_s)
    assert driver.run(1.9) == []  # nothing more until the next phase
    (nxt,) = driver.run(0.2)
    assert nxt.phase is EXHALE
    assert not nxt.resumed


def test_turning_chimes_on_mid_phase_waits_for_the_next_phase(box: BreathingPattern) -> None:
    tracker = CueTracker(CueMode.OFF, box)
    driver = Driver(tracker, box)
    driver.run(6.0)
    tracker.set_mode(CueMode.CHIME)
    assert driver.run(1.9) == []
    (cue,) = driver.run(0.2)
    assert cue.sound is CueMode.CHIME
    assert cue.phase is EXHALE


def test_a_pause_stops_cues_and_the_tone_resumes_from_where_it_was(box: BreathingPattern) -> None:
    driver = Driver(CueTracker(CueMode.TONE, box), box)
    driver.run(5.3)  # into the first hold
    frozen = driver.state()
    assert driver.run(2.0, running=False) == []  # paused: the pacer stands still, no cues
    assert driver.state() == frozen
    (cue,) = driver.run(FRAME_S)
    assert cue.resumed
    assert (cue.cycle, cue.phase_index) == (frozen.cycle, frozen.phase_index)
    assert cue.start_fraction == pytest.approx(frozen.fraction)
    assert cue.remaining_s == pytest.approx(frozen.phase_remaining_s)
    # no second cue for the same phase; the next one at the exhale, at its start
    assert driver.run(2.4) == []
    (nxt,) = driver.run(0.4)
    assert nxt.phase is EXHALE
    assert not nxt.resumed
    assert nxt.start_fraction < 0.01


def test_a_resumed_tone_starts_at_the_pitch_the_pacer_shows(sigh: BreathingPattern) -> None:
    driver = Driver(CueTracker(CueMode.TONE, sigh), sigh)
    for pause_at in (1.1, 2.4, 5.0):  # in the first inhale, the top-up, the exhale
        driver.run(pause_at - driver.practice_s)
        driver.run(1.0, running=False)
        (cue,) = driver.run(FRAME_S)
        state = driver.cues[-1][1]
        tone = cue.render()
        at = 0.05
        later = sigh.state_at(driver.cues[-1][0] + at).level
        assert median_hz_at(tone, at) == pytest.approx(pitch_hz(later), abs=1.0)
        assert cue.from_level + (cue.to_level - cue.from_level) * ease(cue.start_fraction) == (
            pytest.approx(state.level)
        )


@pytest.mark.parametrize(
    "quiet", ["one frame with no state", "many frames with no state", "lead-in frames"]
)
def test_the_tone_resumes_mid_phase_however_the_quiet_spell_was_told(
    box: BreathingPattern, quiet: str
) -> None:
    """The practice screen tells a pause with no pacer state at all (``update(None, False)``,
    once, as it pauses); a lead-in is ``None`` with running set. Either way the first running
    frame after it picks the tone up where the pacer stands."""
    tracker = CueTracker(CueMode.TONE, box)
    driver = Driver(tracker, box)
    driver.run(5.3)  # into the first hold
    frozen = driver.state()
    if quiet == "one frame with no state":
        assert tracker.update(None, False) is None
    elif quiet == "many frames with no state":
        for _ in range(120):
            assert tracker.update(None, False) is None
    else:
        for _ in range(120):
            assert tracker.update(None, True) is None
    (cue,) = driver.run(FRAME_S)
    assert cue.resumed
    assert (cue.cycle, cue.phase_index) == (frozen.cycle, frozen.phase_index)
    assert cue.remaining_s == pytest.approx(frozen.phase_remaining_s)


def test_chimes_do_not_sound_on_resume(box: BreathingPattern) -> None:
    driver = Driver(CueTracker(CueMode.CHIME, box), box)
    driver.run(5.3)
    driver.run(1.0, running=False)
    assert driver.run(1.0) == []


def test_levels_are_worked_out_without_the_pattern(sigh: BreathingPattern) -> None:
    with_pattern = Driver(CueTracker(CueMode.TONE, sigh), sigh)
    without = Driver(CueTracker(CueMode.TONE), sigh)
    for driver in (with_pattern, without):
        driver.run(1.0)
        driver.run(0.5, running=False)
        driver.run(FRAME_S)  # resumed half way through the first inhale (0 -> 0.7)
        driver.run(2.0)  # the top-up inhale (0.7 -> 1) and the exhale start
    resumed_with = [c for _, _, c in with_pattern.cues if c.resumed]
    resumed_without = [c for _, _, c in without.cues if c.resumed]
    # mid-phase, the state alone pins the levels down exactly
    assert (resumed_without[0].from_level, resumed_without[0].to_level) == pytest.approx((0.0, 0.7))
    assert (resumed_with[0].from_level, resumed_with[0].to_level) == pytest.approx((0.0, 0.7))
    # at a phase start it cannot know the first inhale stops at 0.7 ...
    first_without = without.cues[0][2]
    assert (first_without.from_level, first_without.to_level) == (0.0, 1.0)
    # ... the pattern can
    first_with = with_pattern.cues[0][2]
    assert (first_with.from_level, first_with.to_level) == pytest.approx((0.0, 0.7))
    topup = next(c for _, _, c in without.cues if c.phase_index == 1)
    assert (topup.from_level, topup.to_level) == pytest.approx((0.7, 1.0))


def test_a_mismatched_pattern_is_not_trusted(box: BreathingPattern, sigh: BreathingPattern) -> None:
    driver = Driver(CueTracker(CueMode.TONE, sigh), box)  # told the wrong pattern
    driver.run(box.cycle_s)
    for _, state, cue in driver.cues:
        start_level = cue.from_level + (cue.to_level - cue.from_level) * ease(cue.start_fraction)
        assert start_level == pytest.approx(state.level)


def test_a_late_frame_still_tones_the_rest_but_does_not_chime(box: BreathingPattern) -> None:
    for mode, expect_cue in ((CueMode.TONE, True), (CueMode.CHIME, False)):
        tracker = CueTracker(mode, box)
        tracker.update(box.state_at(3.9), True)
        late = box.state_at(4.0 + CHIME_LATE_S + 0.1)  # the app stalled across the boundary
        cue = tracker.update(late, True)
        assert (cue is not None) is expect_cue
        if cue is not None:
            assert cue.start_fraction == pytest.approx(late.fraction)


def test_no_tone_for_a_sliver_of_a_phase(box: BreathingPattern) -> None:
    tracker = CueTracker(CueMode.TONE, box)
    tracker.update(box.state_at(1.0), True)
    tracker.update(box.state_at(1.0), False)  # paused ...
    assert tracker.update(box.state_at(4.0 - MIN_TONE_S / 2), True) is None  # ... nearly at the end


def test_reset_makes_the_next_frame_a_fresh_start(box: BreathingPattern) -> None:
    tracker = CueTracker(CueMode.CHIME, box)
    assert tracker.update(box.state_at(0.0), True) is not None
    assert tracker.update(box.state_at(0.1), True) is None
    tracker.reset()
    assert tracker.update(box.state_at(0.0), True) is not None


def test_resync_replays_the_rest_of_the_tone(box: BreathingPattern) -> None:
    tracker = CueTracker(CueMode.TONE, box)
    tracker.update(box.state_at(0.0), True)
    tracker.resync()
    cue = tracker.update(box.state_at(1.0), True)
    assert cue is not None
    assert cue.resumed
    assert cue.start_fraction == pytest.approx(0.25)


def test_a_change_of_pace_mid_phase_is_not_a_new_cue(box: BreathingPattern) -> None:
    timeline = PacerTimeline(box)
    driver = Driver(CueTracker(CueMode.TONE, box), timeline)
    driver.run(2.0)
    timeline.change_pattern(box.at_rate(5.0), driver.practice_s)
    driver.run(1.5)
    assert len(driver.cues) == 1  # still the first inhale
    driver.run(0.5)
    assert [c.phase for _, _, c in driver.cues] == [INHALE, HOLD]
    assert driver.cues[-1][2].phase_s == pytest.approx(3.0, abs=0.01)  # 12 s cycle, 4 phases


def test_cues_follow_a_ramp_phase_by_phase() -> None:
    coherent = BreathingPattern([Phase(INHALE, 5), Phase(EXHALE, 5)])
    schedule = RampSchedule(coherent, Ramp(7.0, 6.0, 1.0))
    driver = Driver(CueTracker(CueMode.TONE, coherent), schedule)
    driver.run(90.0)
    cues = driver.cues
    assert [c.phase for _, _, c in cues] == [INHALE, EXHALE] * (len(cues) // 2) + [INHALE] * (
        len(cues) % 2
    )
    assert [(c.cycle, c.phase_index) for _, _, c in cues] == sorted(
        {(c.cycle, c.phase_index) for _, _, c in cues}
    )
    # each phase lasts half a breath at the rate of the moment (slowing from 7 to 6 a minute)
    assert cues[0][2].phase_s == pytest.approx(30 / 7, rel=0.02)
    assert cues[-1][2].phase_s == pytest.approx(30 / 6, rel=0.001)
