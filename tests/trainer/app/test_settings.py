"""Tests for trainer/app/settings.py: keys, defaults, checks, and loading/saving through preferences."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from trainer.app.settings import (
    AMBIENT,
    APP_KEYS,
    PROFILE_KEYS,
    AppSettings,
    CheckIn,
    ProfileSettings,
    SettingError,
    app_setting_from_text,
    load_app_settings,
    load_profile_settings,
    profile_defaults,
    profile_setting_from_text,
    read_setting,
    save_app_settings,
    save_profile_settings,
    setting_names,
)
from trainer.content.catalog import load_catalog
from trainer.content.cues import CueMode
from trainer.errors import StoreError
from trainer.store.store import Store


class DictPrefs:
    """Preferences in a dict that record every write, and can be made to fail."""

    def __init__(self, values: dict[str, str] | None = None) -> None:
        self.values = dict(values or {})
        self.writes: list[str] = []
        self.fail_reads = False
        self.fail_writes_after: int | None = None  # writes allowed before set() fails

    def get(self, key: str, default: str) -> str:
        if self.fail_reads:
            raise StoreError("Could not read your preferences: the disk is unhappy.")
        return self.values.get(key, default)

    def set(self, key: str, value: str) -> None:
        if self.fail_writes_after is not None and len(self.writes) >= self.fail_writes_after:
            raise StoreError("Could not save your preferences: the disk is full.")
        self.values[key] = value
        self.writes.append(key)


@dataclass(frozen=True)
class Lengths:
    lengths_min: tuple[int, ...] = (1, 3, 5, 10, 15)
    default_minutes: int = 5


LENGTHS = Lengths()
CHANGED_PROFILE = ProfileSettings(
    reduced_motion=True,
    sound_mode=CueMode.CHIME,
    sound_volume_pct=35,
    default_length_min=10,
    pacer_visual="wave",
    ambient_sound=True,
    check_in=CheckIn.NOTHING,
)


def test_keys_are_the_ones_the_screens_use() -> None:
    assert APP_KEYS == ("theme", "welcome_seen")
    assert PROFILE_KEYS == (
        "reduced_motion",
        "sound_mode",
        "sound_volume",
        "default_length_min",
        "pacer_visual",
        "ambient_sound",
        "quick_check_in",
    )
    assert set(setting_names()) == {*APP_KEYS, *PROFILE_KEYS}


def test_nothing_stored_gives_the_defaults() -> None:
    prefs = DictPrefs()
    bad: list[str] = []
    assert load_app_settings(prefs, bad=bad) == AppSettings("system", welcome_seen=False)
    profile = load_profile_settings(prefs, Lengths(default_minutes=3), bad=bad)
    assert profile == ProfileSettings(False, CueMode.OFF, 50, 3, "circle")
    assert bad == []


def test_the_real_catalog_offers_the_default_length() -> None:
    catalog = load_catalog()
    assert profile_defaults(catalog).default_length_min == catalog.default_minutes
    assert catalog.default_minutes in catalog.lengths_min


def test_saved_settings_load_back() -> None:
    prefs = DictPrefs()
    save_app_settings(prefs, AppSettings("high_contrast", welcome_seen=True))
    save_profile_settings(prefs, CHANGED_PROFILE, LENGTHS)
    assert load_app_settings(prefs) == AppSettings("high_contrast", welcome_seen=True)
    assert load_profile_settings(prefs, LENGTHS) == CHANGED_PROFILE


def test_stored_as_the_practice_screen_writes_them() -> None:
    prefs = DictPrefs()
    save_profile_settings(prefs, CHANGED_PROFILE, LENGTHS)
    save_app_settings(prefs, AppSettings("dark", welcome_seen=True))
    assert prefs.values == {
        "reduced_motion": "on",
        "sound_mode": "chime",
        "sound_volume": "35",
        "default_length_min": "10",
        "pacer_visual": "wave",
        "ambient_sound": "on",
        "quick_check_in": "nothing",
        "theme": "dark",
        "welcome_seen": "on",
    }


def test_save_writes_only_what_changed() -> None:
    prefs = DictPrefs()
    assert save_app_settings(prefs, AppSettings()) == ()  # defaults need not be written
    assert save_profile_settings(prefs, profile_defaults(LENGTHS), LENGTHS) == ()
    assert save_app_settings(prefs, AppSettings(theme="dark")) == ("theme",)
    assert save_app_settings(prefs, AppSettings(theme="dark")) == ()
    # Back to the default: stored "dark" must be replaced, so it is written.
    assert save_app_settings(prefs, AppSettings(theme="system")) == ("theme",)
    settings = ProfileSettings(sound_volume_pct=40, default_length_min=5)
    assert save_profile_settings(prefs, settings, LENGTHS) == ("sound_volume",)
    assert prefs.writes == ["theme", "theme", "sound_volume"]


def test_a_bad_stored_value_is_rewritten_even_when_the_default_is_kept() -> None:
    prefs = DictPrefs({"sound_volume": "loud"})
    assert save_profile_settings(prefs, profile_defaults(LENGTHS), LENGTHS) == ("sound_volume",)
    assert prefs.values["sound_volume"] == "50"


@pytest.mark.parametrize(
    ("key", "stored"),
    [
        ("reduced_motion", "sometimes"),
        ("sound_mode", "trumpet"),
        ("sound_volume", "150"),
        ("sound_volume", "-1"),
        ("sound_volume", "half"),
        ("sound_volume", "7.5"),
        ("default_length_min", "7"),  # not a length the catalog offers
        ("default_length_min", ""),
        ("pacer_visual", "spiral"),
        ("ambient_sound", "loud"),
        ("quick_check_in", "a few questions"),
    ],
)
def test_a_bad_profile_value_falls_back_and_is_reported(key: str, stored: str) -> None:
    good = {
        "reduced_motion": "on",
        "sound_mode": "tone",
        "sound_volume": "20",
        "default_length_min": "15",
        "pacer_visual": "column",
        "ambient_sound": "on",
        "quick_check_in": "nothing",
    }
    prefs = DictPrefs({**good, key: stored})
    bad: list[str] = []
    loaded = load_profile_settings(prefs, LENGTHS, bad=bad)
    assert bad == [key]
    expected = ProfileSettings(
        True, CueMode.TONE, 20, 15, "column", ambient_sound=True, check_in=CheckIn.NOTHING
    )
    attr = {"sound_volume": "sound_volume_pct", "quick_check_in": "check_in"}.get(key, key)
    assert getattr(loaded, attr) == getattr(profile_defaults(LENGTHS), attr)
    others = ("reduced_motion", "sound_mode", "sound_volume_pct", "pacer_visual", "ambient_sound")
    for other in (*others, "check_in"):
        if other != attr:
            assert getattr(loaded, other) == getattr(expected, other)


def test_bad_app_values_fall_back_and_are_reported() -> None:
    prefs = DictPrefs({"theme": "neon", "welcome_seen": "perhaps"})
    bad: list[str] = []
    assert load_app_settings(prefs, bad=bad) == AppSettings()
    assert bad == ["theme", "welcome_seen"]
    assert load_app_settings(prefs) == AppSettings()  # no list given: still no exception


def test_unreadable_preferences_give_defaults_without_raising() -> None:
    prefs = DictPrefs({"theme": "dark"})
    prefs.fail_reads = True
    bad: list[str] = []
    assert load_app_settings(prefs, bad=bad) == AppSettings()
    assert bad == ["theme", "welcome_seen"]


def test_save_stops_at_a_failed_write_and_says_why() -> None:
    prefs = DictPrefs()
    prefs.fail_writes_after = 1
    with pytest.raises(StoreError, match="disk is full"):
        save_profile_settings(prefs, CHANGED_PROFILE, LENGTHS)
    assert prefs.writes == ["reduced_motion"]
    prefs.fail_writes_after = None  # the disk has room again: saving once more completes it
    save_profile_settings(prefs, CHANGED_PROFILE, LENGTHS)
    assert load_profile_settings(prefs, LENGTHS) == CHANGED_PROFILE


def test_a_length_not_offered_is_not_saved() -> None:
    prefs = DictPrefs()
    with pytest.raises(SettingError, match=r"^Default length must be one of 1, 3, 5, 10 or 15"):
        save_profile_settings(prefs, ProfileSettings(default_length_min=7), LENGTHS)
    assert prefs.writes == []


@pytest.mark.parametrize(
    ("key", "text", "attr", "value"),
    [
        ("theme", " Dark ", "theme", "dark"),
        ("theme", "High contrast", "theme", "high_contrast"),
        ("theme", "high-contrast", "theme", "high_contrast"),
        ("welcome_seen", "yes", "welcome_seen", True),
        ("welcome_seen", "OFF", "welcome_seen", False),
    ],
)
def test_app_values_from_text(key: str, text: str, attr: str, value: object) -> None:
    assert getattr(app_setting_from_text(AppSettings(), key, text), attr) == value


@pytest.mark.parametrize(
    ("key", "text", "attr", "value"),
    [
        ("reduced_motion", "true", "reduced_motion", True),
        ("sound_mode", "Chime", "sound_mode", CueMode.CHIME),
        ("sound_volume", "0", "sound_volume_pct", 0),
        ("sound_volume", "100 %", "sound_volume_pct", 100),
        ("default_length_min", "15", "default_length_min", 15),
        ("pacer_visual", "WAVE", "pacer_visual", "wave"),
        ("quick_check_in", " Nothing ", "check_in", CheckIn.NOTHING),
        ("quick_check_in", "one question", "check_in", CheckIn.ONE_QUESTION),
    ],
)
def test_profile_values_from_text(key: str, text: str, attr: str, value: object) -> None:
    changed = profile_setting_from_text(profile_defaults(LENGTHS), key, text, LENGTHS)
    assert getattr(changed, attr) == value


@pytest.mark.parametrize(
    ("key", "text", "message"),
    [
        ("sound_volume", "101", "Volume must be a whole number from 0 to 100 (%), not '101'."),
        ("sound_volume", "loud", "Volume must be a whole number from 0 to 100 (%), not 'loud'."),
        ("sound_mode", "bell", "Sound must be one of off, tone, chime or voice, not 'bell'."),
        (
            "default_length_min",
            "7",
            "Default length must be one of 1, 3, 5, 10 or 15 (minutes), not '7'.",
        ),
        ("reduced_motion", "maybe", "Reduced motion must be on or off, not 'maybe'."),
        ("pacer_visual", "dots", "Pacer must be one of circle, column or wave, not 'dots'."),
    ],
)
def test_bad_profile_text_names_the_setting_and_its_range(
    key: str, text: str, message: str
) -> None:
    with pytest.raises(SettingError) as caught:
        profile_setting_from_text(profile_defaults(LENGTHS), key, text, LENGTHS)
    assert str(caught.value) == message


def test_bad_app_text_names_the_setting_and_its_range() -> None:
    with pytest.raises(SettingError) as caught:
        app_setting_from_text(AppSettings(), "theme", "blue")
    assert str(caught.value) == (
        "Theme must be one of system, light, dark or high_contrast, not 'blue'."
    )


def test_a_long_bad_value_is_shortened_in_the_message() -> None:
    with pytest.raises(SettingError) as caught:
        app_setting_from_text(AppSettings(), "theme", "x" * 500 + "\n" + "y")
    message = str(caught.value)
    assert "\n" not in message
    assert len(message) < 120


def test_an_unknown_key_lists_the_known_ones() -> None:
    with pytest.raises(SettingError, match=r"no setting 'colour'; the settings are theme, welcome"):
        app_setting_from_text(AppSettings(), "colour", "red")
    with pytest.raises(SettingError, match=r"no setting 'theme'; the settings are reduced_motion"):
        profile_setting_from_text(profile_defaults(LENGTHS), "theme", "dark", LENGTHS)


@pytest.mark.parametrize(
    "make",
    [
        lambda: AppSettings(theme="blue"),
        lambda: AppSettings(welcome_seen=1),  # type: ignore[arg-type]
        lambda: ProfileSettings(sound_volume_pct=101),
        lambda: ProfileSettings(sound_volume_pct=True),
        lambda: ProfileSettings(sound_mode="tone"),  # type: ignore[arg-type]
        lambda: ProfileSettings(default_length_min=0),
        lambda: ProfileSettings(pacer_visual="spiral"),
    ],
)
def test_settings_cannot_be_made_with_impossible_values(make: object) -> None:
    with pytest.raises(ValueError, match=r"\w"):
        make()  # type: ignore[operator]


def test_settings_survive_closing_and_reopening_the_store(tmp_path: Path) -> None:
    data = tmp_path / "data"
    store = Store.open_in(data)
    profile_id = store.profiles.create("Robin")
    save_profile_settings(store.preferences.for_profile(profile_id), CHANGED_PROFILE, LENGTHS)
    store.close()

    reopened = Store.open_in(data)
    try:
        assert load_profile_settings(reopened.preferences.for_profile(profile_id), LENGTHS) == (
            CHANGED_PROFILE
        )
        # The other profile kept its own (default) settings.
        other = reopened.preferences.for_profile(reopened.profiles.default_id())
        assert load_profile_settings(other, LENGTHS) == profile_defaults(LENGTHS)
    finally:
        reopened.close()


# -- one setting at a time, typed ----------------------------------------------------------------


def test_each_small_choice_reads_typed_with_its_own_default():
    from trainer.app.settings import (
        EYES_CLOSED,
        FOCUS_WORD,
        LAST_PAIN,
        MINI_POSITION,
        SOUND_VOLUME,
        MemoryPreferences,
        read_setting,
    )

    prefs = MemoryPreferences()
    assert read_setting(prefs, FOCUS_WORD) is True
    assert read_setting(prefs, EYES_CLOSED) is False
    assert read_setting(prefs, LAST_PAIN) == ()
    assert read_setting(prefs, MINI_POSITION) is None
    assert read_setting(prefs, SOUND_VOLUME) == 50
    prefs.set("eyes_closed", "on")
    prefs.set("last_pain_regions", "neck,,lower_back")
    prefs.set("mini_pacer_position", "40,60")
    prefs.set("sound_volume", "150")  # out of range: the default
    assert read_setting(prefs, EYES_CLOSED) is True
    assert read_setting(prefs, LAST_PAIN) == ("neck", "lower_back")
    assert read_setting(prefs, MINI_POSITION) == (40, 60)
    assert read_setting(prefs, SOUND_VOLUME) == 50


def test_a_damaged_or_unreadable_choice_falls_back_and_a_refused_write_is_reported():
    from trainer.app.settings import (
        FOCUS_WORD,
        MINI_POSITION,
        PACER_VISUAL,
        MemoryPreferences,
        read_setting,
        write_setting,
    )
    from trainer.errors import StoreError

    prefs = MemoryPreferences()
    prefs.set("focus_phase_word", "maybe")
    prefs.set("mini_pacer_position", "left")
    prefs.set("pacer_visual", "spiral")
    assert read_setting(prefs, FOCUS_WORD) is True
    assert read_setting(prefs, MINI_POSITION) is None
    assert read_setting(prefs, PACER_VISUAL) == "circle"

    class Broken:
        def get(self, key: str, default: str) -> str:
            raise StoreError("the disk is not there")

        def set(self, key: str, value: str) -> None:
            raise StoreError("the disk is full")

    assert read_setting(Broken(), FOCUS_WORD) is True
    assert write_setting(Broken(), FOCUS_WORD, False) is False
    assert write_setting(prefs, FOCUS_WORD, False) is True
    assert prefs.get("focus_phase_word", "") == "off"


def test_the_background_sound_is_off_unless_chosen_and_typed() -> None:
    assert profile_defaults(LENGTHS).ambient_sound is False
    assert read_setting(DictPrefs(), AMBIENT) is False
    assert read_setting(DictPrefs({"ambient_sound": "on"}), AMBIENT) is True
    assert read_setting(DictPrefs({"ambient_sound": "surf"}), AMBIENT) is False  # unreadable
    turned_on = profile_setting_from_text(
        profile_defaults(LENGTHS), "ambient_sound", "yes", LENGTHS
    )
    assert turned_on.ambient_sound is True
    with pytest.raises(SettingError, match="Background sound must be on or off"):
        profile_setting_from_text(turned_on, "ambient_sound", "loud", LENGTHS)
