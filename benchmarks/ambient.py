"""Ambient benchmark: what the soft surf under the cues costs, in CPU, on top of the cues.

Measures, in this process, with ``time.process_time`` (CPU, not wall time), median of repeats:

- make: building the surf's loop once (about 24 s of audio; done in a thread when it is chosen).
- surf alone: reading the surf from its stream in pieces of the given size, as CPU seconds per
  minute of audio (the renderer copies from the loop; nothing is synthesised per read).
- mixer: the whole path the audio thread takes (``Mixer.read_pcm16``: every voice, the sum, the
  limiter, 16-bit PCM) for a breath tone alone and for the tone with the surf, and the
  difference: what the surf adds to the sound's cost.

    python benchmarks/ambient.py [--repeats 5] [--pieces 512,1024,3087]

A measurement, not a test. The machine is shared: quote medians and look at the spread.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable

from trainer.content.ambient import ambient_stream, make_ambient_loop
from trainer.content.audio import SAMPLE_RATE_HZ, Mixer, breath_tone_stream
from trainer.content.breathing import PhaseKind

SECONDS = 60.0  # of audio per measurement


def _cpu(run: Callable[[], object], repeats: int) -> tuple[float, float, float]:
    """Median, lowest and highest CPU seconds of ``run`` over ``repeats``."""
    times = []
    for _ in range(repeats):
        started = time.process_time()
        run()
        times.append(time.process_time() - started)
    return statistics.median(times), min(times), max(times)


def _read_surf(piece: int) -> Callable[[], None]:
    def run() -> None:
        stream = ambient_stream(sample_rate=SAMPLE_RATE_HZ)
        for _ in range(round(SECONDS * SAMPLE_RATE_HZ / piece)):
            stream.read(piece)

    return run


def _mix(piece: int, *, surf: bool) -> Callable[[], None]:
    def run() -> None:
        mixer = Mixer(SAMPLE_RATE_HZ)
        if surf:
            mixer.play(ambient_stream(sample_rate=SAMPLE_RATE_HZ))
        breath_s = 5.0
        per_breath = round(breath_s * SAMPLE_RATE_HZ / piece)
        for index in range(round(SECONDS / breath_s)):
            kind = PhaseKind.INHALE if index % 2 == 0 else PhaseKind.EXHALE
            mixer.play(breath_tone_stream(kind, breath_s, volume=0.1))
            for _ in range(per_breath):
                mixer.read_pcm16(piece)

    return run


def main() -> None:
    """Print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--pieces", default="512,1024,3087", help="samples per read")
    args = parser.parse_args()
    pieces = [int(part) for part in args.pieces.split(",")]
    make = _cpu(lambda: make_ambient_loop(SAMPLE_RATE_HZ), args.repeats)
    print(f"make the loop once: {make[0]:.3f} s CPU (from {make[1]:.3f} to {make[2]:.3f})")
    make_ambient_loop(SAMPLE_RATE_HZ)
    ambient_stream(sample_rate=SAMPLE_RATE_HZ)  # the loop is kept from here on
    print(f"\nCPU seconds per minute of audio (median of {args.repeats}, lowest-highest)")
    print(f"{'piece':>7} {'surf alone':>18} {'tone':>18} {'tone + surf':>18} {'surf adds':>10}")
    for piece in pieces:
        alone = _cpu(_read_surf(piece), args.repeats)
        tone = _cpu(_mix(piece, surf=False), args.repeats)
        both = _cpu(_mix(piece, surf=True), args.repeats)
        print(
            f"{piece:>7} "
            + " ".join(
                f"{m:>7.3f} ({lo:.3f}-{hi:.3f})".rjust(18) for m, lo, hi in (alone, tone, both)
            )
            + f" {both[0] - tone[0]:>10.3f}"
        )


if __name__ == "__main__":
    main()
