"""The spotlight on the body map: where it shines, how wide and how bright, from elapsed seconds.

A pure function of practice time over a script version's (resolved) steps. Each step has a target
(the middle of its focus areas, wide enough to cover them); the spotlight stays there ("still"),
swells with a calm breath ("pulse"), moves through the areas in turn ("sweep") or goes back and
forth between two sets of areas with lengthening dwells ("alternate"). With no focus, or spotlight
"none", a wide soft glow lies over the whole front view. Between steps, sweep stops and alternate
dwells the spotlight glides with a cosine ease, so it never jumps.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

from trainer.bodymap import BACK, FRONT, BodyMap, expand
from trainer.breathing import BreathingPattern, Phase, PhaseKind, ease
from trainer.scripts import Step, step_at

CALM_BREATH: Final = BreathingPattern([Phase(PhaseKind.INHALE, 5.0), Phase(PhaseKind.EXHALE, 5.0)])
GLIDE_S: Final = 1.5  # how long the spotlight takes to move to a new target
MIN_RADIUS: Final = 0.12  # map units
FOCUS_INTENSITY: Final = 0.85
WHOLE_BODY: Final[tuple[float, float, float]] = (0.5, 1.2, 1.25)  # x, y, radius: the front view
WHOLE_BODY_INTENSITY: Final = 0.3
PULSE_RADIUS: Final[tuple[float, float]] = (0.9, 1.1)  # x target radius at empty and full lungs
PULSE_INTENSITY: Final[tuple[float, float]] = (0.6, 1.1)  # x target intensity, likewise (max 1)
COUNT_TO: Final = 10


@dataclass(frozen=True)
class SpotlightState:
    """The spotlight at one moment: centre and radius in map units, intensity 0..1.

    ``regions`` are the areas lit now (empty for the whole-body glow); ``count`` is the breath
    number 1..10 when the step counts breaths, else ``None``; ``breath_level`` is the calm breath's
    level 0..1 (the pulse and the counter follow it).
    """

    x: float
    y: float
    radius: float
    intensity: float
    regions: tuple[str, ...]
    step_index: int
    count: int | None
    breath_level: float = 0.0


@dataclass(frozen=True)
class _Look:
    x: float
    y: float
    radius: float
    intensity: float
    regions: tuple[str, ...]


_WHOLE: Final = _Look(*WHOLE_BODY, WHOLE_BODY_INTENSITY, ())


def _blend(a: _Look, b: _Look, fraction: float) -> _Look:
    """``a`` moving to ``b``, eased; the regions are already ``b``'s."""
    e = ease(min(1.0, max(0.0, fraction)))
    return _Look(
        a.x + (b.x - a.x) * e,
        a.y + (b.y - a.y) * e,
        a.radius + (b.radius - a.radius) * e,
        a.intensity + (b.intensity - a.intensity) * e,
        b.regions,
    )


def target(regions: Sequence[str], body_map: BodyMap) -> tuple[float, float, float]:
    """Centre and radius covering ``regions`` (ids or groups): the whole body for none.

    The areas are taken in the front view, unless one is only on the back (the back), so a set
    such as lower back and hips is lit in one view.
    """
    ids = expand(regions)
    if not ids:
        return WHOLE_BODY
    back = any(FRONT not in body_map.views_of(r) for r in ids)
    views = [BACK if back and BACK in body_map.views_of(r) else FRONT for r in ids]
    anchors = [
        (*body_map.centre(r, v), body_map.extent(r, v)) for r, v in zip(ids, views, strict=True)
    ]
    x = sum(a[0] for a in anchors) / len(anchors)
    y = sum(a[1] for a in anchors) / len(anchors)
    radius = max(math.hypot(ax - x, ay - y) + reach for ax, ay, reach in anchors)
    return (x, y, max(MIN_RADIUS, radius))


def _look(regions: Sequence[str], body_map: BodyMap) -> _Look:
    ids = expand(regions)
    if not ids:
        return _WHOLE
    return _Look(*target(ids, body_map), FOCUS_INTENSITY, ids)


def _stops(step: Step) -> tuple[tuple[str, ...], ...]:
    stops = step.stops or tuple(expand([name]) for name in step.focus)
    return tuple(stop for stop in stops if stop)


def _sweep(step: Step, into_s: float, body_map: BodyMap) -> _Look:
    stops = _stops(step)
    if not stops:
        return _WHOLE
    share_s = step.length_s / len(stops)
    k = min(len(stops) - 1, int(into_s // share_s))
    here = _look(stops[k], body_map)
    move_s = min(GLIDE_S, share_s / 2)
    within_s = into_s - k * share_s
    if k == 0 or within_s >= move_s:
        return here
    return _blend(_look(stops[k - 1], body_map), here, within_s / move_s)


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
    sides = (_look(step.focus, body_map), _look(step.alternate_with, body_map))
    if not step.dwell_s:
        return sides[0]
    j, within_s, length_s = _dwell(step.dwell_s, into_s)
    here = sides[j % 2]
    glide_s = min(GLIDE_S, length_s)
    if j == 0 or within_s >= glide_s:
        return here
    return _blend(sides[(j + 1) % 2], here, within_s / glide_s)


def _raw(step: Step, into_s: float, level: float, body_map: BodyMap) -> _Look:
    """A step's own spotlight ``into_s`` into it, before any glide from the step before."""
    if step.spotlight == "none":
        return _WHOLE
    if step.spotlight == "sweep":
        return _sweep(step, into_s, body_map)
    if step.spotlight == "alternate":
        return _alternate(step, into_s, body_map)
    look = _look(step.focus, body_map)
    if step.spotlight == "pulse":
        low_r, high_r = PULSE_RADIUS
        low_i, high_i = PULSE_INTENSITY
        return _Look(
            look.x,
            look.y,
            look.radius * (low_r + (high_r - low_r) * level),
            min(1.0, look.intensity * (low_i + (high_i - low_i) * level)),
            look.regions,
        )
    return look


def spotlight_at(
    steps: Sequence[Step],
    body_map: BodyMap,
    t_s: float,
    breath: BreathingPattern = CALM_BREATH,
) -> SpotlightState:
    """The spotlight ``t_s`` seconds into a script version (past its end it rests there).

    ``steps`` are normally :func:`trainer.scripts.resolve`'s; groups are accepted, but "pain" and
    "comfort" must have been resolved. ``breath`` runs from ``t_s`` = 0, like the session's pacer.
    """
    index = step_at(steps, t_s)
    t_s = min(t_s, steps[-1].end_s)
    step = steps[index]
    into_s = max(0.0, t_s - step.start_s)
    state = breath.state_at(t_s)
    look = _raw(step, into_s, state.level, body_map)
    glide_s = min(GLIDE_S, step.length_s)
    if index > 0 and into_s < glide_s:
        before = steps[index - 1]
        level_then = breath.state_at(step.start_s).level
        look = _blend(_raw(before, before.length_s, level_then, body_map), look, into_s / glide_s)
    count = None
    if step.counting:
        breaths = state.cycle - breath.state_at(step.start_s).cycle
        count = breaths % COUNT_TO + 1
    return SpotlightState(
        x=look.x,
        y=look.y,
        radius=look.radius,
        intensity=look.intensity,
        regions=look.regions,
        step_index=index,
        count=count,
        breath_level=state.level,
    )
