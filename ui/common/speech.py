"""Speaks guided prompts aloud through QtTextToSpeech, never on the GUI thread.

Speech is a nicety, never a requirement, and a speech engine can hang: libspeechd blocks its
caller for good when the speech daemon deadlocks. So the engine lives in a worker, and the window
only sends it messages and never waits for an answer:

* In the app the worker is a small helper process (``ui.common.speech_worker``) that owns its own
  QTextToSpeech. A process, not a thread, because a thread stuck inside libspeechd can never be
  stopped (nor can the app quit cleanly around it), while a process can be killed. It is started
  once, when speech is first wanted, not once a prompt: it takes 2.5-3 s to find a voice
  (1.3 s of one core, measured on a busy machine) and then holds about 46 MB until the app ends.
* In tests the worker is a QThread that makes its engine (a fake) in that thread.

A watchdog on the GUI side (one QTimer) gives every message a bound: each call must return
within :data:`ANSWER_BOUND_S` (the engine's start within :data:`ENGINE_START_BOUND_S`), each prompt
must be heard starting (its state reaches Speaking) within :data:`START_BOUND_S` and end within the
time it takes at a slow pace. When a bound passes, :class:`Speech` gives up for the rest of the
session: the helper is killed, ``unavailable`` says why (once), ``hung`` asks the screen to
remember it, and ``not_heard`` marks a prompt that was never heard so a chime can stand in.

How the attention screen uses it::

    speech = Speech(parent=screen)
    speech.unavailable.connect(show_note)   # "Spoken prompts unavailable: ..." (at most once)
    speech.not_heard.connect(chime.play)    # a prompt that will not be heard
    speech.hung.connect(remember_it)        # the engine stopped answering
    speech.set_volume(speech_volume(70))
    speech.start()                          # look for a voice now (in the worker)
    speech.say("Notice the breath")         # cuts off whatever was being said
    speech.stop()
    speech.shutdown()                       # the window is closing
"""

from __future__ import annotations

import atexit
import contextlib
import functools
import json
import logging
import os
import sys
from collections import deque
from collections.abc import Callable
from pathlib import Path
from typing import Any, Final, Protocol

from PySide6.QtCore import QObject, QProcess, QProcessEnvironment, QThread, QTimer, Signal, Slot

__all__ = [
    "ENGINE_START_BOUND_S",
    "HUNG_REASON",
    "START_BOUND_S",
    "EngineFactory",
    "ProcessChannel",
    "Speech",
    "SpeechEngine",
    "SpeechServer",
    "SpeechUnavailableError",
    "ThreadChannel",
    "longest_speaking_s",
    "speaking_s",
    "speech_installed",
    "speech_volume",
]

_log = logging.getLogger(__name__)

TEST_ENGINES = frozenset({"mock"})  # Qt's test engine says nothing aloud: not a real voice
CALM_RATE = -0.1  # a touch slower than the engine's normal pace (-1 slowest .. 1 fastest)
MAX_VOLUME: Final = (
    0.45  # the engine at 100 %: espeak-ng via speechd peaks at ~0.73 FS, no clipping
)
VOICE_RANGE_DB: Final = 20.0  # from a whisper at 1 % to MAX_VOLUME at 100 %
START_BOUND_S: Final = 3.0  # a prompt not heard starting within this is not heard at all
ANSWER_BOUND_S: Final = 3.0  # a call to the engine (say, stop, volume) returns within this
ENGINE_START_BOUND_S: Final = 12.0  # helper and daemon start (3-5 s measured, a busy machine)
USUAL_CHARS_PER_S: Final = 13.0  # a calm voice, spaces and commas included
SLOW_CHARS_PER_S: Final = 6.0  # far slower than any voice we set: the longest a prompt may take
FINISH_MARGIN_S: Final = 3.0
KILL_WAIT_MS: Final = 200  # the most the window waits for a killed helper to be gone
HUNG_REASON: Final = "the speech engine stopped answering"
STOPPED_REASON: Final = "the speech engine stopped working"


class SpeechUnavailableError(Exception):
    """No speech can be made; the message is a short reason for the person using the app."""


class SpeechEngine(Protocol):
    """What the worker needs of an engine (QTextToSpeech, or a fake in tests).

    Its ``stateChanged`` and ``errorOccurred`` signals are used where it has them.
    """

    def say(self, text: str) -> None:
        """Start speaking ``text``."""

    def stop(self) -> None:
        """Stop speaking at once."""

    def state(self) -> Any:
        """The engine's state; one named ``Error`` means it cannot speak."""

    def setVolume(self, volume: float) -> None:
        """The loudness, 0..1."""


EngineFactory = Callable[[], SpeechEngine]  # raises SpeechUnavailableError when there is none
Command = dict[str, Any]
Event = dict[str, Any]


def speech_volume(volume_pct: int) -> float:
    """The engine's volume (0..1) for the sound volume ``volume_pct`` (0..100), with headroom.

    Even steps of loudness, as the tone's (linear in decibels; 0 % is silent), but over
    :data:`VOICE_RANGE_DB` rather than the tone's 40 dB: a prompt must stay clear at a volume
    where a background tone is soft (on the tone's curve the default 50 % gave the voice 0.045,
    peaking at 0.06 of full scale: hard to hear). Up to ``MAX_VOLUME`` at 100 %.
    """
    position = max(0, min(100, volume_pct)) / 100
    if position == 0.0:
        return 0.0
    return round(float(MAX_VOLUME * 10.0 ** (VOICE_RANGE_DB * (position - 1.0) / 20.0)), 4)


def speaking_s(text: str) -> float:
    """About how long a calm voice takes to say ``text``."""
    return 0.5 + len(text) / USUAL_CHARS_PER_S


def longest_speaking_s(text: str) -> float:
    """The longest saying ``text`` may take before the engine counts as stuck."""
    return FINISH_MARGIN_S + len(text) / SLOW_CHARS_PER_S


def _state_name(state: object) -> str:
    return str(getattr(state, "name", state))


@functools.cache
def speech_installed() -> bool:
    """Whether a speech engine is installed here (Qt's test engine left out). Only lists the
    engines, without starting one (which may hang): that is left to the worker."""
    try:
        from PySide6.QtTextToSpeech import QTextToSpeech
    except ImportError:
        return False
    return any(name not in TEST_ENGINES for name in QTextToSpeech.availableEngines())


def qt_engine(parent: QObject | None = None) -> SpeechEngine:
    """The first system speech engine that starts (Qt's test engine is left out)."""
    try:
        from PySide6.QtTextToSpeech import QTextToSpeech
    except ImportError as error:
        raise SpeechUnavailableError("the speech library could not be loaded") from error
    names = [name for name in QTextToSpeech.availableEngines() if name not in TEST_ENGINES]
    if not names:
        raise SpeechUnavailableError("no speech engine is installed")
    for name in names:
        engine = QTextToSpeech(name, parent)
        if _state_name(engine.state()) != "Error":
            engine.setRate(CALM_RATE)
            return engine
        _log.info("speech engine %s could not start: %s", name, engine.errorString())
        engine.deleteLater()
    raise SpeechUnavailableError("the speech engine could not start")


# -- the worker's side: calls the engine, wherever the worker runs --------------------------------


class SpeechServer(QObject):
    """Runs commands against the engine in the worker and reports back as events.

    Commands: ``{"op": "init" | "say" | "stop" | "volume", "seq": n, ...}``. Every command is
    answered ``{"ack": n}`` once the engine call has returned; the engine's state changes are
    reported ``{"state": name, "say": n}`` (``n`` the last prompt asked for), and an engine that
    cannot be made ``{"unavailable": reason}``.
    """

    reported = Signal(object)

    def __init__(self, factory: EngineFactory) -> None:
        super().__init__()
        self._factory = factory
        self._engine: SpeechEngine | None = None
        self._saying = 0

    @Slot(object)
    def handle(self, command: Command) -> None:
        """Run one command (in the worker's thread)."""
        op = command.get("op")
        try:
            if op == "init":
                self._init(float(command.get("volume", MAX_VOLUME)))
            elif self._engine is not None:
                if op == "say":
                    self._engine.stop()  # a prompt cut short is stopped before the next starts
                    self._saying = int(command["seq"])
                    self._engine.say(str(command["text"]))
                elif op == "stop":
                    self._engine.stop()
                elif op == "volume":
                    self._engine.setVolume(float(command["value"]))
        except Exception as error:  # a speech fault is reported, never raised
            _log.exception("the speech engine failed at %s", op)
            self.reported.emit({"state": "Error", "say": self._saying, "why": str(error)})
        self.reported.emit({"ack": command.get("seq", 0)})

    def _init(self, volume: float) -> None:
        if self._engine is not None:
            return
        try:
            engine = self._factory()
            if _state_name(engine.state()) == "Error":
                raise SpeechUnavailableError("the speech engine could not start")
            engine.setVolume(volume)
        except SpeechUnavailableError as error:
            self.reported.emit({"unavailable": str(error)})
            return
        except Exception:
            _log.exception("starting speech failed")
            self.reported.emit({"unavailable": "the speech engine could not start"})
            return
        self._engine = engine
        changed = getattr(engine, "stateChanged", None)
        if changed is not None:
            changed.connect(self._on_state)
        failed = getattr(engine, "errorOccurred", None)
        if failed is not None:
            failed.connect(self._on_error)

    def _on_state(self, state: object) -> None:
        self.reported.emit({"state": _state_name(state), "say": self._saying})

    def _on_error(self, *args: object) -> None:
        self.reported.emit({"state": "Error", "say": self._saying})


# -- the window's side: where the worker runs ---------------------------------------------------


class Channel(Protocol):
    """Carries commands to a worker and its events back, never waiting on it."""

    def send(self, command: Command) -> None:
        """Queue ``command`` for the worker."""

    def close(self, *, stuck: bool) -> None:
        """Let the worker go (``stuck``: it stopped answering, so do not wait for it)."""


ChannelFactory = Callable[[Callable[[Event], None]], Channel]

# Workers are kept here until they have ended, so Qt never destroys one still running (a thread
# stuck in an engine runs on until the engine returns), and are ended when the program exits.
_THREADS: list[QThread] = []
_RUNNING: set[ProcessChannel] = set()


@atexit.register
def _end_workers() -> None:
    try:
        for process in list(_RUNNING):
            process.close(stuck=False)
        for thread in _THREADS:
            thread.quit()
            thread.wait(int(ANSWER_BOUND_S * 1000))
    except RuntimeError:  # Qt has already let go of them
        pass
    _THREADS.clear()


class ThreadChannel(QObject):
    """A worker thread owning its own engine (made there by ``factory``): for tests, and for
    engines that cannot hang. A thread stuck in an engine cannot be stopped, only abandoned."""

    _to_server = Signal(object)

    def __init__(
        self,
        factory: EngineFactory,
        on_event: Callable[[Event], None],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._on_event = on_event
        self._closed = False
        self._thread = QThread()
        self._thread.setObjectName("speech")
        _THREADS[:] = [thread for thread in _THREADS if not thread.isFinished()]
        _THREADS.append(self._thread)
        self._server = SpeechServer(factory)
        self._server.moveToThread(self._thread)
        self._to_server.connect(self._server.handle)  # queued: the server lives in the thread
        self._server.reported.connect(self._deliver)  # queued back to this (the GUI) thread
        self._thread.start()

    @property
    def thread_of_engine(self) -> QThread:
        """The worker thread (where the engine is made and called)."""
        return self._thread

    def send(self, command: Command) -> None:
        """Queue ``command`` for the worker thread."""
        if not self._closed:
            self._to_server.emit(command)

    def close(self, *, stuck: bool) -> None:
        """End the thread after its queue; one stuck in the engine ends if the engine returns."""
        self._closed = True
        self._thread.quit()
        if not stuck:
            self._thread.wait(int(ANSWER_BOUND_S * 1000))

    @Slot(object)
    def _deliver(self, event: Event) -> None:
        if not self._closed:
            self._on_event(event)


def _project_root() -> str:
    return str(Path(__file__).resolve().parents[2])


class ProcessChannel(QObject):
    """A helper process owning its own QTextToSpeech, spoken to in JSON lines; it can be killed.

    ``engine`` names another engine factory (``module:function``) for the helper to use.
    """

    def __init__(
        self,
        on_event: Callable[[Event], None],
        parent: QObject | None = None,
        *,
        engine: str | None = None,
    ) -> None:
        super().__init__(parent)
        self._on_event = on_event
        self._buffer = b""
        self._closing = False
        self.process = QProcess(self)
        env = QProcessEnvironment.systemEnvironment()
        paths = [_project_root(), env.value("PYTHONPATH", "")]
        env.insert("PYTHONPATH", os.pathsep.join(p for p in paths if p))
        self.process.setProcessEnvironment(env)
        # ``-m`` puts the working folder first on the helper's path: ours, never the folder the
        # app was started from (a json.py there would be run in place of Python's own).
        self.process.setWorkingDirectory(_project_root())
        arguments = ["-m", "ui.common.speech_worker"] + (["--engine", engine] if engine else [])
        self.process.readyReadStandardOutput.connect(self._read)
        self.process.readyReadStandardError.connect(self._read_errors)
        self.process.errorOccurred.connect(self._on_error)
        self.process.finished.connect(self._on_finished)
        _RUNNING.add(self)
        self.process.start(sys.executable, arguments)

    def send(self, command: Command) -> None:
        """Queue ``command`` for the helper (written when its pipe takes it)."""
        if self.process.state() is not QProcess.ProcessState.NotRunning:
            self.process.write((json.dumps(command) + "\n").encode())

    def close(self, *, stuck: bool) -> None:
        """Kill the helper (it holds nothing worth saving, stuck or not)."""
        self._closing = True
        if self.process.state() is not QProcess.ProcessState.NotRunning:
            self.process.kill()
            self.process.waitForFinished(KILL_WAIT_MS)  # a killed process ends within ms
        if self.process.state() is QProcess.ProcessState.NotRunning:
            _RUNNING.discard(self)

    def _read(self) -> None:
        self._buffer += bytes(self.process.readAllStandardOutput().data())
        *lines, self._buffer = self._buffer.split(b"\n")
        for line in lines:
            try:
                event = json.loads(line)
            except ValueError:
                _log.warning("the speech helper said something odd: %r", line[:200])
                continue
            if isinstance(event, dict) and not self._closing:
                self._on_event(event)

    def _read_errors(self) -> None:
        text = bytes(self.process.readAllStandardError().data()).decode(errors="replace")
        _log.debug("speech helper: %s", text.rstrip())

    def _on_error(self, error: QProcess.ProcessError) -> None:
        if error is QProcess.ProcessError.FailedToStart and not self._closing:
            self._on_event({"unavailable": "the speech helper could not start"})

    def _on_finished(self, code: int, status: QProcess.ExitStatus) -> None:
        QTimer.singleShot(0, lambda: _RUNNING.discard(self))  # let go once out of this signal
        if not self._closing:
            self._on_event({"unavailable": STOPPED_REASON, "exit": code})


def _close_all(channels: list[Channel], *args: object) -> None:
    """Close what a :class:`Speech` left open when it is destroyed (no window closing first)."""
    for channel in channels:
        with contextlib.suppress(RuntimeError):  # already deleted with its parent
            channel.close(stuck=True)
    channels.clear()


def _process_channel(on_event: Callable[[Event], None]) -> Channel:
    return ProcessChannel(on_event)


class Speech(QObject):
    """Says prompts aloud through a worker, or quietly does nothing once speech does not work.

    Nothing here waits on the engine. ``engine_factory`` runs a fake engine in a worker thread
    (tests); ``channel_factory`` chooses the worker outright; by default it is a helper process.
    """

    unavailable = Signal(str)  # the reason in a line for people; emitted at most once
    not_heard = Signal()  # the prompt asked for will not be heard (mark it another way)
    hung = Signal()  # the engine stopped answering (worth remembering at the next start)

    def __init__(
        self,
        parent: QObject | None = None,
        engine_factory: EngineFactory | None = None,
        *,
        channel_factory: ChannelFactory | None = None,
        start_bound_s: float | None = None,
        answer_bound_s: float | None = None,
        engine_start_bound_s: float | None = None,
    ) -> None:
        super().__init__(parent)
        if channel_factory is None and engine_factory is not None:
            factory = engine_factory

            def channel_factory(on_event: Callable[[Event], None]) -> Channel:
                return ThreadChannel(factory, on_event, self)

        self._channel_factory: ChannelFactory = channel_factory or _process_channel
        self._bounds = (  # the module's bounds unless given
            START_BOUND_S if start_bound_s is None else start_bound_s,
            ANSWER_BOUND_S if answer_bound_s is None else answer_bound_s,
            ENGINE_START_BOUND_S if engine_start_bound_s is None else engine_start_bound_s,
        )
        self._channel: Channel | None = None
        self._open: list[Channel] = []  # the channel, for closing it if this goes first
        self.destroyed.connect(functools.partial(_close_all, self._open))
        self._failed = False
        self._volume = MAX_VOLUME
        self._seq = 0
        self._init_seq: int | None = None  # the start asked of the worker, until it answers
        self._unanswered: deque[tuple[int, float]] = deque()  # (seq, bound in s), oldest first
        self._prompt: tuple[int, str] | None = None  # the prompt asked for, not yet ended
        self._heard = False  # whether that prompt was heard starting
        self._watchdog = QTimer(self)
        self._watchdog.setSingleShot(True)
        self._watchdog.timeout.connect(self._on_no_answer)
        self.unavailable_reason = ""

    @property
    def available(self) -> bool:
        """Whether prompts may be spoken (false once speech has turned out not to work)."""
        return not self._failed

    @property
    def unavailable_message(self) -> str:
        """The line shown to the person, or ``""`` while speech works (or was never tried)."""
        return f"Spoken prompts unavailable: {self.unavailable_reason}." if self._failed else ""

    @property
    def ready(self) -> bool:
        """Whether the worker has found its voice and answered everything asked of it: a word
        said now is said at once, not behind a queue (nor behind the engine's 2-5 s start)."""
        return (
            not self._failed
            and self._channel is not None
            and self._init_seq is None
            and not self._unanswered
        )

    @property
    def waiting(self) -> bool:
        """Whether the worker owes an answer or a prompt is under way (the watchdog is set)."""
        return self._watchdog.isActive()

    def start(self) -> None:
        """Look for a voice now, in the worker (the answer comes later; nothing waits)."""
        if self._failed or self._channel is not None:
            return
        try:
            self._channel = self._channel_factory(self._on_event)
            self._open.append(self._channel)
        except Exception:
            _log.exception("starting the speech worker failed")
            self._give_up("the speech engine could not start")
            return
        self._init_seq = self._send({"op": "init", "volume": self._volume}, self._bounds[2])

    def say(self, text: str) -> None:
        """Speak ``text``, cutting off whatever was being said."""
        self.start()
        if self._failed:
            return
        seq = self._send({"op": "say", "text": text}, self._bounds[1])
        self._prompt = (seq, text)  # awaited to start once the worker has answered
        self._heard = False

    def stop(self) -> None:
        """Stop speaking (paused, ended, or turned off)."""
        if self._channel is None or self._failed:
            return
        self._prompt = None
        self._send({"op": "stop"}, self._bounds[1])

    def set_volume(self, volume: float) -> None:
        """The voice's loudness, 0..1 (see :func:`speech_volume`); kept for a later start."""
        volume = max(0.0, min(MAX_VOLUME, volume))
        if volume == self._volume:
            return
        self._volume = volume
        if self._channel is not None and not self._failed:
            self._send({"op": "volume", "value": volume}, self._bounds[1])

    @property
    def volume(self) -> float:
        """The voice's loudness, 0..1."""
        return self._volume

    def decline(self, reason: str) -> None:
        """Do without speech this time, for ``reason``, without touching the engine at all."""
        self._give_up(reason)

    def retry(self) -> None:
        """Forget a failure and try a fresh worker when speech is next wanted."""
        if not self._failed:
            return
        self._failed = False
        self.unavailable_reason = ""

    def shutdown(self) -> None:
        """Let the worker go (the window is closing); a stuck one is killed, not waited for."""
        self._close_channel()

    # -- the watchdog -----------------------------------------------------------------------------

    def _send(self, command: Command, bound_s: float) -> int:
        self._seq += 1
        assert self._channel is not None
        self._channel.send({**command, "seq": self._seq})
        self._unanswered.append((self._seq, bound_s))
        if len(self._unanswered) == 1:
            self._rearm()
        return self._seq

    def _rearm(self) -> None:
        """Set the watchdog for what is awaited now: an answer, then the prompt's start or end."""
        if self._unanswered:
            bound_s = self._unanswered[0][1]
        elif self._prompt is not None and not self._heard:
            bound_s = self._bounds[0]
        elif self._prompt is not None:
            bound_s = longest_speaking_s(self._prompt[1])
        else:
            self._watchdog.stop()
            return
        self._watchdog.start(max(1, round(bound_s * 1000)))

    def _on_event(self, event: Event) -> None:
        if self._failed:
            return
        if "unavailable" in event:
            self._give_up(str(event["unavailable"]))
            return
        if "ack" in event:
            if self._init_seq is not None and int(event["ack"]) >= self._init_seq:
                self._init_seq = None  # the engine has started
            while self._unanswered and self._unanswered[0][0] <= int(event["ack"]):
                self._unanswered.popleft()
                self._rearm()
            return
        state = str(event.get("state", ""))
        if state == "Error":
            self._give_up(STOPPED_REASON)
            return
        prompt = self._prompt
        if prompt is None or event.get("say") != prompt[0]:
            return  # an earlier prompt, cut short or ended
        if state == "Speaking" and not self._heard:
            self._heard = True
            self._rearm()
        elif state in ("Ready", "Paused") and self._heard:  # said to the end (or stopped)
            self._prompt = None
            self._rearm()

    def _on_no_answer(self) -> None:
        _log.warning("the speech engine did not answer in time: giving up on speech")
        self.hung.emit()
        self._give_up(HUNG_REASON, stuck=True)

    def _give_up(self, reason: str, *, stuck: bool = False) -> None:
        if self._failed:
            return
        missed = self._prompt is not None and not self._heard
        self._failed = True
        self.unavailable_reason = reason
        self._close_channel(stuck=stuck)
        self.unavailable.emit(self.unavailable_message)
        if missed:
            self.not_heard.emit()

    def _close_channel(self, *, stuck: bool = False) -> None:
        self._watchdog.stop()
        stuck = stuck or bool(self._unanswered)
        self._unanswered.clear()
        self._init_seq = None
        self._prompt = None
        channel, self._channel = self._channel, None
        self._open.clear()
        if channel is not None:
            channel.close(stuck=stuck)
