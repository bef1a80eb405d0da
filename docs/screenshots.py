"""Regenerate the screenshots in docs/screenshots/ (run: python docs/screenshots.py).

Builds the real main window offscreen with a fake clock and a temporary database, walks through
one session, and saves a PNG of each screen in the light theme, plus the pacer in the dark theme.
"""

from __future__ import annotations

import os
import sys
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PySide6.QtCore import QPointF
from PySide6.QtWidgets import QApplication, QWidget

from trainer.app.demo import create_demo_profile
from trainer.content.catalog import load_catalog
from trainer.content.scripts import load_scripts
from trainer.session.clock import FakeClock
from trainer.store.store import Store
from ui.common.theme import THEMES, apply_theme
from ui.common.ticker import ManualTicker
from ui.practice.session_screen import SessionScreen
from ui.shell.main_window import MainWindow

OUT = Path(__file__).resolve().parent / "screenshots"
SIZE = (960, 720)


def build(
    app: QApplication, store: Store, theme: str
) -> tuple[MainWindow, FakeClock, ManualTicker]:
    """A main window on a fake clock, shown at the screenshot size."""
    apply_theme(app, THEMES[theme])
    clock = FakeClock()
    origin = datetime(2026, 11, 20, 8, 15, tzinfo=UTC)
    start_s = clock.now_s()
    ticker = ManualTicker()
    window = MainWindow(
        store=store,
        catalog=load_catalog(),
        clock=clock,
        utc_now=lambda: origin + timedelta(seconds=clock.now_s() - start_s),
        ticker=ticker,
        profile_id=store.profiles.default_id(),
    )
    window.resize(*SIZE)
    window.show()
    app.processEvents()
    return window, clock, ticker


def save(app: QApplication, window: MainWindow, name: str) -> None:
    """Grab the window as it is drawn now."""
    app.processEvents()
    path = OUT / f"{name}.png"
    window.grab().save(str(path))
    print(f"wrote {path.relative_to(OUT.parent.parent)}")


def small(app: QApplication, window: MainWindow, clock: FakeClock, ticker: ManualTicker) -> None:
    """The session screen alone in a 400x300 window, in each visual."""
    assert window.session is not None
    screen = SessionScreen(ticker)
    screen.resize(400, 300)
    screen.show()
    screen.begin(window.session)
    for visual in ("circle", "column", "wave"):
        screen.set_visual(visual)
        app.processEvents()
        path = OUT / f"small-{visual}.png"
        screen.grab().save(str(path))
        print(f"wrote {path.relative_to(OUT.parent.parent)}")
    screen.close()
    screen.deleteLater()


def attention_screens(
    app: QApplication, window: MainWindow, clock: FakeClock, ticker: ManualTicker
) -> None:
    """The attention list, where it hurts, somatic tracking and breath counting."""
    window.switch_buttons.button(1).click()
    save(app, window, "attention-home")
    home = window.attention_home
    home.length.setCurrentIndex(home.length.findData(3))
    home.start()
    for region in ("lower_back", "right_knee"):
        window.where.map.toggle(region)
    save(app, window, "where-it-hurts")
    window.where.go_on()
    window.before.tension.set_value(6)
    window.before.pain.set_value(6)
    window.before.confirm()
    steps = window.attention.steps
    index = next(i for i, s in enumerate(steps) if s.spotlight == "pulse" and s.focus)
    clock.advance(3.0 + (steps[index].start_s + steps[index].end_s) / 2)
    ticker.fire()
    save(app, window, "attention")
    window.attention.set_large_text(True)
    save(app, window, "attention-large")
    window.attention.set_large_text(False)
    clock.advance(200.0)
    ticker.fire()
    window.after.tension.set_value(4)
    window.after.pain.set_value(5)
    window.after.confirm()
    window.show_home()
    counting = next(
        r for r in range(home.list.count()) if "count" in home.list.item(r).text().lower()
    )
    home.list.setCurrentRow(counting)
    home.start()
    window.where.skip()
    window.before.tension.set_value(5)
    window.before.pain.set_value(5)
    window.before.confirm()
    steps = window.attention.steps
    index = next(i for i, s in enumerate(steps) if s.counting)
    clock.advance(3.0 + steps[index].start_s + 33.0)
    ticker.fire()
    save(app, window, "breath-counting")
    assert window.session is not None
    window.session.end_early()
    window.after.tension.set_skipped(True)
    window.after.pain.set_skipped(True)
    window.after.confirm()
    assert window.session is None, "the session is saved, so nothing asks on closing"


DEMO_NOW = datetime(2026, 11, 20, 8, 15, tzinfo=UTC)
HISTORY_SIZES = ((1024, 600), (1920, 1080))  # a small laptop and a clinic's large screen
HISTORY_TABS = ("summary", "ratings", "change", "exercise", "calendar", "sessions")


_DEMO_IDS: dict[int, int] = {}  # id(store) -> the demo profile made in it


def demo_profile(store: Store) -> int:
    """The demo profile's id (made the first time: 60 days of practice up to DEMO_NOW)."""
    if id(store) not in _DEMO_IDS:
        name, _count = create_demo_profile(
            store, "Sam", load_catalog(), load_scripts(), now=lambda: DEMO_NOW
        )
        found = store.profiles.by_name(name)
        assert found is not None
        _DEMO_IDS[id(store)] = found.id
    return _DEMO_IDS[id(store)]


def history_tabs(app: QApplication, window: MainWindow, store: Store) -> None:
    """Each tab of the history screen on a demo profile's 60 days: at the usual size, then at
    each of HISTORY_SIZES (``history-<tab>-<width>x<height>.png``)."""
    window.switch_profile(demo_profile(store))
    window.show_history()
    history = window.history
    for size in (None, *HISTORY_SIZES):
        if size is not None:
            window.resize(*size)
        suffix = "" if size is None else f"-{size[0]}x{size[1]}"
        for index, label in enumerate(HISTORY_TABS):
            history.tabs.setCurrentIndex(index)
            app.processEvents()
            if label == "ratings":
                plot = history.ratings_plots["pain"].widget
                view = plot.getPlotItem().getViewBox()
                history._on_pointer(
                    plot, view.mapViewToScene(QPointF(float(history.shown.stamps[-5]), 5))
                )
            save(app, window, f"history-{label}{suffix}")
    window.resize(*SIZE)
    window.switch_profile(store.profiles.default_id())


def report_pages(store: Store) -> None:
    """The PDF report of the demo profile, each page as ``report-<n>.png`` (A4 at 100 dpi)."""
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QSize
    from PySide6.QtPdf import QPdfDocument

    from trainer.analysis.report import prepare_report
    from ui.report.document import render_report

    pid = demo_profile(store)
    profile = store.profiles.get(pid)
    content = prepare_report(
        store.sessions.table(pid),
        store.regions.pain_marks(pid),
        profile_name=profile.name,
        tz=UTC,
        today=DEMO_NOW.date(),
        created_at=DEMO_NOW,
    )
    data = QByteArray(render_report(content))
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    document = QPdfDocument()
    document.load(buffer)
    for old in OUT.glob("report-*.png"):
        old.unlink()
    for page in range(document.pageCount()):
        points = document.pagePointSize(page)
        size = QSize(round(points.width() * 100 / 72), round(points.height() * 100 / 72))
        path = OUT / f"report-{page + 1}.png"
        document.render(page, size).save(str(path))
        print(f"wrote {path.relative_to(OUT.parent.parent)}")


def grab(app: QApplication, widget: QWidget, name: str) -> None:
    """Grab a dialog or a window of its own as it is drawn now."""
    app.processEvents()
    path = OUT / f"{name}.png"
    widget.grab().save(str(path))
    print(f"wrote {path.relative_to(OUT.parent.parent)}")


def clinic_and_desk(app: QApplication, store: Store) -> None:
    """Profiles, settings, the welcome, help, presentation mode and the desk's small windows."""
    from trainer.desk.reminders import ReminderPlan
    from ui.practice.presentation import PresentationWindow
    from ui.shell.mini_pacer import MiniPacer
    from ui.shell.reminders import ReminderEditor, ReminderPopup

    window, clock, ticker = build(app, store, "light")
    store.profiles.create("Robin")
    window._refresh_profiles()
    window.manage_profiles()
    assert window.profiles.dialog is not None
    grab(app, window.profiles.dialog, "profiles")
    window.profiles.dialog.close()

    window.open_settings()
    dialog = window.settings_dialog
    assert dialog is not None
    editor = ReminderEditor(ReminderPlan(enabled=True))
    dialog.add_section("Reminders", editor)  # ui.shell.app adds this where reminders run
    dialog.resize(640, 860)
    grab(app, dialog, "settings")
    dialog.close()

    window.show_welcome()
    assert window.welcome_dialog is not None
    grab(app, window.welcome_dialog, "welcome")
    window.welcome_dialog.close()

    window.open_help()
    assert window.help_dialog is not None
    window.help_dialog.resize(760, 640)
    grab(app, window.help_dialog, "help")
    window.help_dialog.close()

    window.set_demonstration(True)
    save(app, window, "demonstration")
    window.set_demonstration(False)

    popup = ReminderPopup()
    popup.show_reminder(10)
    grab(app, popup, "reminder")
    popup.close()

    mini = MiniPacer(window.home.current_exercise().pattern, clock=clock, ticker=ticker)
    mini.open()
    clock.advance(2.5)
    ticker.fire()
    grab(app, mini, "mini-pacer")
    mini.close()

    shown = PresentationWindow(
        catalog=load_catalog(),
        scripts=load_scripts(),
        body_map=window.body_map,
        clock=clock,
        utc_now=window.utc_now,
        ticker=ticker,
    )
    shown.resize(1280, 720)
    shown.show()
    grab(app, shown, "presentation-list")
    shown.start()
    clock.advance(3.0 + 3.0)
    ticker.fire()
    grab(app, shown, "presentation")
    shown.close()
    window.close()

    window, clock, ticker = build(app, store, "high_contrast")
    save(app, window, "home-high-contrast")
    store.preferences.set(store.profiles.default_id(), "reduced_motion", "on")
    window.home.start()
    window.before.tension.set_value(4)
    window.before.pain.set_skipped(True)
    window.before.confirm()
    clock.advance(3.0 + 2.0)
    ticker.fire()
    save(app, window, "pacer-reduced-motion")
    store.preferences.set(store.profiles.default_id(), "reduced_motion", "off")
    window.flow.session = None
    window.close()


def main() -> None:
    """Walk through a session and save each screen."""
    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        store = Store.open_in(Path(tmp))
        window, clock, ticker = build(app, store, "light")
        save(app, window, "home")

        window.home.list.setCurrentRow(0)
        window.home.start()
        window.before.tension.set_value(6)
        save(app, window, "rating")

        window.before.pain.set_value(5)
        window.before.confirm()
        clock.advance(3.0 + 63.2)  # the 3-2-1 lead-in, then mid-way through an in-breath
        ticker.fire()
        save(app, window, "pacer")
        for visual in ("column", "wave"):
            window.practice.set_visual(visual)
            save(app, window, f"pacer-{visual}")
        window.practice.set_visual("circle")
        small(app, window, clock, ticker)

        clock.advance(250.0)  # past the last breath and the quiet close
        ticker.fire()
        window.after.tension.set_value(3)
        window.after.pain.set_value(4)
        window.after.confirm()
        save(app, window, "summary")

        window.show_history()
        save(app, window, "history")
        history_tabs(app, window, store)
        report_pages(store)

        window.show_home()
        window.home.ease_in.setChecked(True)
        save(app, window, "home-ease-in")
        window.home.ease_in.setChecked(False)
        window.show_finder()
        window.finder.start()
        clock.advance(2.4)
        ticker.fire()
        save(app, window, "finder")
        window.finder.stop_for_quit()
        window.show_home()

        attention_screens(app, window, clock, ticker)
        window.show_home()

        window.home.new_pattern()
        editor = window.home.editor
        assert editor is not None
        app.processEvents()
        path = OUT / "editor.png"
        editor.grab().save(str(path))
        print(f"wrote {path.relative_to(OUT.parent.parent)}")
        editor.reject()
        window.close()

        window, clock, ticker = build(app, store, "dark")
        window.home.list.setCurrentRow(2)
        window.home.start()
        window.before.tension.set_skipped(True)
        window.before.pain.set_value(5)
        window.before.confirm()
        clock.advance(3.0 + 5.0)  # the hold at the top of box breathing
        ticker.fire()
        save(app, window, "pacer-dark")
        window.practice.set_visual("wave")
        save(app, window, "pacer-wave-dark")
        window.practice.set_visual("circle")
        window.practice.end_button.setEnabled(False)
        window.flow.session = None
        window.close()
        clinic_and_desk(app, store)
        store.close()


if __name__ == "__main__":
    main()
