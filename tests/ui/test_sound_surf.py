"""The soft surf under the breathing cues (ui/common/sound.py with trainer/content/ambient.py):
off unless chosen, one long voice in the same mixer as the cues, rising slowly, silent with a
pause, carried on without a dip when a cue takes over, falling away with the session's end."""

from __future__ import annotations

import numpy as np
import pytest

from tests.ui.fakes import SR, Factory
from trainer.content.ambient import (
    AMBIENT_FADE_IN_S,
    AMBIENT_FADE_OUT_S,
    _LoopRenderer,
    ambient_loop,
)
from trainer.content.audio import FADE_S, CueStream, Mixer, volume_gain
from trainer.content.breathing import BreathingPattern, Phase, PhaseKind
from trainer.content.cues import CueMode
from ui.common.sound import AMBIENT_STOP_S, SoundCues

FRAME_S = 1 / 60
PIECE = SR // 60  # what the audio thread reads in a frame's time


class MixerOutput:
    """An output that mixes as the real one does (a Mixer), read a frame's worth at a time."""

    def __init__(self) -> None:
        self.mixer = Mixer(SR)
        self.played: list[CueStream] = []
        self.heard: list[np.ndarray] = []
        self.closed = False

    def play(self, stream: CueStream, *, replace: bool) -> None:
        self.played.append(stream)
        self.mixer.play(stream, replace=replace)

    def fade_out(self) -> None:
        self.mixer.fade_out()

    def poll(self) -> str | None:
        return None

    def close(self) -> None:
        self.closed = True

    def listen(self) -> None:
        self.heard.append(self.mixer.read(PIECE).astype(np.float64))


class Driver:
    """Frames at 60 a second; the output is read a frame's worth after each."""

    def __init__(self, cues: SoundCues, pattern: BreathingPattern, output: MixerOutput) -> None:
        self.cues, self.pattern, self.output = cues, pattern, output
        self.practice_s = 0.0

    def run(self, seconds: float, *, running: bool = True) -> None:
        for _ in range(round(seconds / FRAME_S)):
            self.cues.on_frame(self.pattern.state_at(self.practice_s) if running else None, running)
            self.output.listen()
            if running:
                self.practice_s += FRAME_S


@pytest.fixture(autouse=True)
def surf_made() -> None:
    ambient_loop(SR)  # made once here, so frames need not wait for the thread that makes it


@pytest.fixture
def box() -> BreathingPattern:
    return BreathingPattern([Phase(PhaseKind.INHALE, 4), Phase(PhaseKind.EXHALE, 4)])


def surf_and(mode: CueMode) -> tuple[SoundCues, MixerOutput]:
    output = MixerOutput()
    cues = SoundCues(output_factory=lambda rate: output)
    cues.set_mode(mode)
    cues.set_ambient(True)
    cues.set_volume(1.0)
    return cues, output


def test_the_surf_is_off_unless_chosen(qapp, box) -> None:
    factory = Factory()
    cues = SoundCues(output_factory=factory)
    assert not cues.ambient
    for _ in range(120):
        cues.on_frame(box.state_at(0.0), True)
    assert factory.calls == 0  # not even an output opened


def test_the_surf_alone_is_one_long_voice_rising_slowly(qapp, box) -> None:
    cues, output = surf_and(CueMode.OFF)
    driver = Driver(cues, box, output)
    driver.run(AMBIENT_FADE_IN_S + 2.0)
    assert len(output.played) == 1  # one voice for the whole time, in the cues' mixer
    heard = np.concatenate(output.heard)
    loop = ambient_loop(SR).astype(np.float64)
    assert abs(heard[0]) < 1e-6
    assert np.max(np.abs(heard[: SR // 10])) < 0.05 * np.max(np.abs(loop))  # a slow rise
    settled = round(AMBIENT_FADE_IN_S * SR)
    np.testing.assert_allclose(heard[settled:], loop[settled : heard.size], atol=1e-6)
    assert cues.audible is False  # no cue is made: the pacer state is not passed ahead for it


def test_a_pause_silences_the_surf_and_resume_brings_it_back_from_where_it_was(qapp, box) -> None:
    cues, output = surf_and(CueMode.OFF)
    driver = Driver(cues, box, output)
    driver.run(AMBIENT_FADE_IN_S + 1.0)
    first = output.played[0]
    driver.run(0.5, running=False)
    paused = np.concatenate(output.heard)[-round(0.4 * SR) :]
    assert np.max(np.abs(paused)) == 0.0  # silent within a tenth of a second, and stays so
    driver.run(0.5)
    assert len(output.played) == 2
    assert output.played[1].position > 0  # sounding again, rising from where the first left off
    assert cues._bed_offset == first.position


def beds(output: MixerOutput) -> list[CueStream]:
    """The surf's streams among what was played."""
    return [s for s in output.played if isinstance(s._renderer, _LoopRenderer)]


def test_a_cue_taking_over_carries_the_surf_on_without_a_dip(qapp, box) -> None:
    """A resumed tone replaces what sounds; the surf goes on under it, crossing exactly."""
    cues, output = surf_and(CueMode.CHIME)
    driver = Driver(cues, box, output)
    driver.run(AMBIENT_FADE_IN_S + 0.5)
    cues.set_mode(CueMode.TONE)  # the tone picks up mid-phase, replacing what sounds
    driver.run(FRAME_S)
    old, new = beds(output)
    assert old.ending
    assert not new.ending
    assert new.position == PIECE  # one frame's worth heard since it began
    # What is left of the old surf's fade and the new one's rise add up to the loop: no dip.
    rest = old.read_all().astype(np.float64)
    assert rest.size == round(FADE_S * SR) - PIECE
    summed = rest + new.read(rest.size).astype(np.float64)
    first = cues._bed_offset + PIECE
    loop = ambient_loop(SR).astype(np.float64)
    np.testing.assert_allclose(summed, loop[first : first + rest.size], atol=1e-6)


def test_changing_the_sound_leaves_the_surf_alone(qapp, box) -> None:
    cues, output = surf_and(CueMode.TONE)
    driver = Driver(cues, box, output)
    driver.run(AMBIENT_FADE_IN_S + 0.5)
    (bed,) = beds(output)
    cues.set_mode(CueMode.OFF)  # the tone fades; the surf plays on
    driver.run(0.5)
    assert not bed.ending
    assert not output.closed  # the output is kept for the surf


def test_the_session_end_lets_the_surf_fall_away_slowly_and_the_output_go(qapp, box) -> None:
    cues, output = surf_and(CueMode.TONE)
    driver = Driver(cues, box, output)
    driver.run(AMBIENT_FADE_IN_S + 1.0)
    (bed,) = beds(output)
    cues.stop()
    assert bed.remaining == round(AMBIENT_FADE_OUT_S * SR)
    assert output.closed  # let go once it has faded
    tail = bed.read_all().astype(np.float64)
    assert abs(tail[-1]) < 1e-9
    assert np.max(np.abs(np.diff(tail))) <= np.max(np.abs(np.diff(ambient_loop(SR)))) + 1e-9


def test_turning_the_surf_off_mid_session_lets_it_fall_away(qapp, box) -> None:
    cues, output = surf_and(CueMode.OFF)
    driver = Driver(cues, box, output)
    driver.run(AMBIENT_FADE_IN_S)
    bed = output.played[0]
    cues.set_ambient(False)
    assert bed.remaining == round(AMBIENT_STOP_S * SR)
    assert output.closed  # no cue either: the device is let go once it is silent
    driver.run(1.0)
    assert len(output.played) == 1  # and it does not come back by itself


def test_the_surf_follows_the_volume(qapp, box) -> None:
    cues, output = surf_and(CueMode.OFF)
    driver = Driver(cues, box, output)
    driver.run(AMBIENT_FADE_IN_S)
    bed = output.played[0]
    cues.set_volume(0.5)
    assert bed.gain == pytest.approx(volume_gain(0.5))
