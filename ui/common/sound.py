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
    sound.set_volume(0.6)                       # 0..1, linear
    ...
    sound.on_frame(session.pacer_state(), running)   # every frame; None while there is no pacer
    sound.stop()                                # session over or abandoned: fade out, forget
    sound.play_end_cue()                        # optional gentle close

QtMultimedia is imported only when a sound is first wanted, so it costs nothing at start-up and
nothing at all while sound is off. Tests pass ``output_factory`` to listen without speakers.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable
from typing import Any, Final, Protocol

from PySide6.QtCore import QIODevice, QObject, Signal

from trainer.content.audio import (
    SAMPLE_RATE_HZ,
    Cue,
    CueStream,
    CueTracker,
    end_chime,
    to_pcm16,
)
from trainer.content.breathing import BreathingPattern, PacerState
from trainer.content.cues import CueMode

BUFFER_S = 0.12  # how far ahead the output reads: a pause fades out within this
# Each sound in words, as the practice screen's Sound menu and the settings offer it.
SOUND_TITLES: Final = {
    CueMode.OFF: "No sound",
    CueMode.TONE: "A soft tone that rises and falls with the breath",
    CueMode.CHIME: "A soft chime at each change",
}
_log = logging.getLogger(__name__)

MAX_VOICES = 3  # cues sounding at once (a tone finishing while the next starts, a chime)
VOLUME_RESYNC_S = 0.3  # a new volume restarts the tone at most this often (phase seconds)


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
        """Stop at once and let go of the device."""


OutputFactory = Callable[[int], CueOutput]  # sample rate -> output; raises SoundUnavailableError


class _CueDevice(QIODevice):
    """A read-only device that renders a cue as the audio output reads it."""

    def __init__(self, stream: CueStream, parent: QObject | None = None) -> None:
        if parent is None:
            super().__init__()
        else:
            super().__init__(parent)
        self.stream = stream
        self.failed = False

    def isSequential(self) -> bool:
        return True

    def bytesAvailable(self) -> int:
        return 2 * self.stream.remaining + super().bytesAvailable()

    def readData(self, maxlen: int) -> bytes:
        if self.failed:
            return b""
        try:
            return to_pcm16(self.stream.read(maxlen // 2))
        except Exception:  # Qt calls this; an exception would only be printed, so note it
            _log.exception("rendering a sound cue failed")
            self.failed = True
            return b""

    def writeData(self, data: bytes | bytearray | memoryview, size: int, /) -> int:
        return -1


class QtCueOutput:
    """Plays cues on the default audio output, one QAudioSink per cue (16-bit mono PCM)."""

    def __init__(self, sample_rate: int = SAMPLE_RATE_HZ, parent: QObject | None = None) -> None:
        try:
            from PySide6 import QtMultimedia
        except ImportError as error:  # e.g. libpulse0 missing on Linux
            raise SoundUnavailableError("the sound library could not be loaded") from error
        self._qm = QtMultimedia
        device = QtMultimedia.QMediaDevices.defaultAudioOutput()
        if device.isNull():
            raise SoundUnavailableError("no speakers or headphones were found")
        audio_format = QtMultimedia.QAudioFormat()
        audio_format.setSampleRate(sample_rate)
        audio_format.setChannelCount(1)
        audio_format.setSampleFormat(QtMultimedia.QAudioFormat.SampleFormat.Int16)
        if not device.isFormatSupported(audio_format):
            raise SoundUnavailableError("the speakers cannot play the cues")
        self._device = device
        self._format = audio_format
        self._parent = parent
        self._buffer_bytes = 2 * round(BUFFER_S * sample_rate)
        self._voices: list[tuple[Any, _CueDevice]] = []

    def play(self, stream: CueStream, *, replace: bool) -> None:
        if replace:
            self.fade_out()
        while len(self._voices) >= MAX_VOICES:
            self._release(*self._voices.pop(0))
        sink = self._qm.QAudioSink(self._device, self._format, self._parent)
        sink.setBufferSize(self._buffer_bytes)
        source = _CueDevice(stream, sink)
        source.open(QIODevice.OpenModeFlag.ReadOnly)
        sink.start(source)
        self._voices.append((sink, source))

    def fade_out(self) -> None:
        for _, source in self._voices:
            source.stream.fade_out()

    def poll(self) -> str | None:
        states, errors = self._qm.QtAudio.State, self._qm.QtAudio.Error
        failure = None
        for voice in list(self._voices):
            sink = voice[0]
            state, error = sink.state(), sink.error()
            if error in (errors.OpenError, errors.IOError, errors.FatalError):
                failure = "the speakers could not be opened"
            elif voice[1].failed:
                failure = "the sound cues stopped working"
            elif state not in (states.IdleState, states.StoppedState):
                continue
            self._voices.remove(voice)
            self._release(*voice)
        return failure

    def close(self) -> None:
        while self._voices:
            self._release(*self._voices.pop())

    @staticmethod
    def _release(sink: Any, source: _CueDevice) -> None:
        sink.stop()
        source.close()
        sink.deleteLater()  # the source is its child, so it goes too


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
        """Silence everything at once and let go of the output (the window is closing)."""
        if self._output is not None:
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
            except Exception:  # closing a failed output may fail too; silence is what is left
                _log.exception("closing the sound output failed")
        self.unavailable.emit(self._unavailable_text(reason))


class SoundCues(CueOutputOwner):
    """The pacer's sound: a tone that follows the breath, or a chime at each change.

    Call :meth:`on_frame` every frame with the pacer state. A cue starts at the first frame of
    each phase (and a tone picks up mid-phase after a pause, a change of mode or of volume).
    """

    def __init__(
        self,
        parent: QObject | None = None,
        *,
        output_factory: OutputFactory | None = None,
        sample_rate: int = SAMPLE_RATE_HZ,
    ) -> None:
        super().__init__(parent, output_factory=output_factory, sample_rate=sample_rate)
        self._tracker = CueTracker()
        self._volume = 0.7
        self._running = False
        self._volume_changed = False
        self._last_cue: Cue | None = None
        self._last_cue_remaining_s = 0.0

    # -- settings -----------------------------------------------------------------------------

    @property
    def mode(self) -> CueMode:
        """The sound being made: off, tone or chime."""
        return self._tracker.mode

    def set_mode(self, mode: CueMode | str) -> None:
        """Choose the sound; a tone starts mid-phase on the next running frame."""
        new = CueMode(mode)
        if new is self.mode:
            return
        if self._output is not None:
            self._output.fade_out()
        self._tracker.set_mode(new)
        if new is not CueMode.OFF:
            self._ensure_output()  # so "unavailable" is said as soon as sound is chosen

    @property
    def volume(self) -> float:
        """Loudness of the cues, 0..1 (linear)."""
        return self._volume

    def set_volume(self, volume: float) -> None:
        """Set the loudness (0..1); a sounding tone picks it up within a moment."""
        if isinstance(volume, bool) or not isinstance(volume, int | float):
            raise ValueError(f"volume must be a number from 0 to 1; got {volume!r}")
        if not math.isfinite(volume) or not 0.0 <= volume <= 1.0:
            raise ValueError(f"volume must be from 0 to 1; got {volume!r}")
        if volume != self._volume:
            self._volume = float(volume)
            self._volume_changed = True

    def set_pattern(self, pattern: BreathingPattern | None) -> None:
        """The pattern being breathed, so partial breaths are pitched exactly (optional)."""
        self._tracker.set_pattern(pattern)

    @property
    def unavailable_message(self) -> str:
        """The line shown to the person, or ``""`` while sound works."""
        return f"Sound unavailable: {self.unavailable_reason}." if self.unavailable_reason else ""

    # -- playing ------------------------------------------------------------------------------

    def on_frame(self, state: PacerState | None, running: bool) -> None:
        """Start whatever cue is due for this frame's pacer state (call it every frame)."""
        if not self._available or self.mode is CueMode.OFF:
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
        if self._running and not running and output is not None:
            output.fade_out()
        self._running = running
        if state is None or not running:
            self._tracker.update(None, False)  # a quiet spell: a tone picks up mid-phase after it
            return
        if self._volume_changed and running and self._volume_resync_due(state):
            self._volume_changed = False
            if self.mode is CueMode.TONE:
                self._tracker.resync()
        cue = self._tracker.update(state, running)
        if cue is None:
            return
        output = self._ensure_output()
        if output is None:
            return
        output.play(
            cue.stream(volume=self._volume, sample_rate=self.sample_rate), replace=cue.resumed
        )
        self._last_cue = cue
        self._last_cue_remaining_s = state.phase_remaining_s

    def _volume_resync_due(self, state: PacerState) -> bool:
        last = self._last_cue
        if last is None or (last.cycle, last.phase_index) != (state.cycle, state.phase_index):
            return True
        return self._last_cue_remaining_s - state.phase_remaining_s >= VOLUME_RESYNC_S

    def stop(self) -> None:
        """The session is over (or a new one begins): fade out and forget the phase."""
        if self._output is not None:
            self._output.fade_out()
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
        samples = end_chime(volume=self._volume, sample_rate=self.sample_rate)
        output.play(CueStream.of(samples, self.sample_rate), replace=True)

    def _available_again(self) -> None:
        self._running = False
        self._tracker.resync()  # a tone picks up mid-phase on the next running frame

    def _unavailable_text(self, reason: str) -> str:
        return self.unavailable_message
