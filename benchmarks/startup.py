"""Start-up benchmark: time to a visible main window, beside a bare PySide6 window as the floor.

Each run starts a fresh process (opening the database that the row's warm-up start made, as on any
day but the first; ``--fresh`` gives each start a new data folder) and stops the clock when the
window's first paint event arrives, which on a real X server happens only once the window manager
has mapped the window: the moment a person sees it. The same is timed for a bare PySide6 window
(QApplication + one QWidget of the same size, started by the same Python), the floor no Qt app can
beat. Both run on a real X server (Xvfb with the openbox window manager, started here unless
``--display`` names one) and offscreen, interleaved so noise from other work on the machine falls
on both alike. It prints, per row, the median, min and max, the ratio of the medians to the bare
window of the same platform, the median peak resident memory of the child (``ru_maxrss``) and
the median CPU time the child used up to its paint, with its ratio (steadier than the wall time
when other work shares the machine: time spent waiting for a core is not counted).
Bytecode caches are allowed (as after ``pip install``) even where PYTHONDONTWRITEBYTECODE is set.

    python benchmarks/startup.py                 # 5 runs of each, X server and offscreen
    python benchmarks/startup.py --runs 9        # more runs: steadier medians
    python benchmarks/startup.py --only offscreen   # where Xvfb or openbox is not installed
    python benchmarks/startup.py --display :1    # use a running X server and its window manager
    python benchmarks/startup.py --compare /work/main   # the same runs for another checkout too
    python benchmarks/startup.py --fresh         # first starts: each makes its database

Needs Xvfb and openbox for the X rows (``/work/shared/tools/desktop.sh`` or
``apt-get install xvfb openbox``). Target (issue 15): the app's median at most 2x the bare window's
on the X server. A measurement, not a test: machines are shared and noisy, so compare ratios.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

ROOT: Final = Path(__file__).resolve().parent.parent
TARGET_RATIO: Final = 2.0
PAINTED: Final = "first paint"
CPU_TO_PAINT: Final = re.compile(r"\(CPU ([0-9.]+) ms\)")  # what the process itself used

# A bare window: what any PySide6 app pays before its first paint.
BARE_WINDOW: Final = f"""
import sys
import time
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QWidget

class Bare(QWidget):
    painted = False

    def paintEvent(self, event):
        super().paintEvent(event)
        if not self.painted:
            self.painted = True
            print(f"{PAINTED} (CPU {{time.process_time() * 1000:.1f}} ms)", flush=True)
            QTimer.singleShot(0, app.quit)

app = QApplication(["bare"])
window = Bare()
window.setWindowTitle("Bare PySide6")
window.resize(960, 720)
window.show()
sys.exit(app.exec())
"""


@dataclass
class Row:
    """The runs of one program on one platform."""

    program: str  # "bare" or "app"
    platform: str  # "x11" or "offscreen"
    root: Path = ROOT  # the checkout whose app runs
    name: str = "Safe Signal"
    data_dir: Path | None = None  # kept from run to run, unless --fresh
    seconds: list[float] = field(default_factory=list)
    peak_mb: list[float] = field(default_factory=list)
    cpu_ms: list[float] = field(default_factory=list)  # CPU time to the paint, where said

    @property
    def label(self) -> str:
        """How the row is named in the table."""
        name = "bare PySide6" if self.program == "bare" else self.name
        return f"{name} ({'X server' if self.platform == 'x11' else 'offscreen'})"


def command(program: str, python: str, data_dir: Path) -> list[str]:
    """The command line that starts ``program``."""
    if program == "bare":
        return [python, "-c", BARE_WINDOW]
    return [python, "-m", "ui", "--data-dir", str(data_dir), "--exit-after-paint"]


def one_run(
    row: Row, python: str, display: str | None, fresh: bool
) -> tuple[float, float, float | None]:
    """Seconds from start to the first paint, peak resident memory in MB and, where the program
    says it, the CPU milliseconds it used up to the paint, of one start."""
    with tempfile.TemporaryDirectory() as scratch:
        data_dir = Path(scratch) if fresh or row.data_dir is None else row.data_dir
        return _timed(row.program, row.platform, row.root, python, display, data_dir)


def _timed(
    program: str, platform: str, root: Path, python: str, display: str | None, data_dir: Path
) -> tuple[float, float, float | None]:
    env = {**os.environ, "PYTHONPATH": str(root)}
    env.pop("QT_QPA_PLATFORM", None)
    # As installed: pip compiles every module, so a start reads bytecode, not source (the
    # warm-up run writes the caches).
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    if platform == "offscreen":
        env["QT_QPA_PLATFORM"] = "offscreen"
    else:
        assert display is not None
        env["DISPLAY"] = display
        env["QT_QPA_PLATFORM"] = "xcb"
    started = time.perf_counter()
    process = subprocess.Popen(
        command(program, python, data_dir),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=root,
    )
    assert process.stdout is not None
    assert process.stderr is not None
    painted: float | None = None
    cpu_ms: float | None = None
    for line in process.stdout:
        if painted is None and line.startswith(PAINTED):
            painted = time.perf_counter() - started
            said = CPU_TO_PAINT.search(line)
            cpu_ms = None if said is None else float(said.group(1))
    errors = process.stderr.read()
    _pid, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    if painted is None or process.returncode != 0:
        raise SystemExit(
            f"{program} on {platform} did not paint (exit code {process.returncode}):\n{errors}"
        )
    return painted, usage.ru_maxrss / 1024, cpu_ms  # ru_maxrss: kilobytes on Linux


@contextlib.contextmanager
def x_server() -> Iterator[str]:
    """A fresh Xvfb display with the openbox window manager; stopped on the way out."""
    for tool in ("Xvfb", "openbox"):
        if shutil.which(tool) is None:
            raise SystemExit(f"{tool} is not installed (or run with --only offscreen)")
    number = 90
    while Path(f"/tmp/.X{number}-lock").exists() or Path(f"/tmp/.X11-unix/X{number}").exists():
        number += 1
    display = f":{number}"
    quiet = subprocess.DEVNULL
    server = subprocess.Popen(
        ["Xvfb", display, "-screen", "0", "1280x800x24", "-nolisten", "tcp"],
        stdout=quiet,
        stderr=quiet,
    )
    manager: subprocess.Popen[bytes] | None = None
    try:
        deadline = time.monotonic() + 10
        while not Path(f"/tmp/.X11-unix/X{number}").exists():
            if time.monotonic() > deadline or server.poll() is not None:
                raise SystemExit("Xvfb did not start")
            time.sleep(0.05)
        manager = subprocess.Popen(
            ["openbox"], env={**os.environ, "DISPLAY": display}, stdout=quiet, stderr=quiet
        )
        time.sleep(0.5)  # let the window manager take the screen before the first window
        yield display
    finally:
        for process in (manager, server):
            if process is not None:
                process.terminate()
                process.wait(timeout=10)


def measure(rows: list[Row], runs: int, python: str, display: str | None, fresh: bool) -> None:
    """Fill ``rows``: one warm-up each (not counted; it makes the database the runs then open,
    and warms the file cache), then ``runs`` rounds, interleaved."""
    for row in rows:
        one_run(row, python, display, fresh)
    for _ in range(runs):
        for row in rows:
            seconds, peak, cpu_ms = one_run(row, python, display, fresh)
            row.seconds.append(seconds)
            row.peak_mb.append(peak)
            if cpu_ms is not None:
                row.cpu_ms.append(cpu_ms)


def table(rows: list[Row]) -> str:
    """The results: medians, spread, ratio to the bare window of the same platform, memory."""
    floors = {row.platform: statistics.median(row.seconds) for row in rows if row.program == "bare"}
    lines = [
        f"{'':28} {'median s':>9} {'min':>7} {'max':>7} {'x bare':>7} {'peak MB':>8}"
        f" {'CPU ms':>7} {'x bare':>7}",
    ]
    cpu_floors = {
        row.platform: statistics.median(row.cpu_ms)
        for row in rows
        if row.program == "bare" and row.cpu_ms
    }
    for row in rows:
        median_s = statistics.median(row.seconds)
        ratio = median_s / floors[row.platform]
        lines.append(
            f"{row.label:28} {median_s:9.3f} {min(row.seconds):7.3f} {max(row.seconds):7.3f}"
            f" {ratio:7.2f} {statistics.median(row.peak_mb):8.0f}{_cpu(row, cpu_floors)}"
        )
    for row in rows:
        if row.program == "app" and row.platform == "x11":
            ratio = statistics.median(row.seconds) / floors["x11"]
            verdict = "met" if ratio <= TARGET_RATIO else "MISSED"
            lines.append(
                f"target for {row.name}: at most {TARGET_RATIO:.0f}x the bare window on X: {verdict}"
            )
    return "\n".join(lines)


def _cpu(row: Row, floors: dict[str, float]) -> str:
    """The row's median CPU time to the paint and its ratio to the bare window's (a steadier
    figure than the wall time on a busy machine: waiting for a core is not counted)."""
    if not row.cpu_ms or row.platform not in floors:
        return f" {'-':>7} {'-':>7}"
    cpu_ms = statistics.median(row.cpu_ms)
    return f" {cpu_ms:7.0f} {cpu_ms / floors[row.platform]:7.2f}"


def main() -> None:
    """Run and print the table."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="counted runs of each (default 5)")
    parser.add_argument("--python", default=sys.executable, help="the Python that runs the app")
    parser.add_argument("--only", choices=("x11", "offscreen"), help="one platform only")
    parser.add_argument("--display", help="a running X server to use, such as :1")
    parser.add_argument(
        "--fresh",
        action="store_true",
        help="a new data folder for every start (a first start: the database is made), instead "
        "of one per row made by the warm-up (an everyday start)",
    )
    parser.add_argument(
        "--compare",
        metavar="CHECKOUT",
        type=Path,
        action="append",
        default=[],
        help="also time the app of another checkout (such as the main branch) in the same runs",
    )
    args = parser.parse_args()
    platforms = [args.only] if args.only else ["x11", "offscreen"]
    checkouts = [(ROOT, "Safe Signal")] + [
        (path.resolve(), f"at {path.name}") for path in args.compare
    ]
    with contextlib.ExitStack() as stack:
        rows: list[Row] = []
        for platform in platforms:
            rows.append(Row("bare", platform))
            for root, name in checkouts:
                data_dir = Path(stack.enter_context(tempfile.TemporaryDirectory()))
                rows.append(Row("app", platform, root, name, data_dir))
        display: str | None = args.display
        if "x11" in platforms and display is None:
            display = stack.enter_context(x_server())
        measure(rows, args.runs, args.python, display, args.fresh)
    start = "a first start (new data folder each time)" if args.fresh else "an everyday start"
    print(f"runs: {args.runs} of each, after one warm-up; {start}; Python {args.python}")
    print(table(rows))


if __name__ == "__main__":
    main()
