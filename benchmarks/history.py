"""History benchmark: load, analyse and show 20,000 sessions; print medians and peak memory.

Builds a database of about 20,000 made-up sessions (the demo generator over many years), then,
in fresh reads of the same file, times: reading the sessions and their marked areas from SQLite,
the progress analysis (trainer.progress.analyse), and filling the history screen offscreen
(the table and the summary; the plots of issue 5 are not built yet, so they are not timed).
Peak memory is the process's maximum resident size at the end.

    python benchmarks/history.py [--sessions 20000] [--repeats 5]

Target on the reference machine: the three together under 300 ms.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

TARGET_MS = 300.0


def build(path: Path, wanted: int) -> int:
    """A database at ``path`` with about ``wanted`` sessions in one profile; returns its id."""
    from trainer.catalog import load_catalog
    from trainer.demo import demo_history
    from trainer.scripts import load_scripts
    from trainer.store import Store

    store = Store.open_in(path)
    try:
        profile = store.default_profile_id()
        catalog, scripts = load_catalog(), load_scripts()
        sample = demo_history(catalog, scripts, end=datetime(2026, 1, 1, tzinfo=UTC), days=100)
        per_day = len(sample) / 100
        days = int(wanted / per_day) + 1
        sessions = demo_history(catalog, scripts, end=datetime(2026, 1, 1, tzinfo=UTC), days=days)
        store.add_sessions(profile, sessions[:wanted])
        return profile
    finally:
        store.close()


def main() -> None:
    """Build once, then time load, analysis and render ``--repeats`` times."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=20_000)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()

    from PySide6.QtWidgets import QApplication

    from trainer.progress import analyse, summary_text
    from trainer.store import Store
    from ui.history import HistoryScreen

    app = QApplication.instance() or QApplication([])
    folder = Path(tempfile.mkdtemp())
    started = time.perf_counter()
    profile = build(folder, args.sessions)
    print(f"built {args.sessions} sessions in {time.perf_counter() - started:.1f} s")

    screen = HistoryScreen()
    screen.resize(960, 720)
    screen.show()
    app.processEvents()
    loads, analyses, renders = [], [], []
    count = 0
    for _ in range(args.repeats):
        store = Store.open_in(folder)
        t0 = time.perf_counter()
        sessions = store.sessions(profile)
        where = store.pain_regions_by_session(profile)
        t1 = time.perf_counter()
        text = summary_text(analyse(sessions, where))
        t2 = time.perf_counter()
        screen.show_sessions(sessions, where, text)
        app.processEvents()
        t3 = time.perf_counter()
        store.close()
        count = len(sessions)
        loads.append(t1 - t0)
        analyses.append(t2 - t1)
        renders.append(t3 - t2)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    load_ms = 1000 * statistics.median(loads)
    analysis_ms = 1000 * statistics.median(analyses)
    render_ms = 1000 * statistics.median(renders)
    total = load_ms + analysis_ms + render_ms
    print(f"{count} sessions, median of {args.repeats}")
    print(f"load      {load_ms:8.1f} ms")
    print(f"analysis  {analysis_ms:8.1f} ms")
    print(f"render    {render_ms:8.1f} ms   (table and summary; no plots yet)")
    print(
        f"total     {total:8.1f} ms   target < {TARGET_MS:g} ms: {'ok' if total < TARGET_MS else 'MISSED'}"
    )
    print(f"peak memory {peak_mb:.0f} MB")


if __name__ == "__main__":
    main()
