"""The settings dialog: shows what is stored, OK/Apply save (and survive a restart), Cancel does
not, a failed save keeps every choice, bad stored values show defaults, keyboard and names."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QDialog,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from trainer.app.settings import (
    PACER_VISUAL_KEY,
    PACER_VISUALS,
    SOUND_MODE_KEY,
    SOUND_VOLUME_KEY,
    AppSettings,
    CheckIn,
    ProfileSettings,
    load_app_settings,
    load_profile_settings,
)
from trainer.app.settings import PACER_VISUAL_KEY as VISUAL_PREFERENCE
from trainer.app.settings import SOUND_MODE_KEY as SOUND_PREFERENCE
from trainer.app.settings import SOUND_VOLUME_KEY as VOLUME_PREFERENCE
from trainer.content.cues import CueMode
from trainer.errors import StoreError
from trainer.store.store import Store
from ui.common.theme import LIGHT, apply_theme
from ui.shell.reminders import ReminderEditor
from ui.shell.settings_dialog import SettingsDialog
from ui.widgets.pacer import VISUAL_NAMES

CHANGED = ProfileSettings(
    reduced_motion=True,
    sound_mode=CueMode.CHIME,
    sound_volume_pct=35,
    default_length_min=10,
    pacer_visual="wave",
    check_in=CheckIn.NOTHING,
)


class DictPrefs:
    """Preferences in a dict that count writes and can be made to fail."""

    def __init__(self, values: dict[str, str] | None = None) -> None:
        self.values = dict(values or {})
        self.writes: list[str] = []
        self.fail: Exception | None = None

    def get(self, key: str, default: str) -> str:
        return self.values.get(key, default)

    def set(self, key: str, value: str) -> None:
        if self.fail is not None:
            raise self.fail
        self.values[key] = value
        self.writes.append(key)


def app_prefs_of(store: Store):
    """The app-wide preferences: ``store.app_settings`` once the store has it; until then a
    profile kept for the purpose (stored in the same database, so it survives a restart too)."""
    if hasattr(store, "app_settings"):
        return store.app_settings
    name = "(app-wide settings in these tests)"
    found = store.profiles.by_name(name)
    return store.preferences.for_profile(found.id if found else store.profiles.create(name))


@pytest.fixture(autouse=True)
def _answers(dialogs):
    """No real message box may open in these tests."""
    return dialogs


@pytest.fixture
def make_dialog(qtbot, catalog, tmp_path):
    def make(app_prefs, profile_prefs, **kwargs) -> SettingsDialog:
        kwargs.setdefault("profile_name", "Sam")
        kwargs.setdefault("data_dir", tmp_path / "data")
        dialog = SettingsDialog(
            app_prefs=app_prefs, profile_prefs=profile_prefs, lengths=catalog, **kwargs
        )
        qtbot.addWidget(dialog)
        return dialog

    return make


def shown(qtbot, dialog: QDialog) -> QDialog:
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    return dialog


def choose(dialog: SettingsDialog, theme: str, profile: ProfileSettings) -> None:
    """Set the controls as a person would (the combo boxes by their entries' data)."""
    dialog.theme.setCurrentIndex(dialog.theme.findData(theme))
    dialog.reduced_motion.setChecked(profile.reduced_motion)
    dialog.sound.setCurrentIndex(dialog.sound.findData(profile.sound_mode.value))
    dialog.volume.setValue(profile.sound_volume_pct)
    dialog.length.setCurrentIndex(dialog.length.findData(profile.default_length_min))
    dialog.pacer.setCurrentIndex(dialog.pacer.findData(profile.pacer_visual))
    dialog.check_in.setCurrentIndex(dialog.check_in.findData(profile.check_in.value))


def test_the_keys_are_the_practice_screens(catalog) -> None:
    assert (SOUND_MODE_KEY, SOUND_VOLUME_KEY, PACER_VISUAL_KEY) == (
        SOUND_PREFERENCE,
        VOLUME_PREFERENCE,
        VISUAL_PREFERENCE,
    )
    assert PACER_VISUALS == VISUAL_NAMES


def test_shows_what_is_stored(make_dialog, catalog) -> None:
    profile = DictPrefs(
        {
            "reduced_motion": "on",
            "sound_mode": "tone",
            "sound_volume": "40",
            "default_length_min": "15",
            "pacer_visual": "column",
            "quick_check_in": "nothing",
        }
    )
    dialog = make_dialog(DictPrefs({"theme": "high_contrast"}), profile)
    assert dialog.theme.currentText() == "High contrast"
    assert dialog.reduced_motion.isChecked()
    assert dialog.sound.currentData() == CueMode.TONE
    assert dialog.volume.value() == 40
    assert dialog.volume_value.text() == "40 %"
    assert dialog.length.currentText() == "15 minutes"
    assert dialog.pacer.currentData() == "column"
    assert dialog.check_in.currentText() == "Ask nothing"
    assert dialog.problem_note.isHidden()
    # With nothing stored, a quick reset asks one question.
    assert make_dialog(DictPrefs(), DictPrefs()).check_in.currentText() == "Ask one question"
    assert [dialog.length.itemData(i) for i in range(dialog.length.count())] == list(
        catalog.lengths_min
    )


def test_ok_saves_and_a_new_dialog_and_a_restarted_store_show_it(
    qtbot, make_dialog, catalog, tmp_path, press
) -> None:
    data = tmp_path / "data"
    store = Store.open_in(data)
    profile_id = store.profiles.default_id()
    dialog = shown(
        qtbot, make_dialog(app_prefs_of(store), store.preferences.for_profile(profile_id))
    )
    choose(dialog, "dark", CHANGED)
    with qtbot.waitSignal(dialog.applied) as applied:
        press(Qt.Key.Key_Return)  # Enter is OK
    assert applied.args == [AppSettings("dark"), CHANGED]
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert not dialog.isVisible()

    again = make_dialog(app_prefs_of(store), store.preferences.for_profile(profile_id))
    assert (again.app_settings(), again.profile_settings()) == (AppSettings("dark"), CHANGED)
    store.close()

    reopened = Store.open_in(data)  # as after quitting and starting the app again
    try:
        after = make_dialog(app_prefs_of(reopened), reopened.preferences.for_profile(profile_id))
        assert after.app_settings() == AppSettings("dark")
        assert after.profile_settings() == CHANGED
        assert (
            load_profile_settings(reopened.preferences.for_profile(profile_id), catalog) == CHANGED
        )
    finally:
        reopened.close()


def test_cancel_changes_nothing(qtbot, make_dialog, press) -> None:
    app, profile = DictPrefs({"theme": "light"}), DictPrefs()
    dialog = shown(qtbot, make_dialog(app, profile))
    choose(dialog, "dark", CHANGED)
    with qtbot.assertNotEmitted(dialog.applied):
        press(Qt.Key.Key_Escape)
    assert dialog.result() == QDialog.DialogCode.Rejected
    assert app.writes == profile.writes == []
    assert make_dialog(app, profile).theme.currentData() == "light"


def test_apply_saves_and_stays_open(qtbot, make_dialog) -> None:
    app, profile = DictPrefs(), DictPrefs()
    dialog = shown(qtbot, make_dialog(app, profile))
    dialog.volume.setValue(20)
    with qtbot.waitSignal(dialog.applied):
        qtbot.mouseClick(dialog.apply_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible()
    assert profile.values == {"sound_volume": "20"}  # only what changed is written
    assert app.writes == []


def test_ok_keeps_welcome_seen_as_it_was(qtbot, make_dialog) -> None:
    app = DictPrefs({"welcome_seen": "on"})
    dialog = shown(qtbot, make_dialog(app, DictPrefs()))
    dialog.theme.setCurrentIndex(dialog.theme.findData("dark"))
    with qtbot.waitSignal(dialog.applied) as applied:
        dialog.ok_button.click()
    assert applied.args[0] == AppSettings("dark", welcome_seen=True)
    assert load_app_settings(app) == AppSettings("dark", welcome_seen=True)


def test_a_failed_save_says_why_and_keeps_every_choice(qtbot, make_dialog, dialogs) -> None:
    profile = DictPrefs()
    profile.fail = StoreError("Could not save your preferences: the disk is full.")
    dialog = shown(qtbot, make_dialog(DictPrefs(), profile))
    choose(dialog, "dark", CHANGED)
    with qtbot.assertNotEmitted(dialog.applied):
        dialog.ok_button.click()
    assert dialogs.errors == [
        "Could not save the settings: Could not save your preferences: the disk is full.\n\n"
        "Your choices are still here: try again, or Cancel to leave them."
    ]
    assert dialog.isVisible()
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert (dialog.app_settings(), dialog.profile_settings()) == (AppSettings("dark"), CHANGED)

    profile.fail = None  # room on the disk again: OK now works
    with qtbot.waitSignal(dialog.applied):
        dialog.ok_button.click()
    assert load_profile_settings(profile, dialog._lengths) == CHANGED
    assert not dialog.isVisible()


def test_bad_stored_values_show_the_defaults_and_say_so(make_dialog, catalog) -> None:
    profile = DictPrefs(
        {"sound_volume": "loud", "sound_mode": "trumpet", "default_length_min": "7"}
    )
    dialog = make_dialog(DictPrefs({"theme": "neon"}), profile)
    assert dialog.theme.currentData() == "system"
    assert dialog.sound.currentData() == CueMode.OFF
    assert dialog.volume.value() == 50
    assert dialog.length.currentData() == catalog.default_minutes
    assert not dialog.problem_note.isHidden()
    assert dialog.problem_note.text() == (
        "Some settings could not be read, so they show their usual values: "
        "Theme, Sound, Volume, Default length. OK saves them as shown."
    )
    assert dialog.unreadable_keys == ("theme", "sound_mode", "sound_volume", "default_length_min")


def test_an_unreadable_welcome_flag_is_not_mentioned(make_dialog) -> None:
    dialog = make_dialog(DictPrefs({"welcome_seen": "maybe"}), DictPrefs())
    assert dialog.unreadable_keys == ("welcome_seen",)
    assert dialog.problem_note.isHidden()


def test_ok_repairs_bad_stored_values(qtbot, make_dialog) -> None:
    profile = DictPrefs({"sound_volume": "loud"})
    dialog = shown(qtbot, make_dialog(DictPrefs(), profile))
    dialog.ok_button.click()
    assert profile.values == {"sound_volume": "50"}


def test_the_volume_shows_its_value_in_per_cent(qtbot, make_dialog, press) -> None:
    dialog = shown(qtbot, make_dialog(DictPrefs(), DictPrefs()))
    dialog.volume.setFocus()
    press(Qt.Key.Key_Right)
    assert dialog.volume.value() == 55
    assert dialog.volume_value.text() == "55 %"
    press(Qt.Key.Key_End)
    assert dialog.volume_value.text() == "100 %"


def test_the_data_folder_is_shown_and_opened(qtbot, make_dialog, tmp_path, dialogs) -> None:
    opened: list[QUrl] = []
    answer = [True]

    def open_url(url: QUrl) -> bool:
        opened.append(url)
        return answer[0]

    folder = tmp_path / "my data"
    dialog = shown(qtbot, make_dialog(DictPrefs(), DictPrefs(), data_dir=folder, open_url=open_url))
    assert dialog.folder.text() == str(folder)
    assert dialog.folder.isReadOnly()
    qtbot.mouseClick(dialog.open_folder_button, Qt.MouseButton.LeftButton)
    assert opened == [QUrl.fromLocalFile(str(folder))]
    assert dialogs.errors == []
    answer[0] = False
    dialog.open_folder_button.click()
    assert len(dialogs.errors) == 1
    assert dialogs.errors[0].startswith("Could not open the folder:")
    assert str(folder) in dialogs.errors[0]


def test_the_profile_section_names_the_person(make_dialog) -> None:
    dialog = make_dialog(DictPrefs(), DictPrefs(), profile_name="Robin")
    assert dialog.profile_box.title() == "For Robin"
    long_name = "A very long name " * 10
    long = make_dialog(DictPrefs(), DictPrefs(), profile_name=long_name)
    assert long.profile_box.title().endswith("…")
    assert long.profile_box.accessibleName() == f"For {long_name.strip()}"


def reminders_stand_in() -> tuple[QWidget, QCheckBox, QSpinBox]:
    widget = QWidget()
    layout = QVBoxLayout(widget)
    check, spin = QCheckBox("Remind me"), QSpinBox()
    layout.addWidget(check)
    layout.addWidget(spin)
    return widget, check, spin


def test_tab_goes_top_to_bottom_through_an_added_section(qtbot, make_dialog, press) -> None:
    dialog = make_dialog(DictPrefs(), DictPrefs())
    widget, check, spin = reminders_stand_in()
    dialog.add_section("Reminders", widget)
    shown(qtbot, dialog)
    dialog.theme.setFocus()
    expected = [
        check,
        spin,
        dialog.folder,
        dialog.open_folder_button,
        dialog.reduced_motion,
        dialog.pacer,
        dialog.sound,
        dialog.volume,
        dialog.ambient,
        dialog.length,
        dialog.check_in,
    ]
    visited = []
    for _ in expected:
        press(Qt.Key.Key_Tab)
        visited.append(QApplication.focusWidget())
    assert visited == expected
    assert widget.accessibleName() == "Reminders"
    # ...and on to the buttons, then round to the top again.
    for _ in range(4):
        press(Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is dialog.theme


def test_an_added_section_saves_with_ok_and_a_failure_keeps_the_dialog(
    qtbot, make_dialog, dialogs
) -> None:
    dialog = make_dialog(DictPrefs(), DictPrefs())
    widget, _check, _spin = reminders_stand_in()
    calls: list[str] = []
    failure: list[Exception] = []

    def save() -> None:
        if failure:
            raise failure[0]
        calls.append("saved")

    dialog.add_section("Reminders", widget, save=save)
    shown(qtbot, dialog)
    failure.append(StoreError("Could not save the reminders."))
    dialog.ok_button.click()
    assert dialog.isVisible()
    assert "Could not save the reminders." in dialogs.errors[0]
    failure.clear()
    dialog.ok_button.click()
    assert calls == ["saved"]
    assert not dialog.isVisible()


def test_every_control_has_a_name(make_dialog) -> None:
    dialog = make_dialog(DictPrefs(), DictPrefs())
    for control in (
        dialog.theme,
        dialog.folder,
        dialog.open_folder_button,
        dialog.pacer,
        dialog.sound,
        dialog.volume,
        dialog.length,
        dialog.check_in,
    ):
        assert control.accessibleName(), control
    assert dialog.reduced_motion.text() == "&Reduced motion"
    assert dialog.volume.accessibleName() == "Volume (%)"


def test_the_dialog_fits_its_content(qtbot, make_dialog) -> None:
    dialog = shown(qtbot, make_dialog(DictPrefs(), DictPrefs()))
    content = dialog.scroll_area.widget()
    assert dialog.scroll_area.viewport().height() >= content.minimumSizeHint().height()
    for line in dialog.findChildren(QLineEdit):
        assert line.width() >= line.minimumSizeHint().width()


def test_a_large_system_font_never_pushes_the_dialog_off_the_screen(qtbot, qapp, make_dialog):
    normal = qapp.font()
    large = qapp.font()
    large.setPointSize(22)
    qapp.setFont(large)
    try:
        dialog = shown(qtbot, make_dialog(DictPrefs(), DictPrefs(), profile_name="Sam"))
        screen = QGuiApplication.primaryScreen().availableGeometry()
        assert dialog.width() <= screen.width()
        assert dialog.height() <= screen.height()
        # Everything is inside the visible width; what does not fit in height scrolls.
        assert dialog.scroll_area.widget().width() <= dialog.scroll_area.viewport().width()
        assert dialog.scroll_area.horizontalScrollBar().maximum() == 0
    finally:
        qapp.setFont(normal)


def test_the_background_sound_is_shown_and_saved(make_dialog) -> None:
    profile = DictPrefs()
    dialog = make_dialog(DictPrefs(), profile)
    assert not dialog.ambient.isChecked()  # off unless chosen
    assert dialog.ambient.text() == "Soft &background sound (distant surf)"
    dialog.ambient.setChecked(True)
    assert dialog.apply()
    assert profile.values["ambient_sound"] == "on"
    again = make_dialog(DictPrefs(), profile)
    assert again.ambient.isChecked()
    assert again.profile_settings().ambient_sound is True


def test_the_spoken_cue_is_offered_only_where_a_voice_is_installed(
    make_dialog, monkeypatch
) -> None:
    """(tests/ui/conftest.py finds no speech engine unless a test says otherwise)"""
    profile = DictPrefs({"sound_mode": "voice"})
    dialog = make_dialog(DictPrefs(), profile)
    assert dialog.sound.findData(CueMode.VOICE.value) == -1
    assert dialog.sound.currentData() == CueMode.CHIME  # what sounds in its place
    import ui.common.sound

    monkeypatch.setattr(ui.common.sound, "speech_installed", lambda: True)
    with_voice = make_dialog(DictPrefs(), profile)
    assert with_voice.sound.currentData() == CueMode.VOICE
    assert with_voice.sound.currentText() == "A voice saying in and out"


def with_reminders(make_dialog, qapp) -> tuple[SettingsDialog, ReminderEditor]:
    apply_theme(qapp, LIGHT)  # its padding, as in the app
    # A short data folder, as ~/.local/share/safesignal: a long one would widen the dialog.
    dialog = make_dialog(DictPrefs(), DictPrefs(), data_dir=Path("/home/sam/data"))
    editor = ReminderEditor()
    dialog.add_section("Reminders", editor)
    return dialog, editor


def assert_every_day_whole(qtbot, dialog: SettingsDialog, editor: ReminderEditor) -> None:
    """Once laid out (a moment after a change), no day box is cut or out of sight."""
    qtbot.waitUntil(lambda: every_day_whole(dialog, editor), timeout=2000)


def every_day_whole(dialog: SettingsDialog, editor: ReminderEditor) -> None:
    viewport = dialog.scroll_area.viewport()
    assert dialog.scroll_area.horizontalScrollBar().maximum() == 0
    for box in editor.days:
        assert box.isVisible(), box.text()
        left = box.mapTo(viewport, box.rect().topLeft()).x()
        right = box.mapTo(viewport, box.rect().topRight()).x()
        assert 0 <= left < right < viewport.width(), box.text()
        assert box.width() >= box.sizeHint().width(), box.text()  # "Sun" not cut off


@pytest.mark.parametrize("point_size", [None, 22])
def test_ticking_reminders_keeps_every_day_whole_without_a_sideways_scroll(
    qtbot, qapp, make_dialog, point_size
) -> None:
    normal = qapp.font()
    if point_size is not None:
        large = qapp.font()
        large.setPointSize(point_size)
        qapp.setFont(large)
    try:
        dialog, editor = with_reminders(make_dialog, qapp)
        shown(qtbot, dialog)
        size = dialog.size()
        editor.enabled.click()  # was: a sideways scroll bar, and "Sun" cut off
        assert dialog.size() == size  # the dialog does not change size under the person
        assert_every_day_whole(qtbot, dialog, editor)
        editor.every.click()  # the other way has its own rows
        assert_every_day_whole(qtbot, dialog, editor)
    finally:
        qapp.setFont(normal)


def test_on_a_1024x600_screen_the_buttons_show_and_the_rest_scrolls(
    qtbot, qapp, make_dialog
) -> None:
    dialog, editor = with_reminders(make_dialog, qapp)
    shown(qtbot, dialog)
    editor.enabled.click()
    dialog.resize(round(1024 * 0.9), round(600 * 0.9))  # what it takes on that screen
    qtbot.waitUntil(lambda: dialog.height() == round(600 * 0.9))
    assert dialog.minimumSizeHint().height() <= 600 * 0.9
    for button in (dialog.ok_button, dialog.cancel_button, dialog.apply_button):
        assert button.isVisible()
        corner = button.mapTo(dialog, button.rect().bottomRight())
        assert dialog.rect().contains(corner)
    assert dialog.scroll_area.verticalScrollBar().maximum() > 0  # the rest scrolls
    assert_every_day_whole(qtbot, dialog, editor)


def test_a_theme_shows_as_it_is_chosen_and_cancel_puts_the_one_in_use_back(
    qtbot, make_dialog, press
) -> None:
    shown_themes: list[str] = []
    app = DictPrefs({"theme": "system"})
    dialog = shown(
        qtbot, make_dialog(app, DictPrefs(), preview_theme=shown_themes.append, theme_in_use="dark")
    )
    assert shown_themes == []  # opening shows nothing new
    dialog.theme.setFocus()
    press(Qt.Key.Key_Down)  # as a person would, from the keyboard
    assert dialog.theme.currentData() == "light"
    assert shown_themes == ["light"]  # at once, before OK
    dialog.theme.setCurrentIndex(dialog.theme.findData("high_contrast"))
    assert shown_themes == ["light", "high_contrast"]
    press(Qt.Key.Key_Escape)
    assert shown_themes[-1] == "dark"  # the theme in use (from --theme), not the saved one
    assert app.writes == []


def test_a_theme_kept_with_ok_or_apply_stays_after_cancel(qtbot, make_dialog) -> None:
    shown_themes: list[str] = []
    dialog = shown(qtbot, make_dialog(DictPrefs(), DictPrefs(), preview_theme=shown_themes.append))
    dialog.theme.setCurrentIndex(dialog.theme.findData("dark"))
    dialog.apply_button.click()
    dialog.theme.setCurrentIndex(dialog.theme.findData("high_contrast"))
    dialog.cancel_button.click()
    assert shown_themes == ["dark", "high_contrast", "dark"]  # back to the one applied
    again = shown(qtbot, make_dialog(DictPrefs(), DictPrefs(), preview_theme=shown_themes.append))
    again.theme.setCurrentIndex(again.theme.findData("light"))
    again.ok_button.click()
    assert shown_themes[-1] == "light"


def test_a_control_reached_by_its_alt_key_is_scrolled_into_sight(qtbot, qapp, make_dialog) -> None:
    dialog, _editor = with_reminders(make_dialog, qapp)
    shown(qtbot, dialog)
    dialog.resize(round(1024 * 0.9), round(600 * 0.9))
    qtbot.waitUntil(lambda: dialog.scroll_area.verticalScrollBar().maximum() > 0)
    viewport = dialog.scroll_area.viewport()
    qtbot.keyClick(dialog, Qt.Key.Key_Q, Qt.KeyboardModifier.AltModifier)  # "Before a quick reset"
    assert dialog.check_in.hasFocus()
    top = dialog.check_in.mapTo(viewport, dialog.check_in.rect().topLeft()).y()
    bottom = dialog.check_in.mapTo(viewport, dialog.check_in.rect().bottomLeft()).y()
    assert 0 <= top < bottom < viewport.height()


def test_ok_and_cancel_name_their_keys_in_tooltips_not_labels(make_dialog) -> None:
    dialog = make_dialog(DictPrefs(), DictPrefs())
    assert (dialog.ok_button.text(), dialog.cancel_button.text()) == ("OK", "Cancel")
    assert "(Enter)" in dialog.ok_button.toolTip()
    assert "(Esc)" in dialog.cancel_button.toolTip()
    assert dialog.cancel_button.accessibleDescription() == "Shortcut: Esc"
