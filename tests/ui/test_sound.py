"""Tests for ui/common/sound.py: what is played when, at what volume, and silence (said once) when sound
cannot work. A recording output stands in for the speakers; the real output is tried on this
machine only for its "unavailable" path."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest
from PySide6.QtCore import QCoreApplication, QIODevice, QObject, Qt, QThread, Signal, Slot
from PySide6.QtMultimedia import QAudioFormat, QtAudio

from tests.ui.fakes import SR, Factory, RecordingOutput
from trainer.content.audio import (
    BREATH_PEAK,
    CHIME_HZ,
    HIGH_HZ,
    LOW_HZ,
    CueStream,
    Mixer,
    breath_tone,
    chime,
    to_pcm16,
    volume_gain,
)
from trainer.content.breathing import BreathingPattern, PacerState, Phase, PhaseKind
from ui.common.sound import (
    BUFFER_S,
    CLOSE_TAIL_S,
    GIL_SWITCH_S,
    IDLE_RELEASE_S,
    OPEN_LEAD_S,
    PAUSE_SILENT_S,
    SERVER_LOST_REASON,
    CueOutputOwner,
    QtCueOutput,
    SoundCues,
    SoundUnavailableError,
    _end_all_threads,
    _MixerDevice,
    pulse_server_gone,
)

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


def test_volume_scales_what_is_played_on_a_decibel_scale(qapp, box) -> None:
    peaks = {}
    for volume in (1.0, 0.5, 0.25):
        factory = Factory()
        sound = SoundCues(output_factory=factory)
        sound.set_mode("tone")
        sound.set_volume(volume)
        Session(sound, box).run(0.1)
        peaks[volume] = float(np.max(np.abs(factory.output.played[0][0].read_all())))
    assert peaks[1.0] == pytest.approx(BREATH_PEAK, rel=0.1)
    # 40 dB over the slider: half way is 20 dB down, a quarter 30 dB down
    assert peaks[0.5] == pytest.approx(0.1 * peaks[1.0], rel=1e-4)
    assert peaks[0.25] == pytest.approx(10 ** (-30 / 20) * peaks[1.0], rel=1e-4)


def test_the_default_volume_is_calm(cues: SoundCues, factory: Factory, box) -> None:
    """Half way: the breath tone at about -28 dBFS RMS (it was -12 dBFS at the old 70 %)."""
    assert cues.volume == 0.5
    cues.set_mode("tone")
    Session(cues, box).run(0.1)
    tone = factory.output.played[0][0].read_all()
    middle = tone[SR : 3 * SR].astype(np.float64)
    rms_dbfs = 20 * np.log10(np.sqrt(np.mean(middle**2)))
    assert -30.0 < rms_dbfs < -27.0


def test_a_new_volume_glides_into_the_tone_without_restarting_it(
    cues: SoundCues, factory: Factory, box
) -> None:
    cues.set_mode("tone")
    session = Session(cues, box)
    session.run(1.0)
    assert len(factory.output.played) == 1
    stream = factory.output.played[0][0]
    for step in range(1, 40):  # a slider dragged over many frames
        cues.set_volume(0.7 - step * 0.01)
        session.run(FRAME_S)
    assert len(factory.output.played) == 1  # the same tone, never a second one on top
    assert stream.gain == pytest.approx(volume_gain(0.31))
    session.run(4.0)  # the next phase starts at the new volume
    assert factory.output.played[1][0].gain == pytest.approx(volume_gain(0.31))
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


def test_turning_sound_off_fades_out_lets_go_and_stays_silent(
    cues: SoundCues, factory: Factory, box
) -> None:
    cues.set_mode("tone")
    session = Session(cues, box)
    session.run(1.0)
    cues.set_mode("off")
    assert factory.output.fade_outs == 1
    assert factory.output.closed
    session.run(10.0)
    assert len(factory.output.played) == 1


def test_stop_fades_out_lets_go_and_a_new_session_starts_afresh(
    cues: SoundCues, factory: Factory, box
) -> None:
    cues.set_mode("chime")
    session = Session(cues, box)
    session.run(1.0)
    cues.stop()
    assert factory.output.fade_outs == 1
    assert factory.output.closed
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
    assert stream.gain == volume_gain(cues.volume)
    assert factory.output.closed  # let go once it has been played


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


# -- the real output, on a stand-in sound server -----------------------------------------------

LOST_S = 0.01  # each new stream on Qt's PulseAudio backend was heard to lose ~10 ms of its start
FRAME = SR // 60  # samples a frame


class Writer:
    """The device a push-mode sink returns from ``start()``: what is written joins its queue."""

    def __init__(self, sink: FakeSink) -> None:
        self.sink = sink

    def write(self, data: bytes) -> int:
        return self.sink.write(data)


class FakeSink(QObject):
    """Stands in for QAudioSink on a sound server: it plays what it has queued as time passes
    and, like Qt's PulseAudio backend, loses the first LOST_S of every new stream. Started
    with no device (push mode, as the output starts it) it takes what is written into it, up to
    its buffer size (``bytesFree``); started on a device (pull mode: a backend that cannot be
    written to, see ``PULL_ONLY``), it reads that device to keep its buffer full."""

    PULL_ONLY = False  # True: start() with no device fails (returns None), as on such a backend

    stateChanged = Signal(object)  # noqa: N815 (named as Qt names it)
    _play_wanted = Signal(int)

    def __init__(self, server: Server, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.made_on = QThread.currentThread()  # the thread that made it (and owns it)
        self.read_on: set[int] = set()  # the threads it was fed on (read its device, written)
        self.server = server
        self.buffer_bytes = 0
        self.source: QIODevice | None = None
        self.pushed = False  # started in push mode
        self.lost = 0  # bytes of a new pushed stream still to lose
        self.queue = bytearray()
        self.status = QtAudio.State.StoppedState
        self.deleted = False
        self.cut = False  # stopped with sound still queued (a click)
        self._played = np.zeros(0)
        self._play_wanted.connect(self._play_here, Qt.ConnectionType.BlockingQueuedConnection)

    def setBufferSize(self, size: int) -> None:
        self.buffer_bytes = size

    def bufferSize(self) -> int:
        return self.buffer_bytes

    def bytesFree(self) -> int:
        if self.status is QtAudio.State.StoppedState:
            return 0
        return max(0, self.buffer_bytes - len(self.queue))

    def start(self, source: QIODevice | None = None) -> Writer | None:
        if source is None:
            if self.PULL_ONLY:
                return None
            self.pushed = True
            self.status = QtAudio.State.ActiveState
            self.lost = 2 * round(LOST_S * SR)
            return Writer(self)
        self.source = source
        self.status = QtAudio.State.ActiveState
        lost = 2 * round(LOST_S * SR)
        while lost > 0 and (data := self.read(lost)):
            lost -= len(data)
        self.fill()
        return None

    def write(self, data: bytes) -> int:
        assert self.pushed
        self.read_on.add(threading.get_ident())
        taken = min(len(data), self.bytesFree())
        lost = min(self.lost, taken)
        self.lost -= lost
        self.queue += data[lost:taken]
        if self.queue:
            self.status = QtAudio.State.ActiveState
        return taken

    def read(self, size: int) -> bytes:
        assert self.source is not None
        self.read_on.add(threading.get_ident())
        return bytes(self.source.read(size))

    def fill(self) -> None:
        while self.source is not None and len(self.queue) < self.buffer_bytes:
            if self.status is QtAudio.State.StoppedState:
                return
            data = self.read(self.buffer_bytes - len(self.queue))
            if not data:
                if not self.queue:  # run dry: an underrun
                    self.status = QtAudio.State.IdleState
                return
            self.status = QtAudio.State.ActiveState
            self.queue += data

    def play(self, samples: int) -> np.ndarray:
        """Play ``samples`` of what is queued (and read more), on the sink's own thread as a
        real sink does: this waits for that thread."""
        if self.thread() == QThread.currentThread() or not self.thread().isRunning():
            self._play_here(samples)  # (a sink whose thread has ended is stopped: silence)
        else:
            self._play_wanted.emit(samples)
        return self._played

    @Slot(int)
    def _play_here(self, samples: int) -> None:
        self._played = self._play(samples)

    def _play(self, samples: int) -> np.ndarray:
        if self.status is QtAudio.State.StoppedState:
            return np.zeros(samples)
        taken = bytes(self.queue[: 2 * samples])
        del self.queue[: 2 * samples]
        out = np.zeros(samples)
        out[: len(taken) // 2] = np.frombuffer(taken, "<i2") / 32767.0
        self.fill()
        if self.pushed and not self.queue:  # run dry: an underrun
            self.status = QtAudio.State.IdleState
        return out

    def stop(self) -> None:
        self.cut = any(self.queue)
        self.queue.clear()
        self.status = QtAudio.State.StoppedState

    def state(self) -> QtAudio.State:
        return self.status

    def error(self) -> QtAudio.Error:
        return QtAudio.Error.NoError

    def deleteLater(self) -> None:
        self.deleted = True


class Server:
    """A sound server with one output device: mixes every sink as time passes."""

    def __init__(self, sink_type: type[FakeSink] = FakeSink) -> None:
        self.sinks: list[FakeSink] = []
        self.sink_type = sink_type

    def sink(self, device: object, audio_format: object, parent: QObject | None = None) -> FakeSink:
        made = self.sink_type(self, parent)
        self.sinks.append(made)
        return made

    def play(self, samples: int) -> np.ndarray:
        out = np.zeros(samples)
        for sink in self.sinks:
            out += sink.play(samples)
        return out

    @property
    def open_sinks(self) -> list[FakeSink]:
        return [sink for sink in self.sinks if sink.status is not QtAudio.State.StoppedState]


class FoundDevice:
    def isNull(self) -> bool:
        return False

    def isFormatSupported(self, audio_format: object) -> bool:
        return True


def fake_multimedia(monkeypatch, made: Server) -> None:
    """QtMultimedia with speakers found, whose sinks play into ``made``."""
    import PySide6

    fake = SimpleNamespace(
        QMediaDevices=SimpleNamespace(defaultAudioOutput=FoundDevice),
        QAudioFormat=QAudioFormat,
        QAudioSink=made.sink,
        QtAudio=QtAudio,
    )
    monkeypatch.setitem(sys.modules, "PySide6.QtMultimedia", fake)
    monkeypatch.setattr(PySide6, "QtMultimedia", fake, raising=False)


@pytest.fixture
def server(qapp, monkeypatch) -> Iterator[Server]:
    """QtMultimedia with speakers found, whose sinks play into a stand-in sound server."""
    made = Server()
    fake_multimedia(monkeypatch, made)
    yield made
    _end_all_threads()  # each output's audio thread, with its sink


def settle(cues: CueOutputOwner) -> None:
    """Wait until the audio thread has done what it was asked (open, close, let go)."""
    output = cues._output
    if isinstance(output, QtCueOutput):
        output.wait_for_audio_thread()


class Heard:
    """A session as the sound server plays it: one frame of pacer, then one frame of sound."""

    def __init__(self, cues: SoundCues, server: Server, pattern: BreathingPattern) -> None:
        self.cues, self.server, self.pattern = cues, server, pattern
        self.practice_s = 0.0
        self.frames: list[np.ndarray] = []

    def run(self, seconds: float, *, running: bool = True, pacer: bool = True) -> np.ndarray:
        start = len(self.frames)
        for _ in range(round(seconds / FRAME_S)):
            if pacer:
                self.cues.on_frame(self.pattern.state_at(self.practice_s), running)
            settle(self.cues)
            QCoreApplication.processEvents()
            self.frames.append(self.server.play(FRAME))
            settle(self.cues)
            if running:
                self.practice_s += FRAME_S
        return np.concatenate(self.frames[start:])

    @property
    def recording(self) -> np.ndarray:
        return np.concatenate(self.frames)


def largest_jump(x: np.ndarray) -> float:
    return float(np.max(np.abs(np.diff(x))))


@pytest.fixture
def heard(server: Server, box: BreathingPattern) -> Heard:
    sound = SoundCues()
    sound.set_pattern(box)
    sound.set_volume(1.0)  # loud, so any click is plain
    return Heard(sound, server, box)


def test_a_whole_session_is_one_stream_with_no_click_at_any_phase_change(
    heard: Heard, server: Server, box
) -> None:
    """Every phase change, a pause and resume: one output stream, never a step beyond the tone's
    own largest (with a stream per cue, each lost its first 10 ms: a jump of ~0.13)."""
    heard.cues.set_mode("tone")
    heard.run(2 * box.cycle_s + 1.0)
    heard.run(1.0, running=False)
    heard.run(box.cycle_s)
    assert len(server.sinks) == 1
    own = largest_jump(breath_tone(INHALE, 4.0).astype(np.float64))
    recording = heard.recording
    assert np.max(np.abs(recording)) > 0.9 * BREATH_PEAK
    assert largest_jump(recording) <= own * 1.01


def test_chimes_start_cleanly_on_the_one_stream(heard: Heard, server: Server, box) -> None:
    heard.cues.set_mode("chime")
    heard.run(box.cycle_s + 0.5)
    assert len(server.sinks) == 1
    own = largest_jump(chime(CHIME_HZ[INHALE]).astype(np.float64))
    assert largest_jump(heard.recording) <= own * 1.01


def test_a_pause_is_silent_within_a_tenth_of_a_second(heard: Heard, box) -> None:
    heard.cues.set_mode("tone")
    heard.run(1.5)  # half way up the first in-breath
    after = heard.run(1.0, running=False)
    assert np.max(np.abs(after[:FRAME])) > 0.1
    sounding = np.flatnonzero(np.abs(after) >= 0.5 / 32767)
    silent_after_s = (sounding[-1] + 1) / SR
    assert silent_after_s <= PAUSE_SILENT_S <= 0.1
    assert largest_jump(after) <= largest_jump(breath_tone(INHALE, 4.0).astype(np.float64))


def test_turning_sound_off_lets_go_of_the_stream_once_its_fade_is_played(
    heard: Heard, server: Server, box
) -> None:
    heard.cues.set_mode("tone")
    heard.run(1.0)
    heard.cues.set_mode("off")
    after = heard.run(0.5)
    assert server.open_sinks == []  # the device may sleep
    (sink,) = server.sinks
    assert sink.deleted
    assert not sink.cut  # nothing queued was thrown away
    assert np.max(np.abs(after[:FRAME])) > 0.1  # the fade was heard ...
    assert largest_jump(after) <= largest_jump(breath_tone(INHALE, 4.0).astype(np.float64))
    heard.cues.set_mode("tone")  # ... and sound comes back on a new stream
    again = heard.run(1.0)
    assert len(server.sinks) == 2
    assert len(server.open_sinks) == 1
    assert np.max(np.abs(again)) > 0.1
    assert largest_jump(again) <= largest_jump(breath_tone(INHALE, 4.0).astype(np.float64))


def test_the_end_of_a_session_lets_go_after_the_end_cue(heard: Heard, server: Server) -> None:
    heard.cues.set_mode("tone")
    heard.run(2.0)
    heard.cues.stop()
    heard.cues.play_end_cue()
    after = heard.run(4.0, pacer=False)
    sounding = np.flatnonzero(np.abs(after) >= 0.5 / 32767)
    assert sounding[-1] / SR > 2.5  # the two notes were played out
    assert server.open_sinks == []
    assert not server.sinks[0].cut


def test_five_quick_presses_of_minus_never_get_louder_or_click(heard: Heard, box) -> None:
    """In a hold (a steady tone), each "-" glides down: the level never rises on the way."""
    heard.cues.set_mode("tone")
    heard.run(5.0)  # a second into the hold after the in-breath
    before = heard.run(0.1)
    presses = []
    for step in range(1, 6):  # five presses, three frames apart
        heard.cues.set_volume(1.0 - 0.1 * step)
        presses.append(heard.run(3 * FRAME_S))
    after = heard.run(0.5)
    sound = np.concatenate([before, *presses, after])
    period = round(SR / HIGH_HZ)  # the held pitch: a peak per cycle is the level
    peaks = np.array(
        [np.max(np.abs(sound[i : i + period])) for i in range(0, sound.size - period, period)]
    )
    assert np.all(np.diff(peaks) <= peaks[:-1] * 0.01)  # never louder (beyond 1 % ripple)
    assert peaks[-1] == pytest.approx(volume_gain(0.5) * peaks[0], rel=0.03)
    assert largest_jump(sound) <= largest_jump(before)


# -- the device the real output reads -----------------------------------------------------------


def test_the_mixer_device_serves_the_mix_as_pcm16_with_a_silent_lead(qapp) -> None:
    finished: list[bool] = []
    mixer = Mixer(SR)
    device = _MixerDevice(mixer, lambda: finished.append(True))
    assert device.open(QIODevice.OpenModeFlag.ReadOnly)
    assert device.isSequential()
    assert device.bytesAvailable() > 0
    lead = round(OPEN_LEAD_S * SR)
    assert bytes(device.read(2 * lead + 100)) == bytes(2 * lead)  # silence first ...
    samples = np.sin(np.linspace(0, 20, 1000)) * 0.5
    samples[0] = samples[-1] = 0.0
    mixer.play(CueStream.of(samples, SR))
    first = bytes(device.read(600))
    rest = bytes(device.read(1400))
    assert first + rest == to_pcm16(samples.astype(np.float32))  # ... then the cue, exactly
    assert bytes(device.read(500)) == bytes(500)  # and silence while nothing sounds
    assert not device.finished
    device.close()


def test_the_mixer_device_ends_after_a_tail_when_closing_or_after_a_long_idle(qapp) -> None:
    for closing, quiet_s in ((True, CLOSE_TAIL_S), (False, IDLE_RELEASE_S)):
        finished: list[bool] = []
        device = _MixerDevice(Mixer(SR), lambda done=finished: done.append(True))
        device.open(QIODevice.OpenModeFlag.ReadOnly)
        device.closing = closing
        served = 0
        while data := bytes(device.read(8192)):
            assert not any(data)
            served += len(data)
        assert served == 2 * (round(OPEN_LEAD_S * SR) + round(quiet_s * SR))
        assert device.finished
        assert device.bytesAvailable() == 0
        QCoreApplication.processEvents()
        assert finished == [True]  # told after the read, not from inside it


def test_a_mixer_device_that_fails_goes_quiet_and_says_so(qapp, server: Server, caplog) -> None:
    class Broken(CueStream):
        def read(self, max_samples: int):  # type: ignore[override]
            raise RuntimeError("render failed")

    output = QtCueOutput(SR)
    output.play(Broken.of(np.ones(5000), SR), replace=False)
    output.wait_for_audio_thread()
    server.play(FRAME)
    assert "render failed" in caplog.text
    assert output.poll() == "the sound cues stopped working"
    output.wait_for_audio_thread()
    assert not output.is_open


# -- the audio thread ---------------------------------------------------------------------------


def test_the_sink_is_made_and_read_on_the_audio_thread_not_the_gui_thread(
    heard: Heard, server: Server
) -> None:
    heard.cues.set_mode("tone")
    heard.run(0.5)
    (sink,) = server.sinks
    output = heard.cues._output
    assert isinstance(output, QtCueOutput)
    gui = QThread.currentThread()
    assert sink.made_on != gui
    assert sink.made_on == output.thread
    assert sink.thread() == output.thread  # it lives there, so Qt's reads happen there
    assert sink.read_on
    assert threading.get_ident() not in sink.read_on


class PlayingSink(FakeSink):
    """A sink that, like a real one, plays at the wall clock what was written into it, taking
    at most BUFFER_S ahead of what plays (``bytesFree``); a write that comes after what it held
    has run out is a dropout (``dry`` counts them, and silence fills the gap)."""

    def __init__(self, server: Server, parent: QObject | None = None) -> None:
        super().__init__(server, parent)
        self.heard = bytearray()  # everything written, in the order it plays
        self.started_s: float | None = None  # when the first sample played (was written)
        self.ticks: list[float] = []  # when it was written to

    def start(self, source: QIODevice | None = None) -> Writer | None:
        assert source is None  # the output writes (push mode)
        self.pushed = True
        self.status = QtAudio.State.ActiveState
        return Writer(self)

    def due(self, now_s: float) -> int:
        """Samples played by ``now_s``."""
        return 0 if self.started_s is None else round((now_s - self.started_s) * SR)

    def _catch_up(self, now_s: float) -> int:
        """Bytes still queued at ``now_s`` (after noting a dropout if there are none)."""
        due = self.due(now_s)
        if len(self.heard) // 2 < due:
            self.dry += 1
            self.heard += bytes(2 * due - len(self.heard))  # a dropout: silence was played
        return len(self.heard) - 2 * due

    dry = 0

    def bytesFree(self) -> int:
        if self.status is QtAudio.State.StoppedState:
            return 0
        return max(0, self.buffer_bytes - self._catch_up(time.monotonic()))

    def write(self, data: bytes) -> int:
        now = time.monotonic()
        self.ticks.append(now)
        if self.started_s is None:
            self.started_s = now  # it plays from the first sample written
        taken = min(len(data), max(0, self.buffer_bytes - self._catch_up(now)))
        self.heard += data[:taken]
        return taken

    def stop(self) -> None:
        self.status = QtAudio.State.StoppedState

    def samples(self) -> np.ndarray:
        return np.frombuffer(bytes(self.heard), "<i2") / 32767.0


@pytest.fixture
def pulling(qapp, monkeypatch) -> Iterator[Server]:
    made = Server(PlayingSink)
    fake_multimedia(monkeypatch, made)
    yield made
    _end_all_threads()


def busy_gui_thread(seconds: float) -> None:
    """Run Python on this (the GUI) thread for ``seconds``, as a long paint or import does."""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        sum(range(100))


def test_a_busy_gui_thread_does_not_starve_the_sound_and_a_pause_stays_quick(
    qtbot, pulling: Server, box
) -> None:
    """Three 300 ms stalls of the GUI thread (Python holding the GIL): the audio thread still
    writes in time, so nothing runs dry (on the GUI thread, each stall was a ~230 ms dropout).
    A pause after them is still silent within PAUSE_SILENT_S."""
    sound = SoundCues()
    sound.set_pattern(box)
    sound.set_volume(1.0)
    sound.set_mode("tone")
    sound.on_frame(box.state_at(5.0), True)  # a steady hold
    qtbot.waitUntil(lambda: len(pulling.sinks) == 1 and len(pulling.sinks[0].ticks) > 5)
    sink = pulling.sinks[0]
    assert isinstance(sink, PlayingSink)
    for _ in range(3):
        busy_gui_thread(0.3)
        QCoreApplication.processEvents()
    gaps = np.diff(sink.ticks)
    assert sink.dry == 0
    assert gaps.max() < BUFFER_S
    paused_at = time.monotonic()
    sound.on_frame(None, False)  # the screen pauses: no pacer state
    qtbot.waitUntil(lambda: sink.due(time.monotonic()) > sink.due(paused_at) + SR // 5)
    heard = sink.samples()
    assert np.max(np.abs(heard[sink.due(paused_at) - SR // 100 : sink.due(paused_at)])) > 0.1
    last_sound = np.flatnonzero(np.abs(heard) >= 0.5 / 32767)[-1]
    silent_after_s = (last_sound + 1) / SR - (paused_at - sink.started_s)
    assert 0 < silent_after_s <= PAUSE_SILENT_S


def test_the_audio_thread_gets_the_gil_within_a_millisecond(server: Server) -> None:
    """Python's default 5 ms let a GUI thread busy in Python hold each read up by 5 ms (reads of
    15-37 ms, dropouts on a real server); the output asks for 1 ms."""
    before = sys.getswitchinterval()
    sys.setswitchinterval(0.005)
    try:
        QtCueOutput(SR)
        assert sys.getswitchinterval() == pytest.approx(GIL_SWITCH_S)
        assert GIL_SWITCH_S <= 0.001
    finally:
        sys.setswitchinterval(before)


def test_ending_the_output_lets_go_of_the_sink_and_ends_its_thread(server: Server) -> None:
    output = QtCueOutput(SR)
    output.play(CueStream.of(np.ones(SR) * 0.1, SR), replace=False)
    output.wait_for_audio_thread()
    assert output.is_open
    output.end()
    assert not output.thread.isRunning()
    assert not output.is_open
    assert server.open_sinks == []
    output.play(CueStream.of(np.ones(SR) * 0.1, SR), replace=False)  # ignored, never raises
    assert len(server.sinks) == 1


def test_an_output_that_fails_is_dropped_with_its_thread(server: Server, box) -> None:
    sound = SoundCues()
    sound.set_pattern(box)
    sound.set_mode("tone")
    sound.on_frame(box.state_at(0.5), True)
    output = sound._output
    assert isinstance(output, QtCueOutput)
    output.wait_for_audio_thread()
    output._host.failure = "the speakers could not be opened"  # as the sink's error would say
    sound.on_frame(box.state_at(0.6), True)
    assert not sound.available
    assert not output.thread.isRunning()


def test_the_prompt_chime_lets_go_of_the_output_after_its_fade_when_stopped(
    server: Server,
) -> None:
    """The attention screen stops its chime at a pause or the end: the stream is let go once the
    fade has played (it stayed open, the device awake, until a minute of silence)."""
    from ui.practice.attention_screen import PromptChime

    chime = PromptChime()

    def play(seconds: float) -> np.ndarray:
        frames = []
        for _ in range(round(seconds / FRAME_S)):
            settle(chime)
            frames.append(server.play(FRAME))
            settle(chime)
        return np.concatenate(frames)

    chime.play()
    assert np.max(np.abs(play(0.3))) > 0.01
    chime.stop()
    after = play(0.5)
    assert server.open_sinks == []
    (sink,) = server.sinks
    assert not sink.cut  # nothing queued was thrown away: the fade was played
    assert not np.any(after[-FRAME:])
    chime.play()  # the next prompt opens the output again
    assert np.max(np.abs(play(0.3))) > 0.01
    assert len(server.open_sinks) == 1


# -- a sound server that goes away --------------------------------------------------------------


def test_a_pulse_server_is_gone_once_its_pid_file_names_no_process_or_goes(
    tmp_path, monkeypatch
) -> None:
    from ui.common import sound as sound_module

    monkeypatch.setattr(sound_module, "_pulse_seen", [])
    runtime = tmp_path / "pulse"
    runtime.mkdir()
    monkeypatch.delenv("PULSE_SERVER", raising=False)
    monkeypatch.setenv("PULSE_RUNTIME_PATH", str(runtime))
    assert not pulse_server_gone()  # no pid file, none seen: not PulseAudio, nothing known
    (runtime / "pid").write_text(f"{os.getpid()}\n")
    assert not pulse_server_gone()  # the server is running
    gone = subprocess.Popen(["true"])  # a process that has ended
    gone.wait()
    (runtime / "pid").write_text(f"{gone.pid}\n")
    assert pulse_server_gone()  # killed: its pid file stays, naming no process
    (runtime / "pid").unlink()
    assert pulse_server_gone()  # ended: its pid file went, but a server was seen here
    monkeypatch.setenv("PULSE_SERVER", "tcp:elsewhere")
    assert not pulse_server_gone()  # a server elsewhere cannot be told from here
    monkeypatch.delenv("PULSE_SERVER")
    monkeypatch.delenv("PULSE_RUNTIME_PATH")
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(tmp_path))
    assert pulse_server_gone()  # found through XDG_RUNTIME_DIR/pulse too


@pytest.fixture
def server_lost(monkeypatch) -> Iterator[list[bool]]:
    """The sound server is there until ``gone`` is set (and forgotten after the test)."""
    from ui.common import sound as sound_module

    gone: list[bool] = []
    monkeypatch.setattr(sound_module, "pulse_server_gone", lambda: bool(gone))
    yield gone
    sound_module._server_lost.clear()


def test_once_the_sound_server_has_gone_no_stream_is_opened_again(
    heard: Heard, server: Server, server_lost: list[bool], box
) -> None:
    """Qt's PulseAudio client aborts the process at a new stream once its server has gone (even
    after it is back): the output says sound is unavailable and opens nothing more."""
    messages: list[str] = []
    heard.cues.unavailable.connect(messages.append)
    heard.cues.set_mode("tone")
    heard.run(1.0)
    assert len(server.sinks) == 1
    server_lost.append(True)  # killed while the tone plays
    output = heard.cues._output
    assert isinstance(output, QtCueOutput)
    output._host._check_server()  # as its watch does every SERVER_WATCH_MS
    heard.run(0.5)
    assert messages == [
        "Sound unavailable: the sound system stopped (sound comes back when Safe Signal "
        "starts again)."
    ]
    server_lost.clear()  # the server is back: Qt's client still is not
    assert not heard.cues.try_again()
    heard.cues.set_mode("chime")
    heard.run(box.cycle_s)
    assert len(server.sinks) == 1  # never a second stream
    assert len(messages) == 1


def test_a_stream_is_not_opened_while_the_sound_server_is_gone(
    server: Server, server_lost: list[bool]
) -> None:
    server_lost.append(True)  # gone before any stream was opened (sound was off)
    output = QtCueOutput(SR)
    output.play(CueStream.of(np.ones(SR) * 0.1, SR), replace=False)
    output.wait_for_audio_thread()
    assert server.sinks == []
    assert output.poll() == SERVER_LOST_REASON
    with pytest.raises(SoundUnavailableError, match="sound system stopped"):
        QtCueOutput(SR)
