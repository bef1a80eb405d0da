"""Accessibility audit of every screen and window: each control Tab can reach has a name a screen
reader can say, every widget we draw ourselves has a name (and says what it shows as that
changes), and Tab visits every control of a screen and comes back round without getting stuck."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QGroupBox,
    QLabel,
    QWidget,
)

import ui
from trainer.content.catalog import END_CUE_S, LEAD_IN_S
from trainer.store.store import Store
from ui.common.ticker import ManualTicker
from ui.shell.main_window import MainWindow
from ui.shell.reminders import ReminderPopup, ReminderService

# Every class of ours that paints itself, and the screen where the audit meets it on show.
CUSTOM_WIDGETS: dict[str, str] = {
    "RatingScale": "before",
    "CirclePacer": "practice",
    "ColumnPacer": "practice",
    "WavePacer": "practice",
    "BodyMapView": "where",
    "PromptView": "attention practice",
    "ProgressRing": "attention practice",
    "FittedText": "presentation",
    "ExerciseList": "presentation",
    "MiniPacer": "mini pacer",
    "WelcomeEmblem": "welcome",
    "RatingTrack": "summary",
}
# Classes with a paintEvent that draw nothing of their own.
NOT_DRAWING: dict[str, str] = {
    "MainWindow": "paints only to tell ui.shell.app that the first frame is on screen",
}
# A button that Tab passes by is still worked by keys: its name, tooltip or text says which.
KEY_HINT = re.compile(r"\b(Esc|Space|Enter|Del|Ctrl\+\w|Alt\+\w|F\d+|Key: \w)\b")
# ... or it is part of a control that takes the keys for it.
KEYED_BY_PARENT: dict[str, str] = {
    "RatingScale": "its number buttons are chosen by typing 0-10 or with the arrows, and S skips",
}


@dataclass
class Visit:
    """What a screen needs to be reached: the window and the fakes driving it."""

    window: MainWindow
    qtbot: object
    clock: object
    ticker: ManualTicker
    store: Store

    def press(self, *keys: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier):
        for key in keys:
            target = QApplication.focusWidget()
            assert target is not None, "nothing has keyboard focus"
            self.qtbot.keyClick(target, key, modifier)  # type: ignore[attr-defined]

    def shown(self, widget: QWidget) -> QWidget:
        self.qtbot.waitExposed(widget)  # type: ignore[attr-defined]
        widget.activateWindow()
        self.qtbot.waitUntil(widget.isActiveWindow)  # type: ignore[attr-defined]
        return widget

    def run_s(self, seconds: float) -> None:
        self.clock.advance(seconds)  # type: ignore[attr-defined]
        self.ticker.fire()


# -- the audit --------------------------------------------------------------------------------------


def spoken_name(widget: QWidget) -> str:
    """What a screen reader calls the widget: its accessible name, its own text, or the text of
    the label it is the buddy of."""
    if widget.accessibleName().strip():
        return widget.accessibleName()
    if isinstance(widget, QAbstractButton) and widget.text().replace("&", "").strip():
        return widget.text()
    if isinstance(widget, QGroupBox) and widget.title().strip():
        return widget.title()
    for label in widget.window().findChildren(QLabel):
        if label.buddy() is widget and label.text().strip():
            return label.text()
    return ""


def describe(widget: QWidget) -> str:
    text = spoken_name(widget) or getattr(widget, "text", lambda: "")()
    return f"{type(widget).__name__}({text!r}) in {type(widget.parent()).__name__}"


def on_show(root: QWidget) -> list[QWidget]:
    """Every widget of ``root``'s window that is on screen and enabled."""
    window = root.window()
    return [
        w
        for w in (window, *window.findChildren(QWidget))
        if w.window() is window and w.isVisible() and w.isEnabled()
    ]


def tab_stops(root: QWidget) -> list[QWidget]:
    """The widgets Tab should reach (a focus proxy passes its focus on, so it is not one)."""
    return [
        w
        for w in on_show(root)
        if w.focusPolicy() & Qt.FocusPolicy.TabFocus and w.focusProxy() is None
    ]


def draws_itself(widget: QWidget) -> bool:
    return any(
        "paintEvent" in vars(cls)
        for cls in type(widget).__mro__
        if cls.__module__.startswith("ui.")
    )


def one_stop(widget: QWidget) -> object:
    """Tab stops once in a group of exclusive buttons: Qt keeps only the last focused one a Tab
    stop, and the arrows move within the group and choose."""
    if isinstance(widget, QAbstractButton):
        group = widget.group()
        if group is not None and group.exclusive():
            return group
        if widget.autoExclusive():
            return ("exclusive", widget.parentWidget())
    return widget


def audit(root: QWidget, qtbot: object) -> tuple[list[str], set[str]]:
    """The problems found on the screen now on show in ``root``'s window, and the names of the
    classes of ours on show there that paint themselves."""
    problems: list[str] = []
    stops = tab_stops(root)
    for widget in stops:
        if not spoken_name(widget).strip():
            problems.append(f"no accessible name: {describe(widget)}")
    drawn = {w for w in on_show(root) if draws_itself(w)}
    for widget in drawn:
        if type(widget).__name__ not in NOT_DRAWING and not widget.accessibleName().strip():
            problems.append(f"draws itself but has no name: {describe(widget)}")
    for button in (w for w in on_show(root) if isinstance(w, QAbstractButton)):
        if button.focusPolicy() & Qt.FocusPolicy.TabFocus or one_stop(button) is not button:
            continue  # a Tab stop, or one of a group Tab stops at once (Qt's own way)
        hints = f"{button.accessibleName()} {button.toolTip()} {button.text()}"
        parent = type(button.parentWidget()).__name__
        if not KEY_HINT.search(hints) and parent not in KEYED_BY_PARENT:
            problems.append(f"Tab passes it by and no key is named: {describe(button)}")

    window = root.window()
    start = window.focusWidget()
    if start is None:
        return [*problems, "nothing has keyboard focus"], {type(w).__name__ for w in drawn}
    visited: list[QWidget] = []
    for _ in range(2 * len(stops) + 2):
        focused = window.focusWidget()
        assert focused is not None
        visited.append(focused)
        qtbot.keyClick(focused, Qt.Key.Key_Tab)  # type: ignore[attr-defined]
    reached = {one_stop(w) for w in visited}
    problems += [f"Tab never reaches {describe(w)}" for w in stops if one_stop(w) not in reached]
    if len(stops) > 1 and start not in visited[1:]:
        problems.append(
            f"Tab never comes back to {describe(start)}: stuck at {describe(visited[-1])}"
        )
    return problems, {type(w).__name__ for w in drawn}


# -- the screens ------------------------------------------------------------------------------------

Views = Iterator[tuple[str, QWidget]]


def home(v: Visit) -> Views:
    yield "home", v.window


def attention_list(v: Visit) -> Views:
    v.press(Qt.Key.Key_2, modifier=Qt.KeyboardModifier.ControlModifier)
    assert v.window.stack.currentWidget() is v.window.attention_home
    yield "attention list", v.window


def before(v: Visit) -> Views:
    v.press(Qt.Key.Key_Return)
    assert v.window.stack.currentWidget() is v.window.before
    yield "before", v.window


def _practising(v: Visit) -> None:
    v.press(Qt.Key.Key_Return, Qt.Key.Key_5, Qt.Key.Key_Tab, Qt.Key.Key_S, Qt.Key.Key_Return)
    v.run_s(LEAD_IN_S + 3)


def practice(v: Visit) -> Views:
    _practising(v)
    assert v.window.stack.currentWidget() is v.window.practice
    for key, visual in ((Qt.Key.Key_1, "circle"), (Qt.Key.Key_2, "column"), (Qt.Key.Key_3, "wave")):
        v.window.practice.setFocus()
        v.press(key)
        assert v.window.practice.visual_name == visual
        v.window.practice.setFocus()
        yield "practice", v.window


def focus_mode(v: Visit) -> Views:
    _practising(v)
    v.press(Qt.Key.Key_F)
    focus = v.window.practice._focus
    assert focus is not None
    yield "focus mode", v.shown(focus)
    v.press(Qt.Key.Key_Escape)


def after(v: Visit) -> Views:
    _practising(v)
    v.run_s(5 * 60.0 + END_CUE_S)
    assert v.window.stack.currentWidget() is v.window.after
    yield "after", v.window


def summary(v: Visit) -> Views:
    yield from after(v)
    v.window.after.tension.setFocus()
    v.press(Qt.Key.Key_3, Qt.Key.Key_Tab, Qt.Key.Key_S, Qt.Key.Key_Return)
    assert v.window.stack.currentWidget() is v.window.summary
    yield "summary", v.window


def history(v: Visit) -> Views:
    for _ in summary(v):
        pass
    v.press(Qt.Key.Key_H, modifier=Qt.KeyboardModifier.ControlModifier)
    history = v.window.history
    assert v.window.stack.currentWidget() is history
    for index in range(history.tabs.count()):
        history.tabs.setCurrentIndex(index)
        history.take_focus()
        yield "history", v.window


def where(v: Visit) -> Views:
    v.window.home.where_first.setChecked(True)
    v.window.home.list.setFocus()
    v.press(Qt.Key.Key_Return)
    assert v.window.stack.currentWidget() is v.window.where
    yield "where", v.window


def attention_practice(v: Visit) -> Views:
    v.press(Qt.Key.Key_2, modifier=Qt.KeyboardModifier.ControlModifier)
    v.press(Qt.Key.Key_Return)  # the first attention exercise: where does it hurt?
    assert v.window.stack.currentWidget() is v.window.where
    yield "where", v.window
    v.press(Qt.Key.Key_S)  # nothing marked today
    v.press(Qt.Key.Key_5, Qt.Key.Key_Tab, Qt.Key.Key_S, Qt.Key.Key_Return)
    v.run_s(LEAD_IN_S + 3)
    assert v.window.stack.currentWidget() is v.window.attention
    yield "attention practice", v.window


def finder(v: Visit) -> Views:
    v.press(Qt.Key.Key_R, modifier=Qt.KeyboardModifier.ControlModifier)
    assert v.window.stack.currentWidget() is v.window.finder
    yield "finder", v.window
    # Tab left the focus on one of its buttons (Enter would press that one, "?" say): from the
    # screen itself Enter begins.
    v.window.finder.setFocus()
    v.press(Qt.Key.Key_Return)
    v.run_s(LEAD_IN_S + 3)
    assert v.window.finder.running
    v.window.finder.setFocus()
    yield "finder", v.window


def pattern_editor(v: Visit) -> Views:
    v.press(Qt.Key.Key_N, modifier=Qt.KeyboardModifier.ControlModifier)
    editor = v.window.home.editor
    assert editor is not None
    yield "pattern editor", v.shown(editor)


def profiles(v: Visit) -> Views:
    v.window.profiles_action.trigger()
    dialog = v.window.profiles.dialog
    assert dialog is not None
    yield "profiles", v.shown(dialog)


def settings(v: Visit) -> Views:
    v.window.reminders = ReminderService(
        v.store.app_settings, utc_now=v.window.utc_now, tz=v.window.tz, parent=v.window
    )
    v.press(Qt.Key.Key_Comma, modifier=Qt.KeyboardModifier.ControlModifier)
    dialog = v.window.settings_dialog
    assert dialog is not None
    yield "settings", v.shown(dialog)


def help_dialog(v: Visit) -> Views:
    v.press(Qt.Key.Key_F1)
    dialog = v.window.help_dialog
    assert dialog is not None
    v.shown(dialog)
    for index in range(3):
        dialog.show_tab(index)  # type: ignore[attr-defined]
        yield "help", dialog


def welcome(v: Visit) -> Views:
    v.window.welcome_action.trigger()
    dialog = v.window.welcome_dialog
    assert dialog is not None
    yield "welcome", v.shown(dialog)
    v.press(Qt.Key.Key_Return)  # the second page
    yield "welcome", dialog


def presentation(v: Visit) -> Views:
    v.press(Qt.Key.Key_F5)
    window = v.window.presentation
    assert window is not None
    yield "presentation", v.shown(window)
    v.press(Qt.Key.Key_Return)
    v.run_s(LEAD_IN_S + 3)
    yield "presentation", window
    window.close()


def mini_pacer(v: Visit) -> Views:
    v.press(
        Qt.Key.Key_M,
        modifier=Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    mini = v.window.mini_pacer
    assert mini is not None
    yield "mini pacer", v.shown(mini)
    mini.close()


def reminder_popup(v: Visit) -> Views:
    popup = ReminderPopup()
    v.qtbot.addWidget(popup)  # type: ignore[attr-defined]
    popup.show_reminder(10)
    yield "reminder popup", v.shown(popup)


SCREENS: dict[str, Callable[[Visit], Views]] = {
    "home": home,
    "attention list": attention_list,
    "before": before,
    "practice": practice,
    "focus mode": focus_mode,
    "where": where,
    "attention practice": attention_practice,
    "after": after,
    "summary": summary,
    "history": history,
    "finder": finder,
    "pattern editor": pattern_editor,
    "profiles": profiles,
    "settings": settings,
    "help": help_dialog,
    "welcome": welcome,
    "presentation": presentation,
    "mini pacer": mini_pacer,
    "reminder popup": reminder_popup,
}


@pytest.fixture
def visit(window, qtbot, clock, ticker, store) -> Visit:
    return Visit(window, qtbot, clock, ticker, store)


@pytest.mark.parametrize("screen", list(SCREENS))
def test_every_control_is_named_and_reached_by_tab(visit: Visit, screen: str) -> None:
    problems: list[str] = []
    seen: dict[str, set[str]] = {}
    for label, root in SCREENS[screen](visit):
        found, drawn = audit(root, visit.qtbot)
        problems += [f"{label}: {p}" for p in found]
        seen.setdefault(label, set()).update(drawn)
    assert problems == [], "\n".join(problems)
    for name, where in CUSTOM_WIDGETS.items():
        if where in seen:
            assert name in seen[where], f"{name} was not on show on the {where} screen"


def _drawing_classes() -> set[str]:
    """Every widget class in ui/ that paints itself."""
    found = set()
    for module_info in pkgutil.walk_packages(ui.__path__, "ui."):
        if module_info.name == "ui.__main__" or module_info.ispkg:
            continue
        module = importlib.import_module(module_info.name)
        for name, cls in vars(module).items():
            if (
                inspect.isclass(cls)
                and cls.__module__ == module.__name__
                and issubclass(cls, QWidget)
                and "paintEvent" in vars(cls)
            ):
                found.add(name)
    return found


def test_the_audit_meets_every_widget_that_paints_itself() -> None:
    assert _drawing_classes() == set(CUSTOM_WIDGETS) | set(NOT_DRAWING)
    assert set(CUSTOM_WIDGETS.values()) <= set(SCREENS)  # each is looked for on a screen visited


# -- what the widgets we draw say as it changes ----------------------------------------------------


def test_the_pacer_says_each_part_of_the_breath_once_as_it_begins(visit: Visit) -> None:
    visit.press(Qt.Key.Key_Return, Qt.Key.Key_5, Qt.Key.Key_Tab, Qt.Key.Key_S, Qt.Key.Key_Return)
    pacer = visit.window.practice.pacers.current
    resting = pacer.accessibleDescription()
    visit.run_s(LEAD_IN_S - 0.5)
    assert pacer.accessibleDescription() == resting  # the lead-in: no part of a breath yet
    said = [resting]
    for _ in range(200):  # 20 s of frames: two 10-second breaths of 5 in, 5 out
        visit.run_s(0.1)
        text = pacer.accessibleDescription()
        if said[-1] != text:
            said.append(text)
    assert said == [resting, *["Breathe in, 5 seconds", "Breathe out, 5 seconds"] * 2]
    visit.window.practice.setFocus()
    visit.press(Qt.Key.Key_2)  # the column takes over and says the same
    assert visit.window.practice.pacers.current.accessibleDescription() == said[-1]


def test_the_spotlight_says_where_the_light_is_as_it_moves(visit: Visit) -> None:
    visit.press(Qt.Key.Key_2, modifier=Qt.KeyboardModifier.ControlModifier)
    visit.press(Qt.Key.Key_Return)  # somatic tracking: where does it hurt?
    visit.window.where.map.set_marked("pain", ("lower_back",))
    visit.window.where.setFocus()
    visit.press(Qt.Key.Key_Return)
    visit.press(Qt.Key.Key_5, Qt.Key.Key_Tab, Qt.Key.Key_S, Qt.Key.Key_Return)
    body = visit.window.attention.body
    said = [body.accessibleDescription()]
    frames = 0
    while visit.window.stack.currentWidget() is visit.window.attention and frames < 5 * 60 * 10:
        visit.run_s(0.1)
        frames += 1
        if body.accessibleDescription() != said[-1]:
            said.append(body.accessibleDescription())
    assert "The light is on: Lower back." in said
    assert all("Arrow keys" not in text for text in said)  # it cannot be marked: not offered
    assert len(said) < 20  # a few changes in five minutes, not one a frame


def test_a_rating_says_the_number_chosen(visit: Visit) -> None:
    visit.press(Qt.Key.Key_Return)
    scale = visit.window.before.tension
    assert scale.accessibleDescription() == "Not chosen yet"
    visit.press(Qt.Key.Key_7)
    assert scale.accessibleDescription() == "7 out of 10"
    visit.press(Qt.Key.Key_S)
    assert scale.accessibleDescription() == "Skipped"


def test_the_presentation_list_says_the_exercise_chosen(visit: Visit) -> None:
    visit.press(Qt.Key.Key_F5)
    window = visit.window.presentation
    assert window is not None
    visit.shown(window)
    first = window.list.accessibleName()
    visit.press(Qt.Key.Key_Down)
    assert window.list.accessibleName() != first
    assert window.list.accessibleName().startswith(f"Exercise: {window.list.current.title}")
    window.close()
