"""Tests for ui/common/sound.py: what is played when, at what volume, and silence (said once) when sound
cannot work. A recording output stands in for the speakers; the real output is tried on this
machine only for its "unavailable" path."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QIODevice

from tests.ui.fakes import SR, Factory, RecordingOutput
from trainer.content.audio import (
    BREATH_PEAK,
    CHIME_HZ,
    HIGH_HZ,
    LOW_HZ,
    CueStream,
    breath_tone,
    to_pcm16,
)
from trainer.content.breathing import BreathingPattern, PacerState, Phase, PhaseKind
from ui.common.sound import SoundCues, SoundUnavailableError, _CueDevice

INHALE, HOLD, EXHALE = PhaseKind.INHALE, PhaseKind.HOLD, PhaseKind.EXHALE
FRAME_S = 1 / 60


class Session:
    """Practice time that stands still while paused, read at 60 frames a second."""

    def __init__(self, cues: SoundCues, pattern: BreathingPattern) -> None:
        self.cues = cues
        self.pattern = pattern
        self.practice_s = 0.0

    def run(self, seconds: float, *, running: bool = True) -> None:
        for _ in range(round(seconds / FRAME_S)):
            # As the practice screen does: no pacer state at all while paused.
            self.cues.on_frame(self.state() if running else None, running)
            if running:
                self.practice_s += FRAME_S

    def state(self) -> PacerState:
        return self.pattern.state_at(self.practice_s)


@pytest.fixture
def box() -> BreathingPattern:
    return BreathingPattern([Phase(INHALE, 4), Phase(HOLD, 4), Phase(EXHALE, 4), Phase(HOLD, 4)])


@pytest.fixture
def factory() -> Factory:
    return Factory()


@pytest.fixture
def cues(qapp, factory: Factory, box: BreathingPattern) -> SoundCues:
    sound = SoundCues(output_factory=factory)
    sound.set_pattern(box)
    return sound


def dominant_hz(x: np.ndarray) -> float:
    spectrum = np.abs(np.fft.rfft(x * np.hanning(x.size), 16 * x.size))
    return float(np.argmax(spectrum)) * SR / (16 * x.size)


# -- what is played when ------------------------------------------------------------------------


def test_sound_is_off_by_default_and_makes_no_output(
    cues: SoundCues, factory: Factory, box
) -> None:
    assert cues.mode == "off"
    Session(cues, box).run(10.0)
    assert factory.calls == 0


def test_the_tone_plays_one_buffer_per_phase(cues: SoundCues, factory: Factory, box) -> None:
    cues.set_mode("tone")
    session = Session(cues, box)
    session.run(2 * box.cycle_s + 0.5)
    played = factory.output.played
    assert len(played) == 9  # two cycles of four phases, then the third inhale
    assert [replace for _, replace in played] == [False] * 9
    window = round(0.3 * SR)
    for (stream, _), index in zip(played, range(9), strict=True):
        samples = stream.read_all()
        assert samples.size == pytest.approx(4.0 * SR, abs=SR * FRAME_S + 1)
        assert samples[0] == 0.0
        assert samples[-1] == 0.0
        kind = box.phases[index % 4].kind
        early, late = dominant_hz(samples[:window]), dominant_hz(samples[-window:])
        if kind is INHALE:
            assert early < LOW_HZ + 5 < HIGH_HZ - 5 < late
        elif kind is EXHALE:
            assert early > HIGH_HZ - 5 > LOW_HZ + 5 > late
        else:  # the hold after the inhale is high, after the exhale low
            held = HIGH_HZ if index % 4 == 1 else LOW_HZ
            assert early == pytest.approx(held, abs=2)
            assert late == pytest.approx(held, abs=2)
    assert factory.calls == 1  # one output, made once


def test_chimes_ring_at_each_phase_change(cues: SoundCues, factory: Factory, box) -> None:
    cues.set_mode("chime")
    Session(cues, box).run(box.cycle_s + 0.5)
    pitches = [dominant_hz(stream.read_all()[: SR // 4]) for stream, _ in factory.output.played]
    expected = [CHIME_HZ[p.kind] for p in box.phases] + [CHIME_HZ[INHALE]]
    assert pitches == pytest.approx(expected, abs=3)


def test_volume_scales_what_is_played(qapp, box) -> None:
    peaks = {}
    for volume in (1.0, 0.25):
        factory = Factory()
        sound = SoundCues(output_factory=factory)
        sound.set_mode("tone")
        sound.set_volume(volume)
        Session(sound, box).run(0.1)
        peaks[volume] = float(np.max(np.abs(factory.output.played[0][0].read_all())))
    assert peaks[1.0] == pytest.approx(BREATH_PEAK, rel=0.1)
    assert peaks[0.25] == pytest.approx(0.25 * peaks[1.0], rel=1e-4)


def test_a_new_volume_restarts_the_tone_mid_phase_but_not_on_every_call(
    cues: SoundCues, factory: Factory, box
) -> None:
    cues.set_mode("tone")
    session = Session(cues, box)
    session.run(1.0)
    assert len(factory.output.played) == 1
    for step in range(1, 40):  # a slider dragged over many frames
        cues.set_volume(0.7 - step * 0.01)
        session.run(FRAME_S)
    played = factory.output.played
    # at most one restart per VOLUME_RESYNC_S (0.3 s) of the 0.65 s drag
    assert 2 <= len(played) <= 4
    assert all(replace for _, replace in played[1:])
    session.run(0.5)  # the drag is over: the last value is taken up
    last, _ = factory.output.played[-1]
    full_volume = float(np.max(np.abs(breath_tone(INHALE, 4.0))))
    assert float(np.max(np.abs(last.read_all()))) == pytest.approx(
        full_volume * cues.volume, rel=0.01
    )
    assert cues.volume == pytest.approx(0.31)


def test_pause_fades_out_and_resume_continues_the_phase(
    cues: SoundCues, factory: Factory, box
) -> None:
    cues.set_mode("tone")
    session = Session(cues, box)
    session.run(5.0)
    output = factory.output
    assert len(output.played) == 2
    session.run(3.0, running=False)
    assert output.fade_outs == 1  # once, at the pause, not every paused frame
    assert len(output.played) == 2
    session.run(FRAME_S)
    assert len(output.played) == 3
    stream, replace = output.played[-1]
    assert replace
    assert stream.remaining == pytest.approx(3.0 * SR, abs=SR * FRAME_S + 1)


def test_turning_sound_off_fades_out_and_stays_silent(
    cues: SoundCues, factory: Factory, box
) -> None:
    cues.set_mode("tone")
    session = Session(cues, box)
    session.run(1.0)
    cues.set_mode("off")
    assert factory.output.fade_outs == 1
    session.run(10.0)
    assert len(factory.output.played) == 1


def test_stop_fades_out_and_a_new_session_starts_afresh(
    cues: SoundCues, factory: Factory, box
) -> None:
    cues.set_mode("chime")
    session = Session(cues, box)
    session.run(1.0)
    cues.stop()
    assert factory.output.fade_outs == 1
    Session(cues, box).run(0.5)  # a new session at its first inhale
    assert len(factory.output.played) == 2


def test_the_end_cue_plays_only_when_sound_is_on(cues: SoundCues, factory: Factory) -> None:
    cues.play_end_cue()
    assert factory.calls == 0
    cues.set_mode("chime")
    cues.play_end_cue()
    stream, replace = factory.output.played[-1]
    assert replace
    assert stream.remaining > SR


def test_a_missing_state_is_a_quiet_frame(cues: SoundCues, factory: Factory, box) -> None:
    cues.set_mode("tone")
    for _ in range(30):
        cues.on_frame(None, True)  # e.g. during a lead-in
    assert factory.output.played == []
    Session(cues, box).run(1.0)
    assert len(factory.output.played) == 1
    cues.on_frame(None, True)  # the pacer has gone: what sounds fades out
    assert factory.output.fade_outs == 1


def test_bad_volume_is_refused(cues: SoundCues) -> None:
    for bad in (-0.1, 1.5, float("nan"), True, "loud"):
        with pytest.raises(ValueError, match="volume must be"):
            cues.set_volume(bad)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="'loud' is not a valid CueMode"):
        cues.set_mode("loud")


# -- when sound cannot work ---------------------------------------------------------------------


def drive_everything(sound: SoundCues, pattern: BreathingPattern) -> None:
    """Every call the session screen makes, over many frames, with pauses and changes."""
    session = Session(sound, pattern)
    session.run(3.0)
    session.run(1.0, running=False)
    sound.set_volume(0.3)
    session.run(2.0)
    sound.set_mode("chime")
    session.run(5.0)
    sound.set_mode("tone")
    session.run(5.0)
    sound.play_end_cue()
    sound.stop()
    session.run(1.0)
    sound.close()


def test_no_speakers_says_so_once_and_never_raises(qapp, qtbot, box) -> None:
    """This machine has no audio output: the real QtMultimedia path must say so once."""
    from PySide6.QtMultimedia import QMediaDevices

    if not QMediaDevices.defaultAudioOutput().isNull():
        pytest.skip("this machine has a sound output")
    sound = SoundCues()
    messages: list[str] = []
    sound.unavailable.connect(messages.append)
    with qtbot.waitSignal(sound.unavailable, timeout=1000):
        sound.set_mode("tone")
    assert messages == ["Sound unavailable: no speakers or headphones were found."]
    assert not sound.available
    assert sound.unavailable_reason == "no speakers or headphones were found"
    drive_everything(sound, box)
    sound.set_mode("off")
    sound.set_mode("chime")
    assert len(messages) == 1


def test_a_missing_sound_library_says_so_once(qapp, monkeypatch, box) -> None:
    import PySide6

    monkeypatch.setitem(sys.modules, "PySide6.QtMultimedia", None)  # import fails
    monkeypatch.delattr(PySide6, "QtMultimedia", raising=False)
    sound = SoundCues()
    messages: list[str] = []
    sound.unavailable.connect(messages.append)
    sound.set_mode("chime")
    drive_everything(sound, box)
    assert messages == ["Sound unavailable: the sound library could not be loaded."]


def test_an_output_that_fails_mid_session_is_dropped(
    cues: SoundCues, factory: Factory, box
) -> None:
    messages: list[str] = []
    cues.unavailable.connect(messages.append)
    cues.set_mode("tone")
    session = Session(cues, box)
    session.run(5.0)
    factory.output.failure = "the speakers could not be opened"
    session.run(20.0)
    assert messages == ["Sound unavailable: the speakers could not be opened."]
    assert factory.output.closed
    assert len(factory.output.played) == 2  # nothing more after the failure
    drive_everything(cues, box)
    assert len(messages) == 1


def test_a_factory_that_finds_no_sound_is_asked_once(qapp, box) -> None:
    calls = []

    def no_sound(sample_rate: int) -> RecordingOutput:
        calls.append(sample_rate)
        raise SoundUnavailableError("no speakers or headphones were found")

    sound = SoundCues(output_factory=no_sound)
    messages: list[str] = []
    sound.unavailable.connect(messages.append)
    sound.set_mode("tone")
    drive_everything(sound, box)
    assert calls == [SR]
    assert messages == ["Sound unavailable: no speakers or headphones were found."]


def test_an_unexpected_fault_is_caught_logged_and_said_once(
    cues: SoundCues, factory: Factory, box, caplog
) -> None:
    messages: list[str] = []
    cues.unavailable.connect(messages.append)
    factory.output.play_error = RuntimeError("driver exploded")
    cues.set_mode("tone")
    drive_everything(cues, box)
    assert messages == ["Sound unavailable: the sound cues stopped working."]
    assert "driver exploded" in caplog.text


def test_importing_and_using_sound_off_does_not_load_qtmultimedia() -> None:
    code = (
        "import sys\n"
        "from PySide6.QtCore import QCoreApplication\n"
        "app = QCoreApplication([])\n"
        "from trainer.content.breathing import BreathingPattern, Phase, PhaseKind\n"
        "from ui.common.sound import SoundCues\n"
        "p = BreathingPattern([Phase(PhaseKind.INHALE, 4), Phase(PhaseKind.EXHALE, 4)])\n"
        "s = SoundCues()\n"
        "for i in range(100):\n"
        "    s.on_frame(p.state_at(i / 60), True)\n"
        "s.stop(); s.play_end_cue()\n"
        "print('PySide6.QtMultimedia' in sys.modules)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=Path(__file__).resolve().parents[2],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
        env={"QT_QPA_PLATFORM": "offscreen", "PATH": "/usr/bin:/bin"},
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


# -- the device the real output reads -----------------------------------------------------------


def test_the_cue_device_serves_pcm16_as_it_is_read(qapp) -> None:
    samples = np.sin(np.linspace(0, 20, 1000)) * 0.5
    samples[0] = samples[-1] = 0.0
    device = _CueDevice(CueStream.of(samples, SR))
    assert device.open(QIODevice.OpenModeFlag.ReadOnly)
    assert device.isSequential()
    assert device.bytesAvailable() == 2000
    first = bytes(device.read(600))
    rest = bytes(device.read(5000))
    assert first + rest == to_pcm16(samples.astype(np.float32))
    assert device.bytesAvailable() == 0
    assert bytes(device.read(100)) == b""
    device.close()


def test_a_cue_device_that_fails_goes_quiet_and_says_so(qapp, caplog) -> None:
    class Broken(CueStream):
        def read(self, max_samples: int):  # type: ignore[override]
            raise RuntimeError("render failed")

    device = _CueDevice(Broken.of(np.zeros(10), SR))
    device.open(QIODevice.OpenModeFlag.ReadOnly)
    assert bytes(device.read(20)) == b""
    assert device.failed
    assert "render failed" in caplog.text
