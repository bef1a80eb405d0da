"""Pacer benchmark: frames/s, frame intervals, paint time, CPU and lag for each pacer visual.

Each visual runs in a real session screen at 800x600 with the real FrameTicker and a real
MonotonicClock, in a fresh process, offscreen and (when ``xvfb-run`` is installed) on an X server
(whose own CPU time is not counted). The session is box breathing (4-4-4-4), so holds are
included. Figures are medians over the repeats.

- frames/s: paints of the pacer per second while its picture changes (the column stands still
  during holds and rightly paints nothing then, so that time is left out for it).
- frame interval: time between consecutive paints (for the column, not across a hold).
- paint: wall time inside the visual's paintEvent.
- CPU: process CPU time over wall time, in % of one core, everything in the process included;
  measured in a run of its own without the timing hooks used for the other figures.
- lag: at every paint, the level the visual drew (recovered from the shape it drew) against the
  pure function at the clock time of the paint, as how many frames ago the schedule showed it
  (99th percentile, median over runs / worst of all runs), in frames of 1/60 s.
- 10-min lag: a 10-minute session replayed with a fake clock stepping 1/60 s and a real paint per
  frame; the drawn level is checked after every frame, painted or not.

    python benchmarks/pacer.py [--seconds 10] [--repeats 3] [--sim-minutes 10]
                               [--platforms offscreen,xvfb] [--visuals circle,column,wave]

Targets on the reference machine: at least 58 frames/s, 99th-percentile frame interval under
25 ms, under 8% of one core, and never more than one frame of lag.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from itertools import pairwise
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SIZE = (800, 600)
WARM_UP_S = 1.0
FRAME_S = 1 / 60  # one display frame, the unit of lag
TARGET_FPS = 58.0
TARGET_P99_MS = 25.0
TARGET_CPU = 8.0
TARGET_LAG_FRAMES = 1.0


class _NullRecorder:
    """Stands in for the store: the benchmark keeps nothing, yet the session counts as recorded
    (a positive id), so it checkpoints every few seconds as a real one does."""

    def start_session(self, *args: object) -> int:
        return 1

    def checkpoint_session(self, session_id: int, *, practised_s: float, at: datetime) -> None:
        return None

    def finish_session(self, *args: object, **kwargs: object) -> None:
        return None


def lag_frames(level_at: Callable[[float], float], now_s: float, drawn: float) -> float:
    """How many frames before ``now_s`` the pure function showed ``drawn`` (0: it shows it now).

    Steps back a twentieth of a frame at a time to where the level first crosses ``drawn``.
    """
    previous = level_at(now_s) - drawn
    if abs(previous) < 1e-9:
        return 0.0
    step = FRAME_S / 20
    for k in range(1, 20 * 30 + 1):
        here = level_at(max(0.0, now_s - k * step)) - drawn
        if abs(here) < 1e-9 or (here > 0) != (previous > 0):
            crossing = (k - 1) + abs(previous) / (abs(previous) + abs(here))
            return crossing / 20
        previous = here
    return math.inf


def percentile(values: list[float], share: float) -> float:
    """The value below which ``share`` of ``values`` lie (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(share * len(ordered)) - 1))]


# -- inside one child process -------------------------------------------------------------------


def _child(visual: str, seconds: float, sim_minutes: float) -> dict[str, Any]:
    from PySide6.QtCore import QTimer
    from PySide6.QtGui import QPaintEvent
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    import ui.widgets.pacer
    from trainer.content.breathing import BreathingPattern, Phase, PhaseKind
    from trainer.session.clock import Clock, FakeClock, MonotonicClock
    from trainer.session.machine import Session, SessionPlan
    from ui.common.theme import LIGHT, apply_theme
    from ui.common.ticker import FrameTicker, ManualTicker
    from ui.practice.session_screen import SessionScreen

    app = QApplication.instance() or QApplication(["pacer-benchmark"])
    assert isinstance(app, QApplication)
    apply_theme(app, LIGHT)
    box = BreathingPattern(
        [
            Phase(PhaseKind.INHALE, 4),
            Phase(PhaseKind.HOLD, 4),
            Phase(PhaseKind.EXHALE, 4),
            Phase(PhaseKind.HOLD, 4),
        ]
    )
    paints: list[tuple[float, float, float, float]] = []  # start, seconds, practice_s, drawn
    sessions: list[Session] = []

    def timed(cls: type[ui.widgets.pacer.PacerVisual]) -> type[ui.widgets.pacer.PacerVisual]:
        class Timed(cls):  # type: ignore[valid-type,misc]
            def paintEvent(self, event: QPaintEvent) -> None:
                started = time.perf_counter()
                super().paintEvent(event)
                took = time.perf_counter() - started
                if sessions and self.drawn_level is not None:
                    paints.append((started, took, sessions[-1].practice_s, self.drawn_level))

        return Timed

    def start(clock: Clock, ticker: FrameTicker | ManualTicker, cycles: int) -> SessionScreen:
        plan = SessionPlan("box-4-4-4-4", "Box breathing", box, cycles)
        session = Session(
            plan,
            clock=clock,
            utc_now=lambda: datetime.now(UTC),
            recorder=_NullRecorder(),
            profile_id=1,
        )
        screen = SessionScreen(ticker)
        screen.set_visual(visual)
        screen.resize(*SIZE)
        screen.show()
        # On an X server the window is mapped a moment later; paints before then go nowhere.
        if not QTest.qWaitForWindowExposed(screen, 5000):
            raise SystemExit("the window was never shown on the screen")
        session.confirm_before(None, None)
        sessions.append(session)
        screen.begin(session)
        return screen

    def level_at(practice_s: float) -> float:
        return sessions[-1].pacer_state_at(practice_s).level

    def still(practice_s: float) -> bool:
        """Whether this visual's picture stands still at ``practice_s`` (the column in holds)."""
        return visual == "column" and box.state_at(practice_s).kind is PhaseKind.HOLD

    def run_for(seconds: float, mark: Callable[[str], None]) -> None:
        def finish() -> None:
            mark("to")
            app.quit()

        QTimer.singleShot(round(WARM_UP_S * 1000), lambda: mark("from"))
        QTimer.singleShot(round((WARM_UP_S + seconds) * 1000), finish)
        app.exec()

    cycles = max(19, math.ceil((WARM_UP_S + seconds) / box.cycle_s) + 1)  # 5 minutes or more

    # Real time, first as it is (for the CPU figure), then with timing hooks on the paints.
    cpu_marks: dict[str, tuple[float, float]] = {}
    ticker = FrameTicker()
    screen = start(MonotonicClock(), ticker, cycles)
    run_for(
        seconds,
        lambda name: cpu_marks.__setitem__(name, (time.perf_counter(), time.process_time())),
    )
    ticker.stop()
    screen.close()
    (cpu_wall0, cpu0), (cpu_wall1, cpu1) = cpu_marks["from"], cpu_marks["to"]

    for name, cls in list(ui.widgets.pacer.VISUAL_CLASSES.items()):
        ui.widgets.pacer.VISUAL_CLASSES[name] = timed(cls)
    ticker = FrameTicker()
    ticks = [0]
    ticker.tick.connect(lambda: ticks.__setitem__(0, ticks[0] + 1))
    screen = start(MonotonicClock(), ticker, cycles)
    marks: dict[str, tuple[float, float, int]] = {}

    def mark(name: str) -> None:
        marks[name] = (time.perf_counter(), sessions[-1].practice_s, ticks[0])

    run_for(seconds, mark)
    ticker.stop()
    (wall0, practice0, ticks0), (wall1, practice1, ticks1) = marks["from"], marks["to"]
    kept = [p for p in paints if wall0 <= p[0] < wall1]
    intervals_ms = [1000 * (b[0] - a[0]) for a, b in pairwise(kept) if not still((a[2] + b[2]) / 2)]
    lags = [lag_frames(level_at, practice, drawn) for _, _, practice, drawn in kept]
    steps = round((practice1 - practice0) / 0.01)
    still_s = 0.01 * sum(still(practice0 + i * 0.01) for i in range(steps))
    result: dict[str, Any] = {
        "visual": visual,
        "ticks_per_s": (ticks1 - ticks0) / (wall1 - wall0),
        "fps": len(kept) / (wall1 - wall0 - still_s),
        "median_ms": statistics.median(intervals_ms),
        "p99_ms": percentile(intervals_ms, 0.99),
        "paint_ms": 1000 * statistics.median(p[1] for p in kept),
        "cpu": 100 * (cpu1 - cpu0) / (cpu_wall1 - cpu_wall0),
        "lag": max(lags),
        "lag_p99": percentile(lags, 0.99),
    }
    screen.close()

    # Ten minutes, quickly: a fake clock stepping one frame, the real paints, and the drawn
    # level checked after every frame (painted or not).
    if sim_minutes > 0:
        fake, manual = FakeClock(), ManualTicker()
        frames = round(sim_minutes * 60 / FRAME_S)
        screen = start(fake, manual, cycles=math.ceil(sim_minutes * 60 / box.cycle_s))
        app.processEvents()
        paints.clear()
        worst = 0.0
        for _ in range(frames):
            fake.advance(FRAME_S)
            manual.fire()
            app.processEvents()
            drawn = screen.pacer.drawn_level
            assert drawn is not None
            worst = max(worst, lag_frames(level_at, sessions[-1].practice_s, drawn))
        result.update(sim_lag=worst, sim_frames=frames, sim_paints=len(paints))
        screen.close()
    return result


# -- the parent: runs the children and prints the table ------------------------------------------


def _run(platform: str, visual: str, seconds: float, sim_minutes: float) -> dict[str, Any]:
    command = [
        sys.executable,
        str(Path(__file__).resolve()),
        "--child",
        visual,
        "--seconds",
        str(seconds),
        "--sim-minutes",
        str(sim_minutes),
    ]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    if platform == "xvfb":
        env["QT_QPA_PLATFORM"] = "xcb"
        command = ["xvfb-run", "-a", "-s", "-screen 0 1280x1024x24", *command]
    else:
        env["QT_QPA_PLATFORM"] = "offscreen"
    done = subprocess.run(command, capture_output=True, text=True, env=env, cwd=ROOT, check=False)
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    if done.returncode != 0 or not lines:
        raise RunFailedError(f"{platform}/{visual} failed:\n{done.stderr.strip()}")
    return dict(json.loads(lines[-1]))


class RunFailedError(Exception):
    """One platform's run could not be made (say, no X platform plugin); the others go on."""


def main() -> None:
    """Run every visual on every platform and print one table per platform."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10.0, help="measured seconds per run")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--sim-minutes", type=float, default=10.0, help="0 skips the replay")
    parser.add_argument("--platforms", default="offscreen,xvfb")
    parser.add_argument("--visuals", default="circle,column,wave")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(_child(args.child, args.seconds, args.sim_minutes)))
        return

    platforms = [p for p in args.platforms.split(",") if p]
    if "xvfb" in platforms and shutil.which("xvfb-run") is None:
        print("xvfb-run not found: skipping the X server runs (apt-get install xvfb)")
        platforms.remove("xvfb")
    visuals = [v for v in args.visuals.split(",") if v]
    print(
        f"{SIZE[0]}x{SIZE[1]}, box 4-4-4-4, {args.seconds:g} s measured after {WARM_UP_S:g} s "
        f"warm-up, median of {args.repeats} runs; lag replay {args.sim_minutes:g} min"
    )
    print(
        f"targets: >= {TARGET_FPS:g} frames/s, p99 interval < {TARGET_P99_MS:g} ms, "
        f"CPU < {TARGET_CPU:g}% of one core, lag <= {TARGET_LAG_FRAMES:g} frame"
    )
    for platform in platforms:
        rows = []
        try:
            for visual in visuals:
                runs = [
                    _run(platform, visual, args.seconds, args.sim_minutes if i == 0 else 0)
                    for i in range(args.repeats)
                ]
                rows.append((visual, runs))
        except RunFailedError as error:
            print(f"\n{platform}: skipped, the run failed\n{error}")
            continue
        tick_rate = statistics.median(r["ticks_per_s"] for _, runs in rows for r in runs)
        print(f"\n{platform} (ticker: {tick_rate:.1f} ticks/s)")
        print(
            f"{'visual':8} {'frames/s':>8} {'median ms':>9} {'p99 ms':>7} {'paint ms':>8} "
            f"{'CPU %':>6} {'lag p99/max':>11} {'10-min lag':>10}  verdict"
        )
        for visual, runs in rows:

            def median(key: str, runs: list[dict[str, Any]] = runs) -> float:
                return float(statistics.median(r[key] for r in runs))

            fps, p99, cpu = median("fps"), median("p99_ms"), median("cpu")
            lag = max(r["lag"] for r in runs)
            sim_lag = runs[0].get("sim_lag", math.nan)
            missed = [
                what
                for what, ok in (
                    ("frames/s", fps >= TARGET_FPS),
                    ("p99", p99 < TARGET_P99_MS),
                    ("CPU", cpu < TARGET_CPU),
                    ("lag", lag <= TARGET_LAG_FRAMES),
                    ("10-min lag", math.isnan(sim_lag) or sim_lag <= TARGET_LAG_FRAMES),
                )
                if not ok
            ]
            print(
                f"{visual:8} {fps:8.1f} {median('median_ms'):9.2f} {p99:7.2f} "
                f"{median('paint_ms'):8.2f} {cpu:6.1f} {median('lag_p99'):5.2f}/{lag:<5.2f} "
                f"{sim_lag:10.2f}  "
                f"{'ok' if not missed else 'MISSED ' + ', '.join(missed)}"
            )


if __name__ == "__main__":
    main()
