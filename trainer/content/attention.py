"""Plans a guided attention session: a script's chosen length on the same session clock as
breathing, with the calm breath (5 in, 5 out) that the spotlight's pulse and the breath counter
follow."""

from __future__ import annotations

from trainer.content.catalog import END_CUE_S, LEAD_IN_S
from trainer.content.scripts import Script
from trainer.content.spotlight import CALM_BREATH
from trainer.errors import CatalogError
from trainer.session.machine import SessionPlan

__all__ = ["CALM_BREATH", "attention_plan"]


def attention_plan(script: Script, minutes: int) -> SessionPlan:
    """A session of ``script`` at one of its lengths (``minutes`` must be one it offers)."""
    if minutes not in script.lengths_min:
        offered = ", ".join(str(m) for m in script.lengths_min)
        raise CatalogError(f"“{script.title}” comes in {offered} minutes, not {minutes!r}.")
    version = script.version(minutes)
    cycles = round(version.length_s / CALM_BREATH.cycle_s)
    return SessionPlan(
        exercise_id=script.id,
        title=script.title,
        pattern=CALM_BREATH,
        cycles=cycles,
        kind="attention",
        lead_in_s=LEAD_IN_S,
        end_cue_s=END_CUE_S,
        options={"script": script.id, "length": {"minutes": minutes}},
    )
