"""Tests for trainer/content/scripts.py: the script format, every validation rule, resolve and step_at."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from trainer.content.catalog import resources_dir
from trainer.content.scripts import (
    DEFAULT_COMFORT,
    MAX_TEXT_CHARS,
    Script,
    ScriptVersion,
    Step,
    load_script,
    load_scripts,
    parse_script,
    resolve,
    step_at,
)
from trainer.errors import ScriptError

FIXTURES = Path(__file__).parent / "scripts_fixtures"
GOOD = FIXTURES / "good"
BROKEN = FIXTURES / "broken"
SHIPPED = resources_dir() / "scripts"
MARK = "<- error"

# Each broken fixture and what its message must say. The line it must name is marked in the file.
BROKEN_CASES: dict[str, str] = {
    "unknown-top-key": "unknown keys ['colour']",
    "unknown-version-key": "unknown keys ['label'] in a version",
    "unknown-step-key": "step 1: unknown keys ['duration']",
    "missing-text": "step 2: the step has no 'text'",
    "blank-text": "step 2: 'text' must be a non-empty text",
    "unknown-region": "step 1: 'elbow' is not a body area or group",
    "marked-area-not-declared": 'the step uses "comfort", so the script must say',
    "unknown-region-alternate": "step 1: 'tail' is not a body area or group",
    "bad-spotlight": "step 1: spotlight 'flash' is not one of",
    "negative-time": "step 1: 'start' is negative",
    "negative-time-text": "step 1: 'end' is negative",
    "bad-time": "step 1: 'end' = '1:75' is not a time",
    "end-before-start": "step 2: it ends (1:00) at or before it starts (1:00)",
    "out-of-order": "step 3: it starts at 1:00, before the step above it: the steps are out of order",
    "overlap": "step 2: it starts at 1:20, overlapping the step above it, which ends at 1:30",
    "gap": "step 2: it starts at 1:40, leaving a gap after the step above it, which ends at 1:30",
    "first-not-at-zero": "step 1: the first step starts at 0:05, not 0:00",
    "ends-early": "step 2: the last step ends at 2:50; a 3-minute version must end at exactly 3:00",
    "ends-late": "step 2: the last step ends at 3:10; a 3-minute version must end at exactly 3:00",
    "minutes-too-few": "'minutes' must be a whole number from 3 to 15; got 2",
    "minutes-too-many": "'minutes' must be a whole number from 3 to 15; got 16",
    "minutes-not-whole": "'minutes' must be a whole number from 3 to 15; got 3.5",
    "same-minutes": "two versions last 3 minutes",
    "sweep-one-area": "step 1: a sweep moves through two or more areas",
    "alternate-without-partner": "step 2: an alternating spotlight needs 'alternate_with'",
    "alternate-without-dwell": "step 2: an alternating spotlight needs 'dwell_s'",
    "alternate-without-focus": "step 2: an alternating spotlight needs areas in 'focus'",
    "dwell-shrinking": "step 2: 'dwell_s' [8, 6, 10] must not get shorter",
    "dwell-zero": "step 2: 'dwell_s' must list one or more positive numbers",
    "dwell-not-number": "step 2: 'dwell_s' must list one or more positive numbers",
    "dwell-without-alternate": "step 1: 'dwell_s' belongs only to spotlight = \"alternate\"",
    "text-too-long": f"step 1: the text has 227 characters; at most {MAX_TEXT_CHARS} fit on screen",
    "counting-not-bool": "step 1: 'counting' must be true or false",
    "repeated-area": "step 1: 'focus' names 'neck' twice",
    "bad-id": "id 'Broken Script' must be lowercase letters and digits joined by dashes",
    "bad-uses": '\'uses\' may list "pain" and "comfort"',
    "bad-order": "'order' must be a whole number; got 'first'",
    "no-steps": "the 3-minute version has no [[version.step]]",
    "missing-title": "the script has no 'title'",
    "no-versions": "the script has no [[version]]",
}


def marked_line(path: Path) -> int:
    """The 1-based number of the one line marked ``<- error`` in a fixture."""
    lines = [n for n, line in enumerate(path.read_text().splitlines(), 1) if MARK in line]
    assert len(lines) == 1, f"{path.name} must mark exactly one line"
    return lines[0]


# -- a good script ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def calm() -> Script:
    return load_script(GOOD / "calm-check.toml")


def test_good_script_top_level(calm: Script) -> None:
    assert calm.id == "calm-check"
    assert calm.title == "Calm check"
    assert calm.description == "A short practice used by the tests."
    assert calm.source == "Written for the tests."
    assert calm.uses == ("pain", "comfort")
    assert calm.order == 2


def test_versions_are_sorted_shortest_first(calm: Script) -> None:
    assert calm.lengths_min == (3, 5)
    assert [v.minutes for v in calm.versions] == [3, 5]
    assert calm.version(5).length_s == 300.0
    assert calm.version(3).minutes == 3
    with pytest.raises(KeyError):
        calm.version(10)


def test_times_in_both_forms(calm: Script) -> None:
    steps = calm.version(5).steps
    assert [(s.start_s, s.end_s) for s in steps] == [
        (0.0, 100.0),
        (100.0, 150.5),
        (150.5, 240.0),
        (240.0, 300.0),
    ]
    assert steps[1].length_s == 50.5


def test_step_fields(calm: Script) -> None:
    settle, notice, shift, count = calm.version(5).steps
    assert settle.text == "Settle in, and let the breath be as it is."  # whitespace folded
    assert settle.focus == ()
    assert settle.spotlight == "none"
    assert notice == Step(
        100.0, 150.5, "Notice the area that hurts, with curiosity.", ("pain",), "pulse"
    )
    assert shift.alternate_with == ("comfort",)
    assert shift.dwell_s == (6.0, 8.5, 8.5)
    assert not shift.counting
    assert count.counting
    sweep, rest = calm.version(3).steps
    assert sweep.focus == ("head", "shoulders", "knees", "feet")
    assert rest.focus == ("comfort", "hands")


def test_focus_is_optional_and_means_the_whole_body() -> None:
    quiet = load_script(GOOD / "quiet.toml")
    assert quiet.version(15).steps[0].focus == ()
    assert quiet.uses == ()
    assert quiet.order is None


def test_load_scripts_sorts_by_order_then_title() -> None:
    scripts = load_scripts(GOOD)
    # breathing-space and calm-check share order 2 (title decides); quiet has none, so comes last.
    assert [s.id for s in scripts] == ["breathing-space", "calm-check", "quiet"]


def test_load_scripts_refuses_an_id_used_twice(tmp_path: Path) -> None:
    text = (GOOD / "quiet.toml").read_text()
    (tmp_path / "a.toml").write_text(text)
    (tmp_path / "b.toml").write_text(text)
    with pytest.raises(
        ScriptError, match=r"^b\.toml: the id 'quiet' is already used by a\.toml\.$"
    ):
        load_scripts(tmp_path)


def test_load_scripts_of_an_empty_folder(tmp_path: Path) -> None:
    assert load_scripts(tmp_path) == ()


def test_an_unreadable_file_is_a_script_error(tmp_path: Path) -> None:
    with pytest.raises(ScriptError, match="Could not read the script file"):
        load_script(tmp_path / "missing.toml")
    (tmp_path / "latin.toml").write_bytes(b'title = "caf\xe9"\n')
    with pytest.raises(ScriptError, match="Could not read the script file"):
        load_script(tmp_path / "latin.toml")


def test_a_220_character_text_fits() -> None:
    text = (GOOD / "quiet.toml").read_text().replace('"Be still."', f'"{"a" * MAX_TEXT_CHARS}"')
    assert len(parse_script(text, Path("x.toml")).versions[0].steps[0].text) == MAX_TEXT_CHARS
    longer = text.replace("a" * MAX_TEXT_CHARS, "a" * (MAX_TEXT_CHARS + 1))
    with pytest.raises(ScriptError, match="221 characters"):
        parse_script(longer, Path("x.toml"))


# -- broken scripts -----------------------------------------------------------------------------


def test_every_broken_fixture_is_checked() -> None:
    on_disk = {p.stem for p in BROKEN.glob("*.toml")} - {"not-toml"}
    assert on_disk == set(BROKEN_CASES)


@pytest.mark.parametrize(("name", "problem"), sorted(BROKEN_CASES.items()))
def test_broken_script_names_file_line_and_problem(name: str, problem: str) -> None:
    path = BROKEN / f"{name}.toml"
    with pytest.raises(ScriptError) as excinfo:
        load_script(path)
    message = str(excinfo.value)
    assert message.startswith(f"{name}.toml, line {marked_line(path)}: "), message
    assert problem in message


def test_not_toml_names_file_and_the_parsers_line() -> None:
    with pytest.raises(ScriptError, match=r"^not-toml\.toml: not valid TOML: .*line 3"):
        load_script(BROKEN / "not-toml.toml")


def test_every_rule_is_also_caught_in_the_text_parser() -> None:
    # parse_script is what load_script uses; the name in messages is the path given.
    text = (BROKEN / "gap.toml").read_text()
    with pytest.raises(ScriptError, match=r"^elsewhere\.toml, line 18: step 2: .*gap"):
        parse_script(text, Path("some/folder/elsewhere.toml"))


# -- resolve ------------------------------------------------------------------------------------


def test_resolve_replaces_pain_and_comfort(calm: Script) -> None:
    steps = resolve(calm.version(5), pain=["lower_back", "left_knee"], comfort=["right_foot"])
    settle, notice, shift, _ = steps
    assert settle.focus == ()
    assert notice.focus == ("lower_back", "left_knee")
    assert notice.stops == (("lower_back",), ("left_knee",))
    assert shift.focus == ("lower_back", "left_knee")
    assert shift.alternate_with == ("right_foot",)
    # Everything else is kept.
    assert notice.text == calm.version(5).steps[1].text
    assert (notice.start_s, notice.end_s, notice.spotlight) == (100.0, 150.5, "pulse")
    assert shift.dwell_s == (6.0, 8.5, 8.5)
    # The script itself is untouched.
    assert calm.version(5).steps[1].focus == ("pain",)


def test_resolve_expands_groups_one_stop_each(calm: Script) -> None:
    sweep, rest = resolve(calm.version(3), pain=[], comfort=["left_hand"])
    assert sweep.focus == (
        "head",
        "left_shoulder",
        "right_shoulder",
        "left_knee",
        "right_knee",
        "left_foot",
        "right_foot",
    )
    assert sweep.stops == (
        ("head",),
        ("left_shoulder", "right_shoulder"),
        ("left_knee", "right_knee"),
        ("left_foot", "right_foot"),
    )
    # "comfort" (the left hand) and "hands" overlap: each region once.
    assert rest.focus == ("left_hand", "right_hand")


def test_resolve_accepts_groups_in_the_marked_areas(calm: Script) -> None:
    notice = resolve(calm.version(5), pain=["knees"], comfort=[])[1]
    assert notice.focus == ("left_knee", "right_knee")


def test_resolve_without_pain_is_the_whole_body(calm: Script) -> None:
    steps = resolve(calm.version(5), pain=[], comfort=["neck"])
    assert steps[1].focus == ()
    assert steps[1].stops == ()
    assert steps[2].focus == ()
    assert steps[2].alternate_with == ("neck",)


def test_resolve_without_comfort_means_the_hands(calm: Script) -> None:
    assert DEFAULT_COMFORT == ("left_hand", "right_hand")
    steps = resolve(calm.version(5), pain=["neck"], comfort=[])
    assert steps[2].alternate_with == DEFAULT_COMFORT


def test_resolve_refuses_unknown_areas(calm: Script) -> None:
    with pytest.raises(ValueError, match="elbow"):
        resolve(calm.version(5), pain=["elbow"], comfort=[])


# -- step_at ------------------------------------------------------------------------------------


@pytest.fixture
def four(calm: Script) -> tuple[Step, ...]:
    return calm.version(5).steps  # 0-100, 100-150.5, 150.5-240, 240-300


@pytest.mark.parametrize(
    ("t_s", "index"),
    [
        (0.0, 0),
        (50.0, 0),
        (99.999, 0),
        (100.0, 1),  # a boundary belongs to the step that starts there
        (150.49, 1),
        (150.5, 2),
        (239.0, 2),
        (240.0, 3),
        (299.9, 3),
        (300.0, 3),  # the end: the last step
        (5000.0, 3),  # and after it
    ],
)
def test_step_at(four: tuple[Step, ...], t_s: float, index: int) -> None:
    assert step_at(four, t_s) == index


def test_step_at_refuses_bad_times(four: tuple[Step, ...]) -> None:
    for bad in (-0.1, float("nan"), float("inf")):
        with pytest.raises(ValueError, match="elapsed time"):
            step_at(four, bad)
    with pytest.raises(ValueError, match="no steps"):
        step_at((), 0.0)


def test_version_length() -> None:
    version = ScriptVersion(7, ())
    assert version.length_s == 420.0


# -- the shipped scripts ------------------------------------------------------------------------

SHIPPED_FILES = sorted(SHIPPED.glob("*.toml"))


def test_at_least_five_scripts_are_shipped() -> None:
    assert len(SHIPPED_FILES) >= 5
    assert len(load_scripts()) == len(SHIPPED_FILES)


@pytest.mark.parametrize("path", SHIPPED_FILES, ids=lambda p: p.stem)
def test_shipped_script_loads_and_is_named_by_its_id(path: Path) -> None:
    script = load_script(path)
    assert script.id == path.stem
    assert script.versions
    for version in script.versions:
        assert 3 <= version.minutes <= 15
        assert version.steps[0].start_s == 0
        assert version.steps[-1].end_s == version.length_s
        for step in version.steps:
            assert len(step.text) <= MAX_TEXT_CHARS
            assert not re.search(r"\bimaginary\b", step.text, re.IGNORECASE)


def test_a_broken_file_can_be_left_out_so_the_others_still_load(tmp_path: Path) -> None:
    for name in ("calm-check", "quiet"):
        (tmp_path / f"{name}.toml").write_text((GOOD / f"{name}.toml").read_text())
    (tmp_path / "gap.toml").write_text((BROKEN / "gap.toml").read_text())
    with pytest.raises(ScriptError, match=r"gap\.toml"):
        load_scripts(tmp_path)
    problems: list[str] = []
    loaded = load_scripts(tmp_path, problems=problems)
    assert len(loaded) == 2
    assert len(problems) == 1
    assert problems[0].startswith("gap.toml, line ")


@pytest.mark.parametrize("script", load_scripts(), ids=lambda s: s.id)
def test_every_version_says_you_can_stop_and_what_to_do_if_it_is_too_much(script) -> None:
    for version in script.versions:
        texts = [step.text.lower() for step in version.steps]
        too_much = [t for t in texts if "too much" in t]
        assert too_much, f"{script.id}, {version.minutes} minutes"
        for what in ("open your eyes", "move", "stop"):
            assert what in too_much[0], (script.id, version.minutes, what)
        if script.id == "somatic-tracking":
            assert "your breath" in too_much[0], version.minutes
            assert any("you can stop" in t or "or stop" in t for t in texts), version.minutes
