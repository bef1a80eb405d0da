"""Tests for the mixer in trainer/content/audio.py: one endless stream for one output, read block by
block as a sound server reads it; voices that replace each other without a step, a sum that never
passes full scale, volume that glides, and fades that reach silence in the stated time."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pytest

from trainer.content.audio import (
    BREATH_PEAK,
    CHIME_HZ,
    FADE_S,
    LIMIT_CEILING,
    LIMIT_KNEE,
    SAMPLE_RATE_HZ,
    VOLUME_RAMP_S,
    VOLUME_RANGE_DB,
    CueStream,
    Mixer,
    breath_tone,
    breath_tone_stream,
    chime_stream,
    soft_limit,
    to_pcm16,
    volume_gain,
)
from trainer.content.breathing import PhaseKind

INHALE, HOLD, EXHALE = PhaseKind.INHALE, PhaseKind.HOLD, PhaseKind.EXHALE
SR = SAMPLE_RATE_HZ
BLOCK = 512  # samples a sound server might ask for at a time

Signal = npt.NDArray[np.floating]


def largest_jump(x: Signal) -> float:
    return float(np.max(np.abs(np.diff(np.asarray(x, dtype=np.float64)))))


def read_blocks(mixer: Mixer, samples: int, block: int = BLOCK) -> Signal:
    out = [mixer.read(min(block, samples - done)) for done in range(0, samples, block)]
    return np.concatenate(out) if out else np.zeros(0, dtype=np.float32)


def steady(value: float, seconds: float = 2.0) -> CueStream:
    """A level that holds still, so the gain applied shows sample by sample."""
    return CueStream.of(np.full(round(seconds * SR), value), SR)


# -- the volume curve ---------------------------------------------------------------------------


def test_volume_is_linear_in_decibels_and_zero_is_silent() -> None:
    assert volume_gain(0.0) == 0.0
    assert volume_gain(1.0) == 1.0
    positions = np.linspace(0.05, 1.0, 20)
    decibels = [20 * np.log10(volume_gain(float(p))) for p in positions]
    assert decibels[0] == pytest.approx(-VOLUME_RANGE_DB * 0.95)
    # every 5 % step is the same step in loudness, wherever the slider is
    assert np.diff(decibels) == pytest.approx([VOLUME_RANGE_DB / 20] * 19)
    # ... where linear amplitude made 100 -> 90 % -0.9 dB and 20 -> 10 % -6 dB
    top = 20 * np.log10(volume_gain(0.9) / volume_gain(1.0))
    bottom = 20 * np.log10(volume_gain(0.1) / volume_gain(0.2))
    assert top == pytest.approx(bottom) == pytest.approx(-4.0)


def test_volume_refuses_what_is_not_a_slider_position() -> None:
    for bad in (-0.01, 1.01, float("nan")):
        with pytest.raises(ValueError, match="volume must be"):
            volume_gain(bad)


# -- one voice after another --------------------------------------------------------------------


def test_a_phase_change_is_no_bigger_a_jump_than_the_tone_itself() -> None:
    """Each phase's tone ends as the next one starts, in the middle of a block: no step."""
    own = largest_jump(breath_tone(INHALE, 4.0))  # the tone's own largest sample jump
    mixer = Mixer(SR)
    recorded = []
    for kind, level in ((INHALE, 0.0), (HOLD, 1.0), (EXHALE, 1.0), (HOLD, 0.0), (INHALE, 0.0)):
        stream = breath_tone_stream(kind, 1.0, from_level=level)
        mixer.play(stream)
        # the frame that starts the next phase comes a little before this one's end
        recorded.append(read_blocks(mixer, stream.length - 300, 700))
    recorded.append(read_blocks(mixer, SR // 2))
    out = np.concatenate(recorded)
    assert largest_jump(out) <= own * 1.001
    assert np.max(np.abs(out)) > 0.8 * BREATH_PEAK  # it did sound, at its own level


def test_a_replaced_voice_fades_out_while_the_new_one_fades_in() -> None:
    """A tone restarted mid-phase (after a pause, say): the old one falls as the new rises."""
    own = largest_jump(breath_tone(INHALE, 4.0))
    mixer = Mixer(SR)
    mixer.play(breath_tone_stream(INHALE, 4.0))
    before = read_blocks(mixer, SR)
    mixer.play(breath_tone_stream(INHALE, 4.0, start_fraction=0.25), replace=True)
    across = read_blocks(mixer, round(4 * FADE_S * SR))
    out = np.concatenate([before, across])
    assert largest_jump(out) <= own * 1.001
    assert mixer.voices == 1  # the old one has gone once its fade was played


def test_a_step_in_the_sum_is_what_a_cut_voice_would_make() -> None:
    """The test above can fail: a voice dropped without its fade leaves a step far above own."""
    own = largest_jump(breath_tone(INHALE, 4.0))
    stream = breath_tone_stream(INHALE, 4.0)
    first = stream.read(SR + 123)
    cut = np.concatenate([first, np.zeros(100, dtype=np.float32)])
    assert largest_jump(cut) > 2 * own


# -- many voices --------------------------------------------------------------------------------


def test_overlapping_voices_never_pass_full_scale() -> None:
    mixer = Mixer(SR, max_voices=8)
    raw = np.zeros(SR)
    streams = [breath_tone_stream(INHALE, 1.0) for _ in range(4)]
    streams += [chime_stream(CHIME_HZ[kind], 1.0) for kind in (INHALE, HOLD, EXHALE)]
    for stream in streams:
        mixer.play(stream)
    for stream in (breath_tone_stream(INHALE, 1.0) for _ in range(4)):
        raw[: stream.length] += stream.read_all()
    for kind in (INHALE, HOLD, EXHALE):
        raw += chime_stream(CHIME_HZ[kind], 1.0).read_all()
    assert np.max(np.abs(raw)) > 2.0  # a plain sum would clip hard
    out = read_blocks(mixer, SR)
    assert np.max(np.abs(out)) <= LIMIT_CEILING < 1.0  # never even touching full scale
    # where the sum is quiet it is untouched; where loud, it rises with the sum
    quiet = np.abs(raw) <= LIMIT_KNEE
    assert out[quiet] == pytest.approx(raw[quiet], abs=1e-6)
    order = np.argsort(np.abs(raw))
    assert np.all(np.diff(np.abs(out[order]).astype(np.float64)) >= -1e-6)


def test_the_soft_limit_is_smooth_at_its_knee_and_refuses_a_bad_knee() -> None:
    x = np.linspace(LIMIT_KNEE - 0.01, LIMIT_KNEE + 0.01, 2001)
    slope = np.diff(soft_limit(x)) / np.diff(x)
    assert slope == pytest.approx(1.0, abs=0.05)  # no corner at the knee
    assert soft_limit([100.0, -100.0]) == pytest.approx([LIMIT_CEILING, -LIMIT_CEILING])
    with pytest.raises(ValueError, match="knee"):
        soft_limit([0.5], knee=1.0)


def test_too_many_voices_and_the_oldest_fades_away() -> None:
    mixer = Mixer(SR, max_voices=2)
    first, second, third = (steady(0.1) for _ in range(3))
    mixer.play(first)
    mixer.play(second)
    assert not first.ending
    mixer.play(third)
    assert first.ending
    assert not second.ending
    out = read_blocks(mixer, round(FADE_S * SR) + 10)
    assert out[0] == pytest.approx(0.3, abs=1e-3)
    assert out[-1] == pytest.approx(0.2, abs=1e-6)
    assert np.all(np.diff(out) <= 1e-7)
    assert mixer.voices == 2


# -- volume -------------------------------------------------------------------------------------


def test_five_quick_steps_down_never_get_louder_at_any_sample() -> None:
    mixer = Mixer(SR)
    voice = steady(0.5)
    voice.set_gain(volume_gain(0.7), 0.0)
    mixer.play(voice)
    out = [read_blocks(mixer, 2000)]
    for step in range(1, 6):  # "-" five times, faster than each glide lasts
        voice.set_gain(volume_gain(0.7 - 0.1 * step))
        out.append(read_blocks(mixer, round(VOLUME_RAMP_S * SR / 3)))
    out.append(read_blocks(mixer, 2 * round(VOLUME_RAMP_S * SR)))
    level = np.concatenate(out).astype(np.float64)
    assert np.all(np.diff(level) <= 1e-9)  # monotonic: never first louder, no swell
    assert level[0] == pytest.approx(0.5 * volume_gain(0.7), rel=1e-6)
    assert level[-1] == pytest.approx(0.5 * volume_gain(0.2), rel=1e-6)
    steps = np.abs(np.diff(level))
    assert np.max(steps) < 0.5 * volume_gain(0.7) / 100  # a glide, never a step


def test_a_step_up_rises_smoothly_to_the_new_level_and_stays() -> None:
    voice = steady(0.5)
    voice.set_gain(0.1, 0.0)
    first = voice.read(100)
    voice.set_gain(0.4)
    rest = voice.read(round(VOLUME_RAMP_S * SR) + 500)
    level = np.concatenate([first, rest]).astype(np.float64)
    assert np.all(np.diff(level) >= -1e-9)
    assert level[0] == pytest.approx(0.05)
    ramp = round(VOLUME_RAMP_S * SR)
    assert level[100 + ramp - 1] < 0.2  # still on its way at the end of the ramp ...
    assert level[100 + ramp :] == pytest.approx(0.2)  # ... and there after it
    with pytest.raises(ValueError, match="gain must not be negative"):
        voice.set_gain(-1.0)


def test_a_tones_gain_changes_without_restarting_it() -> None:
    """The glide multiplies the same tone: read with a gain change, it is the tone times the ramp."""
    whole = breath_tone(INHALE, 2.0)
    stream = breath_tone_stream(INHALE, 2.0)
    head = stream.read(SR // 2)
    stream.set_gain(0.5)
    tail = stream.read_all()
    ramp = round(VOLUME_RAMP_S * SR)
    gains = np.concatenate(
        [np.linspace(1.0, 0.5, ramp, endpoint=False), np.full(tail.size - ramp, 0.5)]
    )
    assert head == pytest.approx(whole[: SR // 2], abs=1e-6)
    assert tail == pytest.approx(whole[SR // 2 :] * gains, abs=1e-6)


# -- silence ------------------------------------------------------------------------------------


def test_a_fade_out_reaches_silence_within_its_fade() -> None:
    """A pause: every sample after FADE_S is exactly zero (the output adds its buffer to this)."""
    mixer = Mixer(SR)
    mixer.play(breath_tone_stream(INHALE, 4.0))
    mixer.play(chime_stream(CHIME_HZ[INHALE], 1.2))
    before = read_blocks(mixer, SR // 3)
    mixer.fade_out()
    out = read_blocks(mixer, SR // 2)
    fade = round(FADE_S * SR)
    assert np.max(np.abs(out[:BLOCK])) > 0.05  # it was sounding
    assert np.all(out[fade:] == 0.0)
    assert largest_jump(np.concatenate([before, out])) <= largest_jump(before)
    assert not mixer.active


def test_nothing_sounding_is_silence_of_the_size_asked() -> None:
    mixer = Mixer(SR)
    assert not mixer.active
    assert mixer.read(300).tolist() == [0.0] * 300
    assert mixer.read_pcm16(300) == bytes(600)
    assert mixer.samples_read == 600
    mixer.play(steady(0.25, 0.001))
    assert mixer.read_pcm16(100) == np.array([8192] * 44 + [0] * 56, dtype="<i2").tobytes()


def test_the_mixer_refuses_a_stream_at_another_rate_and_bad_settings() -> None:
    mixer = Mixer(SR)
    with pytest.raises(ValueError, match="this mixer runs at 44100 Hz"):
        mixer.play(CueStream.of(np.zeros(10), 22050))
    with pytest.raises(ValueError, match="max_voices"):
        Mixer(SR, max_voices=0)


# -- made ahead, heard as if not ------------------------------------------------------------------

ODD_READS = (7, 333, 1001, 64, 2500, 1, 4095, 129)  # pieces a sound server might ask for


def scripted_session(mixer: Mixer) -> tuple[Signal, bytes]:
    """A tone and chimes with every kind of change arriving between reads of odd sizes; what
    ``mixer`` gives, as read() and as read_pcm16() (every other read), all in one stream."""
    floats: list[Signal] = []
    pcm: list[bytes] = []
    reads = iter(ODD_READS * 40)

    def listen(times: int = 3) -> None:
        for _ in range(times):
            count = next(reads)
            if len(floats) % 2:
                data = mixer.read_pcm16(count)
                pcm.append(data)
                floats.append(np.frombuffer(data, "<i2") / 32767.0)
            else:
                samples = mixer.read(count)
                pcm.append(to_pcm16(samples))
                floats.append(samples.astype(np.float64))

    tone = breath_tone_stream(INHALE, 1.0)
    tone.set_gain(volume_gain(0.7), 0.0)
    mixer.play(tone)
    listen()
    mixer.play(chime_stream(CHIME_HZ[INHALE], 0.3))
    listen()
    tone.set_gain(volume_gain(0.5))  # a volume step mid-ramp of nothing
    listen(2)
    tone.set_gain(volume_gain(0.9))  # ... and another before the first glide is over
    listen()
    mixer.play(breath_tone_stream(INHALE, 1.0, start_fraction=0.4), replace=True)  # a resume
    listen(4)
    mixer.play(chime_stream(CHIME_HZ[EXHALE], 0.05))  # a short one: ends inside what was made
    listen(5)
    mixer.fade_out()  # a pause
    listen(3)
    mixer.play(breath_tone_stream(HOLD, 0.5))
    listen(6)
    return np.concatenate(floats), b"".join(pcm)


def test_rendering_ahead_sounds_exactly_like_making_each_read_alone() -> None:
    """Every change lands on the same sample as when each read made only what it gave."""
    reference, reference_pcm = scripted_session(Mixer(SR, render_ahead=0))
    for ahead in (1024, 2048, 5000):
        heard, heard_pcm = scripted_session(Mixer(SR, render_ahead=ahead))
        assert heard.size == reference.size
        assert np.max(np.abs(heard - reference)) < 1e-6, ahead
        different = np.flatnonzero(
            np.frombuffer(heard_pcm, "<i2") != np.frombuffer(reference_pcm, "<i2")
        )
        assert different.size <= 2, ahead  # a rounding at most, where the tone's phase differs
    assert np.max(np.abs(reference)) > 0.3  # it did sound


def test_a_fade_out_in_the_middle_of_what_was_made_is_silent_as_soon_as_before() -> None:
    """Pause 100 samples into 2048 made ahead: silence after FADE_S, not after the 1948 made."""
    fade = round(FADE_S * SR)
    for ahead in (0, 2048):
        mixer = Mixer(SR, render_ahead=ahead)
        mixer.play(breath_tone_stream(INHALE, 4.0))
        assert np.max(np.abs(mixer.read(100))) > 0.0
        mixer.fade_out()
        out = read_blocks(mixer, 4000, 37)
        sounding = np.flatnonzero(out)
        assert sounding[-1] + 1 == fade - 1, ahead  # the fade's last sample is exactly zero
        assert not mixer.active


def test_a_new_volume_in_the_middle_of_what_was_made_starts_at_the_next_sample() -> None:
    mixer = Mixer(SR)
    voice = steady(0.5)
    mixer.play(voice)
    head = mixer.read(10)
    voice.set_gain(0.0, 0.0)
    tail = mixer.read(10)
    assert head == pytest.approx([0.5] * 10)
    assert tail.tolist() == [0.0] * 10


@pytest.mark.parametrize("pcm", [False, True])
def test_samples_read_and_positions_count_what_was_handed_out_not_made(pcm: bool) -> None:
    mixer = Mixer(SR, render_ahead=2048)

    def read(count: int) -> Signal:
        if pcm:
            return np.frombuffer(mixer.read_pcm16(count), "<i2") / 32767.0
        return mixer.read(count).astype(np.float64)

    short = steady(0.1, 1500 / SR)
    mixer.play(short)
    read(1000)
    assert mixer.samples_read == 1000
    assert short.position == 1000
    assert short.remaining == 500
    assert mixer.active  # its last 500 samples are made but not yet handed out: still a voice
    read(499)
    assert mixer.voices == 1
    assert short.remaining == 1
    assert read(1) == pytest.approx([0.1], abs=1e-4)  # its last sample ...
    assert mixer.voices == 0  # ... and it is let go at once
    assert short.remaining == 0
    assert read(2).tolist() == [0.0, 0.0]
    assert mixer.samples_read == 1502
    read(10)
    assert mixer.samples_read == 1512  # silence counts too


def test_a_tone_made_again_from_inside_its_last_chunk_is_the_same_tone() -> None:
    whole = breath_tone(INHALE, 0.5)
    stream = breath_tone_stream(INHALE, 0.5)
    stream.read(1000)
    stream._rewind(400)
    assert stream.read(3000) == pytest.approx(whole[400:3400], abs=1e-6)
    stream._rewind(3000)
    assert stream.read_all() == pytest.approx(whole[3000:], abs=1e-6)
    with pytest.raises(ValueError, match="can only go back"):
        stream._rewind(stream.position + 1)
    stream._rewind(0)
    with pytest.raises(ValueError, match="rendered in order"):
        stream.read(10)  # before the last chunk made: its phase is no longer known


def test_the_mixer_refuses_a_bad_render_ahead_and_a_stream_of_another_mixer() -> None:
    with pytest.raises(ValueError, match="render_ahead"):
        Mixer(SR, render_ahead=-1)
    stream = steady(0.1)
    Mixer(SR).play(stream)
    with pytest.raises(ValueError, match="another mixer"):
        Mixer(SR).play(stream)
