"""The profile in use without Qt: what it announces, and problems announced instead of raised."""

from __future__ import annotations

import pytest

from trainer.app.profile import Change, Problem, ProfileInUse, screen_preferences
from trainer.app.settings import MemoryPreferences
from trainer.content.breathing import BreathingPattern
from trainer.content.catalog import load_catalog
from trainer.errors import StoreError
from trainer.store.store import Store


@pytest.fixture
def profile(store: Store) -> ProfileInUse:
    return ProfileInUse(store, store.profiles.default_id(), load_catalog())


@pytest.fixture
def changes(profile: ProfileInUse) -> list[Change]:
    seen: list[Change] = []
    profile.changed.add(seen.append)
    return seen


def test_saving_and_deleting_a_pattern_announce_the_patterns_changed(
    profile, changes, coherent: BreathingPattern
):
    pattern_id = profile.save_pattern("Evening", coherent)
    assert [p.name for p in profile.patterns()] == ["Evening"]
    profile.delete_pattern(pattern_id)
    assert profile.patterns() == []
    assert changes == [Change.PATTERNS, Change.PATTERNS]


def test_a_switch_reads_the_other_profiles_things_and_a_bad_one_changes_nothing(
    profile, changes, store: Store, coherent: BreathingPattern
):
    other = store.profiles.create("Robin")
    store.patterns.save(other, "Robin's", coherent)
    with pytest.raises(StoreError):
        profile.switch_to(other + 100)
    assert changes == []
    assert profile.profile_id == store.profiles.default_id()
    profile.switch_to(other)
    assert changes == [Change.PROFILE]
    assert [p.name for p in profile.patterns()] == ["Robin's"]
    profile.preferences.set("eyes_closed", "on")
    assert store.preferences.get(other, "eyes_closed", "") == "on"


def test_settings_changed_is_announced(profile, changes):
    profile.settings_changed()
    assert changes == [Change.SETTINGS]
    assert profile.settings().default_length_min == load_catalog().default_minutes


def test_trying_announces_a_refusal_once_and_stops_the_block(profile, store, monkeypatch):
    problems: list[Problem] = []
    profile.problems.add(problems.append)
    reached = []

    def refuse(*args: object) -> None:
        raise StoreError("The disk is full.")

    monkeypatch.setattr(store.sessions, "set_notes", refuse)
    with profile.trying("Could not save the note", "The note was not changed.") as attempt:
        profile.set_notes(1, "text")
        reached.append("after")
    assert attempt.failed
    assert reached == []
    (problem,) = problems
    assert problem.title == "Could not save the note"
    assert str(problem.error) == "The disk is full."
    assert problem.after == "The note was not changed."


def test_trying_lets_bugs_through_and_success_pass_quietly(profile):
    problems: list[Problem] = []
    profile.problems.add(problems.append)
    with profile.trying("Could not read") as attempt:
        profile.sessions()
    assert not attempt.failed
    with pytest.raises(ZeroDivisionError), profile.trying("Could not divide"):
        _ = 1 / 0
    assert problems == []


def test_a_screen_uses_the_profiles_settings_and_hears_its_news(profile):
    heard: list[Change] = []
    given = MemoryPreferences()
    chosen = screen_preferences(profile, given, heard.append)
    chosen.set("eyes_closed", "on")
    assert profile.preferences.get("eyes_closed", "") == "on"
    assert given.get("eyes_closed", "") == ""
    profile.settings_changed()
    assert heard == [Change.SETTINGS]


def test_a_screen_without_a_profile_uses_what_it_is_given_or_memory():
    given = MemoryPreferences()
    assert screen_preferences(None, given, print) is given
    assert isinstance(screen_preferences(None, None, print), MemoryPreferences)
