"""Marking where it hurts before an exercise: by clicks or keys, optional (Skip), with a second step
for a comfortable area when the exercise moves between the two."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from trainer.content.bodymap import BodyMap, load_body_map
from ui.practice.where_it_hurts import (
    COMFORT_HEADING,
    PAIN_HEADING,
    WhereItHurtsScreen,
)


@pytest.fixture(scope="module")
def body_map() -> BodyMap:
    return load_body_map()


class Answers:
    """What the screen said: confirmed (pain, comfort) pairs and cancels."""

    def __init__(self, screen: WhereItHurtsScreen) -> None:
        self.confirmed: list[tuple[tuple[str, ...], tuple[str, ...]]] = []
        self.cancelled = 0
        screen.confirmed.connect(lambda pain, comfort: self.confirmed.append((pain, comfort)))
        screen.cancelled.connect(self._cancel)

    def _cancel(self) -> None:
        self.cancelled += 1


@pytest.fixture
def make(qtbot, ticker, body_map):
    def make_screen(uses=("pain",), pain=(), comfort=(), size=(800, 600)):
        screen = WhereItHurtsScreen(body_map)
        qtbot.addWidget(screen)
        screen.resize(*size)
        screen.show()
        qtbot.waitExposed(screen)
        screen.activateWindow()
        screen.begin(uses, pain, comfort)
        qtbot.waitUntil(screen.hasFocus)
        return screen, Answers(screen)

    return make_screen


def click_region(qtbot, screen: WhereItHurtsScreen, region: str, view: str | None = None) -> None:
    point = screen.map.region_centre(region, view).toPoint()
    qtbot.mouseClick(screen.map, Qt.MouseButton.LeftButton, pos=point)


def test_marked_areas_are_listed_in_words_and_enter_confirms_them(qtbot, make, press):
    screen, answers = make()
    assert screen.heading.text() == PAIN_HEADING
    assert "optional" in screen.intro.text()
    assert "Nothing marked" in screen.summary.text()
    click_region(qtbot, screen, "lower_back")
    click_region(qtbot, screen, "left_shoulder", "back")
    click_region(qtbot, screen, "left_knee")
    click_region(qtbot, screen, "right_knee")
    assert screen.summary.accessibleName() == (
        "Where it hurts: Left shoulder, lower back and both knees"
    )
    for words in ("Left shoulder", "Lower back", "Both knees"):
        assert words in screen.summary.text()
    screen.setFocus()
    press(Qt.Key.Key_Return)
    assert answers.confirmed == [(("left_shoulder", "lower_back", "left_knee", "right_knee"), ())]


def test_continuing_with_nothing_marked_is_fine(make, press):
    _screen, answers = make()
    press(Qt.Key.Key_Enter)
    assert answers.confirmed == [((), ())]


def test_skip_marks_nothing_even_after_clicks(qtbot, make, press):
    screen, answers = make(pain=("head",))
    click_region(qtbot, screen, "chest")
    screen.setFocus()
    press(Qt.Key.Key_S)
    assert answers.confirmed == [((), ())]


def test_escape_goes_back(make, press):
    _screen, answers = make()
    press(Qt.Key.Key_Escape)
    assert answers.cancelled == 1
    assert answers.confirmed == []


def test_marks_from_last_time_are_shown_again_each_at_its_step(make, press):
    screen, _ = make(uses=("pain", "comfort"), pain=("neck",), comfort=("left_foot",))
    assert screen.pain == ("neck",)
    assert screen.map.marks == {"neck": "pain"}  # the comfortable area waits for its step
    press(Qt.Key.Key_Return)
    assert screen.map.marks == {"neck": "pain", "left_foot": "comfort"}
    assert screen.comfort == ("left_foot",)


def test_last_times_comfortable_area_can_be_marked_as_hurting_today(qtbot, make, press):
    screen, answers = make(uses=("pain", "comfort"), comfort=("left_hand", "right_hand"))
    click_region(qtbot, screen, "left_hand")
    assert screen.pain == ("left_hand",)
    screen.setFocus()
    press(Qt.Key.Key_Return)
    assert screen.comfort == ("right_hand",)  # what is left of last time's choice
    press(Qt.Key.Key_Return)
    assert answers.confirmed == [(("left_hand",), ("right_hand",))]


def test_attention_shifting_needs_the_sore_area_before_going_on(qtbot, make, press):
    screen, answers = make(uses=("pain", "comfort"))
    assert screen.skip_button.isHidden()
    press(Qt.Key.Key_Return)
    press(Qt.Key.Key_S)
    assert answers.confirmed == []
    assert screen.step == "pain"
    assert "Mark at least one place first" in screen.summary.text()
    click_region(qtbot, screen, "neck")
    screen.setFocus()
    press(Qt.Key.Key_Return)
    assert screen.step == "comfort"
    assert not screen.skip_button.isHidden()


# -- the comfortable area --------------------------------------------------------------------------


def test_an_exercise_using_comfort_asks_for_it_next_starting_with_the_hands(qtbot, make, press):
    screen, answers = make(uses=("pain", "comfort"))
    click_region(qtbot, screen, "lower_back")
    screen.setFocus()
    assert screen.continue_button.text().startswith("Next")
    press(Qt.Key.Key_Return)
    assert answers.confirmed == []
    assert screen.step == "comfort"
    assert screen.heading.text() == COMFORT_HEADING
    assert "Your hands are chosen for now" in screen.intro.text()
    assert screen.comfort == ("left_hand", "right_hand")
    assert "Both hands" in screen.summary.text()
    press(Qt.Key.Key_Return)
    assert answers.confirmed == [(("lower_back",), ("left_hand", "right_hand"))]


def test_choosing_another_comfortable_area_replaces_the_hands(qtbot, make, press):
    screen, answers = make(uses=("pain", "comfort"), pain=("left_shoulder",))
    screen.go_on()
    click_region(qtbot, screen, "left_foot")
    assert screen.comfort == ("left_foot",)
    click_region(qtbot, screen, "right_foot")
    assert screen.comfort == ("left_foot", "right_foot")  # after the first change, it adds
    click_region(qtbot, screen, "left_shoulder")  # hurting: not taken as comfortable
    assert screen.pain == ("left_shoulder",)
    screen.setFocus()
    press(Qt.Key.Key_Return)
    assert answers.confirmed == [(("left_shoulder",), ("left_foot", "right_foot"))]


def test_when_the_hands_hurt_the_feet_are_offered_instead(make):
    screen, _ = make(uses=("pain", "comfort"), pain=("right_hand",))
    screen.go_on()
    assert screen.comfort == ("left_foot", "right_foot")
    assert "Your feet are chosen" in screen.intro.text()


def test_escape_from_the_comfort_step_goes_back_to_where_it_hurts(qtbot, make, press):
    screen, answers = make(uses=("pain", "comfort"), pain=("neck",))
    press(Qt.Key.Key_Return)
    assert screen.step == "comfort"
    press(Qt.Key.Key_Escape)
    assert screen.step == "pain"
    assert screen.heading.text() == PAIN_HEADING
    assert screen.map.marks == {"neck": "pain"}  # the hands are free to be marked here
    assert answers.cancelled == 0
    press(Qt.Key.Key_Escape)
    assert answers.cancelled == 1


def test_skip_at_the_comfort_step_keeps_the_pain_and_a_comfortable_area_that_does_not_hurt(
    qtbot, make, press
):
    _screen, answers = make(uses=("pain", "comfort"), pain=("neck",))
    press(Qt.Key.Key_Return)
    press(Qt.Key.Key_S)
    _screen2, answers2 = make(uses=("pain", "comfort"), pain=("left_hand", "right_hand"))
    press(Qt.Key.Key_Return)
    press(Qt.Key.Key_S)
    assert answers.confirmed == [(("neck",), ("left_hand", "right_hand"))]
    assert answers2.confirmed == [(("left_hand", "right_hand"), ("left_foot", "right_foot"))]


# -- keyboard only ---------------------------------------------------------------------------------


def test_everything_can_be_done_from_the_keyboard(qtbot, make, press):
    screen, answers = make()
    press(Qt.Key.Key_Down)  # an arrow takes the person into the map
    assert screen.map.hasFocus()
    press(Qt.Key.Key_Down)
    press(Qt.Key.Key_Down)  # head -> neck -> chest
    assert screen.map.focused_region == "chest"
    press(Qt.Key.Key_Space)
    assert screen.pain == ("chest",)
    press(Qt.Key.Key_Tab)
    press(Qt.Key.Key_Tab)
    press(Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is screen.continue_button
    press(Qt.Key.Key_Return)
    assert answers.confirmed == [(("chest",), ())]


def test_the_screen_fits_small_windows(make):
    screen, _ = make(uses=("pain", "comfort"), size=(640, 480))
    hint = screen.minimumSizeHint()
    assert hint.width() <= 640
    assert hint.height() <= 480
    assert screen.size().width() == 640
    assert screen.map.height() >= 250  # still big enough to click a hand


def test_space_marks_on_the_map_and_enter_goes_on_from_there(make, press):
    screen, answers = make()
    screen.map.setFocus()
    press(Qt.Key.Key_Right)  # the keyboard ring appears on the first region, then moves
    press(Qt.Key.Key_Space)
    marked = screen.map.marked("pain")
    assert len(marked) == 1
    assert screen.map.hasFocus()
    press(Qt.Key.Key_Return)
    assert answers.confirmed == [(marked, ())]
