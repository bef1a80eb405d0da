"""Hostile input for settings, reminder settings and ratings: any text gives a value or one line
naming the setting, a refused value is never written, and saved values read back the same.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.trainer.hostile import JSON_VALUES, NUMBERS, SCALARS, db_contents, outcome
from trainer.app.settings import (
    APP_KEYS,
    PROFILE_KEYS,
    AppSettings,
    ProfileSettings,
    SettingError,
    app_setting_from_text,
    load_app_settings,
    load_profile_settings,
    profile_setting_from_text,
    save_app_settings,
    save_profile_settings,
    setting_names,
)
from trainer.desk.reminders import (
    PLAN_KEY,
    STATE_KEY,
    ReminderPlan,
    ReminderState,
    load_plan,
    load_state,
    next_due,
    status_text,
)
from trainer.errors import RatingError, ReminderError
from trainer.session.ratings import validate_rating
from trainer.store.store import Store


@dataclass(frozen=True)
class Lengths:
    """The catalog's lengths, as the settings see them."""

    lengths_min: tuple[int, ...] = (1, 3, 5, 10, 15)
    default_minutes: int = 5


LENGTHS = Lengths()
WORDS = st.sampled_from(
    [
        "on",
        "OFF",
        " yes ",
        "0",
        "dark",
        "High contrast",
        "high-contrast",
        "tone",
        "70",
        "70 %",
        "101",
        "-1",
        "1_0",
        "٣",
        "5 min",
        "nan",
        "inf",
        "1e3",
        "9" * 5000,
        "",
        " ",
        "\x00",
        "\ud800",
    ]
)
TEXTS = WORDS | st.text(max_size=30)


@given(st.sampled_from(APP_KEYS + PROFILE_KEYS) | st.text(max_size=15), TEXTS)
def test_any_text_for_any_setting_gives_a_value_or_one_line_naming_it(key: str, text: str) -> None:
    names = setting_names()
    name = names.get(key, "setting")
    if key in APP_KEYS:
        result = outcome(
            lambda: app_setting_from_text(AppSettings(), key, text), SettingError, name
        )
        if isinstance(result, AppSettings):
            assert app_setting_from_text(result, key, text) == result
    else:
        result = outcome(
            lambda: profile_setting_from_text(ProfileSettings(), key, text, LENGTHS),
            SettingError,
            name,
        )


class DictPrefs:
    """Preferences in a dict, as the store keeps them (text by key)."""

    def __init__(self, values: dict[str, str]) -> None:
        self.values = values

    def get(self, key: str, default: str) -> str:
        return self.values.get(key, default)

    def set(self, key: str, value: str) -> None:
        self.values[key] = value


@given(st.dictionaries(st.sampled_from(APP_KEYS + PROFILE_KEYS), TEXTS))
def test_stored_text_of_any_kind_loads_and_saves_back(stored: dict[str, str]) -> None:
    bad: list[str] = []
    app = load_app_settings(DictPrefs(dict(stored)), bad=bad)
    profile = load_profile_settings(DictPrefs(dict(stored)), LENGTHS, bad=bad)
    assert set(bad) <= set(stored)
    prefs = DictPrefs({})
    save_app_settings(prefs, app)
    save_profile_settings(prefs, profile, LENGTHS)
    assert load_app_settings(prefs) == app
    assert load_profile_settings(prefs, LENGTHS) == profile


@pytest.fixture(scope="module")
def settings_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("settings")
    Store.open_in(folder).close()
    return folder


@given(st.sampled_from(PROFILE_KEYS), TEXTS)
def test_a_refused_setting_changes_nothing_on_disk(settings_db: Path, key: str, text: str) -> None:
    before = db_contents(settings_db / "safesignal.db")
    store = Store.open_in(settings_db)
    try:
        prefs = store.preferences.for_profile(store.profiles.default_id())
        current = load_profile_settings(prefs, LENGTHS)
        result = outcome(
            lambda: profile_setting_from_text(current, key, text, LENGTHS),
            SettingError,
            setting_names()[key],
        )
        if isinstance(result, SettingError):
            save_profile_settings(prefs, current, LENGTHS)  # what a screen does after the error
    finally:
        store.close()
    if isinstance(result, SettingError):
        assert db_contents(settings_db / "safesignal.db") == before


# -- reminders ---------------------------------------------------------------------------------

PLAN_FIELDS = {
    "version": st.just(1) | JSON_VALUES,
    "enabled": st.booleans() | JSON_VALUES,
    "mode": st.sampled_from(["times", "interval"]) | JSON_VALUES,
    "times": st.lists(st.sampled_from(["09:30", "23:59", "24:00", "9:30", "٠٩:٣٠"]) | SCALARS)
    | JSON_VALUES,
    "interval_min": NUMBERS | JSON_VALUES,
    "work_start": st.sampled_from(["09:00", "00:00", "x"]) | JSON_VALUES,
    "work_end": st.sampled_from(["17:00", "23:59"]) | JSON_VALUES,
    "weekdays": st.lists(st.integers(-2, 8) | NUMBERS) | JSON_VALUES,
    "snooze_min": NUMBERS | JSON_VALUES,
}
PLAN_TEXTS = (
    st.fixed_dictionaries({}, optional=PLAN_FIELDS).map(json.dumps)
    | JSON_VALUES.map(lambda v: json.dumps(v, allow_nan=True))
    | st.text(max_size=40)
    | st.sampled_from(["[" * 5000, '{"mode": []}', '{"snooze_min": ' + "9" * 5000 + "}"])
)


@given(PLAN_TEXTS)
def test_any_saved_plan_text_gives_a_plan_or_one_line(text: str) -> None:
    result = outcome(lambda: ReminderPlan.from_text(text), ReminderError)
    if isinstance(result, ReminderPlan):
        assert ReminderPlan.from_text(result.to_text()) == result
    problems: list[str] = []
    plan = load_plan(DictPrefs({PLAN_KEY: text}), problems)
    assert all("\n" not in problem for problem in problems)
    assert plan == (result if isinstance(result, ReminderPlan) else load_plan(DictPrefs({})))


STATE_TEXTS = (
    st.fixed_dictionaries(
        {},
        optional={
            key: st.sampled_from(
                [
                    "2024-05-01T09:30:00Z",
                    "0001-01-01T00:00:00+01:00",
                    "9999-12-31T23:59:59-01:00",
                    "2024-05-01",
                    "9999-12-31T23:59:59Z",
                    "0001-01-01T00:00:00Z",
                    "",
                ]
            )
            | JSON_VALUES
            for key in ("snoozed_until", "paused_until", "last_shown_at")
        },
    ).map(json.dumps)
    | st.text(max_size=40)
    | st.sampled_from(["[" * 5000])
)


@given(STATE_TEXTS)
def test_any_saved_state_text_gives_a_state_or_one_line(text: str) -> None:
    result = outcome(lambda: ReminderState.from_text(text), ReminderError, "reminder state")
    if isinstance(result, ReminderState):
        assert ReminderState.from_text(result.to_text()) == result
        # A state that loads can be used: the next reminder and the status line.
        plan = ReminderPlan(enabled=True, weekdays=frozenset(range(7)))
        now = datetime(2024, 5, 1, 9, 30, tzinfo=UTC)
        next_due(plan, result, now, UTC)
        assert status_text(plan, result, now, UTC)
    load_state(DictPrefs({STATE_KEY: text}), [])


# -- ratings -------------------------------------------------------------------------------------


@given(SCALARS | JSON_VALUES, st.sampled_from(["tension", "pain"]))
def test_any_rating_is_0_to_10_skipped_or_one_line(value: object, what: str) -> None:
    result = outcome(lambda: validate_rating(value, what), RatingError, what)
    if not isinstance(result, RatingError):
        assert result is None or (type(result) is int and 0 <= result <= 10)


# -- the bugs these properties found -------------------------------------------------------------


def test_a_saved_plan_with_a_list_for_its_mode_is_a_reminder_error() -> None:
    """Found: {"mode": []} raised TypeError (unhashable type: 'list')."""
    with pytest.raises(ReminderError, match="mode"):
        ReminderPlan.from_text('{"mode": []}')


@pytest.mark.parametrize("cls", [ReminderPlan, ReminderState])
def test_saved_reminder_text_nested_far_too_deep_is_a_reminder_error(cls: type) -> None:
    """Found: 5000 "[" raised RecursionError out of json.loads."""
    with pytest.raises(ReminderError, match="could not be read"):
        cls.from_text("[" * 5000)


def test_a_saved_pause_before_the_calendar_starts_is_a_reminder_error() -> None:
    """Found: "0001-01-01T00:00:00+01:00" raised OverflowError (date value out of range)."""
    with pytest.raises(ReminderError, match="paused_until"):
        ReminderState.from_text('{"paused_until": "0001-01-01T00:00:00+01:00"}')


@pytest.mark.parametrize("moment", ["9999-12-31T23:59:59Z", "0001-01-01T00:00:00Z"])
def test_a_saved_moment_at_the_ends_of_the_calendar_is_a_reminder_error(moment: str) -> None:
    """Found: a pause until 9999-12-31 loaded, then next_due raised OverflowError (date value out
    of range) counting the days after it; a snooze until year 1 loaded but was saved as
    "1-01-01T00:00:00Z", which could not be read back."""
    with pytest.raises(ReminderError, match="paused_until"):
        ReminderState.from_text(json.dumps({"paused_until": moment}))
