"""The exercise catalog: reads the exercise files in ``resources/`` and checks every entry.

A mistake in a file is reported with the file, the line and what is wrong, so whoever edits the
catalog can fix it without guessing.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from trainer.app.words import describe_phases
from trainer.content.breathing import BreathingPattern, Ramp, RampSchedule
from trainer.content.source_lines import ID_RE, key_line, located, one_line_text
from trainer.errors import CatalogError, PatternError
from trainer.session.machine import SessionPlan

_HEADER_RE: Final = re.compile(r"^\s*\[\[\s*exercise\s*\]\]")
_EXERCISE_KEYS: Final = {"id", "title", "description", "source", "phases", "suggested_cycles"}
_REQUIRED_KEYS: Final = ("id", "title", "description", "phases")
BREATHING_FILE: Final = "exercises/breathing.toml"
LEAD_IN_S: Final = 3.0  # the 3-2-1 countdown before the first breath
END_CUE_S: Final = 4.0  # a quiet close after the last breath, before the after-ratings
CUSTOM_PREFIX: Final = "custom-"


def resources_dir() -> Path:
    """The ``resources`` folder: inside the installed package, or beside it in a checkout."""
    here = Path(__file__).resolve().parent.parent  # trainer/, above trainer/content/
    installed = here / "_resources"
    return installed if installed.is_dir() else here.parent / "resources"


@dataclass(frozen=True)
class Exercise:
    """A breathing exercise offered on the home screen: a preset, or a person's own pattern."""

    id: str
    title: str
    description: str
    source: str
    pattern: BreathingPattern
    kind: str = "breathing"
    suggested_cycles: int | None = None  # e.g. 4-7-8 suggests 4 breaths to start
    custom_id: int | None = None  # the stored pattern's id for a person's own pattern

    def plan(
        self,
        minutes: float | None = None,
        *,
        cycles: int | None = None,
        no_holds: bool = False,
        ramp: Ramp | None = None,
    ) -> SessionPlan:
        """A session of this exercise: ``minutes`` (whole breaths closest) or ``cycles`` breaths.

        ``no_holds`` leaves every hold out for this session; ``ramp`` eases the rate from the
        ramp's start to its target (the pattern keeps its proportions).
        """
        if (minutes is None) == (cycles is None):
            raise ValueError("give a length in minutes or in cycles, not both")
        pattern = (
            self.pattern.without_holds() if no_holds and self.pattern.has_holds else self.pattern
        )
        options: dict[str, object] = {"no_holds": bool(no_holds and self.pattern.has_holds)}
        if cycles is not None:
            if isinstance(cycles, bool) or not isinstance(cycles, int) or not 1 <= cycles <= 1000:
                raise PatternError(f"A session has 1 to 1000 breaths; got {cycles!r}.")
            count = cycles
            options["length"] = {"cycles": cycles}
        else:
            assert minutes is not None
            count = (
                RampSchedule(pattern, ramp).cycles_for_minutes(minutes)
                if ramp is not None
                else pattern.cycles_for_minutes(minutes)
            )
            options["length"] = {"minutes": minutes}
        return SessionPlan(
            exercise_id=self.id,
            title=self.title,
            pattern=pattern,
            cycles=count,
            kind=self.kind,
            ramp=ramp,
            lead_in_s=LEAD_IN_S,
            end_cue_s=END_CUE_S,
            options=options,
        )


def custom_exercise(pattern_id: int, name: str, pattern: BreathingPattern) -> Exercise:
    """A person's own saved pattern, offered beside the presets."""
    return Exercise(
        id=f"{CUSTOM_PREFIX}{pattern_id}",
        title=name,
        description=f"Your own pattern: {describe_phases(pattern)}.",
        source="",
        pattern=pattern,
        custom_id=pattern_id,
    )


@dataclass(frozen=True)
class Catalog:
    """All exercises, and the session lengths offered."""

    exercises: tuple[Exercise, ...]
    lengths_min: tuple[int, ...]
    default_minutes: int

    def get(self, exercise_id: str) -> Exercise:
        """The exercise with this id (``KeyError`` if there is none)."""
        for exercise in self.exercises:
            if exercise.id == exercise_id:
                return exercise
        raise KeyError(exercise_id)


class _CatalogLineFinder:
    """Finds the line of the n-th ``[[exercise]]`` (and of a key inside it) for messages."""

    def __init__(self, path: Path, text: str) -> None:
        self.path = path
        self.lines = text.splitlines()
        self.headers = [i for i, line in enumerate(self.lines) if _HEADER_RE.match(line)]

    def error(self, index: int | None, key: str | None, problem: str) -> CatalogError:
        return CatalogError(located(self.path, self._line(index, key), problem))

    def _line(self, index: int | None, key: str | None) -> int | None:
        if index is None or index >= len(self.headers):
            start, end = 0, len(self.lines)
            header = None
        else:
            start = self.headers[index]
            end = self.headers[index + 1] if index + 1 < len(self.headers) else len(self.lines)
            header = start + 1
        found = None if key is None else key_line(self.lines, start, end, key)
        return header if found is None else found + 1


def _text(entry: Mapping[str, Any], key: str, loc: _CatalogLineFinder, index: int) -> str:
    return one_line_text(entry.get(key), key, lambda problem: loc.error(index, key, problem))


def _lengths(data: Mapping[str, Any], loc: _CatalogLineFinder) -> tuple[tuple[int, ...], int]:
    lengths = data.get("lengths")
    if not isinstance(lengths, Mapping):
        raise loc.error(
            None, "[lengths]", "a [lengths] table with 'minutes' and 'default' is needed."
        )
    minutes = lengths.get("minutes")
    if (
        not isinstance(minutes, list)
        or not minutes
        or not all(isinstance(m, int) and not isinstance(m, bool) and 0 < m <= 120 for m in minutes)
        or sorted(set(minutes)) != minutes
    ):
        raise loc.error(
            None,
            "minutes",
            "'minutes' must list whole minutes from 1 to 120, ascending, no repeats.",
        )
    default = lengths.get("default")
    if default not in minutes:
        raise loc.error(None, "default", f"'default' must be one of the minutes {minutes}.")
    return tuple(minutes), minutes[minutes.index(default)]


def _exercise(entry: object, index: int, loc: _CatalogLineFinder) -> Exercise:
    if not isinstance(entry, Mapping):
        raise loc.error(index, None, "each [[exercise]] must be a table.")
    unknown = set(entry) - _EXERCISE_KEYS
    if unknown:
        raise loc.error(
            index,
            sorted(unknown)[0],  # the line of the first unknown key (else the [[exercise]] line)
            f"unknown keys {sorted(unknown)}; allowed: {sorted(_EXERCISE_KEYS)}.",
        )
    for key in _REQUIRED_KEYS:
        if key not in entry:
            raise loc.error(index, None, f"the exercise has no '{key}'.")
    exercise_id = entry["id"]
    if not isinstance(exercise_id, str) or not ID_RE.match(exercise_id):
        raise loc.error(
            index,
            "id",
            f"id {exercise_id!r} must be lowercase letters and digits joined by dashes.",
        )
    try:
        pattern = BreathingPattern.from_dict({"phases": entry["phases"]})
    except PatternError as exc:
        raise loc.error(index, "phases", f"exercise '{exercise_id}': {exc}") from None
    source = _text(entry, "source", loc, index) if "source" in entry else ""
    suggested = entry.get("suggested_cycles")
    if suggested is not None and (
        isinstance(suggested, bool) or not isinstance(suggested, int) or not 1 <= suggested <= 100
    ):
        raise loc.error(
            index, "suggested_cycles", "'suggested_cycles' must be a whole number from 1 to 100."
        )
    return Exercise(
        id=exercise_id,
        title=_text(entry, "title", loc, index),
        description=_text(entry, "description", loc, index),
        source=source,
        pattern=pattern,
        suggested_cycles=suggested,
    )


def parse_breathing_catalog(text: str, path: Path) -> Catalog:
    """Parse and check the text of a breathing exercise file (``path`` names it in errors)."""
    loc = _CatalogLineFinder(path, text)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise CatalogError(f"{path.name}: not valid TOML: {exc}") from None
    except (ValueError, RecursionError):  # a number of 5000 digits; "[" nested 5000 deep
        raise CatalogError(
            f"{path.name}: not valid TOML: a value is far too long or too deep."
        ) from None
    unknown = set(data) - {"lengths", "exercise"}
    if unknown:
        raise loc.error(None, None, f"unknown top-level entries {sorted(unknown)}.")
    lengths, default = _lengths(data, loc)
    entries = data.get("exercise")
    if not isinstance(entries, list) or not entries:
        raise loc.error(None, None, "there are no [[exercise]] entries.")
    exercises: list[Exercise] = []
    seen: set[str] = set()
    for index, entry in enumerate(entries):
        exercise = _exercise(entry, index, loc)
        if exercise.id in seen:
            raise loc.error(index, "id", f"the id '{exercise.id}' is used twice.")
        seen.add(exercise.id)
        exercises.append(exercise)
    return Catalog(tuple(exercises), lengths, default)


def load_catalog(root: Path | None = None) -> Catalog:
    """Load the breathing catalog from ``root`` (default: :func:`resources_dir`)."""
    path = (root or resources_dir()) / BREATHING_FILE
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise CatalogError(f"Could not read the exercise file {path}: {exc}") from None
    return parse_breathing_catalog(text, path)
