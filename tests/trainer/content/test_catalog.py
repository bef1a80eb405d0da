"""Tests for trainer/content/catalog.py: the shipped exercise file, and clear errors for broken ones."""

from __future__ import annotations

from pathlib import Path

import pytest

from trainer.content.breathing import BreathingPattern, Phase, PhaseKind
from trainer.content.catalog import (
    BREATHING_FILE,
    Catalog,
    describe_phases,
    load_catalog,
    parse_breathing_catalog,
    resources_dir,
)
from trainer.errors import CatalogError

INHALE, HOLD, EXHALE = PhaseKind.INHALE, PhaseKind.HOLD, PhaseKind.EXHALE

GOOD = """\
# A small catalog for tests.
[lengths]
minutes = [1, 5, 10]
default = 5

[[exercise]]
id = "calm-5-5"
title = "Calm"
description = "In for 5, out for 5."
source = "A test."
phases = [
    { kind = "inhale", seconds = 5 },
    { kind = "exhale", seconds = 5 },
]

[[exercise]]
id = "square"
title = "Square"
description = "In, hold, out, hold."
phases = [
    { kind = "inhale", seconds = 4 },
    { kind = "hold", seconds = 4 },
    { kind = "exhale", seconds = 4 },
    { kind = "hold", seconds = 4 },
]
"""

X = Path("x.toml")


def line_of(text: str, needle: str, occurrence: int = 1) -> int:
    """The 1-based number of the line holding ``needle`` (its ``occurrence``-th time)."""
    found = [n for n, line in enumerate(text.splitlines(), start=1) if needle in line]
    return found[occurrence - 1]


def error_for(text: str) -> str:
    with pytest.raises(CatalogError) as excinfo:
        parse_breathing_catalog(text, X)
    return str(excinfo.value)


# -- the shipped catalog ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def shipped() -> Catalog:
    return load_catalog()


def test_resources_dir_holds_the_exercise_file() -> None:
    assert (resources_dir() / "exercises" / "breathing.toml").is_file()
    assert (resources_dir() / BREATHING_FILE).is_file()


def test_shipped_lengths(shipped: Catalog) -> None:
    assert shipped.lengths_min == (1, 3, 5, 10, 15)
    assert shipped.default_minutes == 5


@pytest.mark.parametrize(
    ("exercise_id", "phases", "rate_bpm"),
    [
        ("coherent-5-5", [Phase(INHALE, 5), Phase(EXHALE, 5)], 6.0),
        ("box-4-4-4-4", [Phase(INHALE, 4), Phase(HOLD, 4), Phase(EXHALE, 4), Phase(HOLD, 4)], 3.75),
        ("extended-exhale-4-6", [Phase(INHALE, 4), Phase(EXHALE, 6)], 6.0),
    ],
)
def test_shipped_exercises(
    shipped: Catalog, exercise_id: str, phases: list[Phase], rate_bpm: float
) -> None:
    exercise = shipped.get(exercise_id)
    assert exercise.pattern == BreathingPattern(phases)
    assert exercise.pattern.rate_bpm == pytest.approx(rate_bpm)
    assert exercise.kind == "breathing"
    assert exercise.title.strip()
    assert exercise.description.strip()
    assert exercise.source.strip()


def test_shipped_ids_are_unique(shipped: Catalog) -> None:
    ids = [e.id for e in shipped.exercises]
    assert len(ids) == len(set(ids)) >= 3


def test_get_unknown_exercise(shipped: Catalog) -> None:
    with pytest.raises(KeyError):
        shipped.get("no-such-exercise")


@pytest.mark.parametrize(
    ("exercise_id", "minutes", "cycles", "planned_s"),
    [("coherent-5-5", 5, 30, 300.0), ("box-4-4-4-4", 5, 19, 304.0), ("coherent-5-5", 1, 6, 60.0)],
)
def test_exercise_plan(
    shipped: Catalog, exercise_id: str, minutes: int, cycles: int, planned_s: float
) -> None:
    plan = shipped.get(exercise_id).plan(minutes)
    assert plan.exercise_id == exercise_id
    assert plan.title == shipped.get(exercise_id).title
    assert plan.cycles == cycles
    assert plan.planned_s == planned_s


def test_load_catalog_from_another_root(tmp_path: Path) -> None:
    (tmp_path / "exercises").mkdir()
    (tmp_path / BREATHING_FILE).write_text(GOOD, encoding="utf-8")
    catalog = load_catalog(tmp_path)
    assert [e.id for e in catalog.exercises] == ["calm-5-5", "square"]


def test_load_catalog_missing_file_names_it(tmp_path: Path) -> None:
    with pytest.raises(CatalogError, match="Could not read the exercise file") as excinfo:
        load_catalog(tmp_path)
    assert str(tmp_path / BREATHING_FILE) in str(excinfo.value)


def test_load_catalog_broken_file_names_it(tmp_path: Path) -> None:
    (tmp_path / "exercises").mkdir()
    (tmp_path / BREATHING_FILE).write_text(GOOD.replace('title = "Square"\n', ""), "utf-8")
    with pytest.raises(
        CatalogError, match=r"^breathing\.toml, line 16: the exercise has no 'title'"
    ):
        load_catalog(tmp_path)


# -- a good file ----------------------------------------------------------------------------------------


def test_parse_good_catalog() -> None:
    catalog = parse_breathing_catalog(GOOD, X)
    assert catalog.lengths_min == (1, 5, 10)
    assert catalog.default_minutes == 5
    calm, square = catalog.exercises
    assert (calm.id, calm.title, calm.description, calm.source) == (
        "calm-5-5",
        "Calm",
        "In for 5, out for 5.",
        "A test.",
    )
    assert calm.pattern.describe() == "5-5"
    assert square.source == ""  # source is optional
    assert square.pattern.describe() == "4-4-4-4"


# -- broken files: the message names the file and the line ---------------------------------------------


def test_bad_toml_syntax() -> None:
    text = GOOD.replace('title = "Calm"', 'title = "Calm"\nthis line is not toml')
    message = error_for(text)
    assert message.startswith("x.toml: not valid TOML")
    assert f"line {line_of(text, 'this line is not toml')}" in message


def test_unclosed_string() -> None:
    unclosed = 'title = "Square'
    text = GOOD.replace('title = "Square"', unclosed)
    message = error_for(text)
    assert message.startswith("x.toml: not valid TOML")
    assert f"line {line_of(text, unclosed)}" in message


def test_duplicate_id() -> None:
    text = GOOD.replace('id = "square"', 'id = "calm-5-5"')
    second_id = line_of(text, 'id = "calm-5-5"', 2)
    assert error_for(text) == f"x.toml, line {second_id}: the id 'calm-5-5' is used twice."


def test_missing_title() -> None:
    text = GOOD.replace('title = "Square"\n', "")
    message = error_for(text)
    header = line_of(text, "[[exercise]]", 2)
    assert message == f"x.toml, line {header}: the exercise has no 'title'."


@pytest.mark.parametrize("bad_id", ["Calm", "calm_5", "calm--5", "-calm", "calm five", ""])
def test_bad_id(bad_id: str) -> None:
    text = GOOD.replace('id = "square"', f'id = "{bad_id}"')
    message = error_for(text)
    id_line = line_of(text, f'id = "{bad_id}"')
    assert message.startswith(f"x.toml, line {id_line}: id ")
    assert "lowercase letters and digits joined by dashes" in message


def test_id_that_is_not_text() -> None:
    text = GOOD.replace('id = "square"', "id = 7")
    assert error_for(text).startswith(f"x.toml, line {line_of(text, 'id = 7')}: ")


@pytest.mark.parametrize(
    ("old", "new", "problem"),
    [
        (
            '{ kind = "inhale", seconds = 4 }',
            '{ kind = "inhale", seconds = 0.5 }',
            "inhale lasts at least 1 second",
        ),
        ('{ kind = "exhale", seconds = 4 }', '{ kind = "hold", seconds = 4 }', "one exhale"),
        (
            '{ kind = "hold", seconds = 4 },\n    { kind = "exhale"',
            '{ kind = "hold", seconds = 25 },\n    { kind = "exhale"',
            "holds last from 0 to 20",
        ),
        (
            '{ kind = "exhale", seconds = 4 }',
            '{ kind = "breathe-out", seconds = 4 }',
            "kind 'breathe-out'",
        ),
        ('{ kind = "exhale", seconds = 4 }', '{ kind = "exhale", secs = 4 }', "unknown keys: secs"),
    ],
    ids=["short-inhale", "no-exhale", "long-hold", "unknown-kind", "unknown-phase-key"],
)
def test_impossible_phases(old: str, new: str, problem: str) -> None:
    assert old in GOOD
    text = GOOD.replace(old, new)
    message = error_for(text)
    phases_line = line_of(text, "phases = [", 2)
    assert message.startswith(f"x.toml, line {phases_line}: exercise 'square': ")
    assert problem in message


def test_unknown_key_in_an_exercise() -> None:
    text = GOOD.replace('title = "Square"', 'title = "Square"\ncolour = "blue"')
    message = error_for(text)
    assert message.startswith(f"x.toml, line {line_of(text, 'colour = ')}: unknown keys ['colour']")


def test_unknown_top_level_entry() -> None:
    text = "version = 2\n" + GOOD
    message = error_for(text)
    assert message.startswith("x.toml")
    assert "unknown top-level entries ['version']" in message


def test_default_length_not_in_the_list() -> None:
    text = GOOD.replace("default = 5", "default = 7")
    message = error_for(text)
    assert message == (
        f"x.toml, line {line_of(text, 'default = 7')}: 'default' must be one of the minutes "
        "[1, 5, 10]."
    )


@pytest.mark.parametrize(
    "minutes", ["[]", "[5, 1, 10]", "[1, 5, 5]", "[0, 5]", "[1, 5, 121]", "[1, 5.5]", "5"]
)
def test_bad_minutes(minutes: str) -> None:
    text = GOOD.replace("minutes = [1, 5, 10]", f"minutes = {minutes}")
    message = error_for(text)
    assert message.startswith(f"x.toml, line {line_of(text, 'minutes = ')}: 'minutes' must list")


def test_missing_lengths() -> None:
    text = GOOD.replace("[lengths]\nminutes = [1, 5, 10]\ndefault = 5\n", "")
    assert "[lengths]" not in text
    assert error_for(text).startswith("x.toml: a [lengths] table")


def test_no_exercises() -> None:
    text = "[lengths]\nminutes = [1, 5]\ndefault = 5\n"
    assert error_for(text) == "x.toml: there are no [[exercise]] entries."


@pytest.mark.parametrize("key", ["title", "description", "source"])
def test_texts_must_be_non_empty(key: str) -> None:
    text = {
        "title": GOOD.replace('title = "Calm"', 'title = "   "'),
        "description": GOOD.replace('description = "In for 5, out for 5."', "description = 5"),
        "source": GOOD.replace('source = "A test."', 'source = ""'),
    }[key]
    message = error_for(text)
    assert message.startswith(f"x.toml, line {line_of(text, f'{key} = ')}: '{key}' must be")


def test_text_must_fit_on_one_line() -> None:
    text = GOOD.replace(
        'description = "In for 5, out for 5."', 'description = """In for 5,\nout for 5."""'
    )
    message = error_for(text)
    assert message.startswith(f"x.toml, line {line_of(text, 'description = ')}: ")
    assert "must fit on one line" in message


def test_missing_description_and_phases() -> None:
    no_phases = GOOD.replace(
        'phases = [\n    { kind = "inhale", seconds = 5 },\n    { kind = "exhale", seconds = 5 },\n]\n',
        "",
    )
    assert error_for(no_phases) == "x.toml, line 6: the exercise has no 'phases'."
    no_description = GOOD.replace('description = "In for 5, out for 5."\n', "")
    assert error_for(no_description) == "x.toml, line 6: the exercise has no 'description'."


def test_errors_name_the_file_given() -> None:
    with pytest.raises(CatalogError, match=r"^my-exercises\.toml, line 7: "):
        parse_breathing_catalog(
            GOOD.replace('id = "calm-5-5"', 'id = "Calm"'), Path("a/my-exercises.toml")
        )


def test_phases_read_to_one_decimal(shipped: Catalog) -> None:
    assert describe_phases(shipped.get("box-4-4-4-4").pattern) == (
        "in 4 s, hold 4 s, out 4 s, hold 4 s"
    )
    assert describe_phases(shipped.get("cyclic-sighing").pattern) == "in 2.5 s, in 1 s, out 6 s"
    assert describe_phases(shipped.get("resonance-5-5").pattern) == "in 5.5 s, out 5.5 s"
