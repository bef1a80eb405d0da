"""Import benchmark: how long reading, checking and adding a large export take, and how long the
window stops (the longest gap between ticks of a 10 ms timer) while Import… runs from the menu.

Makes JSON exports of about ``--sizes`` megabytes from the demo history (the limit is 50 MB),
then for each: times reading + checking (:func:`trainer.store.exchange.read_export`) and adding
to an empty database (:func:`trainer.store.exchange.add_imported`, one transaction) on their
own, and runs the menu's import offscreen with a timer counting its ticks.

    python benchmarks/imports.py [--sizes 10 50]

Target: the window never stops for more than 300 ms, whatever the size (the menu adds the
sessions in committed steps of 500, some 15-35 ms each; the longest stop was some 100-150 ms
at 50 MB, against 250-350 ms at the end when they went in one transaction).
"""

from __future__ import annotations

import argparse
import itertools
import os
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

TARGET_GAP_MS = 300.0
BYTES_PER_DAY = 1140  # the demo history: about 1.02 sessions a day, some 1,115 bytes each


def make_export(folder: Path, megabytes: float) -> Path:
    """A JSON export of the demo history of about ``megabytes`` MB."""
    from trainer.app.demo import demo_history
    from trainer.content.catalog import load_catalog
    from trainer.content.scripts import load_scripts
    from trainer.store.exchange import export_sessions
    from trainer.store.store import Store

    days = int(megabytes * 1e6 / BYTES_PER_DAY)
    store = Store.open_in(folder / f"source-{megabytes:g}")
    try:
        profile = store.profiles.default_id()
        end = datetime(2100, 1, 1, tzinfo=UTC)  # so that every session is after 1970
        store.sessions.add(
            profile, demo_history(load_catalog(), load_scripts(), end=end, days=days)
        )
        path = folder / f"export-{megabytes:g}mb.json"
        export_sessions(store, profile, path, "json")
        return path
    finally:
        store.close()


def menu_import(path: Path, data: Path) -> tuple[float, float, bool, str]:
    """Import ``path`` with the menu's action into a new database in ``data``, a 10 ms timer
    ticking: the seconds it took, the longest gap between ticks (ms), whether the progress
    dialog showed, and the summary said at the end."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QProgressDialog, QWidget

    from trainer.app.profile import ProfileInUse
    from trainer.content.catalog import load_catalog
    from trainer.store.store import Store
    from ui.common.dialogs import Dialogs
    from ui.shell.file_actions import FileActions

    said: list[str] = []
    ticks: list[float] = []
    shown: list[bool] = []

    def open_file(cls: object, parent: object, title: str, folder: str, kinds: str) -> str:
        return str(path)  # the person chooses the export

    def confirm(cls: object, parent: object, title: str, text: str, yes: str, no: str) -> bool:
        return True  # and says yes

    def say(cls: object, parent: object, title: str, text: str) -> None:
        said.append(text)

    answers: dict[str, Callable[..., object]] = {
        "open_file": open_file,
        "confirm": confirm,
        "info": say,
        "error": say,
    }
    originals = {name: Dialogs.__dict__[name] for name in answers}

    store = Store.open_in(data)
    parent = QWidget()
    parent.show()
    profile = ProfileInUse(store, store.profiles.default_id(), load_catalog())
    actions = FileActions(parent, profile, utc_now=lambda: datetime.now(UTC), tz=UTC)

    def tick() -> None:
        ticks.append(time.perf_counter())
        if any(d.isVisible() for d in parent.findChildren(QProgressDialog)):
            shown.append(True)

    timer = QTimer()
    timer.setInterval(10)
    timer.timeout.connect(tick)
    for name, answer in answers.items():
        setattr(Dialogs, name, classmethod(answer))
    try:
        timer.start()
        started = time.perf_counter()
        ticks.append(started)
        actions.import_history(busy=False)
        ended = time.perf_counter()
        ticks.append(ended)
    finally:
        for name, original in originals.items():
            setattr(Dialogs, name, original)
        timer.stop()
        parent.close()
        store.close()
    gap_ms = max(b - a for a, b in itertools.pairwise(ticks)) * 1000
    return ended - started, gap_ms, bool(shown), said[-1] if said else ""


def main() -> None:
    """Make the exports, then time each part and the menu's import."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=float, nargs="+", default=[10.0, 50.0])
    args = parser.parse_args()

    from PySide6.QtWidgets import QApplication

    from trainer.store.exchange import add_imported, read_export
    from trainer.store.store import Store

    app = QApplication.instance() or QApplication([])
    folder = Path(tempfile.mkdtemp())
    print(
        f"{'file':>9} {'sessions':>9} {'read+check':>11} {'add':>7} {'menu':>7} {'longest stop':>13}"
    )
    worst = 0.0
    for megabytes in args.sizes:
        path = make_export(folder, megabytes)
        started = time.perf_counter()
        sessions = read_export(path)
        read_s = time.perf_counter() - started
        store = Store.open_in(folder / f"alone-{megabytes:g}")
        started = time.perf_counter()
        add_imported(store, store.profiles.default_id(), sessions)
        add_s = time.perf_counter() - started
        store.close()
        count = len(sessions)
        del sessions
        menu_s, gap_ms, shown, said = menu_import(path, folder / f"menu-{megabytes:g}")
        worst = max(worst, gap_ms)
        print(
            f"{path.stat().st_size / 1e6:7.1f}MB {count:9,} {read_s:10.2f}s "
            f"{add_s:6.2f}s {menu_s:6.2f}s {gap_ms:10.0f} ms"
            f"  dialog {'shown' if shown else 'not shown'}; {said}"
        )
    print(f"longest stop of the window {worst:.0f} ms (target under {TARGET_GAP_MS:.0f} ms)")
    app.processEvents()


if __name__ == "__main__":
    main()
