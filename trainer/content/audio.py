"""Sound cues for the breathing pacer, synthesized with numpy (playback lives in ``ui/common/sound.py``).

Two kinds of cue, both soft:

- a *breath tone* whose pitch follows the pacer level: it rises through an in-breath and falls
  through an out-breath with the same cosine ease as the pacer, so the ear and the eye agree. Pitch
  moves on a musical (logarithmic) scale from ``low_hz`` at level 0 to ``high_hz`` at level 1.
  Through a hold it is a quiet, steady tone at the held pitch. (Silence would be ambiguous with
  the eyes closed: has the sound stopped, has the app stalled? A quiet tone says "keep holding",
  its pitch says whether the lungs are full or empty, and its end marks the next breath.)
- a *chime*, a small bell at each phase change, pitched by what comes next.

Every buffer is float32 mono in -1..1 whose envelope starts and ends at exactly zero through short
raised-cosine fades, so nothing clicks; ``volume`` (0..1) scales it linearly. :class:`CueTracker`
decides from successive :class:`~trainer.content.breathing.PacerState` values when a cue is due, and
:class:`CueStream` renders a cue as it is read (so starting one costs next to nothing), can end it
early with a fade and can change its loudness with a short ramp.

:class:`Mixer` sums the cues sounding now into one endless stream for one long-lived output, so a
new cue never opens a new stream (each new stream on a sound server loses a few milliseconds of its
start: a click). It makes the sum a block ahead of what it hands out (the output reads a few
milliseconds at a time, and numpy's cost is per call) and takes back what it made whenever
something changes, so no change is heard later for it. The volume slider's position maps to a
gain on a perceptual (decibel) scale by :func:`volume_gain`.
"""

from __future__ import annotations

import contextlib
import math
import threading
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final

from trainer.content.breathing import BreathingPattern, PacerState, PhaseKind, ease
from trainer.content.cues import CueMode

if TYPE_CHECKING:  # numpy is imported where sound is made, not when the app starts
    import numpy as np
    import numpy.typing as npt

    Samples = npt.NDArray[np.float32]
    Floats = npt.NDArray[np.float64]

SAMPLE_RATE_HZ: Final = 44100
MIN_SAMPLE_RATE_HZ: Final = 8000
FADE_S: Final = 0.03  # raised-cosine fade at each end of a breath tone
LOW_HZ: Final = 220.0  # breath-tone pitch at level 0 (empty lungs): A3
HIGH_HZ: Final = 330.0  # at level 1 (full lungs): a fifth above, E4
SECOND_HARMONIC: Final = 0.12  # share of the octave partial: a little warmth, still soft
BREATH_PEAK: Final = 0.6  # peak amplitude of a breath tone at volume 1
HOLD_PEAK: Final = 0.2  # a hold is a third as loud as a breath
CHIME_PEAK: Final = 0.6
CHIME_S: Final = 1.2
CHIME_ATTACK_S: Final = 0.02
CHIME_RELEASE_S: Final = 0.04
# (multiple of the fundamental, relative amplitude, decay time constant in seconds)
CHIME_PARTIALS: Final = ((1.0, 1.0, 0.5), (2.0, 0.35, 0.25), (3.0, 0.12, 0.15))
# A chime names what starts: high for an in-breath, low for an out-breath (A major: E5, C#5, A4).
CHIME_HZ: Final[Mapping[PhaseKind, float]] = {
    PhaseKind.INHALE: 659.26,
    PhaseKind.HOLD: 554.37,
    PhaseKind.EXHALE: 440.0,
}
END_CHIME_HZ: Final = (440.0, 329.63)  # A4 then E4, a gentle falling close
END_CHIME_GAP_S: Final = 0.45
MIN_TONE_S: Final = 0.1  # a remainder shorter than this is not worth a tone
CHIME_LATE_S: Final = 0.25  # a chime more than this late into its phase would mislead
VOICE_LATE_S: Final = 0.25  # a spoken word later than this into its phase is left unsaid
# Volume: the slider (0..1) is linear in decibels over this range, 1 being full level and 0 silent,
# so each step sounds like the same change wherever the slider is (linear amplitude made the top
# half of the slider nearly inaudible and the bottom steps jump).
VOLUME_RANGE_DB: Final = 40.0
VOLUME_RAMP_S: Final = 0.05  # a new volume glides in over this: no step, no restart, no overshoot
MIX_VOICES: Final = 4  # cues the mixer keeps at full level at once; an older one fades out
LIMIT_KNEE: Final = 0.8  # above this the mixed sum bends smoothly towards LIMIT_CEILING ...
LIMIT_CEILING: Final = 0.98  # ... which it never passes: full scale is never reached
# Samples the mixer makes at a time (about 93 ms): a sound server reads a few ms at a time, and
# making each such piece on its own cost several times more (see Mixer).
RENDER_AHEAD: Final = 4096


# -- checks -------------------------------------------------------------------------------------


def _finite(value: float, what: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ValueError(f"{what} must be a finite number; got {value!r}")
    return float(value)


def _check_rate(sample_rate: int) -> int:
    if isinstance(sample_rate, bool) or not isinstance(sample_rate, int):
        raise ValueError(f"sample_rate must be a whole number of hertz; got {sample_rate!r}")
    if sample_rate < MIN_SAMPLE_RATE_HZ:
        raise ValueError(f"sample_rate must be at least {MIN_SAMPLE_RATE_HZ} Hz; got {sample_rate}")
    return sample_rate


def _check_volume(volume: float) -> float:
    level = _finite(volume, "volume")
    if not 0.0 <= level <= 1.0:
        raise ValueError(f"volume must be from 0 to 1; got {level:g}")
    return level


def _check_level(level: float, what: str) -> float:
    value = _finite(level, what)
    if not 0.0 <= value <= 1.0:
        raise ValueError(f"{what} must be from 0 to 1; got {value:g}")
    return value


def _check_duration(duration_s: float) -> float:
    seconds = _finite(duration_s, "duration_s")
    if seconds <= 0:
        raise ValueError(f"duration_s must be more than 0 seconds; got {seconds:g}")
    return seconds


def volume_gain(position: float) -> float:
    """The amplitude gain for a volume slider ``position`` (0..1): 0 is silent, 1 full level.

    In between it is linear in decibels over :data:`VOLUME_RANGE_DB` (``10 ** (dB / 20)``), as
    loudness is heard: 100 -> 90 % and 20 -> 10 % are the same step down (4 dB).
    """
    level = _check_volume(position)
    if level == 0.0:
        return 0.0
    return float(10.0 ** (VOLUME_RANGE_DB * (level - 1.0) / 20.0))


# -- building blocks ----------------------------------------------------------------------------


def pitch_hz(level: float, low_hz: float = LOW_HZ, high_hz: float = HIGH_HZ) -> float:
    """The breath tone's pitch at a pacer level: ``low_hz`` at 0, ``high_hz`` at 1, log between."""
    return low_hz * math.exp(level * math.log(high_hz / low_hz))


def _apply_envelope(wave: Floats, start: int, n: int, fade_in: int, fade_out: int) -> None:
    """Shape samples ``start ..`` of an ``n``-sample cue with raised-cosine fades, in place.

    ``fade_in`` samples rise from exactly 0 at the first sample; ``fade_out`` samples fall to
    exactly 0 at the last. Where the fades overlap (a very short cue) they multiply.
    """
    import numpy as np

    count = wave.size
    fade_in, fade_out = max(1, fade_in), max(1, fade_out)
    rising = min(count, fade_in - start)
    if rising > 0:
        index = np.arange(start, start + rising)
        wave[:rising] *= (1.0 - np.cos(np.pi * index / fade_in)) / 2.0
    falling = max(0, n - fade_out - start)
    if falling < count:
        index = np.arange(start + falling, start + count)
        wave[falling:] *= (1.0 - np.cos(np.pi * (n - 1 - index) / fade_out)) / 2.0


def _samples_for(seconds: float, sample_rate: int) -> int:
    return max(2, round(seconds * sample_rate))


class _Renderer:
    """Makes samples ``start .. start + count`` of a cue.

    Streams call it in order, except that a mixer that rendered ahead may ask again from a sample
    inside the chunk it asked for last (see :meth:`CueStream._rewind`): the samples made again are
    the same ones.
    """

    def render(self, start: int, count: int) -> Floats:
        raise NotImplementedError


class _ToneRenderer(_Renderer):
    """The breath tone, rendered a chunk at a time with a running phase (see breath_tone)."""

    def __init__(
        self,
        n: int,
        *,
        hold: bool,
        fraction: float,
        duration_s: float,
        levels: tuple[float, float],
        low_hz: float,
        high_hz: float,
        gain: float,
        sample_rate: int,
    ) -> None:
        self._n = n
        self._hold = hold
        self._fraction = fraction
        self._samples_per_phase = sample_rate * duration_s
        self._levels = levels
        self._log_low = math.log(low_hz)
        self._log_span = math.log(high_hz / low_hz)
        self._gain = gain / (1.0 + SECOND_HARMONIC)
        self._radians_per_hz = 2.0 * math.pi / sample_rate
        self._fade = round(FADE_S * sample_rate)
        self._next = 0
        self._phase = 0.0  # radians at sample self._next
        # The phase at each sample of the last chunk made (it starts at sample _last_start), so
        # the tone can be made again from any of them with the very same phase.
        self._last_start = 0
        self._last_phase: Floats | None = None

    def render(self, start: int, count: int) -> Floats:
        import numpy as np

        if start == self._next:
            phase_at_start = self._phase
        elif self._last_phase is not None and self._last_start <= start < self._next:
            phase_at_start = float(self._last_phase[start - self._last_start])
        else:
            raise ValueError(
                f"a tone is rendered in order (or again from within its last chunk): asked for "
                f"{start}, at {self._next}"
            )
        index = np.arange(start, start + count, dtype=np.float64)
        first, last = self._levels
        if self._hold:
            level: Floats | float = first
        else:
            u = np.minimum(self._fraction + index / self._samples_per_phase, 1.0)
            level = first + (last - first) * (1.0 - np.cos(np.pi * u)) / 2.0
        freq = np.exp(self._log_low + self._log_span * np.asarray(level)) * np.ones(count)
        # The phase is the running sum of the instantaneous frequency: continuous however the
        # pitch moves, and carried from one chunk to the next.
        phase = np.empty(count)
        phase[0] = 0.0
        np.cumsum(freq[:-1], out=phase[1:])
        phase = phase_at_start + phase * self._radians_per_hz
        if count:
            self._phase = float(phase[-1] + freq[-1] * self._radians_per_hz) % (2.0 * math.pi)
        self._next = start + count
        self._last_start, self._last_phase = start, phase
        wave = np.sin(phase) + SECOND_HARMONIC * np.sin(2.0 * phase)
        wave *= self._gain
        _apply_envelope(wave, start, self._n, self._fade, self._fade)
        return wave


class _ChimeRenderer(_Renderer):
    """A soft bell (see chime)."""

    def __init__(self, n: int, pitch_hz: float, gain: float, sample_rate: int) -> None:
        self._n = n
        self._pitch_hz = pitch_hz
        self._gain = gain / sum(amplitude for _, amplitude, _ in CHIME_PARTIALS)
        self._rate = sample_rate
        self._attack = round(CHIME_ATTACK_S * sample_rate)
        self._release = round(CHIME_RELEASE_S * sample_rate)

    def render(self, start: int, count: int) -> Floats:
        import numpy as np

        index = np.arange(start, start + count, dtype=np.float64)
        t = index / self._rate
        wave = np.zeros(count)
        for multiple, amplitude, decay_s in CHIME_PARTIALS:
            wave += (
                amplitude
                * np.exp(-t / decay_s)
                * np.sin(2.0 * np.pi * self._pitch_hz * multiple * t)
            )
        wave *= self._gain
        _apply_envelope(wave, start, self._n, self._attack, self._release)
        return wave


class _ArrayRenderer(_Renderer):
    """Samples made in advance."""

    def __init__(self, samples: npt.ArrayLike) -> None:
        import numpy as np

        self._samples = np.asarray(samples, dtype=np.float64)

    def render(self, start: int, count: int) -> Floats:
        return self._samples[start : start + count]


class CueStream:
    """A cue being played: read it out in chunks, end it early with a fade, or change its gain.

    Samples are made as they are read, so starting a cue costs next to nothing however long it
    is (a 20-second hold is not rendered in one go on the frame that starts it). Its gain (1 at
    first) moves to a new value along a short straight ramp, so the level never steps and never
    overshoots on the way. One thread may read it while another changes its gain or fades it.

    Played by a :class:`Mixer` (which may have made some of it ahead of what it has handed out),
    its :attr:`position` is what the mixer has handed out, and a change of gain or a fade takes
    effect there, as if nothing had been made ahead.
    """

    def __init__(self, renderer: _Renderer, length: int, sample_rate: int) -> None:
        self._renderer = renderer
        self.length = length  # samples, unless ended early by fade_out
        self.sample_rate = sample_rate
        self._position = 0
        self._fade_start = length  # fade_out's ramp runs from here to self.length
        self._fade_count = 0
        # The gain ramps from _gain_from at sample _ramp_start to _gain_to _ramp_count later.
        self._gain_from = 1.0
        self._gain_to = 1.0
        self._ramp_start = 0
        self._ramp_count = 0
        self._lock = threading.Lock()  # a read sees a gain ramp or a fade whole, never half set
        self._mixer: Mixer | None = None  # the mixer playing it, once played

    @classmethod
    def of(cls, samples: npt.ArrayLike, sample_rate: int = SAMPLE_RATE_HZ) -> CueStream:
        """A stream of samples made in advance."""
        import numpy as np

        array = np.asarray(samples, dtype=np.float64)
        if array.ndim != 1:
            raise ValueError(f"samples must be one channel (a 1-D array); got shape {array.shape}")
        return cls(_ArrayRenderer(array), array.size, _check_rate(sample_rate))

    @property
    def remaining(self) -> int:
        """Samples still to be read (by a mixer: still to be handed out)."""
        return self.length - self.position

    @property
    def position(self) -> int:
        """Samples read so far (by a mixer: handed out so far, not what it made ahead)."""
        mixer = self._mixer
        return self._position if mixer is None else mixer._served_position(self)

    @property
    def ending(self) -> bool:
        """True once :meth:`fade_out` has been asked for: the stream is fading away."""
        return self._fade_count > 0

    @property
    def gain(self) -> float:
        """The gain this stream is at or ramping towards."""
        return self._gain_to

    def set_gain(self, gain: float, ramp_s: float = VOLUME_RAMP_S) -> None:
        """Move the gain from where it is now to ``gain`` along a straight ramp of ``ramp_s``."""
        gain, ramp_s = _finite(gain, "gain"), _finite(ramp_s, "ramp_s")
        if gain < 0:
            raise ValueError(f"gain must not be negative; got {gain:g}")
        if ramp_s < 0:
            raise ValueError(f"ramp_s must not be negative; got {ramp_s:g}")
        with self._changing():
            self._gain_from = self._gain_at(self._position)
            self._gain_to = gain
            self._ramp_start = self._position
            self._ramp_count = round(ramp_s * self.sample_rate)

    @contextlib.contextmanager
    def _changing(self) -> Iterator[None]:
        """Hold the locks for a change: a mixer playing this first takes back what it made ahead
        (so the change starts at the sample it hands out next), and no read runs meanwhile."""
        mixer = self._mixer
        if mixer is None:
            with self._lock:
                yield
            return
        with mixer._lock:
            mixer._take_back()
            with self._lock:
                yield

    def _rewind(self, position: int) -> None:
        """Read on from ``position`` (no later than where it is), as if nothing after had been
        read: the mixer's taking back what it made ahead. Positions, fades and gain ramps are
        counted in samples from the cue's start, so they come out the same again."""
        with self._lock:
            if not 0 <= position <= self._position:
                raise ValueError(f"can only go back: at {self._position}, asked for {position}")
            self._position = position

    def _gain_at(self, index: int) -> float:
        into = index - self._ramp_start
        if into >= self._ramp_count:
            return self._gain_to
        return self._gain_from + (self._gain_to - self._gain_from) * max(0, into) / self._ramp_count

    def read(self, max_samples: int) -> Samples:
        """The next samples, at most ``max_samples`` (empty at the end)."""
        with self._lock:
            return self._read(max_samples)

    def _read(self, max_samples: int) -> Samples:
        import numpy as np

        count = max(0, min(max_samples, self.length - self._position))
        if count == 0:
            return np.zeros(0, dtype=np.float32)
        start = self._position
        chunk = self._renderer.render(start, count)
        self._position += count
        if self._fade_count and start + count > self._fade_start:
            index = np.arange(start, start + count)
            into = np.clip(index - self._fade_start + 1, 0, self._fade_count)
            chunk = chunk * (1.0 + np.cos(np.pi * into / self._fade_count)) / 2.0
        if start < self._ramp_start + self._ramp_count:  # ramping: one gain per sample
            into = np.clip(np.arange(start, start + count) - self._ramp_start, 0, None)
            step = (self._gain_to - self._gain_from) / self._ramp_count
            gains = np.where(into >= self._ramp_count, self._gain_to, self._gain_from + step * into)
            chunk = chunk * gains
        elif self._gain_to != 1.0:
            chunk = chunk * self._gain_to
        return chunk.astype(np.float32)

    def read_all(self) -> Samples:
        """Everything not yet read."""
        return self.read(self.length - self._position)

    def fade_out(self, fade_s: float = FADE_S) -> None:
        """End soon: the next ``fade_s`` seconds fall to exactly zero, and the rest is dropped."""
        fade_s = _finite(fade_s, "fade_s")
        if fade_s < 0:
            raise ValueError(f"fade_s must not be negative; got {fade_s:g}")
        with self._changing():
            if self._fade_count:
                return  # already ending
            count = min(self.length - self._position, max(1, round(fade_s * self.sample_rate)))
            self._fade_start = self._position
            self._fade_count = count
            self.length = self._position + count


# -- mixing -------------------------------------------------------------------------------------


def soft_limit(
    samples: npt.ArrayLike, knee: float = LIMIT_KNEE, ceiling: float = LIMIT_CEILING
) -> Floats:
    """``samples`` unchanged up to ``knee``; above it bent smoothly towards, never past, ``ceiling``.

    The curve is continuous with its slope (1 at the knee), rises with its input (so a level
    that falls never rises on the way) and stays below full scale however many cues add up.
    """
    import numpy as np

    x = np.asarray(samples, dtype=np.float64)
    if not 0.0 < knee < ceiling <= 1.0:
        raise ValueError(f"need 0 < knee < ceiling <= 1; got knee {knee:g}, ceiling {ceiling:g}")
    size = np.abs(x)
    over = size > knee
    if not np.any(over):
        return x
    room = ceiling - knee
    bent = knee + room * np.tanh((size[over] - knee) / room)
    out = x.copy()
    out[over] = np.sign(x[over]) * bent
    return out


class Mixer:
    """The cues sounding now, summed into one endless stream for one long-lived output.

    :meth:`play` adds a voice (a :class:`CueStream`); :meth:`read` gives the next block of their
    sum, silence when none sounds, always the size asked for. A voice replaced or faded out
    falls to zero along its own fade while a new one rises along its own, so the sum never
    steps; more than ``max_voices`` at once and the oldest fades away; the sum is softly limited
    below full scale. Safe to call from the thread that reads and the one that plays.

    A sound server reads in small pieces, and making each piece through numpy costs far more
    than its samples do, so the sum is made ``render_ahead`` samples at a time and each read
    hands out the next slice of it. Nothing heard comes later for that: every change (a cue
    played, a fade, a voice's new gain) first takes back what was made and not yet handed out
    (each voice goes back to the sample handed out last) and starts at the next sample handed
    out, exactly as when every read made only what it gave (``render_ahead=0``). A voice that
    ends within what was made stays a voice until its last sample has been handed out.
    """

    def __init__(
        self,
        sample_rate: int = SAMPLE_RATE_HZ,
        *,
        max_voices: int = MIX_VOICES,
        render_ahead: int = RENDER_AHEAD,
    ) -> None:
        import numpy as np

        self.sample_rate = _check_rate(sample_rate)
        if isinstance(max_voices, bool) or not isinstance(max_voices, int) or max_voices < 1:
            raise ValueError(f"max_voices must be a whole number from 1; got {max_voices!r}")
        if isinstance(render_ahead, bool) or not isinstance(render_ahead, int) or render_ahead < 0:
            raise ValueError(f"render_ahead must be a whole number from 0; got {render_ahead!r}")
        self._max_voices = max_voices
        self._render_ahead = render_ahead
        self._voices: list[CueStream] = []
        # Re-entrant: a change to a voice (its own lock inside this one) may come from play().
        self._lock = threading.RLock()
        self.samples_read = 0  # samples handed out so far (a clock for the output)
        # What was made ahead: the limited sum, its samples handed out so far (_served), and for
        # each voice in it the voice's position where it starts and where it ends.
        self._made: Floats = np.zeros(0)
        self._made_f32: Samples | None = None  # the same as read() gives it, made when asked
        self._made_pcm: bytes | None = None  # ... and as read_pcm16() does
        self._served = 0
        self._spans: list[tuple[CueStream, int, int]] = []
        self._next_end: int | float = math.inf  # _served at which the next voice has ended

    @property
    def voices(self) -> int:
        """How many cues are sounding (fading ones included)."""
        with self._lock:
            return len(self._voices)

    @property
    def active(self) -> bool:
        """True while some cue still has samples to give."""
        return self.voices > 0

    def play(self, stream: CueStream, *, replace: bool = False) -> None:
        """Start ``stream`` with the next sample read; ``replace`` fades out everything sounding
        first."""
        if not isinstance(stream, CueStream):
            raise ValueError(f"stream must be a CueStream; got {stream!r}")
        if stream.sample_rate != self.sample_rate:
            raise ValueError(
                f"stream is at {stream.sample_rate} Hz; this mixer runs at {self.sample_rate} Hz"
            )
        with self._lock:
            if stream._mixer is not None and stream._mixer is not self:
                raise ValueError("stream is already played by another mixer")
            self._take_back()
            if replace:
                for voice in self._voices:
                    voice.fade_out()
            sounding = [voice for voice in self._voices if not voice.ending]
            for voice in sounding[: max(0, len(sounding) - self._max_voices + 1)]:
                voice.fade_out()
            if stream.length > stream._position and stream not in self._voices:
                stream._mixer = self
                self._voices.append(stream)

    def fade_out(self, fade_s: float = FADE_S) -> None:
        """Let everything sounding fall to zero within ``fade_s``."""
        with self._lock:
            self._take_back()
            for voice in self._voices:
                voice.fade_out(fade_s)

    def read(self, count: int) -> Samples:
        """The next ``count`` samples of the sum (zeros where nothing sounds)."""
        import numpy as np

        count = max(0, int(count))
        with self._lock:
            self.samples_read += count
            if not self._voices:
                return np.zeros(count, dtype=np.float32)
            pieces = self._pieces(count, pcm=False)
        return pieces[0] if len(pieces) == 1 else np.concatenate(pieces)

    def read_pcm16(self, count: int) -> bytes:
        """:meth:`read` as 16-bit PCM for the output (silence costs only the zero bytes)."""
        count = max(0, int(count))
        with self._lock:
            self.samples_read += count
            if not self._voices:
                return bytes(2 * count)
            start, end = self._served, self._served + count
            if end < self._next_end and end <= self._made.size and self._made_pcm is not None:
                self._served = end  # the usual read: one slice of what was made, no voice ends
                return self._made_pcm[2 * start : 2 * end]
            pieces = self._pieces(count, pcm=True)
        return pieces[0] if len(pieces) == 1 else b"".join(pieces)

    def _pieces(self, count: int, *, pcm: bool) -> list[Any]:
        """The next ``count`` samples as slices of what was made (made now as needed)."""
        import numpy as np

        pieces: list[Any] = []
        left = count
        while left > 0:
            if not self._voices:  # the rest, after the last voice's end, is silence
                pieces.append(bytes(2 * left) if pcm else np.zeros(left, dtype=np.float32))
                break
            if self._served >= self._made.size:
                self._make(max(left, self._render_ahead))
            take = min(left, self._made.size - self._served)
            start, end = self._served, self._served + take
            if pcm:
                if self._made_pcm is None:
                    self._made_pcm = to_pcm16(self._made)
                pieces.append(self._made_pcm[2 * start : 2 * end])
            else:
                if self._made_f32 is None:
                    self._made_f32 = self._made.astype(np.float32)
                pieces.append(self._made_f32[start:end])
            self._served = end
            left -= take
            if end >= self._next_end:
                self._let_go_of_ended()
        return pieces

    def _make(self, count: int) -> None:
        """Make the next ``count`` samples of the sum (every voice read on by ``count``)."""
        import numpy as np

        total = np.zeros(count, dtype=np.float64)
        spans = []
        for voice in self._voices:
            start = voice._position
            chunk = voice.read(count)
            total[: chunk.size] += chunk
            spans.append((voice, start, start + chunk.size))
        self._made = soft_limit(total)
        self._made_f32 = self._made_pcm = None
        self._served = 0
        self._spans = spans
        self._next_end = self._first_end()

    def _first_end(self) -> int | float:
        """Samples of what was made handed out when the next voice has given its last."""
        ends = [
            end - start
            for voice, start, end in self._spans
            if end >= voice.length and voice in self._voices
        ]
        return min(ends, default=math.inf)

    def _let_go_of_ended(self) -> None:
        """Drop the voices whose last sample has been handed out."""
        served = self._served
        ended = [
            voice
            for voice, start, end in self._spans
            if end >= voice.length and start + served >= end
        ]
        if ended:
            self._voices = [voice for voice in self._voices if voice not in ended]
            if not self._voices:
                self._forget_made()
                return
        self._next_end = self._first_end()

    def _take_back(self) -> None:
        """Drop what was made and not yet handed out: each voice goes back to its sample handed
        out last, so a change made now is heard from the next sample read."""
        with self._lock:
            if self._served < self._made.size:
                for voice, start, end in self._spans:
                    voice._rewind(min(start + self._served, end))
            self._forget_made()

    def _forget_made(self) -> None:
        import numpy as np

        self._made = np.zeros(0)
        self._made_f32 = self._made_pcm = None
        self._served = 0
        self._spans = []
        self._next_end = math.inf

    def _served_position(self, voice: CueStream) -> int:
        """``voice``'s samples handed out so far (its position, less what was made ahead)."""
        with self._lock:
            for made, start, end in self._spans:
                if made is voice:
                    return min(start + self._served, end)
            return voice._position


# -- the breath tone ----------------------------------------------------------------------------


def breath_tone_stream(
    kind: PhaseKind,
    duration_s: float,
    *,
    start_fraction: float = 0.0,
    from_level: float | None = None,
    to_level: float | None = None,
    low_hz: float = LOW_HZ,
    high_hz: float = HIGH_HZ,
    volume: float = 1.0,
    sample_rate: int = SAMPLE_RATE_HZ,
) -> CueStream:
    """:func:`breath_tone` as a stream that renders as it is read."""
    if not isinstance(kind, PhaseKind):
        raise ValueError(f"kind must be a PhaseKind; got {kind!r}")
    duration_s = _check_duration(duration_s)
    fraction = _finite(start_fraction, "start_fraction")
    if not 0.0 <= fraction < 1.0:
        raise ValueError(f"start_fraction must be at least 0 and below 1; got {fraction:g}")
    low_hz, high_hz = _finite(low_hz, "low_hz"), _finite(high_hz, "high_hz")
    sample_rate = _check_rate(sample_rate)
    if not 0 < low_hz < high_hz:
        raise ValueError(f"need 0 < low_hz < high_hz; got {low_hz:g} and {high_hz:g}")
    if 2 * high_hz >= sample_rate / 2:
        raise ValueError(
            f"high_hz {high_hz:g} is too high for {sample_rate} Hz sampling (its octave must "
            f"stay below {sample_rate / 2:g} Hz)"
        )
    volume = _check_volume(volume)
    levels = _levels_for(kind, from_level, to_level)
    n = _samples_for(duration_s * (1.0 - fraction), sample_rate)
    hold = kind is PhaseKind.HOLD
    renderer = _ToneRenderer(
        n,
        hold=hold,
        fraction=fraction,
        duration_s=duration_s,
        levels=levels,
        low_hz=low_hz,
        high_hz=high_hz,
        gain=(HOLD_PEAK if hold else BREATH_PEAK) * volume,
        sample_rate=sample_rate,
    )
    return CueStream(renderer, n, sample_rate)


def breath_tone(
    kind: PhaseKind,
    duration_s: float,
    *,
    start_fraction: float = 0.0,
    from_level: float | None = None,
    to_level: float | None = None,
    low_hz: float = LOW_HZ,
    high_hz: float = HIGH_HZ,
    volume: float = 1.0,
    sample_rate: int = SAMPLE_RATE_HZ,
) -> Samples:
    """A soft tone for one phase lasting ``duration_s``, pitched by the pacer level.

    The level runs ``from_level`` -> ``to_level`` with :func:`~trainer.content.breathing.ease`, as the
    pacer's does (defaults: 0 -> 1 for an inhale, 1 -> 0 for an exhale, and a hold stays at
    ``from_level``, 1 unless given: pass 0 for a hold after the out-breath). With
    ``start_fraction`` only the rest of the phase is made (``duration_s * (1 - start_fraction)``
    seconds), starting at the pitch for that fraction: this resumes a phase after a pause.
    The frequency is integrated sample by sample, so the sweep has no jumps in phase.
    """
    return breath_tone_stream(
        kind,
        duration_s,
        start_fraction=start_fraction,
        from_level=from_level,
        to_level=to_level,
        low_hz=low_hz,
        high_hz=high_hz,
        volume=volume,
        sample_rate=sample_rate,
    ).read_all()


def _levels_for(
    kind: PhaseKind, from_level: float | None, to_level: float | None
) -> tuple[float, float]:
    default_from = 0.0 if kind is PhaseKind.INHALE else 1.0
    start = default_from if from_level is None else _check_level(from_level, "from_level")
    if kind is PhaseKind.HOLD:
        end = start if to_level is None else _check_level(to_level, "to_level")
        if end != start:
            raise ValueError(f"a hold keeps its level; got {start:g} -> {end:g}")
        return start, end
    default_to = 1.0 if kind is PhaseKind.INHALE else 0.0
    end = default_to if to_level is None else _check_level(to_level, "to_level")
    if kind is PhaseKind.INHALE and not end > start:
        raise ValueError(f"an inhale must rise; got level {start:g} -> {end:g}")
    if kind is PhaseKind.EXHALE and not end < start:
        raise ValueError(f"an exhale must fall; got level {start:g} -> {end:g}")
    return start, end


# -- chimes -------------------------------------------------------------------------------------


def chime_stream(
    pitch_hz: float = CHIME_HZ[PhaseKind.INHALE],
    duration_s: float = CHIME_S,
    *,
    volume: float = 1.0,
    sample_rate: int = SAMPLE_RATE_HZ,
) -> CueStream:
    """:func:`chime` as a stream that renders as it is read."""
    pitch = _finite(pitch_hz, "pitch_hz")
    duration_s = _check_duration(duration_s)
    volume = _check_volume(volume)
    sample_rate = _check_rate(sample_rate)
    top = max(multiple for multiple, _, _ in CHIME_PARTIALS)
    if not 0 < pitch * top < sample_rate / 2:
        raise ValueError(
            f"pitch_hz must be above 0 and its partials below {sample_rate / 2:g} Hz; got {pitch:g}"
        )
    n = _samples_for(duration_s, sample_rate)
    return CueStream(_ChimeRenderer(n, pitch, CHIME_PEAK * volume, sample_rate), n, sample_rate)


def chime(
    pitch_hz: float = CHIME_HZ[PhaseKind.INHALE],
    duration_s: float = CHIME_S,
    *,
    volume: float = 1.0,
    sample_rate: int = SAMPLE_RATE_HZ,
) -> Samples:
    """A soft bell: a few harmonic partials, each dying away, with a gentle attack and release."""
    return chime_stream(pitch_hz, duration_s, volume=volume, sample_rate=sample_rate).read_all()


def end_chime(*, volume: float = 1.0, sample_rate: int = SAMPLE_RATE_HZ) -> Samples:
    """Two soft falling notes that close a session."""
    import numpy as np

    volume = _check_volume(volume)
    sample_rate = _check_rate(sample_rate)
    first = chime(END_CHIME_HZ[0], CHIME_S * 1.5, sample_rate=sample_rate)
    second = chime(END_CHIME_HZ[1], CHIME_S * 2.0, sample_rate=sample_rate)
    gap = round(END_CHIME_GAP_S * sample_rate)
    out = np.zeros(max(first.size, gap + second.size), dtype=np.float32)
    out[: first.size] += first
    out[gap : gap + second.size] += second
    scale = volume / max(1.0, float(np.max(np.abs(out))) / CHIME_PEAK)
    return (out * np.float32(scale)).astype(np.float32)


# -- output -------------------------------------------------------------------------------------


def to_pcm16(samples: npt.ArrayLike) -> bytes:
    """Samples in -1..1 as little-endian signed 16-bit PCM (values beyond are clipped)."""
    import numpy as np

    array = np.asarray(samples, dtype=np.float64)
    if array.ndim != 1:
        raise ValueError(f"samples must be one channel (a 1-D array); got shape {array.shape}")
    if not np.all(np.isfinite(array)):
        raise ValueError("samples must all be finite numbers")
    scaled = np.rint(np.clip(array, -1.0, 1.0) * 32767.0)
    return scaled.astype("<i2").tobytes()


# -- deciding when to play ----------------------------------------------------------------------


@dataclass(frozen=True)
class Cue:
    """A sound due now: a tone for (the rest of) a phase, or a chime at its start."""

    sound: CueMode  # TONE, CHIME or VOICE (a word, spoken elsewhere; as a sound, a chime)
    phase: PhaseKind
    phase_index: int
    cycle: int
    start_fraction: float  # how far into the phase the sound starts
    phase_s: float  # the whole phase's length
    from_level: float  # the pacer level where the phase starts ...
    to_level: float  # ... and where it ends
    resumed: bool  # True when it continues a phase (after a pause or a change of mode)

    @property
    def remaining_s(self) -> float:
        """Seconds of the phase left from ``start_fraction`` on."""
        return self.phase_s * (1.0 - self.start_fraction)

    def stream(
        self,
        *,
        volume: float = 1.0,
        sample_rate: int = SAMPLE_RATE_HZ,
        low_hz: float = LOW_HZ,
        high_hz: float = HIGH_HZ,
    ) -> CueStream:
        """A stream of this cue's samples, made as they are read (a spoken cue's is a chime)."""
        if self.sound in (CueMode.CHIME, CueMode.VOICE):
            length = min(CHIME_S, self.remaining_s)
            return chime_stream(
                CHIME_HZ[self.phase], length, volume=volume, sample_rate=sample_rate
            )
        return breath_tone_stream(
            self.phase,
            self.phase_s,
            start_fraction=self.start_fraction,
            from_level=self.from_level,
            to_level=self.to_level,
            low_hz=low_hz,
            high_hz=high_hz,
            volume=volume,
            sample_rate=sample_rate,
        )

    def render(
        self,
        *,
        volume: float = 1.0,
        sample_rate: int = SAMPLE_RATE_HZ,
        low_hz: float = LOW_HZ,
        high_hz: float = HIGH_HZ,
    ) -> Samples:
        """All of this cue's samples."""
        return self.stream(
            volume=volume, sample_rate=sample_rate, low_hz=low_hz, high_hz=high_hz
        ).read_all()


def phase_levels(pattern: BreathingPattern) -> tuple[tuple[float, float], ...]:
    """``(from_level, to_level)`` for each phase of ``pattern``."""
    starts = [
        pattern.state_at(pattern.offset_of(0, i, 0.0)).level for i in range(len(pattern.phases))
    ]
    return tuple(zip(starts, [*starts[1:], starts[0]], strict=True))


class CueTracker:
    """Says which cue to play as the pacer moves; feed it every frame's state.

    A cue is due on the first frame of a new phase, and, for the tone, on the first running frame
    after a pause (or a change of mode, or :meth:`resync`), for the rest of the phase from the
    current fraction. A chime sounds only near a phase's start, never in the middle of one.
    Pass the pattern so phases that stop part way (a sigh's first inhale) are pitched exactly;
    without it, levels are worked out from the state alone.
    """

    def __init__(
        self, mode: CueMode | str = CueMode.OFF, pattern: BreathingPattern | None = None
    ) -> None:
        self._mode = CueMode(mode)
        self._levels: tuple[tuple[float, float], ...] = ()
        self._phase: tuple[int, int] | None = None  # (cycle, phase index) last seen
        self._resume = False
        self.set_pattern(pattern)

    @property
    def mode(self) -> CueMode:
        """The sound being made."""
        return self._mode

    def set_mode(self, mode: CueMode | str) -> None:
        """Change the sound; a tone picks up mid-phase on the next running frame."""
        new = CueMode(mode)
        if new is not self._mode:
            self._mode = new
            self._resume = True

    def set_pattern(self, pattern: BreathingPattern | None) -> None:
        """Use ``pattern``'s phase levels (``None``: work them out from each state)."""
        self._levels = () if pattern is None else phase_levels(pattern)

    def resync(self) -> None:
        """Play the rest of the current phase again on the next running frame (e.g. new volume)."""
        self._resume = True

    def reset(self) -> None:
        """Forget the phase last seen: the next frame counts as a fresh start."""
        self._phase = None
        self._resume = False

    def update(self, state: PacerState | None, running: bool) -> Cue | None:
        """The cue to start now, if any.

        A frame with no state (paused, a lead-in, sound unavailable) or not running is a quiet
        one: the first running frame after any quiet spell picks the tone up mid-phase, however
        the quiet spell was told.
        """
        if state is None or not running:
            self._resume = True
            return None
        identity = (state.cycle, state.phase_index)
        new_phase = identity != self._phase
        resumed = self._resume and not new_phase
        self._phase = identity
        self._resume = False
        if self._mode is CueMode.OFF or not (new_phase or resumed):
            return None
        fraction = min(max(state.fraction, 0.0), 1.0)
        if fraction >= 1.0:
            return None
        phase_s = state.phase_remaining_s / (1.0 - fraction)
        if self._mode is CueMode.CHIME:
            if not new_phase or fraction * phase_s > CHIME_LATE_S:
                return None
        elif self._mode is CueMode.VOICE:  # a word at the change, never out of step
            if not new_phase or fraction * phase_s > VOICE_LATE_S:
                return None
        elif state.phase_remaining_s < MIN_TONE_S:
            return None
        levels = self._levels_of(state, fraction)
        if levels is None:
            return None
        return Cue(
            sound=self._mode,
            phase=state.kind,
            phase_index=state.phase_index,
            cycle=state.cycle,
            start_fraction=fraction,
            phase_s=phase_s,
            from_level=levels[0],
            to_level=levels[1],
            resumed=resumed,
        )

    def _levels_of(self, state: PacerState, fraction: float) -> tuple[float, float] | None:
        level = min(max(state.level, 0.0), 1.0)
        if state.kind is PhaseKind.HOLD:
            return level, level
        e = ease(fraction)
        if state.phase_index < len(self._levels):
            start, end = self._levels[state.phase_index]
            rising = end > start if state.kind is PhaseKind.INHALE else end < start
            if rising and abs(start + (end - start) * e - level) <= 1e-6:
                return start, end
        # Assume a full breath (an inhale ends at 1, an exhale at 0) that passes through `level`
        # at `fraction`; if no such breath can, it ends short of that, starting at the bottom
        # (inhale) or top (exhale).
        if state.kind is PhaseKind.INHALE:
            start = (level - e) / (1.0 - e)
            start, end = (start, 1.0) if start >= 0.0 else (0.0, level / e)
            return (start, end) if end > start else None
        start = level / (1.0 - e)
        start, end = (start, 0.0) if start <= 1.0 else (1.0, 1.0 - (1.0 - level) / e)
        return (start, end) if end < start else None
