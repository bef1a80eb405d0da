"""Sound benchmark: the breathing session's sound as it reaches a (virtual) loudspeaker.

Starts its own PulseAudio in a private temporary folder with one null sink ("rec") as the
default output, records the sink's monitor with ``parec`` (48 kHz mono) and, in a child process,
runs a real breathing session screen offscreen (a fast 4 s in, 6 s out pattern, the real frame
ticker and monotonic clock), with sound "tone", then "chime", then "off" (for the CPU it costs).
Each run has one Pause and Resume and one volume change (70% -> 60%), and the child writes every
frame's pacer state with ``time.monotonic()`` to a log. Then speech: speech-dispatcher with
espeak-ng is started in the same private session, a line said with ``spd-say`` must reach the
sink, and an attention exercise with spoken prompts runs with a working daemon, with one that
is stopped (SIGSTOP) after its first prompt, and with a fake daemon that accepts and never
answers, each bounded by a timeout, to see whether the window keeps painting (the exercise's
clock runs 8 times faster than real time once Begin returns, so its prompts come quickly).

Alignment of the recording to the log: five short 1 kHz marker bursts are played through
``pacat`` (2 ms latency) before the session and five after it, each written at a known
``time.monotonic()``. A burst cannot be heard before it was written, so each gives a bound on
the time of sample 0; the median is taken (``align``; a burst the recorder missed is left out).
They agree within about 12 ms at worst, and ``pacat``'s own delay of a few ms makes the estimate a little early, so times measured from the
log (lags, onsets) may read a few ms short. A first estimate comes from stamping ``parec``'s
10 ms chunks as they arrive (``sound_analysis.recording_start``); the null sink renders a little
ahead, so that one reads about 10 ms early, and both are printed. The monitor has the samples
when the server mixes them; real speakers add the card's own latency.

Each sound runs ``--repeats`` times (2), interleaved; figures per phase change or breath are
pooled over the runs (median and worst), single figures are given for each run, CPU as the
median.

- jump ratio: the largest sample-to-sample step within 20 ms of each phase change as heard
  (the pacer's change plus the median tone lag), over the tone's own largest step elsewhere
  (more than 0.1 s from every change, pause, resume or volume change). About 1: no click.
- >5 kHz: level above 5 kHz (RMS, dBFS) within 20 ms of each change, and its median elsewhere
  while the tone sounds. The tone has nothing there; a click does.
- tone lag: how late the heard pitch follows the pacer, fitted per breath (the pitch's rise and
  fall against the pacer's level on the schedule, least squares); a frame is 17 ms.
- pause to silence / silence after resume: from Pause until the tone falls 20 dB below its
  median level (and stays there), and from Resume until it is heard again.
- volume: the tone's level in the 0.3 s after 70% -> 60% against the 0.3 s before (worst
  20 ms, the loudest), and once settled; a volume linear in amplitude steps 20 log10(60/70) = -1.3 dB.
- quiet at phase changes: silence (1 ms RMS below 0.001) around each change, where one phase's
  tone has faded out (over 30 ms, by design) and the next has not yet faded in.
- chime onset: the start of each chime's attack against its phase change.
- CPU: the child's own CPU seconds per minute of the session (all threads, from
  ``time.process_time``; its frame log is included, alike for every sound), and the sound
  server's (from /proc), with tone, chime and off.
- dropouts: silences of 3 ms or more inside a breath (away from changes, Pause and volume), where
  the output ran dry; a breath with dropouts also plays late.

    python benchmarks/sound.py                      # everything (about 9 minutes)
    python benchmarks/sound.py --repeats 4          # more phase changes: steadier medians
    python benchmarks/sound.py --modes tone --no-speech
    python benchmarks/sound.py --keep               # keep the recordings and logs (path printed)

Needs ``apt-get install pulseaudio pulseaudio-utils`` (and for speech ``speech-dispatcher
espeak-ng``); without them it says so and skips. A measurement, not a test.
"""

from __future__ import annotations

import argparse
import contextlib
import itertools
import json
import math
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Final

import numpy as np
import sound_analysis as sa  # beside this script, which Python puts first on the path

ROOT: Final = Path(__file__).resolve().parent.parent

RATE: Final = 48000  # what the null sink runs at and parec records
INHALE_S: Final = 4.0
EXHALE_S: Final = 6.0
PAUSE_AT_S: Final = 11.5  # practice seconds: mid in-breath of the second breath
PAUSE_FOR_S: Final = 2.5
VOLUME_AT_S: Final = 26.0  # practice seconds: mid out-breath of the third breath
VOLUME_FROM, VOLUME_TO = 70, 60
EDGE_HALF_S: Final = 0.02
CHILD_TIMEOUT_S: Final = 120.0
SPEECH_SPEED: Final = 8.0  # the attention exercise's clock runs this much faster than real time
SPEECH_RUN_S: Final = 30.0  # real seconds each speech case may run before it is stopped
TOOLS: Final = {
    "pulseaudio": "pulseaudio",
    "parec": "pulseaudio-utils",
    "pactl": "pulseaudio-utils",
}
SPEECH_TOOLS: Final = {"speech-dispatcher": "speech-dispatcher", "spd-say": "speech-dispatcher"}


# -- inside the child: a real session screen, logging every frame ---------------------------------


class _NullRecorder:
    """Stands in for the store: nothing is kept, yet the session counts as recorded."""

    def start_session(self, *args: object) -> int:
        return 1

    def checkpoint_session(self, *args: object, **kwargs: object) -> None:
        return None

    def finish_session(self, *args: object, **kwargs: object) -> None:
        return None


class _Log:
    """One JSON object a line, flushed at once (a frozen child leaves what it wrote)."""

    def __init__(self, path: Path) -> None:
        self._file = path.open("w", encoding="utf-8")

    def write(self, **entry: object) -> None:
        self._file.write(json.dumps(entry) + "\n")
        self._file.flush()


def _child_breathing(mode: str, cycles: int, log_path: Path) -> dict[str, Any]:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from trainer.content.breathing import BreathingPattern, Phase, PhaseKind
    from trainer.content.catalog import END_CUE_S, LEAD_IN_S
    from trainer.content.cues import CueMode
    from trainer.session.clock import MonotonicClock
    from trainer.session.machine import Session, SessionPlan, SessionState
    from ui.common.theme import LIGHT, apply_theme
    from ui.common.ticker import FrameTicker
    from ui.practice.session_screen import SessionScreen

    app = QApplication.instance() or QApplication(["sound-benchmark"])
    assert isinstance(app, QApplication)
    apply_theme(app, LIGHT)
    log = _Log(log_path)
    pattern = BreathingPattern(
        [Phase(PhaseKind.INHALE, INHALE_S), Phase(PhaseKind.EXHALE, EXHALE_S)]
    )
    plan = SessionPlan(
        "bench-4-6", "4 in, 6 out", pattern, cycles, lead_in_s=LEAD_IN_S, end_cue_s=END_CUE_S
    )
    session = Session(
        plan,
        clock=MonotonicClock(),
        utc_now=lambda: datetime.now(UTC),
        recorder=_NullRecorder(),
        profile_id=1,
    )
    ticker = FrameTicker()
    screen = SessionScreen(ticker)
    screen.resize(800, 600)
    screen.show()
    screen.volume.setValue(VOLUME_FROM)
    screen.set_sound_mode(CueMode(mode), remember=False)
    notes: list[str] = []
    screen.sound.unavailable.connect(lambda message: notes.append(str(message)))
    done = {"paused": False, "volume": False, "cpu0": 0.0, "wall0": 0.0, "cpu1": 0.0, "wall1": 0.0}

    def event(name: str) -> None:
        log.write(e=name, t=time.monotonic(), p=session.practice_s)

    def resume() -> None:
        event("resume")
        screen.toggle_pause()

    stamp = [0.0, 0.0]

    def before_frame() -> None:
        stamp[0], stamp[1] = time.monotonic(), session.practice_s

    def frame() -> None:
        now, practice = stamp
        state = session.pacer_state_at(practice)
        running = session.state is SessionState.RUNNING
        log.write(t=now, p=practice, i=state.phase_index, c=state.cycle, r=running)
        if practice > 0 and not done["wall0"]:
            done["wall0"], done["cpu0"] = now, time.process_time()
        if practice >= PAUSE_AT_S and not done["paused"]:
            done["paused"] = True
            event("pause")
            screen.toggle_pause()
            QTimer.singleShot(round(PAUSE_FOR_S * 1000), resume)
        elif practice >= VOLUME_AT_S and not done["volume"]:
            done["volume"] = True
            event("volume")
            screen.change_volume(VOLUME_TO - VOLUME_FROM)
        if session.closing and not done["wall1"]:
            done["wall1"], done["cpu1"] = now, time.process_time()

    # Stamped before the screen's own slot (the time and practice seconds the frame shows),
    # written after it (once the frame is drawn and its sound started).
    ticker.tick.disconnect(screen.on_tick)
    ticker.tick.connect(before_frame)
    ticker.tick.connect(screen.on_tick)
    ticker.tick.connect(frame)

    def finished(state: SessionState) -> None:
        if state not in (SessionState.RUNNING, SessionState.PAUSED):
            QTimer.singleShot(1500, app.quit)  # let the end cue ring out

    session.subscribe(finished)
    session.confirm_before(None, None)
    event("begin")
    screen.begin(session)
    app.exec()
    screen.close()
    practice_wall = done["wall1"] - done["wall0"] - PAUSE_FOR_S
    return {
        "mode": mode,
        "cpu_s_per_min": 60
        * (done["cpu1"] - done["cpu0"])
        / max(1e-9, practice_wall + PAUSE_FOR_S),
        "practice_wall_s": practice_wall,
        "notes": notes,
    }


class _FastClock:
    """A monotonic clock that runs faster than real time once told to (prompts come sooner)."""

    def __init__(self) -> None:
        self._speed = 1.0
        self._base = self._since = time.monotonic()

    def speed_up(self, speed: float) -> None:
        self._base, self._since, self._speed = self.now_s(), time.monotonic(), speed

    def now_s(self) -> float:
        return self._base + (time.monotonic() - self._since) * self._speed


def _child_attention(case: str, run_s: float, log_path: Path) -> dict[str, Any]:
    """An attention exercise with spoken prompts through the system's speech engine."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from trainer.content.attention import attention_plan
    from trainer.content.bodymap import load_body_map
    from trainer.content.scripts import load_scripts, resolve
    from trainer.session.machine import Session, SessionState
    from ui.common.theme import LIGHT, apply_theme
    from ui.common.ticker import FrameTicker
    from ui.practice.attention_screen import AttentionScreen

    app = QApplication.instance() or QApplication(["sound-benchmark"])
    assert isinstance(app, QApplication)
    apply_theme(app, LIGHT)
    log = _Log(log_path)
    script = next(s for s in load_scripts() if s.id == "somatic-tracking")
    clock = _FastClock()
    minutes = script.lengths_min[0]
    session = Session(
        attention_plan(script, minutes),
        clock=clock,
        utc_now=lambda: datetime.now(UTC),
        recorder=_NullRecorder(),
        profile_id=1,
    )
    ticker = FrameTicker()
    screen = AttentionScreen(ticker, load_body_map())
    screen.resize(800, 600)
    screen.show()
    screen.set_speak_prompts(True)
    shown = {"note": "", "step": -2}

    def frame() -> None:
        note = screen.note.text() if screen.note.isVisible() else ""
        step = screen.step_index if screen.step_index is not None else -1
        log.write(t=time.monotonic(), p=session.practice_s, s=step, n=note)
        if note != shown["note"] or step != shown["step"]:
            shown["note"], shown["step"] = note, step
            log.write(e="show", t=time.monotonic(), s=step, n=note)

    ticker.tick.connect(frame)
    session.confirm_before(None, None)
    log.write(e="begin", t=time.monotonic())
    screen.begin(session, resolve(script.version(minutes), ("lower_back",), ()))
    log.write(e="begun", t=time.monotonic())
    clock.speed_up(SPEECH_SPEED)  # from here (looking for a voice may take a while at begin)
    QTimer.singleShot(round(run_s * 1000), app.quit)

    def finished(state: SessionState) -> None:
        if state not in (SessionState.RUNNING, SessionState.PAUSED):
            app.quit()

    session.subscribe(finished)
    app.exec()
    log.write(e="end", t=time.monotonic())
    screen.shutdown()
    return {"case": case, "note": screen.note.text() if screen.note.isVisible() else ""}


# -- the parent: the private sound server, the recorder, the children ----------------------------


@dataclass
class Pulse:
    """A private PulseAudio with one null sink, and the environment that reaches it."""

    folder: Path
    env: dict[str, str]
    process: subprocess.Popen[bytes] | None = None
    starts: int = 0

    def start(self) -> None:
        """Start the server (again, if it stopped) and make the null sink the default."""
        runtime = Path(self.env["PULSE_RUNTIME_PATH"])
        for stale in ("native", "pid"):
            (runtime / stale).unlink(missing_ok=True)
        command = [
            "pulseaudio",
            "--daemonize=no",
            "--exit-idle-time=-1",
            "--use-pid-file=no",
            "--log-level=info",  # says why it stops, if it does
            "-n",  # no default.pa: only what is loaded here
            f"--load=module-native-protocol-unix socket={runtime / 'native'} auth-anonymous=1",
            f"--load=module-null-sink sink_name=rec rate={RATE} channels=1",
        ]
        with (self.folder / "pulseaudio.log").open("ab") as server_log:
            self.process = process = subprocess.Popen(
                command,
                env=self.env,
                stdout=server_log,
                stderr=subprocess.STDOUT,
                cwd=self.folder,
                start_new_session=True,
            )
        self.starts += 1
        deadline = time.monotonic() + 15
        while True:
            ready = subprocess.run(
                ["pactl", "info"], env=self.env, capture_output=True, check=False
            )
            if ready.returncode == 0:
                break
            if process.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(
                    "PulseAudio did not start:\n" + (self.folder / "pulseaudio.log").read_text()
                )
            time.sleep(0.2)
        subprocess.run(["pactl", "set-default-sink", "rec"], env=self.env, check=True)
        play_markers(self, 2)  # the first stream after start-up can be held back: warm up

    def stopped(self) -> int | None:
        """The exit code if the server has stopped (it should not), else ``None``."""
        return None if self.process is None else self.process.poll()

    def stop(self) -> None:
        if self.process is not None:
            _stop(self.process)

    def cpu_s(self) -> float:
        """CPU seconds the server has used so far (user + system, from /proc)."""
        assert self.process is not None
        try:
            stat = Path(f"/proc/{self.process.pid}/stat").read_text()
        except OSError:  # it has stopped
            return math.nan
        fields = stat.rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@contextlib.contextmanager
def private_pulse(folder: Path) -> Iterator[Pulse]:
    """Start PulseAudio in ``folder`` (socket, cookie and state all inside it); stop it after."""
    runtime = folder / "pulse"
    runtime.mkdir(parents=True)
    env = {
        **os.environ,
        "XDG_RUNTIME_DIR": str(folder),
        "PULSE_RUNTIME_PATH": str(runtime),
        "PULSE_SERVER": f"unix:{runtime / 'native'}",
        "HOME": str(folder),
    }
    env.pop("DBUS_SESSION_BUS_ADDRESS", None)
    pulse = Pulse(folder, env)
    try:
        pulse.start()
        yield pulse
    finally:
        pulse.stop()


def _stop(process: subprocess.Popen[Any], grace_s: float = 5.0) -> None:
    """End ``process`` (and its group, if it leads one: a daemon's helpers go with it)."""
    group = os.getpgid(process.pid) == process.pid if process.poll() is None else False
    for sig, wait_s in ((signal.SIGTERM, grace_s), (signal.SIGKILL, 5.0)):
        if process.poll() is not None:
            break
        with contextlib.suppress(ProcessLookupError):
            if group:
                os.killpg(process.pid, sig)
            else:
                process.send_signal(sig)
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(wait_s)
    if group:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)  # helpers left behind by the leader


def sweep(folder: Path) -> list[int]:
    """Kill (by id) any process still running in this private session, such as a speech
    daemon the app started for itself; their ids."""
    mark = f"XDG_RUNTIME_DIR={folder}".encode()
    killed = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            if mark in (entry / "environ").read_bytes().split(b"\0"):
                os.kill(int(entry.name), signal.SIGKILL)
                killed.append(int(entry.name))
        except (OSError, ProcessLookupError):
            continue
    return killed


class Recording:
    """``parec`` of the null sink's monitor to a file, each chunk stamped as it arrives."""

    def __init__(self, pulse: Pulse, path: Path) -> None:
        self.path = path
        self.stamps: list[tuple[float, int]] = []
        self._bytes = 0
        self._process = subprocess.Popen(
            [
                "parec",
                "-d",
                "rec.monitor",
                "--raw",
                "--format=s16le",
                f"--rate={RATE}",
                "--channels=1",
                "--latency-msec=10",
            ],
            env=pulse.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
        self._thread = threading.Thread(target=self._read, daemon=True)
        self._thread.start()

    def _read(self) -> None:
        assert self._process.stdout is not None
        fd = self._process.stdout.fileno()
        with self.path.open("wb") as out:
            while chunk := os.read(fd, 65536):
                now = time.monotonic()
                out.write(chunk)
                self._bytes += len(chunk)
                self.stamps.append((now, self._bytes // 2))

    def stop(self) -> tuple[np.ndarray[Any, np.dtype[np.float64]], float, float]:
        """Stop; the samples in -1..1, the monotonic time of the first and its uncertainty."""
        deadline = time.monotonic() + 5
        while not self.stamps and time.monotonic() < deadline:
            time.sleep(0.05)  # parec has not delivered its first chunk yet
        _stop(self._process)
        self._thread.join(5)
        if not self.stamps:  # nothing came (the server went away)
            return np.zeros(0), math.nan, math.nan
        raw = np.frombuffer(self.path.read_bytes()[: 2 * (self._bytes // 2)], dtype="<i2")
        start, spread = sa.recording_start(self.stamps, RATE)
        return raw.astype(np.float64) / 32768.0, start, spread


def play_markers(pulse: Pulse, count: int = 5, gap_s: float = 0.25) -> list[float]:
    """Play ``count`` short 1 kHz bursts through ``pacat`` (2 ms latency) into a stream that has
    run dry, so each starts as soon as it is written; the monotonic times they were written."""
    n = round(0.01 * RATE)
    fade = np.sin(np.linspace(0, np.pi / 2, round(0.002 * RATE))) ** 2
    shape = np.ones(n)
    shape[: fade.size], shape[-fade.size :] = fade, fade[::-1]
    burst = (0.5 * 32767 * shape * np.sin(2 * np.pi * 1000 * np.arange(n) / RATE)).astype("<i2")
    player = subprocess.Popen(
        [
            "pacat",
            "--playback",
            "--raw",
            "--format=s16le",
            f"--rate={RATE}",
            "--channels=1",
            "--latency-msec=2",
            "-d",
            "rec",
        ],
        env=pulse.env,
        stdin=subprocess.PIPE,
    )
    assert player.stdin is not None
    written = []
    time.sleep(0.4)
    try:
        for _ in range(count):
            time.sleep(gap_s)
            written.append(time.monotonic())
            player.stdin.write(burst.tobytes())
            player.stdin.flush()
        time.sleep(gap_s)
        player.stdin.close()
    except BrokenPipeError:  # the server went away: the run will say so
        written = written[:-1]
    _stop(player)
    return written


def align(
    x: np.ndarray[Any, np.dtype[np.float64]], chunk_start: float, markers: list[float]
) -> tuple[float, float, float, int]:
    """The monotonic time of sample 0 from the marker bursts, how it differs from the chunk
    arrivals' estimate and how widely the markers disagree (both in ms), and how many were
    found.

    A burst cannot be heard before it was written, so sample 0 is no earlier than (written -
    heard) for each; the median of these bounds is taken (the playing program's own delay of a
    few ms makes each a little low).
    """
    bounds = []
    for written in markers:
        expected = written - chunk_start  # where the chunk arrivals put it
        window = x[round((expected - 0.05) * RATE) : round((expected + 0.05) * RATE)]
        if expected < 0.05 or window.size == 0 or float(np.max(np.abs(window))) < 0.2:
            continue  # not recorded (the recorder started late) or not found
        (delay,) = sa.onset_delays(x, RATE, [expected], 0.05, 0.05)
        if math.isfinite(delay):
            bounds.append(chunk_start - delay)
    if not bounds:
        return chunk_start, math.nan, math.nan, 0
    best = statistics.median(bounds)  # a marker held up in the server would only pull it lower
    return best, 1000 * (best - chunk_start), 1000 * (max(bounds) - min(bounds)), len(bounds)


def _run_child(
    args: list[str], env: dict[str, str], timeout_s: float
) -> tuple[dict[str, Any] | None, str]:
    """Run this script as a child; its JSON result (``None`` if it hung or failed) and stderr."""
    command = [sys.executable, str(Path(__file__).resolve()), *args]
    child_env = {**env, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)}
    child_env["HOME"] = os.environ.get("HOME", "/root")  # Qt's caches, not the daemons' folder
    process = subprocess.Popen(
        command, env=child_env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        out, err = process.communicate(timeout=timeout_s)
    except subprocess.TimeoutExpired:
        process.kill()
        out, err = process.communicate()
        return None, err
    lines = [line for line in out.splitlines() if line.startswith("{")]
    if process.returncode != 0 or not lines:
        return None, err
    return dict(json.loads(lines[-1])), err


def _read_log(path: Path) -> tuple[list[dict[str, Any]], dict[str, list[dict[str, Any]]]]:
    frames: list[dict[str, Any]] = []
    events: dict[str, list[dict[str, Any]]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            entry = json.loads(line)
        except json.JSONDecodeError:  # the last line of a killed child
            continue
        if "e" in entry:
            events.setdefault(entry["e"], []).append(entry)
        else:
            frames.append(entry)
    return frames, events


# -- analysis of one breathing run ----------------------------------------------------------------


@dataclass
class Timeline:
    """The pacer's schedule in recording seconds, from the child's frame log."""

    frames_t: np.ndarray[Any, np.dtype[np.float64]]  # recording seconds of each running frame
    frames_p: np.ndarray[Any, np.dtype[np.float64]]  # practice seconds at that frame
    changes: list[float] = field(default_factory=list)  # phase changes on the schedule
    shown: list[float] = field(default_factory=list)  # the first frame showing each

    def practice_at(
        self, t: np.ndarray[Any, np.dtype[np.float64]]
    ) -> np.ndarray[Any, np.dtype[np.float64]]:
        """Practice seconds at recording times ``t`` (NaN while paused or outside practice)."""
        index = np.clip(np.searchsorted(self.frames_t, t, side="right") - 1, 0, None)
        practice = self.frames_p[index] + (t - self.frames_t[index])
        following = np.minimum(index + 1, self.frames_t.size - 1)
        gap = self.frames_t[following] - self.frames_t[index]
        bad = (t < self.frames_t[0]) | (t > self.frames_t[-1]) | (gap > 0.1) | (practice <= 0)
        return np.where(bad, np.nan, practice)


def _timeline(frames: list[dict[str, Any]], start: float) -> Timeline:
    cycle_s = INHALE_S + EXHALE_S
    running = [f for f in frames if f["r"] and f["p"] > 0]
    t = np.array([f["t"] - start for f in running])
    p = np.array([f["p"] for f in running])
    line = Timeline(t, p)
    last_p = float(p[-1])
    boundary = INHALE_S
    while boundary < last_p:
        first = int(np.searchsorted(p, boundary))
        line.changes.append(float(t[first] - (p[first] - boundary)))
        line.shown.append(float(t[first]))
        boundary += EXHALE_S if boundary % cycle_s == INHALE_S else INHALE_S
    return line


def _expected_pitch(line: Timeline) -> sa.PitchCurve:
    from trainer.content.audio import pitch_hz
    from trainer.content.breathing import BreathingPattern, Phase, PhaseKind

    pattern = BreathingPattern(
        [Phase(PhaseKind.INHALE, INHALE_S), Phase(PhaseKind.EXHALE, EXHALE_S)]
    )
    grid = np.arange(0.0, float(line.frames_p[-1]) + 1.0, 0.001)
    hz = np.array([pitch_hz(pattern.state_at(float(g)).level) for g in grid])

    def expected(t: np.ndarray[Any, np.dtype[np.float64]]) -> np.ndarray[Any, np.dtype[np.float64]]:
        practice = line.practice_at(t)
        return np.where(np.isnan(practice), np.nan, np.interp(practice, grid, hz))

    return expected


def analyse_breathing(
    mode: str,
    recorded: np.ndarray[Any, np.dtype[np.float64]],
    start: float,
    frames: list[dict[str, Any]],
    events: dict[str, list[dict[str, Any]]],
) -> dict[str, Any]:
    """The figures of one run (see the module's docstring)."""
    line = _timeline(frames, start)
    at = {name: entries[0]["t"] - start for name, entries in events.items()}
    out: dict[str, Any] = {"changes": len(line.changes)}
    if mode == "off":
        return out
    first_frame = float(line.frames_t[0])
    last_frame = float(line.frames_t[int(np.argmax(line.frames_p))])  # the last breath ends
    x = recorded.copy()  # the session alone: the marker bursts before and after are cut out
    x[: max(0, round((at["begin"] - 0.1) * RATE))] = 0.0
    x[round((last_frame + 3.0) * RATE) :] = 0.0
    out["start_delay_ms"] = 1000 * sa.first_sound_after(x, RATE, first_frame - 0.2, 1e-3) - 200
    if mode == "chime":
        found = sa.onset_delays(x, RATE, line.changes)
        pairs = [(c, s, d) for c, s, d in zip(line.changes, line.shown, found, strict=True)]
        out["chime_ms"] = [1000 * d for _, _, d in pairs if math.isfinite(d)]
        out["chime_shown_ms"] = [1000 * (c + d - s) for c, s, d in pairs if math.isfinite(d)]
        heard = [c + d for c, _, d in pairs if math.isfinite(d)]
        near, elsewhere = sa.band_levels(x, RATE, heard, EDGE_HALF_S, sounding_rms=1e-3)
        out["hf_near"], out["hf_elsewhere"] = near, elsewhere
        return out

    # The tone: lag per breath first (it places the changes as heard).
    expected = _expected_pitch(line)
    skip = (at["pause"] - 0.5, at["resume"] + 0.5 * EXHALE_S)
    lags = []
    bounds = [first_frame, *line.changes]
    for a, b in itertools.pairwise(bounds):
        if b > skip[0] and a < skip[1]:
            continue  # the breath with the pause in it
        lag = sa.pitch_delay(x, RATE, a + 0.15, b, expected)
        if math.isfinite(lag):
            lags.append(lag)
    lag = statistics.median(lags) if lags else 0.0
    out["lag_ms"] = [1000 * v for v in lags]
    heard = [c + lag for c in line.changes]
    volume = at["volume"] + lag
    away = [*heard, at["pause"], at["resume"], volume]
    inside = x[round(first_frame * RATE) : round(last_frame * RATE)]
    out["own_jump"] = sa.own_largest_jump(inside, RATE, [a - first_frame for a in away])
    out["jumps"] = [sa.largest_jump(x, RATE, h, EDGE_HALF_S) for h in heard]
    own = out["own_jump"]
    out["jump_ratios"] = [j / own for j in out["jumps"]] if own > 0 else []
    near, elsewhere = sa.band_levels(x, RATE, heard, EDGE_HALF_S, sounding_rms=1e-3)
    out["hf_near"], out["hf_elsewhere"] = near, elsewhere
    env, _ = sa.envelope(inside, RATE, 0.005)
    sounding = env[env > 1e-3]
    threshold = 0.1 * float(np.median(sounding)) if sounding.size else 1e-3
    gaps = [(first_frame + g, n) for g, n in sa.silent_gaps(inside, RATE, 1e-3)]
    after_pause = [h for h in heard if at["pause"] < h][:1]  # the tone comes back here
    out["gap_ms"] = [
        1000 * sum(n for g, n in gaps if g < h + 0.06 and g + n > h - 0.06)
        for h in heard
        if h not in after_pause
    ]
    out["dropouts_ms"] = [
        1000 * n
        for g, n in gaps
        if all(abs(g - e) > 0.1 for e in away) and not at["pause"] < g < at["resume"] + 5
    ]
    out["pause_to_silence_ms"] = 1000 * sa.silent_after(x, RATE, at["pause"], threshold)
    out["silence_after_resume_ms"] = 1000 * sa.first_sound_after(x, RATE, at["resume"], threshold)
    before = sa.level_dbfs(x[round((volume - 0.35) * RATE) : round((volume - 0.05) * RATE)])
    env20, step20 = sa.envelope(x, RATE, 0.02)
    first = round(volume / step20)
    window = env20[first : first + round(0.3 / step20)]
    changed = [20 * math.log10(max(float(v), sa.QUIET)) - before for v in window]
    out["volume_first_db"] = max(changed) if changed else math.nan  # the loudest 20 ms
    out["volume_gap_ms"] = 1000 * sum(
        n for g, n in gaps if g < volume + 0.3 and g + n > volume - 0.05
    )
    out["volume_settled_db"] = (
        sa.level_dbfs(x[round((volume + 0.45) * RATE) : round((volume + 0.75) * RATE)]) - before
    )
    return out


# -- speech ---------------------------------------------------------------------------------------


@contextlib.contextmanager
def speech_daemon(pulse: Pulse) -> Iterator[subprocess.Popen[bytes]]:
    """speech-dispatcher (espeak-ng, PulseAudio output) in the private session."""
    config = pulse.folder / "speechd"
    shutil.copytree("/etc/speech-dispatcher", config, dirs_exist_ok=True)
    with (config / "speechd.conf").open("a", encoding="utf-8") as conf:
        conf.write('\nAudioOutputMethod "pulse"\nDefaultModule espeak-ng\n')
    process = subprocess.Popen(
        ["speech-dispatcher", "-s", "-t", "0", "-C", str(config), "-L", str(pulse.folder)],
        env=pulse.env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        cwd=pulse.folder,
        start_new_session=True,
    )
    sock = pulse.folder / "speech-dispatcher" / "speechd.sock"
    deadline = time.monotonic() + 10
    while not sock.exists() and time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.1)
    try:
        yield process
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.kill(process.pid, signal.SIGCONT)
        _stop(process)


@contextlib.contextmanager
def silent_daemon(pulse: Pulse) -> Iterator[None]:
    """A fake speech-dispatcher socket that accepts connections and never answers."""
    folder = pulse.folder / "speech-dispatcher"
    folder.mkdir(exist_ok=True)
    path = folder / "speechd.sock"
    path.unlink(missing_ok=True)
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(str(path))
    server.listen(8)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        server.settimeout(0.2)
        while not stop.is_set():
            with contextlib.suppress(TimeoutError, OSError):
                held.append(server.accept()[0])  # read nothing, answer nothing

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(2)
        for connection in held:
            connection.close()
        server.close()
        path.unlink(missing_ok=True)


def speech_line(pulse: Pulse, folder: Path) -> dict[str, Any]:
    """``spd-say`` one line: did it reach the sink, how loud, and how many samples clipped."""
    recording = Recording(pulse, folder / "spd-say.raw")
    time.sleep(0.3)
    said = subprocess.run(
        ["spd-say", "-w", "Let your shoulders soften as you breathe out."],
        env=pulse.env,
        capture_output=True,
        timeout=20,
        check=False,
    )
    time.sleep(0.3)
    x, _, _ = recording.stop()
    env, _ = sa.envelope(x, RATE, 0.02)
    floor = float(np.quantile(env, 0.05)) if env.size else 0.0
    voiced = env[env > 1e-3]
    return {
        "ok": said.returncode == 0,
        "voiced_s": voiced.size * 0.02,
        "rms_db": 20 * math.log10(max(float(np.sqrt(np.mean(voiced**2))), sa.QUIET))
        if voiced.size
        else -math.inf,
        "floor_db": 20 * math.log10(max(floor, sa.QUIET)),
        "peak": float(np.max(np.abs(x))) if x.size else 0.0,
        "clipped": int(np.sum(np.abs(x) >= 32767 / 32768)),
    }


def speech_case(pulse: Pulse, folder: Path, case: str, stop_after_first: Any) -> dict[str, Any]:
    """Run the attention exercise with spoken prompts; frame gaps and what the screen showed."""
    log = folder / f"attention-{case}.jsonl"
    recording = Recording(pulse, folder / f"attention-{case}.raw")
    result: dict[str, Any] = {"case": case}
    stopper: threading.Thread | None = None
    if stop_after_first is not None:
        stopper = threading.Thread(target=stop_after_first, args=(log,), daemon=True)
        stopper.start()
    started = time.monotonic()
    child, err = _run_child(
        ["--child-attention", case, "--log", str(log), "--run-s", str(SPEECH_RUN_S)],
        pulse.env,
        SPEECH_RUN_S + 15,
    )
    result["wall_s"] = time.monotonic() - started
    x, start, _ = recording.stop()
    frames, events = _read_log(log) if log.exists() else ([], {})
    result["ended"] = child is not None
    result["stderr"] = err.strip().splitlines()[-3:] if child is None else []
    times = [f["t"] for f in frames]
    begin = events.get("begin", [{"t": started}])[0]["t"]
    begun = events.get("begun", [{"t": math.nan}])[0]["t"]
    killed_at = started + result["wall_s"]
    result["begin_s"] = begun - begin if math.isfinite(begun) else killed_at - begin
    result["begin_done"] = math.isfinite(begun)
    gaps = [b - a for a, b in itertools.pairwise(times)]
    if child is None and times:  # frozen: from its last frame to the kill counts too
        gaps.append(killed_at - times[-1])
    result["frames"] = len(frames)
    result["longest_gap_s"] = max(gaps) if gaps else result["begin_s"]
    result["prompts"] = sorted({f["s"] for f in frames if f["s"] >= 0})
    shows = events.get("show", [])
    result["notes"] = sorted({s["n"] for s in shows if s["n"]})
    env, step = sa.envelope(x, RATE, 0.02)
    result["speech_heard_s"] = float(np.sum(env > 1e-3) * step)
    result["peak"] = float(np.max(np.abs(x))) if x.size else 0.0
    result["clipped"] = int(np.sum(np.abs(x) >= 32767 / 32768))
    del start
    return result


def run_speech(pulse: Pulse, folder: Path) -> list[dict[str, Any]]:
    """The spd-say line, then the attention exercise with a working, a stopped and a mute daemon."""
    results: list[dict[str, Any]] = []
    with speech_daemon(pulse) as daemon:
        line = speech_line(pulse, folder)
        line["case"] = "spd-say"
        results.append(line)
        results.append(speech_case(pulse, folder, "working", None))

        def stop_daemon(log: Path) -> None:
            """SIGSTOP the daemon once the first prompt is on screen (it was asked to speak)."""
            deadline = time.monotonic() + SPEECH_RUN_S
            while time.monotonic() < deadline:
                if log.exists() and '"s": 0' in log.read_text(encoding="utf-8"):
                    time.sleep(0.5)
                    os.kill(daemon.pid, signal.SIGSTOP)
                    return
                time.sleep(0.05)

        results.append(speech_case(pulse, folder, "stopped", stop_daemon))
        os.kill(daemon.pid, signal.SIGCONT)
    with silent_daemon(pulse):
        results.append(speech_case(pulse, folder, "mute", None))
    return results


# -- printing -------------------------------------------------------------------------------------


def _median_worst(values: list[float], worst: Callable[[list[float]], float] = max) -> str:
    if not values:
        return "n/a"
    return f"{statistics.median(values):.2f} / {worst(values):.2f}"


def _each(values: list[float], form: str) -> str:
    """Each run's value, in run order ("never" for infinity)."""
    return ", ".join("never" if math.isinf(v) else form.format(v) for v in values)


def print_breathing(results: dict[str, dict[str, Any]]) -> None:
    """The sound figures, one block per mode."""
    tone = results.get("tone")
    if tone is not None and "jumps" in tone:
        ratios = tone["jump_ratios"]
        print("\ntone")
        print(f"  phase changes measured          {len(tone['jumps'])} in {tone['runs']} runs")
        print(
            f"  start of the first breath       {_each(tone['start_delay_ms_all'], '{:.0f}')} ms "
            "after the pacer"
        )
        print(f"  tone's own largest jump         {tone['own_jump']:.4f} of full scale")
        print(
            f"  jump at phase changes           {_median_worst(tone['jumps'])} of full scale "
            f"(median / worst)"
        )
        print(f"  jump ratio at phase changes     {_median_worst(ratios)} (about 1: no click)")
        print(f"  quiet at phase changes          {_median_worst(tone['gap_ms'])} ms")
        drops = tone["dropouts_ms"]
        print(
            f"  dropouts within a breath        {len(drops)}"
            + (f" (longest {max(drops):.0f} ms)" if drops else "")
        )
        print(
            f"  >5 kHz near changes             {_median_worst(tone['hf_near'])} dBFS "
            f"(elsewhere {tone['hf_elsewhere']:.0f} dBFS)"
        )
        print(
            f"  tone lag behind the pacer       {_median_worst(tone['lag_ms'])} ms "
            f"({len(tone['lag_ms'])} breaths)"
        )
        print(
            f"  Pause to silence                {_each(tone['pause_to_silence_ms_all'], '{:.0f}')} ms"
        )
        print(
            f"  silence after Resume            "
            f"{_each(tone['silence_after_resume_ms_all'], '{:.0f}')} ms"
        )
        expected = 20 * math.log10(VOLUME_TO / VOLUME_FROM)
        print(
            f"  volume {VOLUME_FROM}% -> {VOLUME_TO}%              first 0.3 s "
            f"loudest {_each(tone['volume_first_db_all'], '{:+.1f}')} dB, silent "
            f"{_each(tone['volume_gap_ms_all'], '{:.0f}')} ms; settled "
            f"{_each(tone['volume_settled_db_all'], '{:+.1f}')} dB (a linear scale gives {expected:+.1f} dB)"
        )
    chime = results.get("chime")
    if chime is not None and "chime_ms" in chime:
        worst = max(chime["chime_ms"], key=abs) if chime["chime_ms"] else math.nan
        print("\nchime")
        print(
            f"  chime onsets after the change   median {statistics.median(chime['chime_ms']):.1f} ms, "
            f"worst {worst:.1f} ms ({len(chime['chime_ms'])} of {sum(chime['changes_all'])} changes)"
        )
        shown = chime["chime_shown_ms"]
        print(
            f"  ... after the frame showing it  median {statistics.median(shown):.1f} ms, "
            f"worst {max(shown, key=abs):.1f} ms"
        )
        print(
            f"  >5 kHz at onsets                {_median_worst(chime['hf_near'])} dBFS "
            f"(elsewhere while ringing {chime['hf_elsewhere']:.0f} dBFS)"
        )
    print("\nCPU (seconds per minute of practice: the app's process / the sound server; median)")
    for mode, result in results.items():
        each = _each(result.get("cpu_s_per_min_all", []), "{:.2f}")
        print(
            f"  {mode:6} {result['cpu_s_per_min']:6.2f} / {result['server_cpu_s_per_min']:5.2f}"
            f"   (the app in each run: {each})"
        )


def print_speech(results: list[dict[str, Any]]) -> None:
    """The speech figures."""
    print("\nspeech (speech-dispatcher + espeak-ng)")
    for r in results:
        if r["case"] == "spd-say":
            heard = r["ok"] and r["rms_db"] > r["floor_db"] + 20
            print(
                f"  spd-say, one line:  {'reached the sink' if heard else 'NOT heard'}, "
                f"{r['voiced_s']:.1f} s at {r['rms_db']:.0f} dBFS RMS (floor {r['floor_db']:.0f}), "
                f"peak {r['peak']:.2f}, {r['clipped']} clipped samples"
            )
            continue
        name = {
            "working": "working daemon",
            "stopped": "daemon stopped (SIGSTOP) after the first prompt",
            "mute": "fake daemon that never answers",
        }[r["case"]]
        began = f"{r['begin_s']:.2f} s" if r["begin_done"] else f"never (> {r['begin_s']:.0f} s)"
        state = "ran to the end" if r["ended"] else "FROZEN, killed at the timeout"
        notes = "; ".join(r["notes"]) if r["notes"] else "no note"
        print(f"  {name}:")
        print(
            f"    {state}; Begin took {began}; longest gap between frames "
            f"{r['longest_gap_s']:.2f} s over {r['frames']} frames"
        )
        print(
            f"    prompts shown {len(r['prompts'])}, sound heard {r['speech_heard_s']:.1f} s "
            f"(peak {r['peak']:.2f}, {r['clipped']} clipped samples); "
            f"note on screen: {notes}"
        )


def run_breathing(
    pulse: Pulse, folder: Path, mode: str, cycles: int, repeat: int
) -> dict[str, Any] | None:
    """One breathing session with sound ``mode``, recorded and analysed (``None`` if it failed)."""
    log = folder / f"{mode}-{repeat + 1}.jsonl"
    recording = Recording(pulse, folder / f"{mode}-{repeat + 1}.raw")
    markers = play_markers(pulse)
    server0 = pulse.cpu_s()
    child, err = _run_child(
        ["--child", mode, "--cycles", str(cycles), "--log", str(log)], pulse.env, CHILD_TIMEOUT_S
    )
    server1 = pulse.cpu_s()
    markers += play_markers(pulse)
    x, chunk_start, spread = recording.stop()
    code = pulse.stopped()
    if code is not None:
        print(
            f"\n{mode}: the sound server stopped during the run (exit code {code}; see "
            "pulseaudio.log with --keep); this run is left out and the server started again"
        )
        pulse.start()
        return None
    start, shift_ms, marker_spread_ms, found = align(x, chunk_start, markers)
    if child is None:
        print(f"\n{mode}: the run failed\n{err}")
        return None
    frames, events = _read_log(log)
    result = analyse_breathing(mode, x, start, frames, events)
    wall = frames[-1]["t"] - frames[0]["t"] + PAUSE_FOR_S
    result["cpu_s_per_min"] = child["cpu_s_per_min"]
    result["server_cpu_s_per_min"] = 60 * (server1 - server0) / wall
    result["alignment_ms"] = 1000 * spread
    result["marker_shift_ms"] = shift_ms
    result["marker_spread_ms"] = marker_spread_ms
    result["markers_found"] = found
    if child["notes"]:
        print(f"{mode}: the screen said: {'; '.join(child['notes'])}")
    return result


def merge(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """Several runs of one mode as one: lists (one value per phase change or breath) pooled,
    single figures as their median, with every run's value kept under ``<key>_all``."""
    merged: dict[str, Any] = {"runs": len(runs)}
    for key, first in runs[0].items():
        values = [run[key] for run in runs if key in run]
        if isinstance(first, list):
            merged[key] = [v for run_values in values for v in run_values]
        else:
            merged[key] = statistics.median(values)
            merged[f"{key}_all"] = values
    return merged


def main() -> None:
    """Run the sound and speech measurements and print the figures."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--modes", default="tone,chime,off")
    parser.add_argument("--cycles", type=int, default=4, help="breaths of 10 s per run (3 or more)")
    parser.add_argument("--repeats", type=int, default=2, help="runs of each sound (pooled)")
    parser.add_argument("--no-speech", action="store_true")
    parser.add_argument("--keep", action="store_true", help="keep recordings and logs")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--child-attention", help=argparse.SUPPRESS)
    parser.add_argument("--log", help=argparse.SUPPRESS)
    parser.add_argument("--run-s", type=float, default=SPEECH_RUN_S, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.cycles * (INHALE_S + EXHALE_S) < VOLUME_AT_S + 1:
        parser.error(f"--cycles must be at least 3 (the volume changes at {VOLUME_AT_S:g} s)")
    if args.child:
        print(json.dumps(_child_breathing(args.child, args.cycles, Path(args.log))))
        return
    if args.child_attention:
        print(json.dumps(_child_attention(args.child_attention, args.run_s, Path(args.log))))
        return

    missing = sorted({package for tool, package in TOOLS.items() if shutil.which(tool) is None})
    if missing:
        print(f"skipped: no sound server here (apt-get install {' '.join(missing)})")
        return
    speech = not args.no_speech
    missing_speech = sorted(
        {p for tool, p in SPEECH_TOOLS.items() if shutil.which(tool) is None}
        | ({"espeak-ng"} if shutil.which("espeak-ng") is None else set())
    )
    if speech and missing_speech:
        print(f"speech skipped (apt-get install {' '.join(missing_speech)})")
        speech = False

    folder = Path(tempfile.mkdtemp(prefix="sound-bench-"))
    try:
        with private_pulse(folder) as pulse:
            print(
                f"PulseAudio null sink {RATE} Hz mono, recorded with parec; {args.repeats} runs of "
                f"each sound, {args.cycles} breaths "
                f"of {INHALE_S:g} s in, {EXHALE_S:g} s out, Pause for {PAUSE_FOR_S:g} s at "
                f"{PAUSE_AT_S:g} s, volume {VOLUME_FROM}% -> {VOLUME_TO}% at {VOLUME_AT_S:g} s"
            )
            runs: dict[str, list[dict[str, Any]]] = {}
            modes = [m for m in args.modes.split(",") if m]
            for repeat in range(args.repeats):
                for mode in modes:  # interleaved, so a busy spell falls on every mode alike
                    result = run_breathing(pulse, folder, mode, args.cycles, repeat)
                    if result is not None:
                        runs.setdefault(mode, []).append(result)
            results = {mode: merge(mode_runs) for mode, mode_runs in runs.items()}
            for mode, r in results.items():
                print(
                    f"alignment ({mode}): in each run {min(r['markers_found_all'])} or more of 10 "
                    "marker bursts agree within "
                    f"{max(r['marker_spread_ms_all']):.1f} ms and place sample 0 "
                    f"{min(r['marker_shift_ms_all']):+.1f} to {max(r['marker_shift_ms_all']):+.1f} ms "
                    f"from the chunk arrivals (whose spread is up to "
                    f"{max(r['alignment_ms_all']):.1f} ms)"
                )
            if results:
                print_breathing(results)
            if speech:
                if pulse.stopped() is not None:
                    pulse.start()
                print_speech(run_speech(pulse, folder))
            if pulse.starts > 1:
                print(
                    f"\nthe sound server stopped and was started again {pulse.starts - 1} time(s)"
                )
            print(
                "\nload average (1, 5, 15 min) at the end: "
                + ", ".join(f"{v:.1f}" for v in os.getloadavg())
                + f" on {os.cpu_count()} cores (dropouts and lag grow with it)"
            )
    finally:
        strays = sweep(folder)
        if strays:
            print(f"\nstopped {len(strays)} process(es) left in the private session: {strays}")
        if args.keep:
            print(f"\nrecordings and logs kept in {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
