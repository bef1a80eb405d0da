"""An attention exercise through the main window: the switch, where it hurts, the ratings, the
guided practice with a fake clock, and what is stored."""

from __future__ import annotations

from PySide6.QtCore import Qt

from trainer.content.catalog import END_CUE_S, LEAD_IN_S
from trainer.session.machine import SessionStatus
from ui.shell.main_window import MainWindow


def open_attention(window: MainWindow, press) -> None:
    press(Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    assert window.stack.currentWidget() is window.attention_home
    assert window.switch.isVisible()


def test_somatic_tracking_from_the_list_to_the_summary(
    qtbot, window: MainWindow, store, clock, ticker, press
):
    open_attention(window, press)
    home = window.attention_home
    assert home.current_script().id == "somatic-tracking"
    home.length.setCurrentIndex(home.length.findData(3))
    press(Qt.Key.Key_Return)

    # Where it hurts: mark the lower back, then go on.
    assert window.stack.currentWidget() is window.where
    assert not window.switch.isVisible()
    window.where.map.toggle("lower_back")
    press(Qt.Key.Key_Return)
    assert window.stack.currentWidget() is window.before
    press(Qt.Key.Key_6)
    press(Qt.Key.Key_Tab)
    press(Qt.Key.Key_7)
    press(Qt.Key.Key_Return)

    screen = window.attention
    assert window.stack.currentWidget() is screen
    session = window.session
    assert session is not None
    assert session.session_id is not None
    assert store.regions.of_session(session.session_id) == (("lower_back",), ())
    steps = screen.steps
    assert session.plan.planned_s == 180.0 == steps[-1].end_s

    # The spotlight rests on the lower back while the prompts speak of the sensation.
    pain_step = next(i for i, s in enumerate(steps) if s.focus == ("lower_back",))
    clock.advance(LEAD_IN_S + (steps[pain_step].start_s + steps[pain_step].end_s) / 2)
    ticker.fire()
    assert screen.prompt.text() == steps[pain_step].text
    assert screen.body.spotlight is not None
    assert screen.body.spotlight.regions == ("lower_back",)

    clock.advance(180.0 + END_CUE_S)
    ticker.fire()
    assert window.stack.currentWidget() is window.after
    press(Qt.Key.Key_3)
    press(Qt.Key.Key_Tab)
    press(Qt.Key.Key_4)
    press(Qt.Key.Key_Return)
    assert window.stack.currentWidget() is window.summary
    (row,) = store.sessions.of_profile(window.profile_id, region="lower_back")
    assert row.kind == "attention"
    assert row.status is SessionStatus.COMPLETED
    assert row.settings["script"] == "somatic-tracking"
    assert (row.before.pain, row.after.pain) == (7, 4)

    # Back to the attention list, where the person came from; the marked area is remembered.
    press(Qt.Key.Key_Return)
    assert window.stack.currentWidget() is window.attention_home
    press(Qt.Key.Key_Return)
    assert window.where.pain == ("lower_back",)


def test_attention_shifting_asks_for_a_comfortable_area_too(
    qtbot, window: MainWindow, store, clock, ticker, press
):
    open_attention(window, press)
    home = window.attention_home
    home.list.setCurrentRow(
        next(r for r in range(home.list.count()) if "shifting" in home.list.item(r).text())
    )
    press(Qt.Key.Key_Return)
    window.where.map.toggle("left_knee")
    press(Qt.Key.Key_Return)  # on to the comfortable area (the hands are suggested)
    assert window.where.step == "comfort"
    press(Qt.Key.Key_Return)
    press(Qt.Key.Key_S)
    press(Qt.Key.Key_Tab)
    press(Qt.Key.Key_S)
    press(Qt.Key.Key_Return)
    session = window.session
    assert session is not None
    pain, comfort = store.regions.of_session(session.session_id)
    assert pain == ("left_knee",)
    assert comfort == ("left_hand", "right_hand")
    seen = set()
    for step in window.attention.steps:
        seen.update(step.focus)
        seen.update(step.alternate_with)
    assert {"left_knee", "left_hand", "right_hand"} <= seen


def test_skipping_where_it_hurts_and_cancelling_the_ratings_goes_back_to_the_list(
    qtbot, window: MainWindow, store, press
):
    open_attention(window, press)
    press(Qt.Key.Key_Return)
    press(Qt.Key.Key_S)  # mark nothing
    assert window.stack.currentWidget() is window.before
    press(Qt.Key.Key_Escape)
    assert window.stack.currentWidget() is window.attention_home


def test_the_switch_only_works_from_the_lists(qtbot, window: MainWindow, press):
    open_attention(window, press)
    press(Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    assert window.stack.currentWidget() is window.home
    press(Qt.Key.Key_Return)  # a breathing exercise: the rating screen
    assert window.stack.currentWidget() is window.before
    press(Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    assert window.stack.currentWidget() is window.before


def test_a_breathing_session_can_mark_where_it_hurts_first(
    qtbot, window: MainWindow, store, clock, ticker, press
):
    assert not window.home.where_first.isChecked()
    qtbot.mouseClick(window.home.where_first, Qt.MouseButton.LeftButton)
    assert window.home.where_first.isChecked()
    window.home.list.setFocus()
    press(Qt.Key.Key_Return)
    assert window.stack.currentWidget() is window.where
    assert window.where.step == "pain"
    window.where.map.toggle("neck")
    press(Qt.Key.Key_Return)  # breathing asks for no comfortable area: straight on
    assert window.stack.currentWidget() is window.before
    press(Qt.Key.Key_S)
    press(Qt.Key.Key_Tab)
    press(Qt.Key.Key_S)
    press(Qt.Key.Key_Return)
    assert window.stack.currentWidget() is window.practice
    session = window.session
    assert session is not None
    assert session.plan.kind == "breathing"
    assert store.regions.of_session(session.session_id) == (("neck",), ())
    # The choice is remembered for the next start of the app.
    assert store.preferences.get(window.profile_id, "breathing_where_first", "off") == "on"


def test_without_the_option_a_breathing_session_goes_straight_to_the_ratings(
    qtbot, window: MainWindow, press
):
    press(Qt.Key.Key_Return)
    assert window.stack.currentWidget() is window.before


def test_history_shows_where_it_hurt_and_filters_by_it(
    qtbot, window: MainWindow, store, clock, ticker, press
):
    from datetime import UTC, datetime

    from trainer.session.machine import Ratings

    me = window.profile_id
    plan = window.home.plan_for(window.home.current_exercise())
    when = datetime(2026, 3, 1, tzinfo=UTC)
    back = store.sessions.start_session(plan, me, when, Ratings(5, 5))
    store.regions.save(back, ["lower_back"])
    knees = store.sessions.start_session(plan, me, when, Ratings(5, 5))
    store.regions.save(knees, ["left_knee", "right_knee"])
    plain = store.sessions.start_session(plan, me, when, Ratings(5, 5))
    window.show_history()
    history = window.history
    assert sorted(history.visible_sessions()) == sorted([back, knees, plain])
    model = history.table.model()
    column = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(7)].index(
        "Where it hurt"
    )
    words = {model.index(r, column).data() for r in range(3)}
    assert words == {"Lower back", "Both knees", ""}
    offered = [history.region.itemText(i) for i in range(history.region.count())]
    assert offered == ["Anywhere", "Lower back", "Left knee", "Right knee"]
    history.set_region_filter("left_knee")
    assert history.visible_sessions() == [knees]
    history.set_region_filter("")
    assert len(history.visible_sessions()) == 3


def test_history_hides_the_filter_when_nothing_was_ever_marked(qtbot, window: MainWindow):
    window.show_history()
    assert window.history.region.isHidden()


def test_history_says_in_words_what_the_ratings_show(qtbot, window: MainWindow, store):
    window.show_history()
    assert window.history.empty.text().startswith("No sessions yet.")
    assert window.history.summary.isHidden()
    from trainer.app.demo import create_demo_profile
    from trainer.content.catalog import load_catalog
    from trainer.content.scripts import load_scripts

    # The demo's days end on the window's today (a fake clock in March 2026).
    name, _count = create_demo_profile(
        store, "Sam", load_catalog(), load_scripts(), now=window.utc_now
    )
    window.switch_profile(store.profiles.by_name(name).id)
    window.show_history()
    text = window.history.summary.text()
    assert "points lower after practice than before (95% CI" in text
    assert "not whether pain is changing over weeks" in text
