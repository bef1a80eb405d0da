"""Plays the pacer's sound cues (made in ``trainer/content/audio.py``) through QtMultimedia.

Sound is a nicety, never a requirement: when there is no sound library, no speakers or the
output fails, :class:`SoundCues` says so once through its ``unavailable`` signal and carries on
in silence. It never raises from a frame.

How the session screen uses it::

    sound = SoundCues(parent=screen)
    sound.unavailable.connect(show_note)        # "Sound unavailable: ..." (once per failure)
    sound.try_again()                           # after a failure: True if sound works again
    sound.set_pattern(session_pattern)          # optional: exact pitch for partial breaths
    sound.set_mode("tone")                      # "off" (default), "tone" or "chime"
    sound.set_volume(0.6)                       # 0..1, the slider (decibels: volume_gain)
    ...
    sound.on_frame(session.pacer_state(), running)   # every frame; None while there is no pacer
    sound.stop()                                # session over or abandoned: fade out, forget
    sound.play_end_cue()                        # optional gentle close

QtMultimedia is imported only when a sound is first wanted, so it costs nothing at start-up and
nothing at all while sound is off. The output then plays from a thread of its own (see
:class:`QtCueOutput`), so a busy window never starves it. Tests pass ``output_factory`` to listen without speakers.
"""

from __future__ import annotations

import atexit
import logging
import math
import os
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any, Final, Protocol

from PySide6.QtCore import (
    QCoreApplication,
    QIODevice,
    QObject,
    Qt,
    QThread,
    QTimer,
    Signal,
    Slot,
)

from trainer.app.settings import DEFAULT_VOLUME_PCT
from trainer.app.words import spoken_word
from trainer.content.ambient import (
    AMBIENT_FADE_IN_S,
    AMBIENT_FADE_OUT_S,
    ambient_loop,
    ambient_loop_ready,
    ambient_stream,
)
from trainer.content.audio import (
    FADE_S,
    SAMPLE_RATE_HZ,
    Cue,
    CueStream,
    CueTracker,
    Mixer,
    end_chime,
    volume_gain,
)
from trainer.content.breathing import BreathingPattern, PacerState
from trainer.content.cues import CueMode
from ui.common.speech import Speech, speech_installed, speech_volume

# How far ahead of what plays the output writes the mix (the sink's buffer: the feeder tops it
# up to this and no further). With the fade this is how soon a pause is silent:
# BUFFER_S + FADE_S, 0.1 s (plus the frame that notices the pause, at most 1/60 s). The output is
# read on its own audio thread, so a busy GUI thread (a long paint, a first draw, an import) does
# not starve it; what is left is Python's GIL (see GIL_SWITCH_S) and a busy machine's scheduler.
# Measured on a real PulseAudio null sink, a shared 2-core machine at load 2-3, the GUI thread
# running Python for 0.24-0.5 s every 0.45-0.65 s: at 70 ms, 1 dropout (58 ms) in 217 s of tone
# and ~420 stalls; at 50 and 30 ms, 1 in 60 s each (read on the GUI thread: one every stall).
BUFFER_S = 0.07
PAUSE_SILENT_S: Final = BUFFER_S + FADE_S
# The longest Python's other threads keep the GIL from the audio thread when it asks for it (the
# interpreter's default, 5 ms, let a GUI thread busy in Python hold each ~6 ms read up by 5 ms
# at a time: 15-37 ms reads and dropouts; at 1 ms the longest read measured was 4-6 ms).
GIL_SWITCH_S = 0.001
OPEN_LEAD_S = 0.03  # silence first when the output opens: a new stream may lose its first ms
# What the sound server adds after our read-ahead before the speakers. Chosen by ear through a
# null sink (benchmarks/sound.py): with 0.03 the tone came 18-20 ms early and the chimes 3 ms;
# the read-ahead is not always full, so the server's reported 17 + 16 ms is more than it adds.
# Pulled by the sink (topped up every ~5 ms) 0.02 was right; written every FEED_MS the buffer
# holds less on average (BUFFER_S just after a write, FEED_MS less just before the next), and
# with 0.02 the tone came 29 ms early instead of 13 and a pause was silent ~17 ms sooner.
SERVER_LATENCY_S: Final = 0.005
CLOSE_TAIL_S = BUFFER_S + 0.05  # silence after the last cue before letting go, so none is cut
IDLE_RELEASE_S = 60.0  # a minute with nothing to play and the device is let go (it may sleep)
# How often the audio thread writes the mixer's next samples into the stream (push mode). Each
# write tops the buffer up to BUFFER_S, so one tick late by up to BUFFER_S - FEED_MS (50 ms)
# still finds sound queued.
FEED_MS = 20
# Each sound in words, as the practice screen's Sound menu and the settings offer it.
SOUND_TITLES: Final = {
    CueMode.OFF: "No sound",
    CueMode.TONE: "A soft tone that rises and falls with the breath",
    CueMode.CHIME: "A soft chime at each change",
    CueMode.VOICE: "A voice saying in and out",  # offered only where a speech engine exists
}
AMBIENT_TITLE: Final = "Soft background sound (distant surf)"
VOICE_FALLBACK: Final = "a soft chime marks each change instead"
AMBIENT_STOP_S: Final = 0.5  # turned off mid-session, the surf falls away over this
_log = logging.getLogger(__name__)


def offered_sound_modes(found: Callable[[], bool] | None = None) -> tuple[CueMode, ...]:
    """The sounds to offer: every one, the spoken cue only where a speech engine exists."""
    voice = (found or speech_installed)()
    return tuple(mode for mode in CueMode if voice or mode is not CueMode.VOICE)


class SoundUnavailableError(Exception):
    """No sound can be played; the message is a short reason for the person using the app."""


class CueOutput(Protocol):
    """Where cues are played: the speakers, or a recorder in tests."""

    def play(self, stream: CueStream, *, replace: bool) -> None:
        """Start ``stream`` now; ``replace`` fades out whatever is sounding first."""

    def fade_out(self) -> None:
        """Let everything sounding end within a short fade."""

    def poll(self) -> str | None:
        """Tidy up finished cues; a short reason if the output has failed, else ``None``."""

    def close(self) -> None:
        """Let go of the device once what sounds has ended (a later ``play`` opens it again)."""


OutputFactory = Callable[[int], CueOutput]  # sample rate -> output; raises SoundUnavailableError


class _MixerDevice(QIODevice):
    """A read-only device that serves the mixer's sum as 16-bit PCM for as long as it is wanted.

    The output's :class:`_Feeder` takes from it (:meth:`serve`) and writes into the sink; on a
    backend that cannot be written to, the sink reads it itself (``readData``). It starts with a little silence (a new stream may lose its first milliseconds), serves
    silence while nothing sounds, and once ``closing`` is set (or after a long idle spell) it
    ends with a tail of silence longer than the output's buffer, then calls ``on_finished``.
    """

    def __init__(
        self, mixer: Mixer, on_finished: Callable[[], None], parent: QObject | None = None
    ) -> None:
        if parent is None:
            super().__init__()
        else:
            super().__init__(parent)
        self.mixer = mixer
        self.failed = False
        self.closing = False
        self.finished = False
        self._on_finished = on_finished
        rate = mixer.sample_rate
        self._lead = round(OPEN_LEAD_S * rate)
        self._tail = round(CLOSE_TAIL_S * rate)
        self._idle = round(IDLE_RELEASE_S * rate)
        self._quiet = 0  # samples of silence served since the last cue ended

    def isSequential(self) -> bool:
        return True

    def bytesAvailable(self) -> int:
        ahead = 0 if self.finished else 2 * self.mixer.sample_rate
        return ahead + super().bytesAvailable()

    def readData(self, maxlen: int) -> bytes:
        return self.serve(maxlen // 2)

    def serve(self, count: int) -> bytes:
        """Up to ``count`` samples as 16-bit PCM: the lead, the mix, or silence; ``b""`` once
        finished (or failed). The lead is served on its own, so a caller asks again for more."""
        if self.failed or self.finished:
            return b""
        count = max(0, count)
        try:
            if self._lead:
                lead = min(self._lead, count)
                self._lead -= lead
                return bytes(2 * lead)
            if self.mixer.active:
                self._quiet = 0
                return self.mixer.read_pcm16(count)
            limit = self._tail if self.closing else self._idle
            if self._quiet >= limit:
                self.finished = True
                # Told on this device's own thread (the audio thread), not from inside the read.
                QTimer.singleShot(0, self, self._on_finished)
                return b""
            quiet = min(count, limit - self._quiet)
            self._quiet += quiet
            return self.mixer.read_pcm16(quiet)
        except Exception:  # Qt calls this; an exception would only be printed, so note it
            _log.exception("rendering the sound cues failed")
            self.failed = True
            return b""

    def writeData(self, data: bytes | bytearray | memoryview, size: int, /) -> int:
        return -1


class _Feeder:
    """Keeps a push-mode sink's buffer topped up from a :class:`_MixerDevice`, never more than
    ``buffer_bytes`` ahead of what plays.

    Each :meth:`feed` (on a timer of the audio thread, every FEED_MS) writes what was played
    since the last one, so a late tick tops up by what was used. Python is entered once a tick
    instead of twice for each small piece a pulling sink asks for (~340 times a second on Qt's
    PulseAudio backend). A piece the sink does not take is kept and written first next time.
    """

    def __init__(self, source: _MixerDevice, sink: Any, writer: Any, buffer_bytes: int) -> None:
        self.source = source
        self._sink = sink
        self._writer = writer
        self._buffer_bytes = buffer_bytes
        self._pending = b""  # served by the device but not yet taken by the sink

    def feed(self) -> None:
        """Write from the device until the sink holds ``buffer_bytes`` (or all it can take)."""
        source = self.source
        free = self._sink.bytesFree()
        queued = max(0, self._sink.bufferSize() - free)
        want = min(free, self._buffer_bytes - queued)
        want -= want % 2
        while want > 0:
            data = self._pending or source.serve(want // 2)
            if not data:
                return  # finished or failed: the device has said so
            self._pending = b""
            written = max(0, self._writer.write(data))
            if written < len(data):
                self._pending = data[written:]
                return
            want -= written


SERVER_WATCH_MS = 2000  # while a stream is open, how often the sound server is checked
SERVER_LOST_REASON = "the sound system stopped (sound comes back when Safe Signal starts again)"
_server_lost: list[bool] = []  # non-empty once the sound server was seen gone in this process


_pulse_seen: list[Path] = []  # the PulseAudio runtime folder where a server was seen running


def pulse_server_gone() -> bool:
    """True once the local PulseAudio server that was running has gone (killed, crashed, ended).

    Qt's PulseAudio client does not reconnect once its server has gone, and a new stream after
    that aborts the whole process inside libpulse (``pa_context_get_state``, Qt 6.11), even
    once the server is back. So the output watches the server and opens no stream once it has
    gone. The server is known by the pid file in its runtime folder (left behind, naming a dead
    process, if it was killed; removed if it ended). False where this cannot be told: a server
    set by PULSE_SERVER, or none seen running (PipeWire's PulseAudio writes no pid file).
    """
    if os.environ.get("PULSE_SERVER"):
        return False
    runtime = os.environ.get("PULSE_RUNTIME_PATH")
    if not runtime:
        xdg = os.environ.get("XDG_RUNTIME_DIR")
        if not xdg:
            return False
        runtime = os.path.join(xdg, "pulse")
    folder = Path(runtime)
    try:
        pid = int((folder / "pid").read_text(encoding="ascii").split()[0])
    except (OSError, ValueError, IndexError):
        return folder in _pulse_seen  # no pid file: gone if a server was seen here before
    try:
        os.kill(pid, 0)  # signal 0: only asks whether the process is there
    except ProcessLookupError:
        return True
    except OSError:  # there, but someone else's
        pass
    if folder not in _pulse_seen:
        _pulse_seen.append(folder)
    return False


class _SinkHost(QObject):
    """Lives on the audio thread: makes the QAudioSink there, so the mixer is read there too.

    Its slots are called through queued signals from :class:`QtCueOutput` on the GUI thread.
    ``failure`` is written here and read there (a plain attribute: one store, no lock needed).
    """

    def __init__(
        self, qm: Any, device: Any, audio_format: Any, buffer_bytes: int, mixer: Mixer
    ) -> None:
        super().__init__()
        self._qm = qm
        self._device = device
        self._format = audio_format
        self._buffer_bytes = buffer_bytes
        self._mixer = mixer
        self.sink: Any = None
        self.source: _MixerDevice | None = None
        self.failure: str | None = None  # a short reason once the output has failed
        self._watch: QTimer | None = None  # made on the audio thread, at the first stream
        self._feed_timer: QTimer | None = None  # likewise: tops up a push-mode stream
        self.feeder: _Feeder | None = None  # while a push-mode stream is open

    def _server_gone(self) -> bool:
        """True (and the failure noted) once the sound server has gone: open nothing more."""
        if _server_lost or pulse_server_gone():
            if not _server_lost:
                _server_lost.append(True)
                _log.warning("the sound server has gone; no sound until the app starts again")
            self.failure = SERVER_LOST_REASON
            return True
        return False

    @Slot()
    def start(self) -> None:
        """Make sure a stream is open and reading the mixer (keep the one there is)."""
        source = self.source
        if source is not None and not source.finished and not source.failed:
            source.closing = False  # a close asked for earlier is off: more is coming
            return
        self.release()
        if self.failure or self._server_gone():
            return
        if self._watch is None:
            self._watch = QTimer(self)
            self._watch.setInterval(SERVER_WATCH_MS)
            self._watch.timeout.connect(self._check_server)
            self._feed_timer = QTimer(self)
            self._feed_timer.setTimerType(Qt.TimerType.PreciseTimer)
            self._feed_timer.setInterval(FEED_MS)
            self._feed_timer.timeout.connect(self.feed)
        self._watch.start()
        try:
            sink = self._qm.QAudioSink(self._device, self._format)
            sink.setBufferSize(self._buffer_bytes)
            sink.stateChanged.connect(self._on_state)
            source = _MixerDevice(self._mixer, self._on_finished, sink)
            source.open(QIODevice.OpenModeFlag.ReadOnly | QIODevice.OpenModeFlag.Unbuffered)
            self.sink, self.source = sink, source
            writer = sink.start()  # push mode: we write, on our timer
            if writer is None:  # a backend that cannot be written to: let it read (pull mode)
                _log.info("the sound output cannot be written to; it reads the mixer instead")
                sink.stop()
                sink.start(source)
            else:
                self.feeder = _Feeder(source, sink, writer, self._buffer_bytes)
                self.feed()  # the lead and the first samples, now
                if self._feed_timer is not None:
                    self._feed_timer.start()
        except Exception:  # a fault here must reach the GUI thread as a failure, not a trace
            _log.exception("opening the sound output failed")
            self.failure = "the speakers could not be opened"
            self.release()
            return
        self._on_state()

    @Slot()
    def close(self) -> None:
        """Let go of the stream once what sounds has been played out."""
        source, sink = self.source, self.sink
        if source is None or sink is None:
            return
        source.closing = True
        if sink.state() == self._qm.QtAudio.State.StoppedState or source.failed:
            self.release()  # nothing is being played out: let go now

    @Slot()
    def feed(self) -> None:
        """Top up a push-mode stream (on the feed timer, and in tests after the sink plays)."""
        if self.feeder is not None:
            self.feeder.feed()

    @Slot()
    def _check_server(self) -> None:
        if self.sink is not None:
            self._server_gone()

    @Slot()
    def release(self) -> None:
        """Let go of the stream now."""
        if self._watch is not None:
            self._watch.stop()
        if self._feed_timer is not None:
            self._feed_timer.stop()
        self.feeder = None
        sink, source = self.sink, self.source
        self.sink = self.source = None
        if sink is None or source is None:
            return
        sink.stop()
        source.close()
        sink.deleteLater()  # the source is its child, so it goes too

    @Slot()
    def finish(self) -> None:
        """Let go of the stream and end the audio thread's event loop."""
        self.release()  # the sink is deleted as the thread ends (deferred deletes are run then)
        thread = self.thread()
        if thread is not None:
            thread.quit()

    @Slot()
    def sync(self) -> None:
        """Top up the stream: a caller blocked on it knows every earlier command has been
        carried out and the stream holds what the mixer has to play next."""
        self.feed()

    @Slot()
    def _on_state(self) -> None:
        """Note a failure the sink reports (connected to its ``stateChanged``)."""
        sink = self.sink
        if sink is None:
            return
        errors = self._qm.QtAudio.Error
        if sink.error() in (errors.OpenError, errors.IOError, errors.FatalError):
            self.failure = "the speakers could not be opened"

    def _on_finished(self) -> None:
        source = self.source
        if source is not None and source.finished:
            self.release()


class _Commands(QObject):
    """The GUI thread's side of the audio thread: each signal runs a :class:`_SinkHost` slot."""

    start = Signal()
    close = Signal()
    release = Signal()
    finish = Signal()
    sync = Signal()


# Audio threads still running, with what ends each: kept here so that none is destroyed while
# it runs (that aborts the process), and ended at exit if nothing ended them before.
# The host is kept too: it, and the sink it holds, must be deleted on their own thread or not at all.
_RUNNING: dict[QThread, tuple[_Commands, _SinkHost]] = {}
THREAD_END_WAIT_MS = 2000  # how long ending the audio thread may take before it is left to run


def _end_all_threads() -> None:
    """At exit: end every audio thread still running, letting go of its stream first."""
    for thread, (commands, _host) in list(_RUNNING.items()):
        commands.finish.emit()
        if thread.wait(THREAD_END_WAIT_MS):
            del _RUNNING[thread]


atexit.register(_end_all_threads)
_quit_hooked: list[QCoreApplication] = []  # the application whose aboutToQuit ends them


def _end_threads_on_quit() -> None:
    """End the audio threads as the application quits (at exit if it never says so)."""
    app = QCoreApplication.instance()
    if app is not None and app not in _quit_hooked:
        _quit_hooked.append(app)
        app.aboutToQuit.connect(_end_all_threads)


class QtCueOutput:
    """Plays cues on the default audio output through one long-lived QAudioSink (16-bit mono).

    Every cue is mixed into one stream (:class:`~trainer.content.audio.Mixer`), opened at the
    first cue and kept while cues come (silence costs little), and let go after :meth:`close`
    once the last cue has faded, or after a minute with nothing to play, so the device can sleep.
    The sink and the device that reads the mixer live on a thread of their own, so a busy GUI
    thread never starves the sound; the GUI thread only adds cues to the (locked) mixer and
    sends the audio thread short commands (open, close, let go). The audio thread writes the
    mix into the sink every FEED_MS (push mode): a sink left to pull from Python asks for small
    pieces several hundred times a second, and entering Python that often cost more than the
    sound itself.
    """

    def __init__(self, sample_rate: int = SAMPLE_RATE_HZ, parent: QObject | None = None) -> None:
        try:
            from PySide6 import QtMultimedia
        except ImportError as error:  # e.g. libpulse0 missing on Linux
            raise SoundUnavailableError("the sound library could not be loaded") from error
        device = QtMultimedia.QMediaDevices.defaultAudioOutput()
        if device.isNull():
            raise SoundUnavailableError("no speakers or headphones were found")
        audio_format = QtMultimedia.QAudioFormat()
        audio_format.setSampleRate(sample_rate)
        audio_format.setChannelCount(1)
        audio_format.setSampleFormat(QtMultimedia.QAudioFormat.SampleFormat.Int16)
        if not device.isFormatSupported(audio_format):
            raise SoundUnavailableError("the speakers cannot play the cues")
        if _server_lost:
            raise SoundUnavailableError(SERVER_LOST_REASON)
        self.mixer = Mixer(sample_rate)
        buffer_bytes = 2 * round(BUFFER_S * sample_rate)
        self._host = _SinkHost(QtMultimedia, device, audio_format, buffer_bytes, self.mixer)
        self.thread = QThread()
        self.thread.setObjectName("Safe Signal sound")
        self._host.moveToThread(self.thread)
        self._commands = _Commands()
        self._commands.start.connect(self._host.start)
        self._commands.close.connect(self._host.close)
        self._commands.release.connect(self._host.release)
        self._commands.finish.connect(self._host.finish)
        self._commands.sync.connect(self._host.sync, Qt.ConnectionType.BlockingQueuedConnection)
        self._ended = False
        _RUNNING[self.thread] = (self._commands, self._host)
        _end_threads_on_quit()
        if sys.getswitchinterval() > GIL_SWITCH_S:
            sys.setswitchinterval(GIL_SWITCH_S)  # the audio thread gets its turn in time
        self.thread.start(QThread.Priority.TimeCriticalPriority)

    @property
    def is_open(self) -> bool:
        """True while the output holds a stream on the device."""
        return self._host.sink is not None

    def play(self, stream: CueStream, *, replace: bool) -> None:
        self.mixer.play(stream, replace=replace)
        if not self._ended:
            self._commands.start.emit()

    def fade_out(self) -> None:
        self.mixer.fade_out()

    def poll(self) -> str | None:
        host = self._host
        source, failure = host.source, host.failure
        if failure is None and source is not None and source.failed:
            failure = "the sound cues stopped working"
        if failure:
            self._commands.release.emit()
        return failure

    def close(self) -> None:
        self._commands.close.emit()

    def wait_for_audio_thread(self) -> None:
        """Block until the audio thread has carried out every command sent so far and topped up
        the stream (for tests)."""
        if not self._ended:
            self._commands.sync.emit()

    def end(self) -> None:
        """Let go of the stream now and end the audio thread (the output is not used again)."""
        if self._ended:
            return
        self._ended = True
        self._commands.finish.emit()
        if self.thread.wait(THREAD_END_WAIT_MS):
            _RUNNING.pop(self.thread, None)
        else:
            _log.warning("the sound thread did not end in time; it is left to end by itself")


class CueOutputOwner(QObject):
    """Owns one cue output, made on first use; a failure is said once through ``unavailable``.

    After a failure the output is closed and everything stays silent: a sound fault never ends
    a session or an exercise. Tests pass ``output_factory`` instead of QtMultimedia.
    """

    unavailable = Signal(str)

    def __init__(
        self,
        parent: QObject | None = None,
        *,
        output_factory: OutputFactory | None = None,
        sample_rate: int = SAMPLE_RATE_HZ,
    ) -> None:
        super().__init__(parent)
        self._factory: OutputFactory = output_factory or (lambda rate: QtCueOutput(rate, self))
        self.sample_rate = sample_rate
        self._output: CueOutput | None = None
        self._available = True
        self.unavailable_reason = ""

    @property
    def available(self) -> bool:
        """False once sound has turned out not to work here (then everything is silent)."""
        return self._available

    def close(self) -> None:
        """Fade everything out and let go of the output (the window is closing)."""
        if self._output is not None:
            self._output.fade_out()
            self._output.close()
            self._output = None

    def _ensure_output(self) -> CueOutput | None:
        """The output, made now if need be; ``None`` once sound has failed."""
        if not self._available:
            return None
        if self._output is None:
            try:
                self._output = self._factory(self.sample_rate)
            except SoundUnavailableError as error:
                self._give_up(str(error))
                return None
        return self._output

    def try_again(self) -> bool:
        """After a failure, try once more to make the output (the sound server may be back).

        True if sound works now. A second failure is not said again through ``unavailable``;
        ``unavailable_reason`` is updated to the latest reason.
        """
        if self._available:
            return True
        try:
            output = self._factory(self.sample_rate)
        except SoundUnavailableError as error:
            self.unavailable_reason = str(error)
            return False
        except Exception:  # an unexpected fault is no reason to stop practising
            _log.exception("making the sound output again failed")
            return False
        self._output = output
        self._available = True
        self.unavailable_reason = ""
        self._available_again()
        return True

    def _available_again(self) -> None:
        """Sound works again after a failure (subclasses pick up where they are)."""

    def _unavailable_text(self, reason: str) -> str:
        """What ``unavailable`` says for ``reason``."""
        return reason

    def _give_up(self, reason: str) -> None:
        if not self._available:
            return
        self._available = False
        self.unavailable_reason = reason
        output, self._output = self._output, None
        if output is not None:
            try:
                output.close()
                if isinstance(output, QtCueOutput):
                    output.end()  # its audio thread is not needed again
            except Exception:  # closing a failed output may fail too; silence is what is left
                _log.exception("closing the sound output failed")
        self.unavailable.emit(self._unavailable_text(reason))


class SoundCues(CueOutputOwner):
    """The pacer's sound: a tone that follows the breath, a chime at each change, or a calm word
    ("In", "Out", "Hold") spoken at each change; and, if chosen, a soft surf underneath.

    Call :meth:`on_frame` every frame with the pacer state. A cue starts at the first frame of
    each phase (and a tone picks up mid-phase after a pause or a change of mode). A new volume
    glides into what is sounding; the output is let go when sound is turned off or a session ends.

    The spoken words go through :class:`~ui.common.speech.Speech` (a helper process), offered
    only where a speech engine is installed. A word is asked for at the change, as a chime would
    be, and only if the frame that sees the change is within ``VOICE_LATE_S`` of it and the
    engine is ready and owes no answer (else it would come out of step): otherwise a chime marks
    that change. Where speech cannot work at all, a chime marks every change and
    ``voice_unavailable`` says so once.

    The surf (:mod:`trainer.content.ambient`) is one long voice in the same mixer, under the
    cues, at the same volume. It rises over a few seconds once the breathing runs, falls quickly
    with a pause, and slowly when the session ends. When the mixer fades it to make room (a cue
    that takes over, or too many at once) it is carried on from the same place at once.
    """

    voice_unavailable = Signal(str)  # the spoken cue cannot be heard here: a line for people

    def __init__(
        self,
        parent: QObject | None = None,
        *,
        output_factory: OutputFactory | None = None,
        sample_rate: int = SAMPLE_RATE_HZ,
        speech: Speech | None = None,
        speech_found: Callable[[], bool] | None = None,
    ) -> None:
        super().__init__(parent, output_factory=output_factory, sample_rate=sample_rate)
        self._tracker = CueTracker()
        self._volume = DEFAULT_VOLUME_PCT / 100
        self._running = False
        self._last_cue: Cue | None = None
        self._voices: list[CueStream] = []  # what this has played that may still be sounding
        self._pattern: BreathingPattern | None = None
        self._speech = speech  # made when the spoken cue is first chosen, unless given
        self._speech_found = speech_found or speech_installed
        if speech is not None:
            self._listen_to(speech)
        self._ambient_on = False
        self._bed: CueStream | None = None  # the surf now sounding (or last sounded)
        self._bed_offset = 0  # where in the surf's loop self._bed began
        self._warming: threading.Thread | None = None

    # -- settings -----------------------------------------------------------------------------

    @property
    def lead_s(self) -> float:
        """How long a cue takes from :meth:`on_frame` to the speakers (the output's read-ahead
        and the sound server's latency): the screen passes the pacer's state this far ahead, so
        each phase is heard as the pacer shows it."""
        return BUFFER_S + SERVER_LATENCY_S

    @property
    def audible(self) -> bool:
        """Whether frames can make a cue sound now (sound works here, and is not off)."""
        return self._available and self.mode is not CueMode.OFF

    @property
    def mode(self) -> CueMode:
        """The sound being made: off, tone, chime or voice."""
        return self._tracker.mode

    def offered_modes(self) -> tuple[CueMode, ...]:
        """The sounds to offer: every one, the spoken cue only where a speech engine exists."""
        return offered_sound_modes(self._speech_found)

    def set_mode(self, mode: CueMode | str) -> None:
        """Choose the sound; a tone starts mid-phase on the next running frame."""
        new = CueMode(mode)
        if new is self.mode:
            return
        if self._output is not None:
            self._fade_cues()
            if new is CueMode.OFF and not self._ambient_on:
                self._output.close()  # the device is let go once the fade has been played
        if self.mode is CueMode.VOICE and self._speech is not None:
            self._speech.stop()
        self._tracker.set_mode(new)
        if new is not CueMode.OFF:
            self._ensure_output()  # so "unavailable" is said as soon as sound is chosen
        if new is CueMode.VOICE:
            self._start_voice()

    @property
    def volume(self) -> float:
        """The volume slider's position, 0..1 (heard on a decibel scale: see ``volume_gain``)."""
        return self._volume

    def set_volume(self, volume: float) -> None:
        """Set the volume (0..1); what is sounding glides to it within ``VOLUME_RAMP_S``."""
        if isinstance(volume, bool) or not isinstance(volume, int | float):
            raise ValueError(f"volume must be a number from 0 to 1; got {volume!r}")
        if not math.isfinite(volume) or not 0.0 <= volume <= 1.0:
            raise ValueError(f"volume must be from 0 to 1; got {volume!r}")
        if volume != self._volume:
            self._volume = float(volume)
            gain = volume_gain(self._volume)
            self._voices = [voice for voice in self._voices if voice.remaining > 0]
            for voice in self._voices:
                voice.set_gain(gain)
            if self._speech is not None:
                self._speech.set_volume(speech_volume(round(100 * self._volume)))

    def set_pattern(self, pattern: BreathingPattern | None) -> None:
        """The pattern being breathed, so partial breaths are pitched exactly (optional)."""
        self._pattern = pattern
        self._tracker.set_pattern(pattern)

    @property
    def ambient(self) -> bool:
        """Whether the soft surf plays under the cues while the breathing runs."""
        return self._ambient_on

    def set_ambient(self, on: bool) -> None:
        """Play the surf (from the next running frame, rising slowly) or let it fall away."""
        if on == self._ambient_on:
            return
        self._ambient_on = on
        if on:
            self._warm_ambient()
            return
        self._end_bed(AMBIENT_STOP_S)
        if self._output is not None and self.mode is CueMode.OFF:
            self._output.close()  # let go once it has fallen silent

    @property
    def unavailable_message(self) -> str:
        """The line shown to the person, or ``""`` while sound works."""
        return f"Sound unavailable: {self.unavailable_reason}." if self.unavailable_reason else ""

    @property
    def speech(self) -> Speech | None:
        """The speech worker of the spoken cue (made when that cue is first chosen)."""
        return self._speech

    # -- playing ------------------------------------------------------------------------------

    def on_frame(self, state: PacerState | None, running: bool) -> None:
        """Start whatever cue is due for this frame's pacer state (call it every frame)."""
        if not self._available or not (self.audible or self._ambient_on):
            self._tracker.update(None, False)  # silent here: a tone picks up mid-phase after
            return
        try:
            self._frame(state, running and state is not None)
        except SoundUnavailableError as error:
            self._give_up(str(error))
        except Exception:  # a sound fault must never end a session
            _log.exception("sound cues failed; carrying on in silence")
            self._give_up("the sound cues stopped working")

    def _frame(self, state: PacerState | None, running: bool) -> None:
        output = self._output
        if output is not None:
            failure = output.poll()
            if failure:
                raise SoundUnavailableError(failure)
        if self._running and not running:
            if output is not None:
                output.fade_out()  # the surf too: a pause is silent within a tenth of a second
            if self._speech is not None and self.mode is CueMode.VOICE:
                self._speech.stop()
        self._running = running
        if state is None or not running:
            self._tracker.update(None, False)  # a quiet spell: a tone picks up mid-phase after it
            return
        cue = self._tracker.update(state, running)
        if cue is not None:
            self._play(cue, state)
        if self._ambient_on:
            self._keep_bed()

    def _play(self, cue: Cue, state: PacerState) -> None:
        if cue.sound is CueMode.VOICE and self._say(state):
            self._last_cue = cue
            return
        output = self._ensure_output()
        if output is None:
            return
        output.play(self._voice(cue.stream(sample_rate=self.sample_rate)), replace=cue.resumed)
        self._last_cue = cue

    def _voice(self, stream: CueStream) -> CueStream:
        """``stream`` at the volume now, kept so a new volume reaches it while it sounds."""
        stream.set_gain(volume_gain(self._volume), 0.0)
        self._voices = [voice for voice in self._voices if voice.remaining > 0]
        self._voices.append(stream)
        return stream

    def _fade_cues(self) -> None:
        """Fade out the cues sounding (a change of sound), but not the surf under them."""
        bed = self._bed
        if bed is None or bed.ending:
            if self._output is not None:
                self._output.fade_out()
            return
        for voice in self._voices:
            if voice is not bed:
                voice.fade_out()

    def stop(self) -> None:
        """The session is over (or a new one begins): fade out, let go, forget the phase."""
        self._end_bed(AMBIENT_FADE_OUT_S)
        if self._output is not None:
            self._output.fade_out()
            self._output.close()  # reopened by the next cue, if one comes
        if self._speech is not None:
            self._speech.stop()
        self._tracker.reset()
        self._running = False
        self._last_cue = None

    def play_end_cue(self) -> None:
        """Two soft falling notes to close a session (only when sound is on)."""
        if not self._available or self.mode is CueMode.OFF:
            return
        output = self._ensure_output()
        if output is None:
            return
        samples = end_chime(sample_rate=self.sample_rate)
        output.play(self._voice(CueStream.of(samples, self.sample_rate)), replace=True)
        output.close()  # let go once the cue has been played

    def _available_again(self) -> None:
        self._running = False
        self._bed = None
        self._tracker.resync()  # a tone picks up mid-phase on the next running frame

    def _unavailable_text(self, reason: str) -> str:
        return self.unavailable_message

    # -- the spoken cue -----------------------------------------------------------------------

    def _start_voice(self) -> None:
        """Look for a voice now (in the worker: it takes a few seconds), or say there is none."""
        speech = self._speech
        if speech is None:
            speech = self._speech = Speech(self)
            self._listen_to(speech)
        speech.set_volume(speech_volume(round(100 * self._volume)))
        if not speech.available:
            speech.retry()  # chosen anew: try again (a stuck worker is killed, never waited on)
        if not self._speech_found():
            speech.decline("no speech engine is installed")
            return
        speech.start()

    def _listen_to(self, speech: Speech) -> None:
        speech.unavailable.connect(self._on_speech_unavailable)

    def _on_speech_unavailable(self, message: str) -> None:
        reason = self._speech.unavailable_reason if self._speech is not None else ""
        self.voice_unavailable.emit(f"Spoken cue unavailable: {reason}; {VOICE_FALLBACK}.")

    def _say(self, state: PacerState) -> bool:
        """Say the word for the phase starting now; False if it cannot be said in step."""
        speech = self._speech
        if speech is None or not speech.ready:
            return False  # no voice (yet), or still answering: a chime marks this change
        speech.say(spoken_word(self._pattern, state))
        return True

    # -- the surf -----------------------------------------------------------------------------

    def _warm_ambient(self) -> None:
        """Make the surf's loop in a thread (~0.1-0.3 s of numpy that lets go of the GIL), so
        no frame waits for it; the surf starts at the first running frame after it is made."""
        if ambient_loop_ready(self.sample_rate):
            return
        if self._warming is not None and self._warming.is_alive():
            return
        self._warming = threading.Thread(
            target=ambient_loop, args=(self.sample_rate,), name="surf", daemon=True
        )
        self._warming.start()

    def _keep_bed(self) -> None:
        """Start the surf if it is not sounding, or carry it on if the mixer is fading it."""
        bed = self._bed
        if bed is not None and not bed.ending and bed.remaining > 0:
            return  # sounding (a stream runs out only after AMBIENT_STREAM_S: then a new one)
        if not ambient_loop_ready(self.sample_rate):
            self._warm_ambient()
            return
        output = self._ensure_output()
        if output is None:
            return
        offset, fade_s = 0, AMBIENT_FADE_IN_S
        if bed is not None:  # on from where it was
            offset = (self._bed_offset + bed.position) % ambient_loop(self.sample_rate).size
            if bed.remaining > 0:  # fading right now: cross to a new one without a dip
                fade_s = FADE_S
        stream = ambient_stream(offset=offset, fade_in_s=fade_s, sample_rate=self.sample_rate)
        output.play(self._voice(stream), replace=False)
        self._bed, self._bed_offset = stream, offset

    def _end_bed(self, fade_s: float) -> None:
        """Let the surf fall away over ``fade_s`` (it stays off until the next running frame)."""
        bed = self._bed
        if bed is not None and bed.remaining > 0:
            bed.fade_out(fade_s)
        self._bed = None
