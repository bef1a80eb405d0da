"""History benchmark: load, analyse and show 20,000 sessions; print medians and peak memory.

Builds a database of about 20,000 made-up sessions (the demo generator over many years), then
opens the history screen on it offscreen, 960x720, ``--repeats`` times, and times:

* load: reading the sessions (``Store.sessions.table``) and their areas from SQLite;
* analysis: the progress figures for the shown sessions (``trainer.analysis.progress.analyse``);
* render: everything else until the screen is painted: filters, the table model, the plots
  of ratings over time (the tab chosen for the benchmark) and the paint itself.

It also times switching to each other tab (its plots are brought up to date when first shown)
and prints the peak memory (maximum resident size) at the end.

    python benchmarks/history.py [--sessions 20000] [--repeats 5]

Target on the reference machine: load + analysis + render under 300 ms.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import ParamSpec, TypeVar

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

TARGET_MS = 300.0

P = ParamSpec("P")
R = TypeVar("R")


def build(path: Path, wanted: int) -> int:
    """A database at ``path`` with about ``wanted`` sessions in one profile; returns its id."""
    from trainer.app.demo import demo_history
    from trainer.content.catalog import load_catalog
    from trainer.content.scripts import load_scripts
    from trainer.store.store import Store

    store = Store.open_in(path)
    try:
        profile = store.profiles.default_id()
        catalog, scripts = load_catalog(), load_scripts()
        sample = demo_history(catalog, scripts, end=datetime(2026, 1, 1, tzinfo=UTC), days=100)
        per_day = len(sample) / 100
        days = int(1.1 * wanted / per_day) + 1  # a margin: the rate varies from year to year
        sessions = demo_history(catalog, scripts, end=datetime(2026, 1, 1, tzinfo=UTC), days=days)
        store.sessions.add(profile, sessions[:wanted])
        return profile
    finally:
        store.close()


def main() -> None:
    """Build once, then time opening the history ``--repeats`` times."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=20_000)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()

    from PySide6.QtWidgets import QApplication

    import ui.history.screen
    from trainer.analysis.progress import analyse
    from trainer.app.profile import ProfileInUse
    from trainer.content.catalog import load_catalog
    from trainer.store.store import Store
    from ui.history.screen import RATINGS_TAB, HistoryScreen

    app = QApplication.instance() or QApplication([])
    folder = Path(tempfile.mkdtemp())
    started = time.perf_counter()
    profile = build(folder, args.sessions)
    print(f"built {args.sessions} sessions in {time.perf_counter() - started:.1f} s")

    spent = {"sessions": 0.0, "areas": 0.0, "analysis": 0.0}

    def timed(kind: str, function: Callable[P, R]) -> Callable[P, R]:
        def run(*a: P.args, **k: P.kwargs) -> R:
            t = time.perf_counter()
            try:
                return function(*a, **k)
            finally:
                spent[kind] += time.perf_counter() - t

        return run

    # The screen's own reference to analyse (mypy: not one the module exports) is timed.
    ui.history.screen.analyse = timed("analysis", analyse)  # type: ignore[attr-defined]
    store = Store.open_in(folder)
    store.sessions.table = timed("sessions", store.sessions.table)  # type: ignore[method-assign]
    store.regions.pain_marks = timed("areas", store.regions.pain_marks)  # type: ignore[method-assign]
    today = datetime(2026, 1, 1, tzinfo=UTC).date()
    loads: list[float] = []
    areas: list[float] = []
    analyses: list[float] = []
    renders: list[float] = []
    tabs: dict[str, list[float]] = {}
    count = 0
    for _ in range(args.repeats):
        in_use = ProfileInUse(store, profile, load_catalog())
        screen = HistoryScreen(in_use, tz=UTC, today=lambda: today)
        screen.resize(960, 720)
        screen.tabs.setCurrentIndex(RATINGS_TAB)  # so the plots are drawn in the time taken
        screen.show()
        app.processEvents()
        spent.update(sessions=0.0, areas=0.0, analysis=0.0)
        t0 = time.perf_counter()
        screen.reload()
        app.processEvents()
        total = time.perf_counter() - t0
        count = len(screen.shown)
        loads.append(spent["sessions"] + spent["areas"])
        areas.append(spent["areas"])
        analyses.append(spent["analysis"])
        renders.append(total - loads[-1] - spent["analysis"])
        for index in range(screen.tabs.count()):
            if index == RATINGS_TAB:
                continue
            t0 = time.perf_counter()
            screen.tabs.setCurrentIndex(index)
            app.processEvents()
            tabs.setdefault(screen.tabs.tabText(index).replace("&", ""), []).append(
                time.perf_counter() - t0
            )
        screen.close()
        screen.deleteLater()
        app.processEvents()
    store.close()
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    load_ms = 1000 * statistics.median(loads)
    analysis_ms = 1000 * statistics.median(analyses)
    render_ms = 1000 * statistics.median(renders)
    total = load_ms + analysis_ms + render_ms
    print(f"{count} sessions, median of {args.repeats}")
    print(
        f"load      {load_ms:8.1f} ms   (of which the areas marked "
        f"{1000 * statistics.median(areas):.1f} ms)"
    )
    print(f"analysis  {analysis_ms:8.1f} ms")
    print(f"render    {render_ms:8.1f} ms   (filters, table, ratings plots, paint)")
    print(
        f"total     {total:8.1f} ms   target < {TARGET_MS:g} ms: {'ok' if total < TARGET_MS else 'MISSED'}"
    )
    for name, times in tabs.items():
        print(f"  then showing {name!r:24} {1000 * statistics.median(times):8.1f} ms")
    print(f"peak memory {peak_mb:.0f} MB")


if __name__ == "__main__":
    main()
