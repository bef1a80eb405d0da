"""A soft ambient bed under the breathing cues: distant surf, synthesised here (no sound files).

The bed is one loop of filtered noise that swells and recedes slowly, made once (seeded, so the
same every time) and then read round and round. It is built in the frequency domain: each band
of noise is the inverse Fourier transform of a spectrum with random phases, which is periodic
over the loop by construction, and the swells are slow cosines whose periods divide the loop. So
the last sample runs into the first as smoothly as any two neighbours do: the seam cannot click.

Two bands of noise make the sound: a low, dark body (most of it, below about 400 Hz) whose level
follows the swell, and a quieter wash (about 0.6-2.5 kHz) that rises only near each crest, as
a wave breaking far away. The loudest sample is :data:`AMBIENT_PEAK` at full volume, well under
the breath tone's 0.6, and most of the time it is much softer than that.

:func:`ambient_stream` plays the loop as a long :class:`~trainer.content.audio.CueStream` for
the mixer. Its renderer is a pure function of the sample asked for (nothing is carried from one
read to the next), so a mixer may render ahead and render again from an earlier position.
"""

from __future__ import annotations

import math
import threading
from typing import TYPE_CHECKING, Final

from trainer.content.audio import SAMPLE_RATE_HZ, CueStream, _check_rate, _Renderer

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    Samples = npt.NDArray[np.float32]
    Floats = npt.NDArray[np.float64]

AMBIENT_SEED: Final = 18  # the bed is the same every time (and in every test)
AMBIENT_LOOP_S: Final = 24.0  # about; rounded to a length the Fourier transform does quickly
AMBIENT_PEAK: Final = 0.35  # the loudest sample at volume 1 (the breath tone peaks at 0.6)
AMBIENT_FADE_IN_S: Final = 3.0  # the bed rises this slowly at the start of a session
AMBIENT_FADE_OUT_S: Final = 2.0  # ... and falls this slowly when the session ends
AMBIENT_STREAM_S: Final = 12 * 3600.0  # one stream lasts longer than any session
BODY_TOP_HZ: Final = 400.0  # the body of the surf rolls off above this ...
BODY_BOTTOM_HZ: Final = 50.0  # ... and below this (no rumble)
WASH_BAND_HZ: Final = (600.0, 2500.0)  # the far-off breaking of each wave
WASH_SHARE: Final = 0.3  # the wash's level at a crest, against the body's
# The swells: (cycles per loop, depth, phase in turns). Periods of a third and a quarter of the
# loop (8 s and 6 s) beat against each other, so no two waves in a loop are quite alike.
SWELLS: Final = ((1, 0.05, 0.1), (3, 0.2, 0.0), (4, 0.12, 0.35))
SWELL_FLOOR: Final = 0.6  # the swell's middle; the depths above move it between ~0.25 and 1


def _fast_length(n: int) -> int:
    """The power of two nearest ``n`` (the Fourier transform is quickest at such lengths)."""
    return 1 << max(1, round(math.log2(max(2, n))))


def _band(rng: np.random.Generator, n: int, rate: int, gain: Floats) -> Floats:
    """Periodic Gaussian noise of ``n`` samples whose spectrum has the magnitude ``gain``."""
    import numpy as np

    bins = n // 2 + 1
    spectrum = (rng.standard_normal(bins) + 1j * rng.standard_normal(bins)) * gain
    spectrum[0] = 0.0  # no offset
    if n % 2 == 0:
        spectrum[-1] = 0.0
    wave = np.fft.irfft(spectrum, n)
    rms = float(np.sqrt(np.mean(wave * wave)))
    return wave / rms if rms > 0 else wave


def swell(phase: Floats) -> Floats:
    """The slow rise and fall of the surf (about 0.25 to 1) at ``phase`` turns of the loop."""
    import numpy as np

    level = np.full(phase.shape, SWELL_FLOOR)
    for cycles, depth, turn in SWELLS:
        level += depth * np.cos(2.0 * math.pi * (cycles * phase + turn))
    return level


def make_ambient_loop(sample_rate: int = SAMPLE_RATE_HZ, *, seed: int = AMBIENT_SEED) -> Samples:
    """One loop of the bed (float32, loudest sample :data:`AMBIENT_PEAK`); takes ~0.1 s."""
    import numpy as np

    rate = _check_rate(sample_rate)
    n = _fast_length(round(AMBIENT_LOOP_S * rate))
    rng = np.random.default_rng(seed)
    f = np.fft.rfftfreq(n, 1.0 / rate)
    f[0] = 1.0  # the offset bin is zeroed in _band; this only avoids dividing by 0
    pink = 1.0 / np.sqrt(f)
    low = (f / BODY_BOTTOM_HZ) ** 2
    body_gain = pink * low / (1.0 + low) / np.sqrt(1.0 + (f / BODY_TOP_HZ) ** 4)
    rise = (f / WASH_BAND_HZ[0]) ** 2
    wash_gain = pink * rise / (1.0 + rise) / np.sqrt(1.0 + (f / WASH_BAND_HZ[1]) ** 4)
    body = _band(rng, n, rate, body_gain)
    wash = _band(rng, n, rate, wash_gain)
    level = swell(np.arange(n) / n)
    bed = body * level + WASH_SHARE * wash * level**3
    bed *= AMBIENT_PEAK / float(np.max(np.abs(bed)))
    loop = bed.astype(np.float32)
    loop.flags.writeable = False  # shared by every stream: never changed
    return loop


_loops: dict[tuple[int, int], Samples] = {}
_loops_lock = threading.Lock()


def ambient_loop(sample_rate: int = SAMPLE_RATE_HZ, *, seed: int = AMBIENT_SEED) -> Samples:
    """The bed's loop, made once per sample rate and seed and kept (about 4 MB at 44.1 kHz)."""
    key = (_check_rate(sample_rate), seed)
    with _loops_lock:
        loop = _loops.get(key)
    if loop is None:
        loop = make_ambient_loop(sample_rate, seed=seed)
        with _loops_lock:
            loop = _loops.setdefault(key, loop)
    return loop


def ambient_loop_ready(sample_rate: int = SAMPLE_RATE_HZ, *, seed: int = AMBIENT_SEED) -> bool:
    """Whether :func:`ambient_loop` would answer at once (the loop has been made)."""
    with _loops_lock:
        return (sample_rate, seed) in _loops


class _LoopRenderer(_Renderer):
    """Reads a loop round and round from ``offset``, rising from silence over ``fade_in``
    samples. A pure function of ``start``: the same samples whenever it is asked."""

    def __init__(self, loop: Samples, offset: int, fade_in: int) -> None:
        self._loop = loop
        self._offset = offset
        self._fade_in = fade_in

    def render(self, start: int, count: int) -> Floats:
        import numpy as np

        first = (self._offset + start) % self._loop.size
        wave = np.take(self._loop, np.arange(first, first + count), mode="wrap").astype(np.float64)
        rising = min(count, self._fade_in - start)
        if rising > 0:  # raised cosine: 1 minus a fade_out's curve, so the two cross exactly
            into = np.arange(start + 1, start + rising + 1)
            wave[:rising] *= (1.0 - np.cos(np.pi * into / self._fade_in)) / 2.0
        return wave


def ambient_stream(
    *,
    offset: int = 0,
    fade_in_s: float = AMBIENT_FADE_IN_S,
    sample_rate: int = SAMPLE_RATE_HZ,
    seed: int = AMBIENT_SEED,
) -> CueStream:
    """The bed as a stream for the mixer, from sample ``offset`` of its loop, rising over
    ``fade_in_s`` (0: at once). It lasts :data:`AMBIENT_STREAM_S`; end it with ``fade_out``.

    To carry on a bed that is fading out (the mixer makes room, or a cue replaces what sounds)
    start a new one at the old one's loop position with the same fade: the two cross without a
    dip, as the fades add up to one.
    """
    if isinstance(offset, bool) or not isinstance(offset, int) or offset < 0:
        raise ValueError(f"offset must be a whole number of samples from 0; got {offset!r}")
    if not math.isfinite(fade_in_s) or fade_in_s < 0:
        raise ValueError(f"fade_in_s must be 0 or more seconds; got {fade_in_s!r}")
    rate = _check_rate(sample_rate)
    loop = ambient_loop(rate, seed=seed)
    fade_in = max(1, round(fade_in_s * rate))
    renderer = _LoopRenderer(loop, offset % loop.size, fade_in)
    return CueStream(renderer, round(AMBIENT_STREAM_S * rate), rate)
