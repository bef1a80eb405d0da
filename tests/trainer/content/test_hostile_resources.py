"""Hostile input for the TOML files: guided scripts, the breathing catalog and the body map.

Each real file is read, one value anywhere in it is replaced by something hostile (or removed),
and the result written back as TOML: it must load, or fail with one line naming the file.
Broken text, bytes and encodings must do the same.
"""

from __future__ import annotations

import copy
import json
import math
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.trainer.hostile import NUMBERS, outcome
from trainer.content.bodymap import parse_body_map
from trainer.content.catalog import parse_breathing_catalog, resources_dir
from trainer.content.scripts import load_script, parse_script
from trainer.errors import BodyMapError, CatalogError, SafeSignalError, ScriptError

RESOURCES = resources_dir()
SCRIPT = RESOURCES / "scripts" / "somatic-tracking.toml"
ALTERNATING = RESOURCES / "scripts" / "attention-shifting.toml"
CATALOG = RESOURCES / "exercises" / "breathing.toml"
BODY_MAP = RESOURCES / "body" / "bodymap.toml"


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value)  # a TOML basic string (a lone surrogate makes it invalid TOML)
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(item) for item in value) + "]"
    if isinstance(value, dict):
        return (
            "{" + ", ".join(f"{json.dumps(k)} = {_toml_value(v)}" for k, v in value.items()) + "}"
        )
    raise TypeError(value)


def dump_toml(data: dict[str, Any]) -> str:
    """``data`` as TOML, one top-level key a line (everything below it inline)."""
    return "".join(f"{json.dumps(key)} = {_toml_value(value)}\n" for key, value in data.items())


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix] if prefix else []
    if isinstance(value, dict):
        for key, child in value.items():
            found += _paths(child, (*prefix, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            found += _paths(child, (*prefix, index))
    return found


REMOVE = object()
SCALARS = st.one_of(st.booleans(), NUMBERS, st.text(max_size=30))  # TOML has no null
HOSTILE = st.one_of(
    SCALARS,
    NUMBERS,
    st.sampled_from(["", " ", "\n", "x" * 300, "9:99", "-0:01", "99999:00", "1:00.5", "pain"]),
    st.lists(SCALARS, max_size=3),
    st.dictionaries(st.text(max_size=5), SCALARS, max_size=2),
    st.just(REMOVE),
)


def mutations(path: Path) -> st.SearchStrategy[str]:
    """The file's TOML with one value replaced by a hostile one, or removed."""
    original = tomllib.loads(path.read_text(encoding="utf-8"))
    paths = _paths(original)

    def mutate(where: tuple[Any, ...], new: Any) -> str:
        data = copy.deepcopy(original)
        parent = data
        for step in where[:-1]:
            parent = parent[step]
        if new is REMOVE:
            del parent[where[-1]]
        else:
            parent[where[-1]] = new
        return dump_toml(data)

    return st.builds(mutate, st.sampled_from(paths), HOSTILE)


def _check(
    parse: Callable[[str, Path], object], error: type[SafeSignalError], text: str, name: str
) -> None:
    result = outcome(lambda: parse(text, Path(name)), error, name)
    if isinstance(result, SafeSignalError):
        assert str(result).startswith(name)


@pytest.mark.parametrize("path", [SCRIPT, ALTERNATING], ids=["tracking", "shifting"])
def test_the_real_scripts_dump_and_load_unchanged(path: Path) -> None:
    original = parse_script(path.read_text(encoding="utf-8"), path)
    dumped = dump_toml(tomllib.loads(path.read_text(encoding="utf-8")))
    assert parse_script(dumped, path) == original


@given(mutations(SCRIPT) | mutations(ALTERNATING))
def test_a_script_with_any_value_changed_loads_or_fails_in_one_line(text: str) -> None:
    _check(parse_script, ScriptError, text, "some-script.toml")


@given(mutations(CATALOG))
def test_the_catalog_with_any_value_changed_loads_or_fails_in_one_line(text: str) -> None:
    _check(parse_breathing_catalog, CatalogError, text, "breathing.toml")


@settings(max_examples=40)  # the body map is large: each example checks every outline
@given(mutations(BODY_MAP))
def test_the_body_map_with_any_value_changed_loads_or_fails_in_one_line(text: str) -> None:
    _check(parse_body_map, BodyMapError, text, "bodymap.toml")


PARSERS: list[tuple[Callable[[str, Path], object], type[SafeSignalError]]] = [
    (parse_script, ScriptError),
    (parse_breathing_catalog, CatalogError),
    (parse_body_map, BodyMapError),
]


@given(
    st.sampled_from(range(len(PARSERS))),
    st.text(max_size=80)
    | st.sampled_from(["", "[[version]]\n" * 3, "x = [" * 2000, "a = 1\na = 2\n", "\ufeffid = 1"]),
)
def test_any_text_loads_or_fails_in_one_line(which: int, text: str) -> None:
    parse, error = PARSERS[which]
    _check(parse, error, text, "file.toml")


@given(st.binary(max_size=100) | st.sampled_from([b"\xff\xfe", SCRIPT.read_bytes()[:50] + b"\xc3"]))
def test_a_script_file_of_any_bytes_loads_or_fails_in_one_line(
    tmp_path_factory: pytest.TempPathFactory, data: bytes
) -> None:
    path = tmp_path_factory.mktemp("bytes", numbered=True) / "some.toml"
    path.write_bytes(data)
    outcome(lambda: load_script(path), ScriptError, "some.toml")


# -- the bugs these properties found -------------------------------------------------------------


def _script_with(step: str) -> str:
    head = 'id = "a"\ntitle = "T"\ndescription = "D"\nsource = "S"\n'
    return head + f"[[version]]\nminutes = 3\n[[version.step]]\n{step}\n"


@pytest.mark.parametrize(
    "step",
    [
        f'start = {"9" * 400}\nend = 180\ntext = "x"\nspotlight = "still"',
        f'start = "0:00"\nend = "{"9" * 400}:00"\ntext = "x"\nspotlight = "still"',
        'start = 0\nend = 180\ntext = "x"\nfocus = ["neck", "left_hand"]\nspotlight = "alternate"'
        f'\nalternate_with = ["right_hand"]\ndwell_s = [{"9" * 400}]',
    ],
    ids=["start", "end-as-text", "dwell"],
)
def test_a_huge_whole_number_in_a_script_is_a_script_error(step: str) -> None:
    """Found: a whole number of 400 digits as a time or a dwell raised OverflowError (int too
    large to convert to float)."""
    with pytest.raises(ScriptError, match=r"x\.toml, line \d+: step 1"):
        parse_script(_script_with(step), Path("x.toml"))


@pytest.mark.parametrize(("parse", "error"), PARSERS, ids=["script", "catalog", "body map"])
@pytest.mark.parametrize(
    "text",
    ["x = " + "9" * 5000, "x = " + "[" * 5000, 'x = "' + "9" * 5000 + ':00"'],
    ids=["5000 digits", "5000 brackets", "5000-digit time"],
)
def test_absurd_toml_is_an_error_of_the_file(
    parse: Callable[[str, Path], object], error: type[SafeSignalError], text: str
) -> None:
    """Found: a whole number of 5000 digits made tomllib raise a bare ValueError (Exceeds the
    limit (4300 digits)), and 5000 "[" a RecursionError."""
    with pytest.raises(error, match=r"^x\.toml"):
        parse(text, Path("x.toml"))


def test_a_huge_whole_number_in_the_body_map_is_a_body_map_error() -> None:
    """Found: a point's x of 10**400 raised OverflowError (int too large to convert to float)."""
    data = tomllib.loads(BODY_MAP.read_text(encoding="utf-8"))
    data["front"]["outline"][1]["points"][0][0] = 10**400
    with pytest.raises(BodyMapError, match=r"^bodymap\.toml"):
        parse_body_map(dump_toml(data), Path("bodymap.toml"))
