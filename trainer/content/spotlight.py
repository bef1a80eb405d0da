"""The spotlight on the body map: where it shines, how wide and how bright, from elapsed seconds.

A pure function of practice time over a script version's (resolved) steps. The light is a set of
soft spots, one on each area in focus, each in the view where that area is drawn: an area found
only on the back (the upper or lower back) is lit on the back figure, every other area on the
front one. With no focus, or spotlight "none", a wide soft glow lies over each whole figure.

A step's light stays ("still"), swells with a calm breath ("pulse"), moves through the areas in
turn ("sweep") or goes back and forth between two sets of areas with lengthening dwells
("alternate"). Between steps, sweep stops and alternate dwells the light glides with a cosine
ease: each new spot sets out from the nearest old one, and an old spot that no new one sets out
from glides to the nearest new one as it fades. So the light never jumps, as long as spots are
drawn so that where they overlap the brighter one shows rather than the sum (:func:`light_at`).

With reduced motion (a person's preference) a pulse only brightens and fades: spots keep their size.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise
from typing import Final

from trainer.content.bodymap import BACK, FRONT, VIEW_X, BodyMap, expand
from trainer.content.breathing import BreathingPattern, Phase, PhaseKind, ease
from trainer.content.scripts import Step, step_at

CALM_BREATH: Final = BreathingPattern([Phase(PhaseKind.INHALE, 5.0), Phase(PhaseKind.EXHALE, 5.0)])
GLIDE_S: Final = 1.5  # how long the light takes to move to a new place
MIN_RADIUS: Final = 0.12  # map units
FOCUS_INTENSITY: Final = 0.85
WHOLE_BODY_Y: Final = 1.2  # map units: the middle of each figure, head to feet
WHOLE_BODY_RADIUS: Final = 1.25  # from the middle of a figure out past its head and feet
WHOLE_BODY_INTENSITY: Final = 0.3
PULSE_RADIUS: Final[tuple[float, float]] = (0.9, 1.1)  # x a spot's radius at empty and full lungs
PULSE_INTENSITY: Final[tuple[float, float]] = (0.6, 1.1)  # x its intensity, likewise (max 1)
COUNT_TO: Final = 10
GLOW_REACH: Final = 1.35  # a spot's soft edge fades out this many radii from its centre
# How bright a spot is from its centre (0) out to its reach (1): (distance / reach, brightness).
FALLOFF: Final[tuple[tuple[float, float], ...]] = (
    (0.0, 1.0),
    (0.3, 0.85),
    (0.55, 0.5),
    (0.75, 0.2),
    (1.0, 0.0),
)


@dataclass(frozen=True)
class Spot:
    """One patch of light: centre and radius in map units, intensity 0..1."""

    x: float
    y: float
    radius: float
    intensity: float


@dataclass(frozen=True)
class SpotlightState:
    """The spotlight at one moment.

    ``spots`` are the patches of light (one per lit area, one per figure for the whole-body glow,
    and while gliding also the ones fading out); ``regions`` are the areas lit now (empty for the
    whole-body glow); ``count`` is the breath number 1..10 when the step counts breaths, else
    ``None``; ``breath_level`` is the calm breath's level 0..1 (the pulse follows it);
    ``comfort`` is how much the light rests on the comfortable area the person chose (1 there,
    0 on the area that hurts or anywhere else, in between while it glides from one to the
    other), so it can be drawn in a calmer colour of its own.
    """

    spots: tuple[Spot, ...]
    regions: tuple[str, ...]
    step_index: int
    count: int | None
    breath_level: float = 0.0
    comfort: float = 0.0


def _whole_body() -> tuple[Spot, ...]:
    return tuple(
        Spot((x_min + x_max) / 2, WHOLE_BODY_Y, WHOLE_BODY_RADIUS, WHOLE_BODY_INTENSITY)
        for x_min, x_max in (VIEW_X[FRONT], VIEW_X[BACK])
    )


WHOLE_BODY: Final[tuple[Spot, ...]] = _whole_body()  # a soft glow over each figure


def falloff(distance: float) -> float:
    """A spot's brightness 0..1 at ``distance`` from its centre, in reaches (see ``FALLOFF``)."""
    if distance <= 0.0:
        return FALLOFF[0][1]
    for (d0, b0), (d1, b1) in pairwise(FALLOFF):
        if distance <= d1:
            return b0 + (b1 - b0) * (distance - d0) / (d1 - d0)
    return 0.0


def light_at(spots: Sequence[Spot], x: float, y: float) -> float:
    """How bright the light is at a point in map units: the brightest spot there (not the sum)."""
    return max(
        (
            s.intensity * falloff(math.hypot(x - s.x, y - s.y) / (s.radius * GLOW_REACH))
            for s in spots
            if s.radius > 0
        ),
        default=0.0,
    )


def lit_view(region_id: str, body_map: BodyMap) -> str:
    """The view an area is lit in: the back for an area only there, else the front."""
    return FRONT if FRONT in body_map.views_of(region_id) else BACK


@lru_cache(maxsize=512)
def _spots_of(ids: tuple[str, ...], body_map: BodyMap) -> tuple[Spot, ...]:
    if not ids:
        return WHOLE_BODY
    spots = []
    for region in ids:
        view = lit_view(region, body_map)
        x, y = body_map.centre(region, view)
        radius = max(MIN_RADIUS, body_map.extent(region, view))
        spots.append(Spot(x, y, radius, FOCUS_INTENSITY))
    return tuple(spots)


def spots_for(regions: Sequence[str], body_map: BodyMap) -> tuple[Spot, ...]:
    """The spots lighting ``regions`` (ids or groups): one on each, covering its main shape;
    the whole-body glow for none."""
    return _spots_of(expand(regions), body_map)


@dataclass(frozen=True)
class _Look:
    spots: tuple[Spot, ...]
    regions: tuple[str, ...]
    comfort: float = 0.0  # 1 on the comfortable area, 0 elsewhere


@lru_cache(maxsize=512)
def _look(regions: tuple[str, ...], body_map: BodyMap, comfort: bool = False) -> _Look:
    ids = expand(regions)
    return _Look(_spots_of(ids, body_map), ids, 1.0 if comfort and ids else 0.0)


_WHOLE: Final = _Look(WHOLE_BODY, ())


def _between(a: Spot, b: Spot, e: float) -> Spot:
    return Spot(
        a.x + (b.x - a.x) * e,
        a.y + (b.y - a.y) * e,
        a.radius + (b.radius - a.radius) * e,
        a.intensity + (b.intensity - a.intensity) * e,
    )


def _nearest(spot: Spot, others: Sequence[Spot]) -> int:
    return min(
        range(len(others)), key=lambda i: math.hypot(others[i].x - spot.x, others[i].y - spot.y)
    )


def _glide(a: _Look, b: _Look, fraction: float) -> _Look:
    """``a`` moving to ``b``, eased; the regions are already ``b``'s.

    Each of ``b``'s spots sets out from the nearest of ``a``'s; each of ``a``'s spots that none
    sets out from glides to the nearest of ``b``'s and fades out on the way. Drawn brightest-wins,
    the light at the start is exactly ``a``'s and at the end exactly ``b``'s.
    """
    e = ease(min(1.0, max(0.0, fraction)))
    if e >= 1.0 or not a.spots:
        return b
    if e <= 0.0 or not b.spots:
        return _Look(a.spots, b.regions, a.comfort)
    starts = [_nearest(new, a.spots) for new in b.spots]
    spots = [_between(a.spots[i], new, e) for i, new in zip(starts, b.spots, strict=True)]
    for i, old in enumerate(a.spots):
        if i not in starts:
            goal = b.spots[_nearest(old, b.spots)]
            spots.append(_between(old, Spot(goal.x, goal.y, goal.radius, 0.0), e))
    return _Look(tuple(spots), b.regions, a.comfort + (b.comfort - a.comfort) * e)


def _stops(step: Step) -> tuple[tuple[str, ...], ...]:
    stops = step.stops or tuple(expand([name]) for name in step.focus)
    return tuple(stop for stop in stops if stop)


def _sweep(step: Step, into_s: float, body_map: BodyMap) -> _Look:
    stops = _stops(step)
    if not stops:
        return _WHOLE
    share_s = step.length_s / len(stops)
    k = min(len(stops) - 1, int(into_s // share_s))
    here = _look(stops[k], body_map, step.comfort_focus)
    move_s = min(GLIDE_S, share_s / 2)
    within_s = into_s - k * share_s
    if k == 0 or within_s >= move_s:
        return here
    return _glide(_look(stops[k - 1], body_map, step.comfort_focus), here, within_s / move_s)


def _dwell(dwell_s: Sequence[float], into_s: float) -> tuple[int, float, float]:
    """Which dwell (0, 1, 2, ...) runs ``into_s`` into the step, how far into it, and its length.

    Round ``i`` spends ``dwell_s[i]`` on each side (the last value repeats).
    """
    elapsed = 0.0
    for j in range(2 * len(dwell_s)):
        length = dwell_s[j // 2]
        if into_s < elapsed + length:
            return j, into_s - elapsed, length
        elapsed += length
    length = dwell_s[-1]
    k = int((into_s - elapsed) // length)
    return 2 * len(dwell_s) + k, into_s - elapsed - k * length, length


def _alternate(step: Step, into_s: float, body_map: BodyMap) -> _Look:
    sides = (
        _look(step.focus, body_map, step.comfort_focus),
        _look(step.alternate_with, body_map, step.comfort_alternate),
    )
    if not step.dwell_s:
        return sides[0]
    j, within_s, length_s = _dwell(step.dwell_s, into_s)
    here = sides[j % 2]
    glide_s = min(GLIDE_S, length_s)
    if j == 0 or within_s >= glide_s:
        return here
    return _glide(sides[(j + 1) % 2], here, within_s / glide_s)


def _pulse(look: _Look, level: float, still: bool) -> _Look:
    low_r, high_r = PULSE_RADIUS
    low_i, high_i = PULSE_INTENSITY
    grow = 1.0 if still else low_r + (high_r - low_r) * level
    brighten = low_i + (high_i - low_i) * level
    spots = tuple(
        Spot(s.x, s.y, s.radius * grow, min(1.0, s.intensity * brighten)) for s in look.spots
    )
    return _Look(spots, look.regions, look.comfort)


def _raw(step: Step, into_s: float, level: float, body_map: BodyMap, still: bool = False) -> _Look:
    """A step's own light ``into_s`` into it, before any glide from the step before (``still``:
    a pulse keeps the spots' size)."""
    if step.spotlight == "none":
        return _WHOLE
    if step.spotlight == "sweep":
        return _sweep(step, into_s, body_map)
    if step.spotlight == "alternate":
        return _alternate(step, into_s, body_map)
    look = _look(step.focus, body_map, step.comfort_focus)
    if step.spotlight == "pulse":
        return _pulse(look, level, still)
    return look


def _out_breath_offset_s(breath: BreathingPattern) -> float:
    """Seconds into a cycle at which the (first) out-breath begins."""
    offset_s = 0.0
    for phase in breath.phases:
        if phase.kind is PhaseKind.EXHALE:
            return offset_s
        offset_s += phase.seconds
    return 0.0  # not reached: a pattern always has an exhale


def breath_count(breath: BreathingPattern, start_s: float, t_s: float) -> int:
    """The breath number 1..10 at ``t_s`` when counting began at ``start_s``.

    Each out-breath is counted as it begins: the first to begin at or after ``start_s`` is 1
    (shown from ``start_s`` on), the next 2, and after 10 the count starts again at 1.
    """
    offset_s = _out_breath_offset_s(breath)
    first = math.ceil((start_s - offset_s) / breath.cycle_s - 1e-9)
    latest = math.floor((t_s - offset_s) / breath.cycle_s + 1e-9)
    begun = max(1, latest - first + 1)
    return (begun - 1) % COUNT_TO + 1


def spotlight_at(
    steps: Sequence[Step],
    body_map: BodyMap,
    t_s: float,
    breath: BreathingPattern = CALM_BREATH,
    *,
    reduced_motion: bool = False,
) -> SpotlightState:
    """The spotlight ``t_s`` seconds into a script version (past its end it rests there).

    ``steps`` are normally :func:`trainer.content.scripts.resolve`'s; groups are accepted, but "pain" and
    "comfort" must have been resolved. ``breath`` runs from ``t_s`` = 0, like the session's pacer.
    With ``reduced_motion`` a pulse changes only the light's brightness, never its size.
    """
    index = step_at(steps, t_s)
    t_s = min(t_s, steps[-1].end_s)
    step = steps[index]
    into_s = max(0.0, t_s - step.start_s)
    level = breath.state_at(t_s).level
    look = _raw(step, into_s, level, body_map, reduced_motion)
    glide_s = min(GLIDE_S, step.length_s)
    if index > 0 and into_s < glide_s:
        before = steps[index - 1]
        level_then = breath.state_at(step.start_s).level
        then = _raw(before, before.length_s, level_then, body_map, reduced_motion)
        look = _glide(then, look, into_s / glide_s)
    count = breath_count(breath, step.start_s, t_s) if step.counting else None
    return SpotlightState(
        spots=look.spots,
        regions=look.regions,
        step_index=index,
        count=count,
        breath_level=level,
        comfort=look.comfort,
    )
