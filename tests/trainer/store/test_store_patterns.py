"""Tests for trainer/store/database.py: a person's own breathing patterns and preferences."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.trainer.conftest import FakeWallClock
from trainer.content.breathing import BreathingPattern, Phase, PhaseKind
from trainer.content.catalog import custom_exercise
from trainer.errors import StoreError
from trainer.session.machine import Ratings
from trainer.store.patterns import StoredPattern
from trainer.store.store import Store

INHALE, HOLD, EXHALE = PhaseKind.INHALE, PhaseKind.HOLD, PhaseKind.EXHALE


def pattern(*seconds: float) -> BreathingPattern:
    kinds = (INHALE, HOLD, EXHALE, HOLD)
    return BreathingPattern([Phase(kind, s) for kind, s in zip(kinds, seconds, strict=False)])


def add_profile(store: Store, name: str) -> int:
    with store.db.atomic():
        cursor = store.db.execute(
            "INSERT INTO profiles (name, created_at) VALUES (?, ?)", [name, "2024-01-01T00:00:00Z"]
        )
    assert cursor.lastrowid is not None
    return cursor.lastrowid


@pytest.fixture
def reopen(db_path: Path) -> Iterator[Any]:
    """Open the test database again (every store opened this way is closed afterwards)."""
    opened: list[Store] = []

    def open_again() -> Store:
        opened.append(Store(db_path))
        return opened[-1]

    yield open_again
    for each in opened:
        each.close()


def test_a_new_profile_has_no_patterns(store: Store) -> None:
    assert store.patterns.of_profile(store.profiles.default_id()) == []


def test_saved_patterns_come_back_by_name_with_their_times(
    store: Store, wall: FakeWallClock
) -> None:
    me = store.profiles.default_id()
    evening = store.patterns.save(me, "  evening calm ", pattern(4, 2, 8))
    first_saved = wall.moment
    wall.advance(60)
    morning = store.patterns.save(me, "Morning", pattern(4, 0, 4, 4))
    assert evening != morning
    assert store.patterns.of_profile(me) == [
        StoredPattern(evening, me, "evening calm", pattern(4, 2, 8), first_saved, first_saved),
        StoredPattern(morning, me, "Morning", pattern(4, 0, 4, 4), wall.moment, wall.moment),
    ]


def test_saving_with_an_id_renames_and_updates_in_place(store: Store, wall: FakeWallClock) -> None:
    me = store.profiles.default_id()
    first = store.patterns.save(me, "Evening", pattern(4, 0, 6))
    created = wall.moment
    wall.advance(3600)
    assert store.patterns.save(me, "Evening, longer", pattern(4, 0, 8), first) == first
    (saved,) = store.patterns.of_profile(me)
    assert (saved.id, saved.name, saved.pattern) == (first, "Evening, longer", pattern(4, 0, 8))
    assert (saved.created_at, saved.updated_at) == (created, wall.moment)
    # Changing only the case of its own name is allowed.
    store.patterns.save(me, "EVENING, LONGER", pattern(4, 0, 8), first)
    assert [p.name for p in store.patterns.of_profile(me)] == ["EVENING, LONGER"]


def test_a_name_already_used_is_refused_and_nothing_changes(store: Store) -> None:
    me = store.profiles.default_id()
    box = store.patterns.save(me, "Box", pattern(4, 4, 4, 4))
    other = store.patterns.save(me, "Other", pattern(5, 0, 5))
    with pytest.raises(StoreError, match="already have a pattern called “bOX”"):
        store.patterns.save(me, "bOX", pattern(3, 0, 3))
    with pytest.raises(StoreError, match="already have a pattern"):
        store.patterns.save(me, "box", pattern(6, 0, 6), other)  # rename onto it
    assert [(p.id, p.name, p.pattern) for p in store.patterns.of_profile(me)] == [
        (box, "Box", pattern(4, 4, 4, 4)),
        (other, "Other", pattern(5, 0, 5)),
    ]


@pytest.mark.parametrize("name", ["", "   "])
def test_an_empty_name_is_refused(store: Store, name: str) -> None:
    with pytest.raises(StoreError, match="needs a name"):
        store.patterns.save(store.profiles.default_id(), name, pattern(4, 0, 6))
    assert store.patterns.of_profile(store.profiles.default_id()) == []


def test_updating_a_pattern_that_is_gone_says_so(store: Store) -> None:
    me = store.profiles.default_id()
    gone = store.patterns.save(me, "Gone", pattern(4, 0, 6))
    store.patterns.delete(me, gone)
    with pytest.raises(StoreError, match="no longer exists"):
        store.patterns.save(me, "Gone", pattern(4, 0, 7), gone)
    assert store.patterns.of_profile(me) == []


def test_delete_removes_only_that_pattern_and_sessions_keep_their_copy(
    store: Store, wall: FakeWallClock
) -> None:
    me = store.profiles.default_id()
    keep = store.patterns.save(me, "Keep", pattern(4, 0, 6))
    drop = store.patterns.save(me, "Drop", pattern(4, 7, 8))
    exercise = custom_exercise(drop, "Drop", pattern(4, 7, 8))
    session_id = store.sessions.start_session(
        exercise.plan(cycles=4), me, wall.moment, Ratings(5, 5)
    )
    store.patterns.delete(me, drop)
    assert [p.id for p in store.patterns.of_profile(me)] == [keep]
    practised = store.sessions.get(session_id)
    assert practised.exercise_id == f"custom-{drop}"
    assert practised.title == "Drop"
    assert BreathingPattern.from_dict(practised.settings["pattern"]) == pattern(4, 7, 8)
    # The name is free again.
    assert store.patterns.save(me, "drop", pattern(4, 0, 4)) != keep


def test_profiles_do_not_see_or_change_each_others_patterns(store: Store) -> None:
    me = store.profiles.default_id()
    them = add_profile(store, "Sam")
    mine = store.patterns.save(me, "Evening", pattern(4, 0, 6))
    theirs = store.patterns.save(them, "evening", pattern(5, 0, 5))  # same name is fine
    assert [p.id for p in store.patterns.of_profile(me)] == [mine]
    assert [p.id for p in store.patterns.of_profile(them)] == [theirs]
    store.patterns.delete(them, mine)  # not theirs: nothing happens
    with pytest.raises(StoreError, match="no longer exists"):
        store.patterns.save(them, "Taken over", pattern(3, 0, 3), mine)
    assert [(p.name, p.pattern) for p in store.patterns.of_profile(me)] == [
        ("Evening", pattern(4, 0, 6))
    ]


def test_patterns_and_preferences_survive_closing_and_reopening(store: Store, reopen: Any) -> None:
    me = store.profiles.default_id()
    them = add_profile(store, "Sam")
    sigh = BreathingPattern([Phase(INHALE, 2.5, to_level=0.8), Phase(INHALE, 1), Phase(EXHALE, 6)])
    store.patterns.save(me, "Sigh", sigh)
    store.patterns.save(me, "Box", pattern(4, 4, 4, 4))
    store.preferences.set(me, "pacer", "wave")
    store.preferences.for_profile(them).set("pacer", "column")
    store.preferences.set(me, "pacer", "circle")  # the last value wins
    store.close()

    again = reopen()
    assert [(p.name, p.pattern) for p in again.patterns.of_profile(me)] == [
        ("Box", pattern(4, 4, 4, 4)),
        ("Sigh", sigh),
    ]
    assert again.preferences.get(me, "pacer", "none") == "circle"
    assert again.preferences.for_profile(them).get("pacer", "none") == "column"
    assert again.preferences.for_profile(me).get("volume", "0.5") == "0.5"
    assert again.patterns.of_profile(them) == []


def test_preferences_are_text_and_per_profile(store: Store) -> None:
    me = store.profiles.default_id()
    them = add_profile(store, "Sam")
    prefs = store.preferences.for_profile(me)
    assert prefs.get("volume", "0.4") == "0.4"
    prefs.set("volume", 0.7)  # type: ignore[arg-type]  # anything is kept as its text
    assert prefs.get("volume", "0.4") == "0.7"
    assert store.preferences.get(them, "volume", "default") == "default"


def test_a_read_only_database_gives_a_plain_error_naming_the_file(
    store: Store, db_path: Path
) -> None:
    me = store.profiles.default_id()
    store.db.execute("PRAGMA query_only = ON")
    with pytest.raises(StoreError, match="read-only") as caught:
        store.patterns.save(me, "Evening", pattern(4, 0, 6))
    assert str(db_path) in str(caught.value)
    store.db.execute("PRAGMA query_only = OFF")
    assert store.patterns.of_profile(me) == []


@pytest.mark.parametrize(
    "damage", ["{not json", '{"phases": "four"}', '{"phases": [{"kind": "gasp", "seconds": 4}]}']
)
def test_a_damaged_pattern_is_left_out_named_and_left_on_disk(store: Store, damage: str) -> None:
    me = store.profiles.default_id()
    store.patterns.save(me, "Good", pattern(4, 0, 6))
    broken = store.patterns.save(me, "Broken", pattern(5, 0, 5))
    store.db.execute("UPDATE custom_patterns SET pattern_json = ? WHERE id = ?", [damage, broken])
    unreadable: list[str] = []
    assert [p.name for p in store.patterns.of_profile(me, unreadable=unreadable)] == ["Good"]
    assert unreadable == ["Broken"]
    assert [p.name for p in store.patterns.of_profile(me)] == ["Good"]  # no list: just left out
    row = store.db.execute(
        "SELECT pattern_json FROM custom_patterns WHERE id = ?", [broken]
    ).fetchone()
    assert row[0] == damage
