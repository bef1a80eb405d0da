"""The tray icon's menu: what it offers, what each item asks for, and how reminders stand."""

from __future__ import annotations

import pytest

from ui.shell.tray import NO_LAST_TEXT, TrayIcon


@pytest.fixture
def tray(qapp) -> TrayIcon:
    return TrayIcon()


def test_the_menu_offers_practice_the_app_reminders_and_quit(tray: TrayIcon) -> None:
    texts = [action.text() for action in tray.menu.actions() if not action.isSeparator()]
    assert texts == [
        "Reminders are off.",
        NO_LAST_TEXT,
        "Start a 1-minute &reset",
        "&Open Safe Signal",
        "&Pause reminders for 1 hour",
        "Pause reminders until &tomorrow",
        "Re&sume reminders",
        "&Quit Safe Signal",
    ]
    assert not tray.status_action.isEnabled()  # a line to read, not an item to choose


@pytest.mark.parametrize(
    ("action", "signal"),
    [
        ("reset_action", "reset_requested"),
        ("open_action", "open_requested"),
        ("quit_action", "quit_requested"),
    ],
)
def test_each_item_emits_its_signal(qtbot, tray, action, signal) -> None:
    with qtbot.waitSignal(getattr(tray, signal), timeout=100):
        getattr(tray, action).trigger()


def test_the_last_exercise_can_be_started_again(qtbot, tray: TrayIcon) -> None:
    assert not tray.start_last_action.isEnabled()
    tray.set_last_exercise("Slow & steady")
    assert tray.start_last_action.text() == 'Start "Slow && steady"'  # the & is shown, once
    assert tray.start_last_action.isEnabled()
    with qtbot.waitSignal(tray.start_last_requested, timeout=100):
        tray.start_last_action.trigger()
    tray.set_last_exercise(None)
    assert tray.start_last_action.text() == NO_LAST_TEXT
    assert not tray.start_last_action.isEnabled()


def test_pause_and_resume_follow_how_reminders_stand(tray: TrayIcon) -> None:
    def offered() -> tuple[bool, bool, bool]:
        return (
            tray.pause_hour_action.isEnabled(),
            tray.pause_tomorrow_action.isEnabled(),
            tray.resume_action.isEnabled(),
        )

    assert offered() == (False, False, False)  # reminders off: nothing to pause
    tray.set_reminder_status(enabled=True, paused=False, text="Next reminder today at 15:00.")
    assert offered() == (True, True, False)
    assert tray.status_action.text() == "Next reminder today at 15:00."
    tray.set_reminder_status(enabled=True, paused=True, text="Reminders are paused until tomorrow.")
    assert offered() == (False, False, True)


def test_without_a_tray_nothing_is_shown_and_messages_go_nowhere(tray: TrayIcon) -> None:
    # The offscreen test platform has no tray, like a desktop without one.
    assert not TrayIcon.system_has_tray()
    assert not tray.available()
    tray.show()
    tray.notify("Time for a short pause?", "A minute of slow breathing can help.")
