"""Attention sessions: every shipped script at every length plans a session of exactly its length."""

from __future__ import annotations

import pytest

from trainer.content.attention import CALM_BREATH, attention_plan
from trainer.content.catalog import END_CUE_S, LEAD_IN_S
from trainer.content.scripts import load_scripts
from trainer.errors import CatalogError

SCRIPTS = load_scripts()


@pytest.mark.parametrize("script", SCRIPTS, ids=[s.id for s in SCRIPTS])
def test_each_length_plans_a_session_of_that_length(script) -> None:
    for minutes in script.lengths_min:
        plan = attention_plan(script, minutes)
        assert plan.planned_s == minutes * 60 == script.version(minutes).length_s
        assert plan.kind == "attention"
        assert plan.pattern is CALM_BREATH
        assert (plan.lead_in_s, plan.end_cue_s) == (LEAD_IN_S, END_CUE_S)
        assert plan.settings()["script"] == script.id
        assert plan.settings()["length"] == {"minutes": minutes}


def test_a_length_the_script_does_not_offer_is_refused() -> None:
    script = SCRIPTS[0]
    with pytest.raises(CatalogError, match="comes in"):
        attention_plan(script, 7)
