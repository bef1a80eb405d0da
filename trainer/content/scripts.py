"""Guided attention scripts: timed steps of prompt text, the body areas in focus, and the spotlight.

One exercise per file, ``resources/scripts/<id>.toml``::

    id = "somatic-tracking"          # lowercase words joined by dashes, unique
    title = "Somatic tracking"
    description = "One line shown on the home screen."
    source = "Where the technique comes from."
    uses = ["pain"]                  # optional: the marked areas it needs, "pain" and/or "comfort"
    order = 1                        # optional: place in the list (then by title)

    [[version]]                      # one per length offered, 3 to 15 minutes
    minutes = 3

    [[version.step]]                 # back to back from 0:00 to exactly minutes * 60
    start = "0:00"                   # "m:ss" or seconds
    end = "0:25"
    text = "One or two calm sentences (at most 220 characters)."
    focus = ["pain"]                 # regions, groups, "pain", "comfort"; [] is the whole body
    spotlight = "pulse"              # still | pulse | sweep | alternate | none
    # sweep: moves through the focus entries in order (two or more)
    # alternate: alternate_with = [...] and dwell_s = [6, 8, 10] (positive, non-decreasing)
    # counting = true                # show the 1-10 breath counter

Every mistake is reported with the file, the line and what is wrong.
"""

from __future__ import annotations

import math
import re
import tomllib
from bisect import bisect_right
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from itertools import pairwise
from pathlib import Path
from typing import Any, Final

from trainer.content.bodymap import GROUPS, REGION_IDS, expand
from trainer.content.catalog import resources_dir
from trainer.content.source_lines import ID_RE, key_line, located, one_line_text
from trainer.errors import ScriptError

SCRIPTS_DIR: Final = "scripts"
SPOTLIGHTS: Final[tuple[str, ...]] = ("still", "pulse", "sweep", "alternate", "none")
MARKED_AREAS: Final[tuple[str, ...]] = ("pain", "comfort")
MIN_MINUTES: Final = 3
MAX_MINUTES: Final = 15
MAX_TEXT_CHARS: Final = 220
DEFAULT_COMFORT: Final[tuple[str, ...]] = ("left_hand", "right_hand")

_TIME_RE: Final = re.compile(r"^\s*(-?)(\d{1,9}):([0-5]\d(?:\.\d+)?)\s*$")
_HEADER_RE: Final = re.compile(r"^\s*\[\[\s*version\s*(\.\s*step\s*)?\]\]")
_ANY_HEADER_RE: Final = re.compile(r"^\s*\[")
_TOP_KEYS: Final = ("id", "title", "description", "source", "uses", "order", "version")
_REQUIRED_TOP: Final = ("id", "title", "description", "source")
_VERSION_KEYS: Final = ("minutes", "step")
_STEP_KEYS: Final = (
    "start",
    "end",
    "text",
    "focus",
    "spotlight",
    "alternate_with",
    "dwell_s",
    "counting",
)
_AREA_NAMES: Final = frozenset(REGION_IDS) | frozenset(GROUPS) | frozenset(MARKED_AREAS)


@dataclass(frozen=True)
class Step:
    """One timed prompt: its text, the areas in focus and how the spotlight behaves.

    ``stops`` (filled by :func:`resolve`) groups ``focus`` into the places a sweep visits: one per
    entry as written, so a group such as ``knees`` is one stop. Empty means one per region.
    ``comfort_focus`` and ``comfort_alternate`` (also filled by :func:`resolve`) say that
    ``focus`` or ``alternate_with`` was written as "comfort", so its light can be told apart.
    """

    start_s: float
    end_s: float
    text: str
    focus: tuple[str, ...]
    spotlight: str
    alternate_with: tuple[str, ...] = ()
    dwell_s: tuple[float, ...] = ()
    counting: bool = False
    stops: tuple[tuple[str, ...], ...] = ()
    comfort_focus: bool = False  # (filled by :func:`resolve`) the focus is the comfortable area
    comfort_alternate: bool = False  # likewise for ``alternate_with``

    @property
    def length_s(self) -> float:
        """How long the step lasts."""
        return self.end_s - self.start_s


@dataclass(frozen=True)
class ScriptVersion:
    """One length of an exercise: steps that fill ``minutes`` exactly."""

    minutes: int
    steps: tuple[Step, ...]

    @property
    def length_s(self) -> float:
        """The version's length in seconds."""
        return self.minutes * 60.0


@dataclass(frozen=True)
class Script:
    """A guided attention exercise and the lengths it comes in."""

    id: str
    title: str
    description: str
    source: str
    uses: tuple[str, ...]
    versions: tuple[ScriptVersion, ...]  # shortest first
    order: int | None = None

    @property
    def lengths_min(self) -> tuple[int, ...]:
        """The lengths offered, in minutes, shortest first."""
        return tuple(v.minutes for v in self.versions)

    def version(self, minutes: int) -> ScriptVersion:
        """The version lasting ``minutes`` (``KeyError`` if there is none)."""
        for version in self.versions:
            if version.minutes == minutes:
                return version
        raise KeyError(minutes)


# -- reading ------------------------------------------------------------------------------------


class _ScriptLineFinder:
    """Finds the line of a ``[[version]]``, a ``[[version.step]]`` or a key in one, for messages."""

    def __init__(self, path: Path, text: str) -> None:
        self.path = path
        self.lines = text.splitlines()
        self.versions: list[int] = []
        self.steps: list[list[int]] = []
        self.first_header = len(self.lines)
        for number, line in enumerate(self.lines):
            if _ANY_HEADER_RE.match(line):
                self.first_header = min(self.first_header, number)
            match = _HEADER_RE.match(line)
            if not match:
                continue
            if match.group(1):
                if self.steps:
                    self.steps[-1].append(number)
            else:
                self.versions.append(number)
                self.steps.append([])

    def error(
        self, version: int | None, step: int | None, key: str | None, problem: str
    ) -> ScriptError:
        return ScriptError(located(self.path, self._line(version, step, key), problem))

    def _block(self, version: int | None, step: int | None) -> tuple[int, int] | None:
        if version is None:
            return 0, self.first_header
        if version >= len(self.versions):
            return None
        if step is None:
            start = self.versions[version]
        elif step < len(self.steps[version]):
            start = self.steps[version][step]
        else:
            return self.versions[version], self.versions[version] + 1
        end = next(
            (n for n in range(start + 1, len(self.lines)) if _ANY_HEADER_RE.match(self.lines[n])),
            len(self.lines),
        )
        return start, end

    def _line(self, version: int | None, step: int | None, key: str | None) -> int | None:
        block = self._block(version, step)
        if block is None:
            return None
        start, end = block
        header = start + 1 if version is not None else 1  # the top of the file
        found = None if key is None else key_line(self.lines, start, end, key)
        return header if found is None else found + 1


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _float(value: float) -> float:
    """``value`` as a float; a whole number too large for one (10**400) is infinite."""
    try:
        return float(value)
    except OverflowError:
        return math.inf if value > 0 else -math.inf


def _one_line(data: Mapping[str, Any], key: str, fail: Callable[[str, str], ScriptError]) -> str:
    return one_line_text(data.get(key), key, lambda problem: fail(key, problem))


def _time(value: object, key: str, fail: Callable[[str, str], ScriptError]) -> float:
    if isinstance(value, str):
        match = _TIME_RE.match(value)
        if not match:
            raise fail(key, f"'{key}' = {value!r} is not a time; write \"m:ss\" or seconds.")
        sign, minutes, seconds = match.groups()
        number = _float(int(minutes) * 60) + float(seconds)
        number = -number if sign else number
    elif isinstance(value, int | float) and not isinstance(value, bool):
        number = _float(value)
    else:
        raise fail(key, f"'{key}' = {value!r} is not a time; write \"m:ss\" or seconds.")
    if not math.isfinite(number):
        raise fail(key, f"'{key}' = {value!r} is not a time; write \"m:ss\" or seconds.")
    if number < 0:
        raise fail(key, f"'{key}' is negative; times count from 0:00.")
    return number


def _clock(seconds: float) -> str:
    whole = int(seconds)
    text = f"{whole // 60}:{whole % 60:02d}"
    return text if seconds == whole else f"{text} (+{seconds - whole:g} s)"


def _areas(value: object, key: str, fail: Callable[[str, str], ScriptError]) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise fail(key, f'\'{key}\' must be a list of body areas, such as ["neck", "pain"].')
    for name in value:
        if name not in _AREA_NAMES:
            raise fail(
                key,
                f"{name!r} is not a body area or group. Use one of: "
                f"{', '.join((*REGION_IDS, *GROUPS, *MARKED_AREAS))}.",
            )
        if value.count(name) > 1:
            raise fail(key, f"'{key}' names {name!r} twice.")
    return tuple(value)


def _step(raw: object, v: int, s: int, loc: _ScriptLineFinder) -> Step:
    def fail(key: str | None, problem: str) -> ScriptError:
        return loc.error(v, s, key, f"step {s + 1}: {problem}")

    if not isinstance(raw, Mapping):
        raise fail(None, "each step must be a [[version.step]] table.")
    unknown = sorted(set(raw) - set(_STEP_KEYS))
    if unknown:
        raise fail(unknown[0], f"unknown keys {unknown}; allowed: {list(_STEP_KEYS)}.")
    for key in ("start", "end", "text", "spotlight"):
        if key not in raw:
            raise fail(None, f"the step has no '{key}'.")
    start_s = _time(raw["start"], "start", fail)
    end_s = _time(raw["end"], "end", fail)
    if end_s <= start_s:
        raise fail("end", f"it ends ({_clock(end_s)}) at or before it starts ({_clock(start_s)}).")
    text = raw["text"]
    if not isinstance(text, str) or not text.strip():
        raise fail("text", "'text' must be a non-empty text.")
    text = " ".join(text.split())
    if len(text) > MAX_TEXT_CHARS:
        raise fail(
            "text",
            f"the text has {len(text)} characters; at most {MAX_TEXT_CHARS} fit on screen.",
        )
    focus = _areas(raw.get("focus", []), "focus", fail)
    spotlight = raw["spotlight"]
    if spotlight not in SPOTLIGHTS:
        raise fail("spotlight", f"spotlight {spotlight!r} is not one of {list(SPOTLIGHTS)}.")
    counting = raw.get("counting", False)
    if not isinstance(counting, bool):
        raise fail("counting", "'counting' must be true or false.")
    alternate_with: tuple[str, ...] = ()
    dwell_s: tuple[float, ...] = ()
    if spotlight == "alternate":
        if not focus:
            raise fail("focus", "an alternating spotlight needs areas in 'focus'.")
        if "alternate_with" not in raw or not raw["alternate_with"]:
            raise fail(None, "an alternating spotlight needs 'alternate_with' (the other areas).")
        if "dwell_s" not in raw:
            raise fail(None, "an alternating spotlight needs 'dwell_s' (seconds on each side).")
        alternate_with = _areas(raw["alternate_with"], "alternate_with", fail)
        dwell = raw["dwell_s"]
        if (
            not isinstance(dwell, list)
            or not dwell
            or not all(_is_number(d) and math.isfinite(_float(d)) and d > 0 for d in dwell)
        ):
            raise fail("dwell_s", "'dwell_s' must list one or more positive numbers of seconds.")
        if any(b < a for a, b in pairwise(dwell)):
            raise fail("dwell_s", f"'dwell_s' {dwell} must not get shorter: the dwell lengthens.")
        dwell_s = tuple(float(d) for d in dwell)
    else:
        for key in ("alternate_with", "dwell_s"):
            if key in raw:
                raise fail(key, f"'{key}' belongs only to spotlight = \"alternate\".")
    if spotlight == "sweep" and len(focus) < 2:
        raise fail("focus", "a sweep moves through two or more areas in 'focus'.")
    return Step(start_s, end_s, text, focus, spotlight, alternate_with, dwell_s, counting)


def _version(raw: object, v: int, loc: _ScriptLineFinder) -> ScriptVersion:
    def fail(key: str | None, problem: str) -> ScriptError:
        return loc.error(v, None, key, problem)

    if not isinstance(raw, Mapping):
        raise fail(None, "each [[version]] must be a table.")
    unknown = sorted(set(raw) - set(_VERSION_KEYS))
    if unknown:
        raise fail(unknown[0], f"unknown keys {unknown} in a version; allowed: minutes, step.")
    minutes = raw.get("minutes")
    if (
        not isinstance(minutes, int)
        or isinstance(minutes, bool)
        or not MIN_MINUTES <= minutes <= MAX_MINUTES
    ):
        raise fail(
            "minutes",
            f"'minutes' must be a whole number from {MIN_MINUTES} to {MAX_MINUTES}; "
            f"got {minutes!r}.",
        )
    raw_steps = raw.get("step")
    if not isinstance(raw_steps, list) or not raw_steps:
        raise fail(None, f"the {minutes}-minute version has no [[version.step]].")
    steps = [_step(item, v, s, loc) for s, item in enumerate(raw_steps)]
    if steps[0].start_s != 0:
        raise loc.error(
            v, 0, "start", f"step 1: the first step starts at {_clock(steps[0].start_s)}, not 0:00."
        )
    for s in range(1, len(steps)):
        if steps[s].start_s < steps[s - 1].start_s:
            raise loc.error(
                v,
                s,
                "start",
                f"step {s + 1}: it starts at {_clock(steps[s].start_s)}, before the step above "
                "it: the steps are out of order.",
            )
    for s in range(1, len(steps)):
        before, step = steps[s - 1], steps[s]
        if step.start_s < before.end_s:
            problem = (
                f"it starts at {_clock(step.start_s)}, overlapping the step above it, "
                f"which ends at {_clock(before.end_s)}."
            )
        elif step.start_s > before.end_s:
            problem = (
                f"it starts at {_clock(step.start_s)}, leaving a gap after the step above it, "
                f"which ends at {_clock(before.end_s)}."
            )
        else:
            continue
        raise loc.error(v, s, "start", f"step {s + 1}: {problem}")
    length_s = minutes * 60.0
    if abs(steps[-1].end_s - length_s) > 1e-9:
        raise loc.error(
            v,
            len(steps) - 1,
            "end",
            f"step {len(steps)}: the last step ends at {_clock(steps[-1].end_s)}; a "
            f"{minutes}-minute version must end at exactly {_clock(length_s)}.",
        )
    return ScriptVersion(minutes, tuple(steps))


def parse_script(text: str, path: Path) -> Script:
    """Parse and check the text of one script file (``path`` names it in errors)."""
    loc = _ScriptLineFinder(path, text)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ScriptError(f"{path.name}: not valid TOML: {exc}") from None
    except (ValueError, RecursionError):  # a number of 5000 digits; "[" nested 5000 deep
        raise ScriptError(
            f"{path.name}: not valid TOML: a value is far too long or too deep."
        ) from None

    def top(key: str | None, problem: str) -> ScriptError:
        return loc.error(None, None, key, problem)

    unknown = sorted(set(data) - set(_TOP_KEYS))
    if unknown:
        raise top(unknown[0], f"unknown keys {unknown}; allowed: {list(_TOP_KEYS)}.")
    for key in _REQUIRED_TOP:
        if key not in data:
            raise top(None, f"the script has no '{key}'.")
    script_id = data["id"]
    if not isinstance(script_id, str) or not ID_RE.match(script_id):
        raise top("id", f"id {script_id!r} must be lowercase letters and digits joined by dashes.")
    uses = data.get("uses", [])
    if (
        not isinstance(uses, list)
        or not all(u in MARKED_AREAS for u in uses)
        or len(set(uses)) != len(uses)
    ):
        raise top("uses", '\'uses\' may list "pain" and "comfort", each once.')
    order = data.get("order")
    if order is not None and (not isinstance(order, int) or isinstance(order, bool)):
        raise top("order", f"'order' must be a whole number; got {order!r}.")
    raw_versions = data.get("version")
    if not isinstance(raw_versions, list) or not raw_versions:
        raise top(None, "the script has no [[version]].")
    versions: list[ScriptVersion] = []
    for v, raw in enumerate(raw_versions):
        version = _version(raw, v, loc)
        if version.minutes in (seen.minutes for seen in versions):
            raise loc.error(
                v, None, "minutes", f"two versions last {version.minutes} minutes; keep one."
            )
        for n, step in enumerate(version.steps):
            for key, names in (("focus", step.focus), ("alternate_with", step.alternate_with)):
                missing = [m for m in MARKED_AREAS if m in names and m not in uses]
                if missing:
                    raise loc.error(
                        v,
                        n,
                        key,
                        f'the step uses "{missing[0]}", so the script must say '
                        f'uses = [..., "{missing[0]}"] at the top.',
                    )
        versions.append(version)
    return Script(
        id=script_id,
        title=_one_line(data, "title", top),
        description=_one_line(data, "description", top),
        source=_one_line(data, "source", top),
        uses=tuple(uses),
        versions=tuple(sorted(versions, key=lambda v: v.minutes)),
        order=order,
    )


def load_script(path: Path) -> Script:
    """Load and check one script file."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ScriptError(f"Could not read the script file {path}: {exc}") from None
    return parse_script(text, path)


def load_scripts(
    folder: Path | None = None, *, problems: list[str] | None = None
) -> tuple[Script, ...]:
    """Every ``*.toml`` script in ``folder`` (default: ``scripts`` in :func:`resources_dir`).

    Sorted by their ``order``, then title (scripts without an order come last). The first
    broken file raises :class:`ScriptError`; when a ``problems`` list is given, a broken file is
    left out instead and its message added there, so one mistake cannot hide the others.
    """
    folder = folder or resources_dir() / SCRIPTS_DIR
    scripts: list[Script] = []
    where: dict[str, Path] = {}
    for path in sorted(folder.glob("*.toml")):
        try:
            script = load_script(path)
            if script.id in where:
                raise ScriptError(
                    f"{path.name}: the id '{script.id}' is already used by {where[script.id].name}."
                )
        except ScriptError as exc:
            if problems is None:
                raise
            problems.append(str(exc))
            continue
        where[script.id] = path
        scripts.append(script)
    return tuple(sorted(scripts, key=lambda s: (s.order is None, s.order or 0, s.title.casefold())))


# -- using --------------------------------------------------------------------------------------


def _resolve_areas(
    names: Sequence[str], pain: tuple[str, ...], comfort: tuple[str, ...]
) -> tuple[tuple[str, ...], tuple[tuple[str, ...], ...]]:
    regions: list[str] = []
    stops: list[tuple[str, ...]] = []
    for name in names:
        parts: list[tuple[str, ...]]
        if name == "pain":
            parts = [(r,) for r in pain]
        elif name == "comfort":
            parts = [(r,) for r in comfort]
        else:
            parts = [expand([name])]
        for part in parts:
            stops.append(part)
            regions.extend(r for r in part if r not in regions)
    return tuple(regions), tuple(stops)


def _only_comfort(names: Sequence[str]) -> bool:
    return bool(names) and all(name == "comfort" for name in names)


def resolve(
    version: ScriptVersion, pain: Sequence[str], comfort: Sequence[str]
) -> tuple[Step, ...]:
    """The version's steps with "pain", "comfort" and groups replaced by region ids.

    ``pain`` and ``comfort`` are the areas the person marked (region ids or groups). No pain
    marked leaves a pain-only focus empty, which is the whole body; no comfortable area marked
    means the hands.
    """
    pain_ids = expand(pain)
    comfort_ids = expand(comfort) or DEFAULT_COMFORT
    steps: list[Step] = []
    for step in version.steps:
        focus, stops = _resolve_areas(step.focus, pain_ids, comfort_ids)
        other, _ = _resolve_areas(step.alternate_with, pain_ids, comfort_ids)
        steps.append(
            replace(
                step,
                focus=focus,
                alternate_with=other,
                stops=stops,
                comfort_focus=_only_comfort(step.focus),
                comfort_alternate=_only_comfort(step.alternate_with),
            )
        )
    return tuple(steps)


def step_at(steps: Sequence[Step], t_s: float) -> int:
    """The index of the step running at ``t_s`` (the last step at or after the end)."""
    if not steps:
        raise ValueError("there are no steps")
    if not math.isfinite(t_s) or t_s < 0:
        raise ValueError(f"elapsed time must be a finite number >= 0; got {t_s!r}")
    return max(0, min(len(steps) - 1, bisect_right([s.start_s for s in steps], t_s) - 1))
