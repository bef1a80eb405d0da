"""The home screen lists the exercises with a length for each."""

from __future__ import annotations

from PySide6.QtCore import Qt

from ui.home import HomeScreen


def test_lists_required_exercises_with_descriptions(qtbot, catalog, ticker):
    home = HomeScreen(catalog)
    qtbot.addWidget(home)
    ids = [home.list.item(row).data(Qt.ItemDataRole.UserRole) for row in range(home.list.count())]
    assert {"coherent-5-5", "box-4-4-4-4", "extended-exhale-4-6"} <= set(ids)
    first = home.list.item(0)
    assert first.text() == "Coherent breathing"
    assert "6 breaths/min" in first.data(Qt.ItemDataRole.UserRole + 2)
    assert "5 minutes" in first.data(Qt.ItemDataRole.UserRole + 2)
    offered = [home.length.itemData(i) for i in range(home.length.count())]
    assert offered == [1, 3, 5, 10, 15]
    assert home.length.currentData() == 5


def test_each_exercise_keeps_its_own_length(qtbot, catalog, ticker):
    home = HomeScreen(catalog)
    qtbot.addWidget(home)
    home.length.setCurrentIndex(home.length.findData(10))
    qtbot.keyClick(home.list, Qt.Key.Key_Down)
    assert home.length.currentData() == 5
    home.length.setCurrentIndex(home.length.findData(1))
    qtbot.keyClick(home.list, Qt.Key.Key_Up)
    assert home.length.currentData() == 10
    with qtbot.waitSignal(home.start_requested) as blocker:
        qtbot.keyClick(home.list, Qt.Key.Key_Return)
    exercise, minutes = blocker.args
    assert (exercise.id, minutes) == ("coherent-5-5", 10)
    with qtbot.waitSignal(home.start_requested) as blocker:
        qtbot.mouseClick(home.start_button, Qt.MouseButton.LeftButton)
    assert blocker.args[1] == 10


def test_patterns_with_holds_carry_the_safety_note(qtbot, catalog, ticker):
    home = HomeScreen(catalog)
    qtbot.addWidget(home)
    notes = {}
    for row in range(home.list.count()):
        home.list.setCurrentRow(row)
        notes[home.current_exercise().id] = home.source_note.text()
    assert "holds are optional" in notes["box-4-4-4-4"]
    assert "stop if you need to" in notes["box-4-4-4-4"]
    assert "holds are optional" not in notes["coherent-5-5"]
    assert notes["coherent-5-5"].startswith("Source: ")
