"""Start-up benchmark: time from process start to the first painted main window, and peak memory.

Runs the app 5 times (offscreen, against a fresh temporary data folder each time) and prints the
median and the spread. Targets on the reference machine: under 1.0 s and under 200 MB.

    python benchmarks/startup.py [--runs N] [--python PATH]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_S = 1.0
TARGET_MB = 200.0


def one_run(python: str) -> tuple[float, float]:
    """Seconds to first paint, and peak resident memory in MB, of one start."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)}
    with tempfile.TemporaryDirectory() as data:
        started = time.perf_counter()
        process = subprocess.Popen(
            [python, "-m", "ui", "--data-dir", data, "--exit-after-paint"],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            env=env,
            cwd=ROOT,
        )
        assert process.stdout is not None
        painted = None
        for line in process.stdout:
            if line.startswith("first paint"):
                painted = time.perf_counter() - started
        _pid, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
        if painted is None or process.returncode != 0:
            raise SystemExit(f"the app did not paint (exit code {process.returncode})")
        peak_mb = usage.ru_maxrss / 1024  # kilobytes on Linux
        return painted, peak_mb


def main() -> None:
    """Run and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--python", default=sys.executable)
    args = parser.parse_args()
    one_run(args.python)  # warm the file cache; not counted
    times, peaks = [], []
    for _ in range(args.runs):
        seconds, peak = one_run(args.python)
        times.append(seconds)
        peaks.append(peak)
    median_s, median_mb = statistics.median(times), statistics.median(peaks)
    print(f"runs: {args.runs}")
    print(
        f"first paint   median {median_s:.3f} s   min {min(times):.3f}   max {max(times):.3f}"
        f"   target < {TARGET_S:.1f} s: {'ok' if median_s < TARGET_S else 'MISSED'}"
    )
    print(
        f"peak memory   median {median_mb:.0f} MB   max {max(peaks):.0f} MB"
        f"   target < {TARGET_MB:.0f} MB: {'ok' if max(peaks) < TARGET_MB else 'MISSED'}"
    )


if __name__ == "__main__":
    main()
